// Sandbox simulators in a child process (child.ts), so the hub's memory and CPU are the hub's
// alone. The hub forks one host for the simulators it knows at start (all of them side by side
// in it), waits for the ports they listen on, and stops them on close; a host whose hub dies
// (even by SIGKILL) sees the IPC channel close and exits by itself.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Simulator } from './serve.js';

export interface SimulatorProcess extends Simulator {
  /** The host process it runs in (shared with the other simulators forked with it). */
  pid: number;
}

export interface SimulatorModule {
  /** The module to import in the child: a .ts source under tsx, the compiled .js otherwise. */
  file: string;
  /** The function it exports that starts the simulator: `(options) => Promise<Simulator>`. */
  exportName: string;
  /** For messages: whose simulator it is. */
  name: string;
}

type StartReport = Record<string, { url: string; recordsRequests: boolean } | { error: string }>;

const sourceRun = import.meta.url.endsWith('.ts');
const entry = fileURLToPath(new URL(sourceRun ? './child.ts' : './child.js', import.meta.url));
const readyTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;

/** Stops the host: SIGTERM, then SIGKILL if it has not exited in time. Idempotent. */
async function stopHost(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

/** What the host reported once every simulator listened or failed, or why it never did. */
function hostReport(child: ChildProcess, names: string): Promise<StartReport> {
  return new Promise<StartReport>((resolve, reject) => {
    const settle = (report?: StartReport, reason?: string): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onEarlyExit);
      if (report) resolve(report);
      else reject(new Error(`the simulators (${names}) did not start: ${reason}`));
    };
    const timer = setTimeout(() => settle(undefined, `no answer within ${readyTimeoutMs / 1000} s`), readyTimeoutMs);
    const onMessage = (message: unknown): void => {
      const started = (message as { started?: unknown } | null)?.started;
      if (started && typeof started === 'object') settle(started as StartReport);
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void => settle(undefined, `their host exited (${signal ?? `code ${code}`}) before listening`);
    child.on('message', onMessage);
    child.once('exit', onEarlyExit);
    child.once('error', (error) => settle(undefined, error.message));
  });
}

/**
 * Forks one host for `modules` (by key) and answers each simulator's start: its URL and a
 * `close` that stops it alone (the host exits with its last one). `closeAll` stops the host.
 */
export function forkSimulators(modules: ReadonlyMap<string, SimulatorModule>): { simulators: Map<string, Promise<SimulatorProcess>>; closeAll: () => Promise<void> } {
  const child = fork(entry, [JSON.stringify([...modules].map(([key, module]) => ({ key, file: module.file, exportName: module.exportName })))], {
    // Only what the child needs to run: the hub's own flags (profiling, inspector) stay the hub's.
    execArgv: sourceRun ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const closeAll = (): Promise<void> => stopHost(child, exited);
  const report = hostReport(child, [...modules.values()].map((module) => module.name).join(', '));
  // A host that failed to start is stopped; each simulator's taker sees why.
  report.catch(() => closeAll());
  const open = new Set(modules.keys());
  const simulators = new Map<string, Promise<SimulatorProcess>>();
  for (const [key, module] of modules) {
    const close = async (): Promise<void> => {
      if (!open.delete(key)) return;
      if (open.size === 0) return closeAll();
      // The host may be exiting already (a SIGTERM to the whole process group reaches it too): a
      // message it can no longer take is no error, and without a callback it would be thrown.
      if (child.connected) child.send({ close: key }, () => undefined);
    };
    simulators.set(
      key,
      report.then((started) => {
        const outcome = started[key];
        if (!outcome || 'error' in outcome) throw new Error(`the ${module.name} simulator did not start: ${outcome?.error ?? 'its host did not start it'}`);
        return { url: outcome.url, pid: child.pid!, close, recordsRequests: outcome.recordsRequests };
      }),
    );
  }
  return { simulators, closeAll };
}

/** One simulator in a host of its own (one that was not known when the hub began to start). */
export function forkSimulator(module: SimulatorModule): Promise<SimulatorProcess> {
  return forkSimulators(new Map([[module.name, module]])).simulators.get(module.name)!;
}
