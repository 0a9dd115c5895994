// The SIAK simulator alone in its own process, with a quota no benchmark reaches (the sandbox
// default is 1,000 calls a day, as Dukcapil's).
import { startSiakSimulator } from '../../connectors/siak/simulator.js';
import { serve } from './ipc.js';

const simulator = await startSiakSimulator({ host: '127.0.0.1', port: 0, quota: 1_000_000_000 });
serve({ ready: { url: simulator.url }, handlers: {}, stop: () => simulator.close() });
