// The parent side of a benchmark child process (bench/servers/*.ts): started with
// `node --import tsx`, NODE_ENV=production, an IPC channel; resolves once the child says it is
// ready; asks it things by id; stops it and waits for its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './report.js';

export interface Child {
  pid: number;
  ready: Record<string, unknown> & { pid: number };
  ask<T>(type: string, payload?: Record<string, unknown>): Promise<T>;
  stop(timeoutMs?: number): Promise<void>;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  /** Another checkout of the project to run `bench/servers/<server>` from (a before/after comparison). */
  tree?: string;
}

export async function startChild(server: string, args: string[] = [], options: ChildOptions = {}): Promise<Child> {
  const script = join(options.tree ?? projectRoot, 'bench', 'servers', server);
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args], {
    cwd: options.tree ?? projectRoot,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let nextId = 1;
  const waiting = new Map<number, { ok: (value: unknown) => void; fail: (error: Error) => void }>();
  const ready = await new Promise<Record<string, unknown> & { pid: number }>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${server} did not get ready within ${options.readyTimeoutMs ?? 60_000} ms`));
    }, options.readyTimeoutMs ?? 60_000);
    child.on('message', (raw) => {
      const message = raw as { type?: string; id?: number; ok?: boolean; result?: unknown; error?: string };
      if (message.type === 'ready') {
        clearTimeout(timer);
        ok(message as Record<string, unknown> & { pid: number });
        return;
      }
      if (message.id === undefined) return;
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) pending?.ok(message.result);
      else pending?.fail(new Error(message.error ?? 'failed'));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${server} exited with code ${code} before it was ready`));
      for (const pending of waiting.values()) pending.fail(new Error(`${server} exited`));
    });
  });
  return {
    pid: child.pid!,
    ready,
    ask<T>(type: string, payload: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((ok, fail) => {
        waiting.set(id, { ok: ok as (value: unknown) => void, fail });
        child.send({ ...payload, id, type });
      });
    },
    async stop(timeoutMs = 30_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const forced = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(forced);
    },
  };
}
