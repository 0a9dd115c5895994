// Query, differential: the hub against the bare express → axios hop, looked at AROUND the proxy
// process: what the SIAK simulator and autocannon spend per request on each, the bytes and
// system calls each process makes, and the connections the simulator accepts. The targets are
// loaded in turn (A B C, then C B A, ...) at one fixed rate, so none batches more for answering
// faster: the bare hop, the bare hop limited to the hub's SIAK concurrency (its upstream
// sockets), the production hub, and with BENCH_BEFORE_TREE an earlier checkout's hub.
//
//   NODE_ENV=production npx tsx bench/query-diff.ts
//   BENCH_DIFF_RATE=400 (requests/s) BENCH_DIFF_SECONDS=5 BENCH_DIFF_ROUNDS=4 BENCH_CONNECTIONS=50
//   BENCH_DIFF_STRACE=1: the simulator's system calls per window (strace -c -f), wake-ups included
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { testKeys } from '../test/support/auth.js';
import { cpuWindow } from './lib/cpu.js';
import { startProductionHub } from './lib/hub.js';
import { runLoad } from './lib/load.js';
import { pendudukRequest } from './lib/penduduk-requests.js';
import { startChild, type Child } from './lib/proc.js';
import { log, median, num, percent, publish, table, treeCommit } from './lib/report.js';
import { servedNiks } from './lib/residents.js';
import { Running } from './lib/running.js';
import { numberSetting } from './lib/settings.js';
import { siakConcurrency } from './lib/siak-limit.js';

const rate = numberSetting('BENCH_DIFF_RATE', 400);
const seconds = numberSetting('BENCH_DIFF_SECONDS', 5);
const rounds = numberSetting('BENCH_DIFF_ROUNDS', 4);
const connections = numberSetting('BENCH_CONNECTIONS', 50);
const traced = process.env.BENCH_DIFF_STRACE === '1';
const beforeTree = process.env.BENCH_BEFORE_TREE;

/** Bytes and read/write system calls so far (/proc/<pid>/io; `self`: this process, autocannon). */
function io(pid: number | 'self'): Record<'rchar' | 'wchar' | 'syscr' | 'syscw', number> {
  const fields = Object.fromEntries(readFileSync(`/proc/${pid}/io`, 'utf8').trim().split('\n').map((line) => line.split(': ')).map(([key, value]) => [key, Number(value)]));
  return { rchar: fields.rchar ?? NaN, wchar: fields.wchar ?? NaN, syscr: fields.syscr ?? NaN, syscw: fields.syscw ?? NaN };
}

/** The inodes of the sockets `pid` holds open. */
function sockets(pid: number): Set<string> {
  const found = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('socket:')) found.add(target);
    } catch {
      // closed meanwhile
    }
  }
  return found;
}

/** `strace -c` of `pid` until the function returned is called; resolves to calls by name. */
function traceCalls(pid: number): () => Promise<Record<string, number>> {
  const tracer: ChildProcess = spawn('strace', ['-c', '-f', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let report = '';
  tracer.stderr!.on('data', (chunk: Buffer) => (report += chunk.toString()));
  const exited = new Promise<void>((done) => tracer.once('exit', () => done()));
  return async () => {
    tracer.kill('SIGINT');
    await exited;
    const calls: Record<string, number> = {};
    for (const [, count, name] of report.matchAll(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$/gm)) calls[name!] = Number(count);
    return calls;
  };
}

interface Window {
  target: string;
  round: number;
  requests: number;
  rps: number;
  failed: number;
  /** ms of CPU per request. */
  proxy: number;
  simulator: number;
  autocannon: number;
  othersShare: number;
  /** Per request. */
  simulatorIo: Record<string, number>;
  proxyIo: Record<string, number>;
  autocannonIo: Record<string, number>;
  /** Sockets the simulator opened during the window, per 1,000 requests. */
  newConnections: number;
  /** The simulator's system calls per request (BENCH_DIFF_STRACE=1). */
  simulatorCalls?: Record<string, number>;
}

const perRequest = (before: Record<string, number>, after: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(Object.keys(after).map((key) => [key, (after[key]! - before[key]!) / n]));

const running = new Running();
const windows: Window[] = [];
try {
  const simulator = running.add(await startChild('siak-simulator.ts'));
  const simulatorUrl = String(simulator.ready.url);
  const targets: Record<string, { child: Child; key: boolean }> = {
    'bare hop': { child: running.add(await startChild('bare-proxy.ts', [simulatorUrl])), key: false },
    [`bare hop, ${siakConcurrency} sockets`]: { child: running.add(await startChild('bare-proxy.ts', [simulatorUrl], { env: { BENCH_HOP_MAX_SOCKETS: String(siakConcurrency) } })), key: false },
    hub: { child: running.add(await startProductionHub({}, { env: { SIAK_BASE_URL: simulatorUrl } })), key: true },
  };
  if (beforeTree) targets[`hub before (${treeCommit(beforeTree) ?? beforeTree})`] = { child: running.add(await startProductionHub({}, { tree: beforeTree, env: { SIAK_BASE_URL: simulatorUrl } })), key: true };
  const niks = await servedNiks(simulatorUrl, String(targets.hub!.child.ready.url));
  const requestFor = (key: boolean) => [pendudukRequest(niks, key ? { 'x-api-key': testKeys.operator } : {})];
  const names = Object.keys(targets);
  for (const name of [...names, ...names]) await runLoad({ url: String(targets[name]!.child.ready.url), connections: 20, requests: requestFor(targets[name]!.key), amount: 2000, label: `${name} warm-up` });
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const { child, key } = targets[name]!;
      const seen = new Set<string>();
      const open = sockets(simulator.pid);
      const sample = setInterval(() => sockets(simulator.pid).forEach((socket) => seen.add(socket)), 20);
      const stopTrace = traced ? traceCalls(simulator.pid) : undefined;
      const ios = { simulator: io(simulator.pid), proxy: io(child.pid), self: io('self') };
      const stop = cpuWindow({ simulator: simulator.pid, proxy: child.pid });
      // A count, not a duration: the window ends once every request is answered (as in query-ab.ts).
      const summary = await runLoad({ url: String(child.ready.url), connections, overallRate: rate, requests: requestFor(key), amount: rate * seconds, label: name });
      const cpu = stop();
      const after = { simulator: io(simulator.pid), proxy: io(child.pid), self: io('self') };
      clearInterval(sample);
      const calls = await stopTrace?.();
      const n = summary.raw.requests.total;
      const window: Window = {
        target: name,
        round: round + 1,
        requests: n,
        rps: summary.requestsPerSec,
        failed: summary.non2xx + summary.errors,
        proxy: cpu.processes.proxy! / n,
        simulator: cpu.processes.simulator! / n,
        // This process's CPU: autocannon and the 20 ms socket sampler above, alike for every target.
        autocannon: cpu.loadGenerator / n,
        othersShare: cpu.othersShare,
        simulatorIo: perRequest(ios.simulator, after.simulator, n),
        proxyIo: perRequest(ios.proxy, after.proxy, n),
        autocannonIo: perRequest(ios.self, after.self, n),
        newConnections: ([...seen].filter((socket) => !open.has(socket)).length * 1000) / n,
        ...(calls ? { simulatorCalls: Object.fromEntries(Object.entries(calls).map(([call, count]) => [call, count / n])) } : {}),
      };
      windows.push(window);
      log(`${name} round ${round + 1}: ${n} requests, ${window.failed} failed; CPU per request: proxy ${window.proxy.toFixed(3)} ms, simulator ${window.simulator.toFixed(3)}, autocannon ${window.autocannon.toFixed(3)}; others ${percent(cpu.othersShare)}`);
    }
  }
  const of = (name: string, pick: (window: Window) => number): string => {
    const values = windows.filter((window) => window.target === name).map(pick);
    return `${num(median(values), 3)} (${num(Math.min(...values), 3)}–${num(Math.max(...values), 3)})`;
  };
  const count = (name: string, pick: (window: Window) => number): string => num(median(windows.filter((window) => window.target === name).map(pick)), 1);
  const rows = names.map((name) => [
    name,
    of(name, (w) => w.proxy),
    of(name, (w) => w.simulator),
    of(name, (w) => w.autocannon),
    `${count(name, (w) => w.simulatorIo.rchar!)} / ${count(name, (w) => w.simulatorIo.wchar!)}`,
    `${count(name, (w) => w.simulatorIo.syscr!)} / ${count(name, (w) => w.simulatorIo.syscw!)}`,
    count(name, (w) => w.newConnections),
    count(name, (w) => w.proxyIo.wchar!),
    count(name, (w) => w.autocannonIo.rchar!),
    ...(traced ? [count(name, (w) => w.simulatorCalls?.epoll_pwait ?? w.simulatorCalls?.epoll_wait ?? NaN)] : []),
    percent(median(windows.filter((window) => window.target === name).map((w) => w.othersShare))),
  ]);
  const markdown = [
    '## Query, differential: around the hub and the bare hop',
    '',
    `Each target loaded in turn at ${rate} req/s, -c ${connections}, ${seconds} s windows, ${rounds} rounds; medians (range) per request. CPU from /proc/<pid>/stat; bytes and read/write system calls from /proc/<pid>/io; the simulator's sockets from /proc/<pid>/fd every 20 ms${traced ? '; its wake-ups from strace -c' : ''}.`,
    '',
    table(
      ['target', 'proxy CPU ms', 'simulator CPU ms', 'autocannon CPU ms', 'simulator bytes in / out', 'simulator reads / writes', 'simulator connections opened per 1,000', 'proxy bytes written (sockets and files)', 'autocannon bytes read', ...(traced ? ['simulator epoll waits'] : []), "others' share"],
      rows,
    ),
    '',
  ].join('\n');
  publish('query-diff', markdown, { rate, seconds, rounds, connections, windows });
} finally {
  await running.stopAll();
}
