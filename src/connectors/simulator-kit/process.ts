// A sandbox simulator in a child process of its own (child.ts), so the hub's memory and CPU are
// the hub's alone. The hub forks it, waits for the port it listens on, and stops it on close;
// a child whose hub dies (even by SIGKILL) sees the IPC channel close and exits by itself.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Simulator } from './serve.js';

export interface SimulatorProcess extends Simulator {
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

const sourceRun = import.meta.url.endsWith('.ts');
const entry = fileURLToPath(new URL(sourceRun ? './child.ts' : './child.js', import.meta.url));
const readyTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;

/** Forks the simulator and resolves once it listens. */
export function forkSimulator(module: SimulatorModule): Promise<SimulatorProcess> {
  const child = fork(entry, [module.file, module.exportName], {
    // Only what the child needs to run: the hub's own flags (profiling, inspector) stay the hub's.
    execArgv: sourceRun ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // Idempotent: the fleet and the simulator's taker may both stop it.
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<SimulatorProcess>((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      void close().finally(() => reject(new Error(`the ${module.name} simulator did not start: ${reason}`)));
    };
    const timer = setTimeout(() => fail(`no answer within ${readyTimeoutMs / 1000} s`), readyTimeoutMs);
    const onMessage = (message: unknown): void => {
      const url = (message as { url?: unknown } | null)?.url;
      if (typeof url !== 'string') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onEarlyExit);
      resolve({ url, pid: child.pid!, close });
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`it exited (${signal ?? `code ${code}`}) before listening`);
    child.on('message', onMessage);
    child.once('exit', onEarlyExit);
    child.once('error', (error) => fail(error.message));
  });
}
