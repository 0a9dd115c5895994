// `npm start` stopped by a SIGTERM to npm alone (a process manager, `kill <npm's pid>`): npm passes
// it to its script's shell, and the hub, run by that shell, must get it and stop, not be left
// running without a parent. The start script execs node, so the shell's process becomes the hub.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { alive, childrenOf, listeningPorts } from '../support/processes.js';
import { waitFor } from '../support/wait.js';

let npm: ChildProcess | undefined;
afterAll(() => {
  // Whatever is left of its process group (the hub included, orphaned or not).
  if (npm?.pid) {
    try {
      process.kill(-npm.pid, 'SIGKILL');
    } catch {
      // none left
    }
  }
});

/** `pid` and every process below it. */
function descendants(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child.pid, ...descendants(child.pid)]);
}

it('stops the hub when npm alone is sent SIGTERM', async () => {
  const port = await freePort();
  const { KAFKA_BROKERS: _shared, ...inherited } = process.env;
  npm = spawn('npm', ['start'], {
    cwd: projectPath(),
    env: { ...inherited, PENGHUBUNG_DATA_DIR: mkdtempSync(join(tmpdir(), 'penghubung-npm-start-')), PENGHUBUNG_HTTP__PORT: String(port), PENGHUBUNG_LOG__LEVEL: 'silent', PENGHUBUNG_BUS__KIND: 'embedded', PENGHUBUNG_CONNECTORS__POLLING: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so the test can clean up after a failure without touching others.
    detached: true,
  });
  let stderr = '';
  npm.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const npmExit = new Promise<number | null>((done) => npm!.once('exit', (code) => done(code)));
  // npm start compiles dist/ first when it is stale (a clean clone).
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, 150_000, () => `npm start to be ready; stderr so far:\n${stderr}`, 200);
  const hub = descendants(npm.pid!).find((pid) => listeningPorts(pid).includes(port));
  expect(hub).toBeDefined();

  npm.kill('SIGTERM');
  await waitFor(() => !alive(hub!), 30_000, () => `the hub (pid ${hub}) to exit after npm was sent SIGTERM`);
  expect(await npmExit).toBe(0);
}, 200_000);
