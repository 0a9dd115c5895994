// Two checkouts' sandbox hubs in one Node process (BENCH_A, BENCH_B: each hub loads its own
// tree's modules and node_modules), each as bench/servers/sandbox-hub.ts starts one (own data
// directory, the test clients, polling off, the embedded bus), at BENCH_LOG_LEVEL (silent unless
// set); SIAK_BASE_URL points both at one simulator. One process, so both run under the same heap, compiler and moment of the machine:
// its CPU over a window where only one of them is loaded is that hub's (bench/query-ab.ts).
import { resolve } from 'node:path';
import type { BenchDataDir } from '../lib/data-dir.js';
import { logLevelSetting } from '../lib/settings.js';
import { serve } from './ipc.js';
import { startSandboxHub } from './sandbox-hub.js';

const trees = { A: process.env.BENCH_A, B: process.env.BENCH_B };
const hubs: { key: string; url: string; close: () => Promise<void>; data: BenchDataDir }[] = [];
for (const [key, tree] of Object.entries(trees)) {
  if (!tree) throw new Error(`set BENCH_${key} to a checkout of the project`);
  const { hub, data } = await startSandboxHub(resolve(tree), 'src', `penghubung-bench-${key}-`, { log: { level: logLevelSetting() } });
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
