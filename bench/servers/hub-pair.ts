// Two checkouts' sandbox hubs in one Node process (BENCH_A, BENCH_B: each hub loads its own
// tree's modules and node_modules), as bench/servers/hub.ts starts one: own data directory, log
// level silent (BENCH_LOG_LEVEL), the test clients, polling off, the embedded bus; SIAK_BASE_URL points both at one
// simulator. One process, so both run under the same heap, compiler and moment of the machine:
// its CPU over a window where only one of them is loaded is that hub's (bench/query-ab.ts).
import { resolve } from 'node:path';
import { benchDataDir, type BenchDataDir } from '../lib/data-dir.js';
import { logLevelSetting } from '../lib/settings.js';
import { serve } from './ipc.js';

const trees = { A: process.env.BENCH_A, B: process.env.BENCH_B };
const hubs: { key: string; url: string; close: () => Promise<void>; data: BenchDataDir }[] = [];
for (const [key, tree] of Object.entries(trees)) {
  if (!tree) throw new Error(`set BENCH_${key} to a checkout of the project`);
  const { loadConfig } = (await import(resolve(tree, 'src/config/config.ts'))) as typeof import('../../src/config/config.js');
  const { startHub } = (await import(resolve(tree, 'src/hub.ts'))) as typeof import('../../src/hub.js');
  const data = benchDataDir(`penghubung-bench-${key}-`);
  const config = loadConfig(process.env, {
    mode: 'sandbox',
    dataDir: data.dir,
    log: { level: logLevelSetting() },
    http: { port: 0 },
    security: { clientsFile: resolve(tree, 'test/fixtures/clients.yaml') },
    connectors: { polling: false },
    bus: { kind: 'embedded' },
  });
  const hub = await startHub(config, { env: process.env }).catch((error: unknown) => {
    data.remove();
    throw error;
  });
  hubs.push({ key, url: hub.url, close: () => hub.close(), data });
}

serve({
  ready: Object.fromEntries(hubs.map((hub) => [hub.key, hub.url])),
  handlers: {},
  stop: async () => {
    for (const hub of hubs) {
      await hub.close();
      hub.data.remove();
    }
  },
});
