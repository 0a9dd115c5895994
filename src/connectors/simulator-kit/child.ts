// The entry of the sandbox's simulator host, a child process of the hub (process.ts forks it):
//   node child.js '<JSON list of { key, file, exportName }>'
// imports each module, starts the simulator its export makes on a free 127.0.0.1 port, all side
// by side, and sends the hub `{ started: { <key>: { url } | { error } } }` once every one listens
// or failed. One host for all of them: each simulator in a Node process of its own cost ~0.3 s
// of CPU apiece at start (Node, express, ajv), more than the hub's whole start.
// `{ close: <key> }` from the hub stops one; the host exits when none is left, on SIGTERM and, so
// a killed hub never leaves it behind, when the IPC channel to the hub closes. Ctrl-C and a closed
// terminal reach its whole process group: the host leaves SIGINT and SIGHUP to the hub, which
// drains first.
import { pathToFileURL } from 'node:url';
import type { Simulator } from './serve.js';

interface HostedModule {
  key: string;
  file: string;
  exportName: string;
}

const modules = JSON.parse(process.argv[2] ?? '[]') as HostedModule[];
if (modules.length === 0 || !process.send) {
  console.error('simulator host: started without simulators to run or an IPC channel to the hub');
  process.exit(2);
}
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);

const running = new Map<string, Simulator>();
let stopping = false;
const stopAll = (): void => {
  if (stopping) return;
  stopping = true;
  void Promise.allSettled([...running.values()].map((simulator) => simulator.close())).finally(() => process.exit(0));
};
process.on('SIGTERM', stopAll);
process.on('disconnect', stopAll);

async function startOne({ key, file, exportName }: HostedModule): Promise<{ url: string; recordsRequests: boolean } | { error: string }> {
  try {
    const start = ((await import(pathToFileURL(file).href)) as Record<string, unknown>)[exportName];
    if (typeof start !== 'function') return { error: `${file} exports no function ${exportName}` };
    const simulator = (await start({ host: '127.0.0.1', port: 0 })) as Simulator;
    running.set(key, simulator);
    return { url: simulator.url, recordsRequests: typeof simulator.requests === 'function' };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const started = Object.fromEntries(await Promise.all(modules.map(async (module) => [module.key, await startOne(module)] as const)));
process.on('message', (message: unknown) => {
  const key = (message as { close?: unknown } | null)?.close;
  if (typeof key !== 'string') return;
  const simulator = running.get(key);
  running.delete(key);
  void simulator?.close().finally(() => {
    if (running.size === 0) stopAll();
  });
});
// The hub may already be gone (killed while this host started): then there is no one to answer.
if (process.connected) process.send({ started });
if (!process.connected || running.size === 0) stopAll();
