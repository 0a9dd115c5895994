// A sandbox hub forks its connectors' simulators before discovery validates their manifests
// (src/sandbox-fleet.ts reads only a manifest's id and upstream variable): the simulator of a
// folder discovery then refuses is stopped, not left listening on 127.0.0.1 until the hub closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { connectorFromRecording, linkRecordingConnector, withUnknownClassification } from '../support/connector-folders.js';
import { hubBeforeAll } from '../support/hub.js';
import { childrenOf, listeningPorts } from '../support/processes.js';
import { waitFor } from '../support/wait.js';

// Inside the project (test/support/connector-folders.ts says why).
const root = mkdtempSync(projectPath('.tmp-refused-simulator-'));

beforeAll(() => {
  linkRecordingConnector(root);
  // Its id and upstream variable are sound, so it is forked early; its classification is not.
  connectorFromRecording(root, 'uji-rusak', ['mapping.ts', 'simulator.ts'], withUnknownClassification);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
// The hub starts once the folders above exist; they are removed after it closes. The sandbox
// service's simulator is left out (its variable set): only the connectors' are forked.
const hub = hubBeforeAll({ connectors: { directory: root, simulators: 'process' } }, { EKINERJA_BASE_URL: 'http://127.0.0.1:9' });

it('stops the early-forked simulator of a connector discovery refused and keeps the others', async () => {
  expect(hub().connectors.runtimes.map((runtime) => runtime.id)).toEqual(['uji-rekaman']);
  // This hub's host: the one whose argument lists the simulators of this test's folder.
  const hosts = childrenOf(process.pid).filter((child) => child.command.includes('simulator-kit/child') && child.command.includes(root));
  expect(hosts).toHaveLength(1);
  const host = hosts[0]!;
  const hosted = (JSON.parse(host.command.slice(host.command.indexOf('[')).trim()) as { key: string }[]).map((module) => module.key);
  expect(hosted).toEqual(['uji-rekaman', 'uji-rusak']);
  // The refused connector's simulator stops; the other one listens on.
  const kept = Number(new URL(hub().connectors.runtimes[0]!.baseUrl).port);
  await waitFor(() => listeningPorts(host.pid).join() === String(kept), 15_000, () => `the host to listen on ${kept} alone; it listens on ${listeningPorts(host.pid).join(', ')}`);
});
