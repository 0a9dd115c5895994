// The parent side of a benchmark child process (bench/servers/*.ts): started with
// `node --import tsx` (or, `plain`, as plain JavaScript), NODE_ENV=production, an IPC channel;
// resolves once the child says it is ready; asks it things by id; stops it and waits for its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
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
  /**
   * Without tsx: the server and what it imports of bench/ transpiled to JavaScript in a temporary folder, so the
   * process carries no loader, as `npm start` runs the hub (tsx's module hooks run on a thread of
   * their own: ≈ 38 MB of RSS). Only for a server that imports compiled code (the hub's `compiled`).
   */
  plain?: boolean;
}

/**
 * `bench/servers/<server>` and the bench modules it imports (relative `from` imports, followed),
 * as ES modules in a temporary folder laid out as bench/ is; returns the script's path.
 */
function transpiled(benchDir: string, server: string): { script: string; folder: string } {
  const folder = mkdtempSync(join(tmpdir(), 'penghubung-bench-server-'));
  writeFileSync(join(folder, 'package.json'), '{"type":"module"}\n');
  const pending = [join('servers', server)];
  const done = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(join(benchDir, file), 'utf8');
    for (const [, path] of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      const imported = join(dirname(file), `${path}.ts`);
      if (!imported.startsWith('..')) pending.push(imported);
    }
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    mkdirSync(join(folder, dirname(file)), { recursive: true });
    writeFileSync(join(folder, file.replace(/\.ts$/, '.js')), outputText);
  }
  return { script: join(folder, 'servers', server.replace(/\.ts$/, '.js')), folder };
}

export async function startChild(server: string, args: string[] = [], options: ChildOptions = {}): Promise<Child> {
  const benchDir = join(options.tree ?? projectRoot, 'bench');
  const plain = options.plain ? transpiled(benchDir, server) : undefined;
  const script = plain?.script ?? join(benchDir, 'servers', server);
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(plain ? [] : ['--import', 'tsx']), script, ...args], {
    cwd: options.tree ?? projectRoot,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  if (plain) void exited.then(() => rmSync(plain.folder, { recursive: true, force: true }));
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
