// Query A/B: the CPU per request of two checkouts' hubs (BENCH_A, BENCH_B; each with its
// node_modules), both in one process (bench/servers/hub-pair.ts), loaded in turn (A B, then B A,
// ...) in short windows at the same fixed request rate after a warm-up: GET /v1/penduduk/{nik}
// against one SIAK simulator. One process and one rate, so neither hub gets another heap,
// compiler state or the cheaper batching of a faster loop, and the alternation spreads the
// machine's other load over both. For changes of a few percent on a shared machine, where
// bench/query.ts's side-by-side moves with whichever hub answers faster. Every load is a count of
// requests (autocannon's amount), not a duration: it ends once each is answered, so no request of
// one hub's window is still being served in the other's, nor when the hubs and their simulator
// stop (a duration's end drops the requests in flight, which then ran on into the shutdown: their
// upstream gone, retried, then refused by the closed circuit, and logged as unhandled errors).
//
//   BENCH_A=<dir> BENCH_B=<dir> NODE_ENV=production npx tsx bench/query-ab.ts
//   BENCH_AB_ROUNDS=12 BENCH_AB_SECONDS=3 BENCH_AB_RATE=150 (requests/s, -c 10: windows of rate × seconds requests)
//   BENCH_LOG_LEVEL=info: both hubs at production's default log level (else silent)
import { testKeys } from '../test/support/auth.js';
import { cpuWindow } from './lib/cpu.js';
import { runLoad } from './lib/load.js';
import { startChild } from './lib/proc.js';
import { log, median, percent, treeCommit } from './lib/report.js';
import { pendudukRequest } from './lib/penduduk-requests.js';
import { servedNiks } from './lib/residents.js';
import { Running } from './lib/running.js';
import { numberSetting } from './lib/settings.js';

const rounds = numberSetting('BENCH_AB_ROUNDS', 12);
const seconds = numberSetting('BENCH_AB_SECONDS', 3);
const rate = numberSetting('BENCH_AB_RATE', 150);
const connections = 10;
const perWindow = Math.max(connections, Math.round(rate * seconds));
// Unthrottled at -c 20, a few seconds of a hub's load on this machine.
const warmupRequests = 2000;
if (!process.env.BENCH_A || !process.env.BENCH_B) throw new Error('set BENCH_A and BENCH_B to the two checkouts');
const trees = { A: process.env.BENCH_A, B: process.env.BENCH_B };
const commits = { A: treeCommit(trees.A) ?? trees.A, B: treeCommit(trees.B) ?? trees.B };

const running = new Running();
try {
  const simulator = running.add(await startChild('siak-simulator.ts'));
  const simulatorUrl = String(simulator.ready.url);
  const pair = running.add(await startChild('hub-pair.ts', [], { env: { SIAK_BASE_URL: simulatorUrl }, readyTimeoutMs: 120_000 }));
  const urls = { A: String(pair.ready.A), B: String(pair.ready.B) };
  const niks = await servedNiks(simulatorUrl, urls.A);
  const requests = [pendudukRequest(niks, { 'x-api-key': testKeys.operator })];
  // Unthrottled first, so that both hubs' hot code is compiled before anything is counted.
  for (const key of ['A', 'B', 'A', 'B'] as const) await runLoad({ url: urls[key], connections: 20, requests, amount: warmupRequests, label: `${key} warm-up` });
  const perRequest: Record<'A' | 'B', number[]> = { A: [], B: [] };
  for (let round = 0; round < rounds; round++) {
    for (const key of round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const stop = cpuWindow({ hub: pair.pid });
      const summary = await runLoad({ url: urls[key], connections, overallRate: rate, requests, amount: perWindow, label: key });
      const cpu = stop();
      const ms = cpu.processes.hub! / summary.raw.requests.total;
      perRequest[key].push(ms);
      log(`${key} (${commits[key]}) round ${round + 1}: ${ms.toFixed(3)} ms of CPU a request at ${summary.requestsPerSec} req/s, ${summary.non2xx + summary.errors} failed, others used ${percent(cpu.othersShare)} of the machine`);
    }
  }
  const ratios = perRequest.A.map((a, i) => a / perRequest.B[i]!);
  log(`A: median ${median(perRequest.A).toFixed(3)} ms a request; B: median ${median(perRequest.B).toFixed(3)} ms`);
  log(`A ÷ B per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}, ${ratios.filter((r) => r < 1).length} of ${ratios.length} rounds below 1`);
  // The hubs before the simulator they call.
  await running.stop(pair);
} finally {
  await running.stopAll();
}

