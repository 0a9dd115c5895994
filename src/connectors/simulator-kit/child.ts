// The entry of a simulator running as a child process of the hub (process.ts forks it):
//   node child.js <module file> <export name>
// imports the module, starts the simulator its export makes on a free 127.0.0.1 port, and sends
// the hub `{ url }` once it listens. It stops on SIGTERM and, so a killed hub never leaves it
// behind, when the IPC channel to the hub closes. Ctrl-C reaches the whole terminal's process
// group: the child leaves SIGINT to the hub, which drains first and then stops it.
import { pathToFileURL } from 'node:url';
import type { Simulator } from './serve.js';

const [file, exportName] = process.argv.slice(2);
if (!file || !exportName || !process.send) {
  console.error('simulator child: started without a module, an export name or an IPC channel to the hub');
  process.exit(2);
}
process.on('SIGINT', () => undefined);
const start = ((await import(pathToFileURL(file).href)) as Record<string, unknown>)[exportName];
if (typeof start !== 'function') {
  console.error(`simulator child: ${file} exports no function ${exportName}`);
  process.exit(2);
}
const simulator = (await start({ host: '127.0.0.1', port: 0 })) as Simulator;
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void simulator.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
// The hub may already be gone (killed while this child started): then there is no one to answer.
if (!process.connected) stop();
else process.send({ url: simulator.url });
