// A sandbox hub forks its connectors' simulators before discovery validates their manifests
// (src/sandbox-fleet.ts reads only a manifest's id and upstream variable): the simulator of a
// folder discovery then refuses is stopped, not left listening on 127.0.0.1 until the hub closes.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubBeforeAll } from '../support/hub.js';
import { childrenOf, listeningPorts } from '../support/processes.js';
import { waitFor } from '../support/wait.js';

const good = projectPath('test', 'fixtures', 'connectors', 'uji-rekaman');
// Inside the project: the linked mapping.ts and simulator.ts import the SDK by a relative path.
const root = mkdtempSync(projectPath('.tmp-refused-simulator-'));

beforeAll(() => {
  mkdirSync(join(root, 'uji-rekaman'));
  for (const entry of readdirSync(good)) symlinkSync(join(good, entry), join(root, 'uji-rekaman', entry));
  // Its id and upstream variable are sound, so it is forked early; its classification is not.
  mkdirSync(join(root, 'uji-rusak'));
  writeFileSync(join(root, 'uji-rusak', 'manifest.yaml'), readFileSync(join(good, 'manifest.yaml'), 'utf8').replace('id: uji-rekaman', 'id: uji-rusak').replace('classification: publik', 'classification: umum'));
  for (const file of ['mapping.ts', 'simulator.ts']) symlinkSync(join(good, file), join(root, 'uji-rusak', file));
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
