// 5. Cold start: from `node tools/start.mjs` (what `npm start` runs, dist/ already built) with a
// fresh data directory until GET /health/ready answers 200, on the embedded defaults in sandbox
// mode, so every simulator is up too. Runs alternate between the simulators in child processes
// (the default) and inside the hub (`connectors.simulators: in-process`, how the hub started
// them before), so both see the same machine. CPU time is the hub's and its children's, from /proc.
//
//   NODE_ENV=production npx tsx bench/start.ts     BENCH_START_RUNS=5 (per variant)
//   BENCH_BEFORE_TREE=<checkout>: a third variant, that checkout's hub (its dist/ built) with its
//   simulators in child processes, alternating with the others
import { spawn } from 'node:child_process';
import { machineWindow, othersShareOf, processCpuMs } from './lib/cpu.js';
import { benchDataDir } from './lib/data-dir.js';
import { buildIfStale } from './lib/hub.js';
import { startNodeFlags } from '../tools/start-flags.js';
import { childrenOf } from '../test/support/processes.js';
import { freePort } from '../tools/kafka/local-kafka.js';
import { log, machine, machineLine, median, num, percent, projectRoot, publish, sleep, table, targetsTable, type Target } from './lib/report.js';
import { numberSetting } from './lib/settings.js';

const runs = numberSetting('BENCH_START_RUNS', 5);
const goalS = 1;
const beforeTree = process.env.BENCH_BEFORE_TREE;
interface Variant {
  id: string;
  label: string;
  simulators: 'process' | 'in-process';
  /** The checkout whose `tools/start.mjs` runs. */
  tree: string;
}
const variants: Variant[] = [
  { id: 'process', label: 'simulators in child processes (default)', simulators: 'process', tree: projectRoot },
  { id: 'in-process', label: 'simulators inside the hub', simulators: 'in-process', tree: projectRoot },
  ...(beforeTree ? [{ id: 'before', label: `the hub of ${beforeTree} (BENCH_BEFORE_TREE), simulators in child processes`, simulators: 'process' as const, tree: beforeTree }] : []),
];

interface StartRun {
  variant: string;
  seconds: number;
  hubCpuMs: number;
  childrenCpuMs: number;
  children: number;
  othersShare: number;
}

async function coldStart(variant: Variant): Promise<StartRun> {
  const data = benchDataDir('penghubung-bench-start-');
  const dataDir = data.dir;
  const port = await freePort();
  const machineDuring = machineWindow();
  const started = performance.now();
  const hub = spawn(process.execPath, [...startNodeFlags(variant.tree), 'tools/start.mjs'], {
    cwd: variant.tree,
    env: { ...process.env, NODE_ENV: 'production', PENGHUBUNG_DATA_DIR: dataDir, PENGHUBUNG_HTTP__PORT: String(port), PENGHUBUNG_LOG__LEVEL: 'silent', PENGHUBUNG_BUS__KIND: 'embedded', PENGHUBUNG_CONNECTORS__SIMULATORS: variant.simulators },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((done) => hub.once('exit', () => done()));
  try {
    for (;;) {
      if (hub.exitCode !== null) throw new Error(`the hub exited (${hub.exitCode}) before it was ready`);
      const status = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (performance.now() - started > 60_000) throw new Error('the hub was not ready within 60 s');
      await sleep(10);
    }
    const seconds = (performance.now() - started) / 1000;
    const children = childrenOf(hub.pid!).map((child) => child.pid);
    const childrenCpuMs = children.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
    const hubCpuMs = processCpuMs(hub.pid!) ?? NaN;
    return { variant: variant.id, seconds, hubCpuMs, childrenCpuMs, children: children.length, othersShare: othersShareOf(machineDuring(), hubCpuMs + childrenCpuMs) };
  } finally {
    hub.kill('SIGTERM');
    await exited;
    data.remove();
  }
}

const m = machine();
log('building dist/ if a source changed (npm start does the same)');
for (const tree of new Set(variants.map((variant) => variant.tree))) buildIfStale(tree);
const results: StartRun[] = [];
// One throwaway start: the first reads every file from disk, the rest find them in the page cache.
await coldStart(variants[0]!);
for (let round = 0; round < runs; round++) {
  for (const variant of round % 2 ? [...variants].reverse() : variants) {
    const run = await coldStart(variant);
    results.push(run);
    log(`${variant.id}: ${num(run.seconds, 2)} s to ready; CPU hub ${num(run.hubCpuMs, 0)} ms, ${run.children} children ${num(run.childrenCpuMs, 0)} ms; others ${percent(run.othersShare)}`);
  }
}
const of = (id: string): StartRun[] => results.filter((r) => r.variant === id);
const summary = variants.map((variant) => {
  const rs = of(variant.id);
  return { variant, seconds: median(rs.map((r) => r.seconds)), best: Math.min(...rs.map((r) => r.seconds)), hubCpuMs: median(rs.map((r) => r.hubCpuMs)), childrenCpuMs: median(rs.map((r) => r.childrenCpuMs)), children: median(rs.map((r) => r.children)), others: median(rs.map((r) => r.othersShare)) };
});
const after = summary[0]!;
const targets: Target[] = [
  {
    what: 'cold start to /health/ready (embedded, sandbox simulators ready)',
    goal: `≤ ${goalS} s`,
    measured: `${num(after.seconds, 2)} s median of ${runs} (best ${num(after.best, 2)} s)`,
    met: after.seconds <= goalS,
    note: `${num(after.seconds - goalS, 2)} s over; the hub alone spent ${num(after.hubCpuMs, 0)} ms of CPU to ready and its ${after.children} simulator processes ${num(after.childrenCpuMs, 0)} ms, on 2 cores that others used ${percent(after.others)} of`,
  },
];
const lines = [
  '## 5. Cold start to ready',
  '',
  `Run: ${machineLine(m)}`,
  '',
  `Command: \`NODE_ENV=production npx tsx bench/start.ts\` (part of \`npm run bench\`; \`BENCH_START_RUNS\`, default 5). Each run: \`node <flags> tools/start.mjs\` (what \`npm start\` runs after npm itself, its flags read from package.json; dist/ built beforehand) with a fresh data directory, \`PENGHUBUNG_BUS__KIND=embedded\`, sandbox mode, log level silent; the time is until \`GET /health/ready\` first answers 200 (polled every 10 ms), which the hub answers once its simulators are up. The variants alternate (a b c, c b a, …) after one throwaway start of the first; with \`BENCH_BEFORE_TREE\` the third is that checkout's hub. CPU: user + system of the hub process and of its child processes at that moment (/proc).`,
  '',
  table(['variant', 'to ready (median)', 'best', 'hub CPU', 'simulator processes', 'their CPU', "others' share of the machine"], summary.map((s) => [s.variant.label, `${num(s.seconds, 2)} s`, `${num(s.best, 2)} s`, `${num(s.hubCpuMs, 0)} ms`, String(s.children), `${num(s.childrenCpuMs, 0)} ms`, percent(s.others)])),
  '',
  targetsTable(targets),
  '',
  'Each run (s to ready, hub CPU ms, children CPU ms):',
  '',
  ['```text', ...results.map((r) => `${r.variant.padEnd(11)} ${num(r.seconds, 2).padStart(5)} s  hub ${num(r.hubCpuMs, 0).padStart(5)}  children ${num(r.childrenCpuMs, 0).padStart(5)}  others ${percent(r.othersShare)}`), '```'].join('\n'),
];
publish('start', lines.join('\n'), { machine: m, runs, results, summary: summary.map((s) => ({ ...s, variant: s.variant.id })), targets });
