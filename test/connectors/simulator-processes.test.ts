// The sandbox hub runs its simulators (the connectors' and the example e-kinerja service's) out
// of its own process, all in one host child: a pid of their own, stopped when the hub stops, and
// gone when the hub is killed outright (the host watches its IPC channel to the hub).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { alive, childrenOf, listeningPorts } from '../support/processes.js';
import { waitFor } from '../support/wait.js';

const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
});

/** The simulators the default connectors/ folder and the sandbox service example bring. */
const expectedSimulators = readdirSync(projectPath('connectors'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && existsSync(projectPath('connectors', entry.name, 'simulator.ts'))).length + 1;

/** The simulators a host child runs, from the list the hub passed it (child.ts's argument). */
function hostedSimulators(command: string): string[] {
  const list = command.slice(command.indexOf('['));
  return (JSON.parse(list.trim()) as { key: string }[]).map((hosted) => hosted.key);
}

async function startSandboxHub(options: { ownGroup?: boolean } = {}): Promise<{ hub: ChildProcess; simulators: number[]; hosted: string[] }> {
  const port = await freePort();
  const hub = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectPath(),
    env: { ...process.env, PENGHUBUNG_DATA_DIR: mkdtempSync(join(tmpdir(), 'penghubung-simproc-')), PENGHUBUNG_HTTP__PORT: String(port), PENGHUBUNG_LOG__LEVEL: 'error', PENGHUBUNG_BUS__KIND: 'embedded', PENGHUBUNG_CONNECTORS__POLLING: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: options.ownGroup ?? false,
  });
  started.add(hub);
  // Its error lines (stdout), kept to say why a start failed.
  let errors = '';
  hub.stdout!.on('data', (chunk: Buffer) => void (errors = (errors + chunk.toString()).slice(-4000)));
  hub.once('exit', () => started.delete(hub));
  await waitFor(
    async () => {
      if (hub.exitCode !== null || hub.signalCode !== null) throw new Error(`the sandbox hub exited (${hub.exitCode ?? hub.signalCode}) before it was ready:\n${errors}`);
      return (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200;
    },
    60_000,
    () => `the sandbox hub to be ready; its error lines:\n${errors || '(none)'}`,
  );
  const simulators = childrenOf(hub.pid!).filter((child) => child.command.includes('simulator-kit/child'));
  return { hub, simulators: simulators.map((child) => child.pid), hosted: simulators.flatMap((child) => hostedSimulators(child.command)) };
}

it('runs every sandbox simulator in one child process that exits when the hub is SIGKILLed', async () => {
  const { hub, simulators, hosted } = await startSandboxHub();
  expect(simulators).toHaveLength(1);
  expect(new Set(hosted).size).toBe(expectedSimulators);
  expect(simulators).not.toContain(hub.pid);
  hub.kill('SIGKILL');
  await waitFor(() => simulators.every((pid) => !alive(pid)), 15_000, () => `the simulators to exit after the hub was killed; still alive: ${simulators.filter(alive).join(', ')}`);
}, 90_000);

it('stops its simulator processes when it shuts down on SIGTERM', async () => {
  const { hub, simulators } = await startSandboxHub();
  expect(simulators).toHaveLength(1);
  const exited = new Promise<number | null>((done) => hub.once('exit', (code) => done(code)));
  hub.kill('SIGTERM');
  expect(await exited).toBe(0);
  await waitFor(() => simulators.every((pid) => !alive(pid)), 15_000, () => `the simulators to stop with the hub; still alive: ${simulators.filter(alive).join(', ')}`);
}, 90_000);

it('stops cleanly when SIGTERM reaches its whole process group, the simulator host included (Ctrl-C, setsid, systemd)', async () => {
  const { hub, simulators } = await startSandboxHub({ ownGroup: true });
  expect(simulators).toHaveLength(1);
  const exited = new Promise<number | null>((done) => hub.once('exit', (code) => done(code)));
  // The host exits at once; the hub, draining first, must not fail telling it to stop a simulator.
  process.kill(-hub.pid!, 'SIGTERM');
  expect(await exited).toBe(0);
}, 90_000);

it('shuts down gracefully when its terminal hangs up: SIGHUP to its whole process group (an ssh session dropped)', async () => {
  const { hub, simulators } = await startSandboxHub({ ownGroup: true });
  expect(simulators).toHaveLength(1);
  const [host] = simulators;
  // The host leaves SIGHUP to the hub, which may still reach the simulators while it drains. A
  // signal sent is pending before kill() returns and acted on before the host runs anything else:
  // if it answers afterwards, the signal did not kill it.
  const [port] = listeningPorts(host!);
  expect(port).toBeDefined();
  process.kill(host!, 'SIGHUP');
  const answer = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
  expect(answer).toBeInstanceOf(Response);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => hub.once('exit', (code, signal) => done({ code, signal })));
  process.kill(-hub.pid!, 'SIGHUP');
  // Node's default on SIGHUP is to die of it at once ({ code: null, signal: 'SIGHUP' }), undrained.
  expect(await exited).toEqual({ code: 0, signal: null });
  await waitFor(() => simulators.every((pid) => !alive(pid)), 15_000, () => `the simulators to stop with the hub; still alive: ${simulators.filter(alive).join(', ')}`);
}, 90_000);
