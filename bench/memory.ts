// 4. Memory: the hub's RSS and heap, sampled every 5 s under a steady mixed load (queries
// through SIAK, single and batched events, pulls, the catalogue, health). 2 minutes by default;
// BENCH_MEMORY_SECONDS=600 for the full 10 minutes.
//
//   NODE_ENV=production npx tsx bench/memory.ts
//   BENCH_MEMORY_SECONDS=120 BENCH_MEMORY_RATE=600 (requests per second, all kinds together)
//   BENCH_MEMORY_COMPILED=0: the hub from its sources under tsx instead of dist/
//   BENCH_MEMORY_NODE_ARGS='--max-semi-space-size=8': node flags for the hub instead of npm start's
import type { Request as CannonRequest } from 'autocannon';
import { testKeys } from '../test/support/auth.js';
import { readFileSync } from 'node:fs';
import { cpuWindow } from './lib/cpu.js';
import { buildIfStale } from './lib/hub.js';
import { failures, runLoad } from './lib/load.js';
import { startChild } from './lib/proc.js';
import { pendudukRequest } from './lib/penduduk-requests.js';
import { Running } from './lib/running.js';
import { startNodeFlags } from '../tools/start-flags.js';
import { codeBlock, log, machine, machineLine, median, num, percent, publish, sleep, table, targetsTable, type Target } from './lib/report.js';
import { numberSetting } from './lib/settings.js';

const seconds = numberSetting('BENCH_MEMORY_SECONDS', 120);
const rate = numberSetting('BENCH_MEMORY_RATE', 600);
const connections = numberSetting('BENCH_MEMORY_CONNECTIONS', 20);
const sampleEveryS = 5;
const compiled = process.env.BENCH_MEMORY_COMPILED !== '0';
// The compiled hub gets the node flags `npm start` gives it (its heap settings); BENCH_MEMORY_NODE_ARGS others.
const hubNodeArgs = process.env.BENCH_MEMORY_NODE_ARGS !== undefined ? process.env.BENCH_MEMORY_NODE_ARGS.split(' ').filter(Boolean) : compiled ? startNodeFlags() : [];
const goals = { rssMb: 200, slopeMbPerMin: 1 };
const mb = (bytes: number): number => bytes / 2 ** 20;

/** RssAnon, RssFile and RssShmem of a process, in bytes, from /proc/<pid>/status (Linux). */
function rssParts(pid: number): { anon: number; file: number; shmem: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
  } catch {
    return { anon: NaN, file: NaN, shmem: NaN };
  }
}

interface Sample {
  t: number;
  /** Anonymous (heap, malloc), file-backed (code, mapped files) and shared memory parts of the RSS. */
  parts: { anon: number; file: number; shmem: number };
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Theil–Sen slope of y over x: the median of every pair's slope, so GC's swings do not tilt it. */
function robustSlope(points: { x: number; y: number }[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) if (points[j]!.x !== points[i]!.x) slopes.push((points[j]!.y - points[i]!.y) / (points[j]!.x - points[i]!.x));
  }
  return slopes.length === 0 ? NaN : median(slopes);
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num_ = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? NaN : num_ / den;
}

const started = machine();
const running = new Running();
try {
  log('starting the SIAK simulator and a hub (embedded bus, polling on, --expose-gc)');
  const simulator = running.add(await startChild('siak-simulator.ts'));
  // The hub as `npm start` runs it: compiled (under tsx it carries ≈ 40 MB more of transpiled sources and source maps).
  if (compiled) buildIfStale();
  const hub = running.add(await startChild('hub.ts', [], { env: { SIAK_BASE_URL: String(simulator.ready.url), BENCH_HUB: JSON.stringify({ bus: 'embedded', polling: true, compiled }) }, nodeArgs: ['--expose-gc', ...hubNodeArgs], plain: compiled }));
  const url = String(hub.ready.url);
  const residents = (await (await fetch(`${String(simulator.ready.url)}/_simulator/residents`)).json()) as { nik: string; status: string }[];
  const niks = residents.filter((r) => r.status === 'aktif').map((r) => r.nik);

  const run = Date.now().toString(36);
  let n = 0;
  const event = (): Record<string, unknown> => {
    const i = n++;
    return { specversion: '1.0', id: `${run}-${i}`, source: '/opd/diskominfo/bench', type: 'bench.dibuat', subject: `bench-${i % 1000}`, datacontenttype: 'application/json', data: { nomor: `${run}-${i}`, keterangan: 'data uji beban', jumlah: i } };
  };
  const key = { 'x-api-key': testKeys.operator };
  const penduduk = pendudukRequest(niks, key);
  // One cycle of the mix, repeated by every connection.
  const mix = [
    { label: 'GET /v1/penduduk/{nik}', ...penduduk },
    { label: 'POST /v1/events (1)', method: 'POST', path: '/v1/events', headers: { ...key, 'content-type': 'application/cloudevents+json' }, setupRequest: (r: CannonRequest) => ({ ...r, body: JSON.stringify(event()) }) },
    { label: 'GET /v1/penduduk/{nik}', ...penduduk },
    { label: 'POST /v1/events (batch of 20)', method: 'POST', path: '/v1/events', headers: { ...key, 'content-type': 'application/cloudevents-batch+json' }, setupRequest: (r: CannonRequest) => ({ ...r, body: JSON.stringify(Array.from({ length: 20 }, event)) }) },
    { label: 'GET /v1/events?type=bench.dibuat&limit=100', method: 'GET', path: '/v1/events?type=bench.dibuat&limit=100', headers: key },
    { label: 'GET /v1/catalog', method: 'GET', path: '/v1/catalog', headers: key },
    { label: 'POST /v1/events (1)', method: 'POST', path: '/v1/events', headers: { ...key, 'content-type': 'application/cloudevents+json' }, setupRequest: (r: CannonRequest) => ({ ...r, body: JSON.stringify(event()) }) },
    { label: 'GET /health/ready', method: 'GET', path: '/health/ready' },
  ];
  const requests = mix.map(({ label: _label, ...request }) => request) as unknown as CannonRequest[];

  await sleep(2000);
  const idle = await hub.ask<Sample>('memory');
  const idleParts = rssParts(hub.pid);
  log(`the mix at ${rate} req/s for ${seconds} s (-c ${connections}); sampling every ${sampleEveryS} s`);
  const samples: Sample[] = [];
  const t0 = performance.now();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const wake = t0 + (samples.length + 1) * sampleEveryS * 1000;
      while (sampling && performance.now() < wake) await sleep(Math.min(250, Math.max(0, wake - performance.now())));
      if (!sampling && samples.length > 0) break;
      const m = await hub.ask<Sample>('memory');
      samples.push({ t: (performance.now() - t0) / 1000, parts: rssParts(hub.pid), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers });
      const last = samples.at(-1)!;
      log(`  t=${num(last.t, 0)} s rss ${num(mb(last.rss))} MB heap ${num(mb(last.heapUsed))} / ${num(mb(last.heapTotal))} MB`);
    }
  })();
  // A first post-GC heap after 20 s of load; a last one at the end.
  const stop = cpuWindow({ hub: hub.pid, simulator: simulator.pid });
  const loadDone = runLoad({ url, connections, overallRate: rate, duration: seconds, requests, label: 'mixed load' });
  await sleep(Math.min(20, seconds / 4) * 1000);
  const earlyGc = await hub.ask<Sample>('gc');
  const load = await loadDone;
  const cpu = stop();
  sampling = false;
  await sampler;
  const finalGc = await hub.ask<Sample>('gc');
  log(`  ${num(load.requestsPerSec)} req/s; ${failures(load) ?? 'no failures'}`);
  await running.stopAll();

  const rss = samples.map((s) => mb(s.rss));
  const heap = samples.map((s) => mb(s.heapUsed));
  // The first minutes are the heap and SQLite's caches growing to their working set; the trend is
  // judged after them (after 2 minutes, as the target says; after the first fifth of a shorter run).
  const settleS = Math.min(120, seconds / 5);
  const steady = samples.filter((s) => s.t >= settleS);
  const points = (pick: (s: Sample) => number, from: Sample[]): { x: number; y: number }[] => from.map((s) => ({ x: s.t / 60, y: mb(pick(s)) }));
  const rssTrend = robustSlope(points((s) => s.rss, steady));
  const rssLeastSquares = slope(points((s) => s.rss, steady));
  const heapTrend = robustSlope(points((s) => s.heapUsed, steady));
  const maxRss = Math.max(...rss);
  const last = samples.at(-1)!;
  const flat = rssTrend <= goals.slopeMbPerMin;
  const trendWord = (s: number): string => (Math.abs(s) <= goals.slopeMbPerMin ? 'flat' : s > 0 ? 'rising' : 'falling');
  const targetRows: Target[] = [
    { what: 'hub RSS, maximum', goal: `≤ ${goals.rssMb} MB`, measured: `${num(maxRss)} MB`, met: maxRss <= goals.rssMb, note: `${num(maxRss - goals.rssMb)} MB over` },
    {
      what: `hub RSS trend after the first ${Math.round(settleS)} s`,
      goal: `flat: slope ≤ ${goals.slopeMbPerMin} MB/min`,
      measured: `${num(rssTrend, 2)} MB/min (Theil–Sen; least squares ${num(rssLeastSquares, 2)}); heap after a full GC ${num(mb(earlyGc.heapUsed))} → ${num(mb(finalGc.heapUsed))} MB`,
      met: flat,
      note: `RSS ${trendWord(rssTrend)} by ${num(rssTrend, 2)} MB/min; post-GC heap went from ${num(mb(earlyGc.heapUsed))} MB to ${num(mb(finalGc.heapUsed))} MB`,
    },
  ];
  const lines = [
    '## 4. Memory under a mixed load',
    '',
    `Run: ${machineLine(started)}`,
    '',
    `Command: \`NODE_ENV=production npx tsx bench/memory.ts\` (part of \`npm run bench\`; \`BENCH_MEMORY_SECONDS=600\` for 10 minutes). ` +
      `${seconds} s of autocannon at a steady ${rate} req/s over ${connections} connections against a sandbox hub in its own process (${compiled ? 'compiled, from dist/, as `npm start` runs it' : 'the sources under tsx (`BENCH_MEMORY_COMPILED=0`)'}, node flags ${hubNodeArgs.length ? hubNodeArgs.map((flag) => `\`${flag}\``).join(' ') : 'none'}; embedded bus, pollers on, log level silent, \`--expose-gc\` only to read a post-GC heap at two points), ` +
      `SIAK on its own simulator process; the hub's other simulators run in child processes of their own (\`connectors.simulators: process\`), so the figures are the hub process alone. Each connection cycles through: ${mix.map((m) => `\`${m.label}\``).join(', ')}. RSS and heap sampled every ${sampleEveryS} s over IPC (\`process.memoryUsage()\` in the hub).`,
    '',
    table(['', 'RSS', 'heap used', 'heap total', 'external'], [
      ['idle, before the load', `${num(mb(idle.rss))} MB`, `${num(mb(idle.heapUsed))} MB`, `${num(mb(idle.heapTotal))} MB`, `${num(mb(idle.external))} MB`],
      ['first sample under load', `${num(rss[0]!)} MB`, `${num(heap[0]!)} MB`, `${num(mb(samples[0]!.heapTotal))} MB`, `${num(mb(samples[0]!.external))} MB`],
      ['last sample', `${num(rss.at(-1)!)} MB`, `${num(heap.at(-1)!)} MB`, `${num(mb(samples.at(-1)!.heapTotal))} MB`, `${num(mb(samples.at(-1)!.external))} MB`],
      ['maximum', `${num(maxRss)} MB`, `${num(Math.max(...heap))} MB`, `${num(Math.max(...samples.map((s) => mb(s.heapTotal))))} MB`, `${num(Math.max(...samples.map((s) => mb(s.external))))} MB`],
      [`after a full GC at ${Math.round(Math.min(20, seconds / 4))} s / at the end`, `${num(mb(earlyGc.rss))} / ${num(mb(finalGc.rss))} MB`, `${num(mb(earlyGc.heapUsed))} / ${num(mb(finalGc.heapUsed))} MB`, '', ''],
    ]),
    '',
    `Trend after the first ${Math.round(settleS)} s (Theil–Sen, the median of all pairwise slopes, which GC's swings do not tilt): RSS ${num(rssTrend, 2)} MB/min (least squares: ${num(rssLeastSquares, 2)}), heap used ${num(heapTrend, 2)} MB/min. ` +
      (seconds < 600 ? `A ${seconds} s run can only tell a trend of a few MB/min from the GC's swings of tens of MB; \`BENCH_MEMORY_SECONDS=600\` resolves finer. ` : '') +
      `Load served: ${num(load.requestsPerSec)} req/s, ${num(load.raw.requests.total)} requests, ${num(n)} events, ${failures(load) ?? 'no failures'}. ` +
      `Hub CPU ${percent(cpu.processes.hub! / (seconds * 1000))} of one core; others used ${percent(cpu.othersShare)} of the machine.`,
    '',
    targetsTable(targetRows),
    '',
    `RSS by kind (/proc/<pid>/status), idle → last sample: anonymous ${num(mb(idleParts.anon))} → ${num(mb(last.parts.anon))} MB, file-backed ${num(mb(idleParts.file))} → ${num(mb(last.parts.file))} MB, shared ${num(mb(idleParts.shmem))} → ${num(mb(last.parts.shmem))} MB; ` +
      `the part of the RSS outside V8's heap (RSS − heap total) went from ${num(mb(idle.rss - idle.heapTotal))} MB to ${num(mb(last.rss - last.heapTotal))} MB.`,
    '',
    'Samples (s: RSS, heap used, heap total, RSS anonymous / file-backed, MB):',
    '',
    codeBlock(samples.map((s) => `${num(s.t, 0).padStart(4)} s  ${num(mb(s.rss)).padStart(6)}  ${num(mb(s.heapUsed)).padStart(6)}  ${num(mb(s.heapTotal)).padStart(6)}  ${num(mb(s.parts.anon)).padStart(6)} / ${num(mb(s.parts.file))}`).join('\n')),
    '',
    'autocannon summary:',
    '',
    codeBlock(load.printout),
  ];
  publish('memory', lines.join('\n'), { machine: started, settings: { seconds, rate, connections, sampleEveryS, mix: mix.map((m) => m.label) }, idle, idleParts, samples, earlyGc, finalGc, slopes: { rssTrend, rssLeastSquares, heapTrend, from: settleS }, cpu, load: { ...load, raw: undefined }, targets: targetRows });
} finally {
  await running.stopAll();
}
