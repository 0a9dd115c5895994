// 1. Query pass-through: GET /v1/penduduk/{nik} through the hub, against the SIAK simulator
// called directly and a bare express → axios hop to it, all measured in this run with
// autocannon (-c 50 -d 10 each after a short warm-up, in rounds of alternating order), with
// the CPU each process spent per request. The simulator, the bare hop and the hub each run in
// their own process; autocannon runs here, on the same two cores. When the hub is far off a
// target, a second hub is profiled under the same load (node --cpu-prof).
//
//   NODE_ENV=production npx tsx bench/query.ts
//   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_ROUNDS=2 BENCH_WARMUP=2 BENCH_PROFILE=auto|1|0
import { join } from 'node:path';
import { readdirSync, rmSync } from 'node:fs';
import type { Request as CannonRequest } from 'autocannon';
import { testKeys } from '../test/support/auth.js';
import { SANDBOX_ACCOUNT } from '../connectors/siak/simulator.js';
import { cpuWindow, type CpuUse } from './lib/cpu.js';
import { topSelfTime, type ProfileSummary } from './lib/cpuprofile.js';
import { failures, runLoad, type LoadSummary } from './lib/load.js';
import { startChild, type Child } from './lib/proc.js';
import { codeBlock, log, machine, machineLine, ms, num, publish, ratio, resultsDir, table, targetsTable, type Target } from './lib/report.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const warmupS = Number(process.env.BENCH_WARMUP ?? 2);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const profileMode = process.env.BENCH_PROFILE ?? 'auto';
const goals = { rps: 3000, p99Ms: 25, ofDirect: 0.5 };

type Key = 'direct' | 'bare' | 'hub';
/** One measured run: autocannon's summary and the CPU each of our processes spent on it. */
type Run = LoadSummary & { cpu: CpuUse; cpuMsPerRequest: { server: number; simulator: number; loadGenerator: number } };

const started = machine();
const children: Child[] = [];
const stopAll = async (): Promise<void> => void (await Promise.allSettled(children.splice(0).map((c) => c.stop())));

try {
  log('starting the SIAK simulator, the bare hop and the hub (separate processes)');
  const simulator = await startChild('siak-simulator.ts');
  children.push(simulator);
  const simulatorUrl = String(simulator.ready.url);
  const bare = await startChild('bare-proxy.ts', [simulatorUrl]);
  children.push(bare);
  const hubEnv = { SIAK_BASE_URL: simulatorUrl, BENCH_HUB: JSON.stringify({ bus: 'embedded', polling: false }) };
  const hub = await startChild('hub.ts', [], { env: hubEnv });
  children.push(hub);
  const hubUrl = String(hub.ready.url);

  // Residents the hub answers 200 for (active ones; the rest are refusals by design).
  const residents = (await (await fetch(`${simulatorUrl}/_simulator/residents`)).json()) as { nik: string; status: string }[];
  const niks: string[] = [];
  for (const { nik, status } of residents) {
    if (status !== 'aktif') continue;
    const answer = await fetch(`${hubUrl}/v1/penduduk/${nik}`, { headers: { 'x-api-key': testKeys.operator } });
    if (answer.status === 200) niks.push(nik);
    else log(`skipping ${nik}: the hub answers ${answer.status}`);
  }
  if (niks.length === 0) throw new Error('the hub answered no resident with 200');
  log(`${niks.length} residents rotate through the requests`);

  let turn = 0;
  const nextNik = (): string => niks[turn++ % niks.length]!;
  const targets = {
    direct: {
      label: '(a) SIAK simulator directly',
      url: simulatorUrl,
      requests: [{
        method: 'POST',
        path: `/dukcapil/get_json/${SANDBOX_ACCOUNT.consumer}/CALL_NIK`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request: CannonRequest) => ({ ...request, body: JSON.stringify({ nik: nextNik(), user_id: SANDBOX_ACCOUNT.userId, password: SANDBOX_ACCOUNT.password, ip_user: SANDBOX_ACCOUNT.ipUser }) }),
      }],
    },
    bare: {
      label: '(b) bare hop: express → axios → simulator',
      url: String(bare.ready.url),
      requests: [{ method: 'GET', setupRequest: (request: CannonRequest) => ({ ...request, path: `/v1/penduduk/${nextNik()}` }) }],
    },
    hub: {
      label: '(c) hub GET /v1/penduduk/{nik}',
      url: hubUrl as string,
      requests: [{ method: 'GET', headers: { 'x-api-key': testKeys.operator }, setupRequest: (request: CannonRequest) => ({ ...request, path: `/v1/penduduk/${nextNik()}` }) }],
    },
  };

  const servers: Record<Key, Record<string, number>> = {
    direct: { simulator: simulator.pid },
    bare: { server: bare.pid, simulator: simulator.pid },
    hub: { server: hub.pid, simulator: simulator.pid },
  };
  const measure = async (key: Key, seconds = duration): Promise<Run> => {
    const target = targets[key];
    const options = { url: target.url, connections, requests: target.requests as unknown as CannonRequest[] };
    if (warmupS > 0) await runLoad({ ...options, label: `${target.label} (warm-up)`, duration: warmupS });
    log(`${target.label}: -c ${connections} -d ${seconds}`);
    const stop = cpuWindow(servers[key]);
    const summary = await runLoad({ ...options, label: target.label, duration: seconds });
    const cpu = stop();
    const count = summary.raw.requests.total;
    const perRequest = {
      server: key === 'direct' ? 0 : cpu.processes.server! / count,
      simulator: cpu.processes.simulator! / count,
      loadGenerator: cpu.loadGenerator / count,
    };
    const run: Run = { ...summary, cpu, cpuMsPerRequest: perRequest };
    log(`  ${num(summary.requestsPerSec)} req/s, p50 ${ms(summary.latencyMs.p50)}, p99 ${ms(summary.latencyMs.p99)}; CPU per request: server ${perRequest.server.toFixed(3)} ms, simulator ${perRequest.simulator.toFixed(3)} ms, autocannon ${perRequest.loadGenerator.toFixed(3)} ms; others used ${Math.round((100 * cpu.others) / cpu.machineTotal)}% of the machine${failures(summary) ? `; ${failures(summary)}` : ''}`);
    return run;
  };

  // Rounds in alternating order (a b c, then c b a, ...), so drift in the machine's other load
  // falls on every target alike; ratios are taken within a round.
  const runs: Record<Key, Run[]> = { direct: [], bare: [], hub: [] };
  const order: Key[] = ['direct', 'bare', 'hub'];
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    for (const key of round % 2 === 0 ? order : [...order].reverse()) runs[key].push(await measure(key));
  }
  const hubAudit = await hub.ask<{ recorded: number; written: number; queued: number }>('audit');
  const hubMemory = await hub.ask<{ rss: number }>('memory');
  await hub.stop();
  children.splice(children.indexOf(hub), 1);

  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const aggregate = (key: Key) => ({
    rps: mean(runs[key].map((r) => r.requestsPerSec)),
    p50: mean(runs[key].map((r) => r.latencyMs.p50)),
    p99: Math.max(...runs[key].map((r) => r.latencyMs.p99)),
    failed: runs[key].reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    cpuServer: mean(runs[key].map((r) => r.cpuMsPerRequest.server)),
    cpuSimulator: mean(runs[key].map((r) => r.cpuMsPerRequest.simulator)),
    cpuLoadGenerator: mean(runs[key].map((r) => r.cpuMsPerRequest.loadGenerator)),
    othersShare: mean(runs[key].map((r) => r.cpu.others / r.cpu.machineTotal)),
  });
  const agg = { direct: aggregate('direct'), bare: aggregate('bare'), hub: aggregate('hub') };
  const perRound = (a: Key, b: Key): number[] => runs[a].map((r, i) => r.requestsPerSec / runs[b][i]!.requestsPerSec);
  const ofBare = mean(perRound('hub', 'bare'));
  const ofDirect = mean(perRound('hub', 'direct'));
  const bareOfDirect = mean(perRound('bare', 'direct'));

  // Profile a second hub under the same load when it is far off a target (or when asked).
  const farOff = agg.hub.rps < goals.rps * 0.8 || agg.hub.p99 > goals.p99Ms * 1.2 || ofDirect < goals.ofDirect;
  let profile: (ProfileSummary & { file: string; summary: LoadSummary }) | undefined;
  if (profileMode === '1' || (profileMode === 'auto' && farOff)) {
    const dir = join(resultsDir, 'profiles');
    rmSync(dir, { recursive: true, force: true });
    log('profiling a hub under the same load (node --cpu-prof)');
    const profiled = await startChild('hub.ts', [], { env: hubEnv, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    children.push(profiled);
    const load = { url: String(profiled.ready.url), connections, requests: targets.hub.requests as unknown as CannonRequest[] };
    if (warmupS > 0) await runLoad({ ...load, label: 'profile warm-up', duration: warmupS });
    const fromUs = await profiled.ask<number>('clock');
    const summary = await runLoad({ ...load, label: 'hub, profiled', duration: Math.min(duration, 8) });
    const toUs = await profiled.ask<number>('clock');
    log(`  profiled: ${num(summary.requestsPerSec)} req/s`);
    await profiled.stop();
    children.splice(children.indexOf(profiled), 1);
    const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f))[0];
    if (file) profile = { file, ...topSelfTime(file, 15, { fromUs, toUs }), summary };
  }
  await stopAll();

  const failedCell = (count: number): string => (count === 0 ? '0' : `**${count}**`);
  const rows: string[][] = [];
  for (const key of order) {
    runs[key].forEach((s, i) => rows.push([
      `${s.label}, round ${i + 1}`,
      num(s.requestsPerSec),
      ms(s.latencyMs.p50),
      ms(s.latencyMs.p99),
      failedCell(s.non2xx + s.errors),
      key === 'direct' ? '–' : ratio(s.requestsPerSec, runs.bare[i]!.requestsPerSec),
      ratio(s.requestsPerSec, runs.direct[i]!.requestsPerSec),
    ]));
  }
  const summaryRows: string[][] = [
    [targets.direct.label, num(agg.direct.rps), ms(agg.direct.p50), ms(agg.direct.p99), failedCell(agg.direct.failed), '–', '1.00×'],
    [targets.bare.label, num(agg.bare.rps), ms(agg.bare.p50), ms(agg.bare.p99), failedCell(agg.bare.failed), '1.00×', `${bareOfDirect.toFixed(2)}×`],
    [`**${targets.hub.label}**`, `**${num(agg.hub.rps)}**`, ms(agg.hub.p50), ms(agg.hub.p99), failedCell(agg.hub.failed), `**${ofBare.toFixed(2)}×**`, `**${ofDirect.toFixed(2)}×**`],
  ];
  const wholeHub = agg.hub.cpuServer + agg.hub.cpuSimulator + agg.hub.cpuLoadGenerator;
  const limits = `a hub request costs ${wholeHub.toFixed(2)} ms of CPU end to end (hub ${agg.hub.cpuServer.toFixed(2)}, simulator ${agg.hub.cpuSimulator.toFixed(2)}, autocannon ${agg.hub.cpuLoadGenerator.toFixed(2)}), so ${started.nproc} cores fit at most ~${num((started.nproc * 1000) / wholeHub)} req/s even with nobody else on them (others used ${Math.round(agg.hub.othersShare * 100)}% of the machine); the bare hop reached ${num(agg.bare.rps)} req/s`;
  const targetRows: Target[] = [
    { what: 'hub throughput', goal: `≥ ${num(goals.rps)} req/s`, measured: `${num(agg.hub.rps)} req/s`, met: agg.hub.rps >= goals.rps, note: `${num(goals.rps - agg.hub.rps)} req/s short (${Math.round((100 * agg.hub.rps) / goals.rps)}% of the goal); ${limits}` },
    { what: 'hub p99 latency (worst round)', goal: `≤ ${goals.p99Ms} ms`, measured: ms(agg.hub.p99), met: agg.hub.p99 <= goals.p99Ms, note: `${ms(agg.hub.p99 - goals.p99Ms)} over; the bare hop's worst p99 is ${ms(agg.bare.p99)} at the same concurrency` },
    { what: 'hub vs direct', goal: `≥ ${Math.round(goals.ofDirect * 100)}% of direct`, measured: `${Math.round(ofDirect * 100)}% (bare hop: ${Math.round(bareOfDirect * 100)}%)`, met: ofDirect >= goals.ofDirect, note: `the hub is at ${Math.round(ofBare * 100)}% of the bare hop, which is itself at ${Math.round(bareOfDirect * 100)}% of direct` },
  ];

  const lines: string[] = [
    '## 1. Query pass-through: GET /v1/penduduk/{nik}',
    '',
    `Run: ${machineLine(started)}`,
    '',
    `Command: \`NODE_ENV=production npx tsx bench/query.ts\` (part of \`npm run bench\`). autocannon -c ${connections} -d ${duration} per target after a ${warmupS} s warm-up; ` +
      `${niks.length} sandbox residents in rotation. The simulator (quota lifted), the bare hop and the hub (sandbox, embedded bus, polling off, log level silent, ` +
      '`SIAK_BASE_URL` pointed at the same simulator, key `x-api-key` of the test operator) each run in their own Node process; autocannon runs in the benchmark process. ' +
      '(a) is `POST /dukcapil/get_json/PESAWARAN/CALL_NIK` with the credentials in the body, as the hub sends it.',
    '',
    `Mean of ${rounds} rounds (p99: the worst round; ratios: the mean of each round's ratio):`,
    '',
    table(['target', 'req/s', 'p50', 'p99', 'failed', 'vs bare hop', 'vs direct'], summaryRows),
    '',
    'CPU time per request, from /proc (user + system of each process over the measured run, divided by the requests answered); the last two columns are derived from it, not measured:',
    '',
    table(['target', 'proxy or hub', 'simulator', 'autocannon', 'whole path', 'others\' share of the machine', '2 cores ÷ whole path'], order.map((key) => {
      const a = agg[key];
      const whole = a.cpuServer + a.cpuSimulator + a.cpuLoadGenerator;
      return [targets[key].label, key === 'direct' ? '–' : `${a.cpuServer.toFixed(3)} ms`, `${a.cpuSimulator.toFixed(3)} ms`, `${a.cpuLoadGenerator.toFixed(3)} ms`, `${whole.toFixed(3)} ms`, `${Math.round(a.othersShare * 100)}%`, `${num((started.nproc * 1000) / whole)} req/s`];
    })),
    '',
    `The hub process spends ${(agg.hub.cpuServer / agg.bare.cpuServer).toFixed(2)}× the CPU per request of the bare hop (${agg.hub.cpuServer.toFixed(3)} ms against ${agg.bare.cpuServer.toFixed(3)} ms).`,
    '',
    'Each round:',
    '',
    table(['run', 'req/s', 'p50', 'p99', 'failed', 'vs bare hop', 'vs direct'], rows),
    '',
    `The hub does ${Math.round(ofBare * 100)}% of the bare hop's work rate and ${Math.round(ofDirect * 100)}% of direct. Hub RSS after the run: ${num(hubMemory.rss / 2 ** 20)} MB; audit entries recorded ${num(hubAudit.recorded)}, written ${num(hubAudit.written)}.`,
    '',
    targetsTable(targetRows),
    '',
    'autocannon summary lines:',
    '',
    codeBlock(order.flatMap((key) => runs[key].map((s, i) => `${s.label}, round ${i + 1}\n${s.printout.trimEnd()}`)).join('\n\n')),
  ];
  if (profile) {
    lines.push(
      '',
      `CPU profile of a second hub under the same load (\`node --cpu-prof\`, ${num(profile.summary.requestsPerSec)} req/s while profiled; ` +
        `${num(profile.totalMs)} ms sampled, ${num(profile.idleMs)} ms idle; line numbers of .ts files are those of tsx's compiled output). Top self time:`,
      '',
      table(['function', 'where', 'self ms', '% of busy'], profile.top.map((t) => [`\`${t.fn}\``, t.where ? `\`${t.where}\`` : '', num(t.selfMs), t.fn === '(idle)' ? 'idle' : `${t.busyPercent}%`])),
      '',
      'The same samples by package:',
      '',
      table(['package or folder', 'self ms', '% of busy'], profile.byPackage.map((t) => [t.fn, num(t.selfMs), t.fn === '(idle)' ? 'idle' : `${t.busyPercent}%`])),
    );
  }
  publish('query', lines.join('\n'), {
    machine: started,
    settings: { duration, connections, warmupS, rounds, niks },
    results: runs,
    aggregate: agg,
    ratios: { hubToBare: ofBare, hubToDirect: ofDirect, bareToDirect: bareOfDirect, perRound: { hubToBare: perRound('hub', 'bare'), hubToDirect: perRound('hub', 'direct'), bareToDirect: perRound('bare', 'direct') } },
    targets: targetRows,
    hubAudit,
    hubRssBytes: hubMemory.rss,
    profile: profile ?? null,
  });
} finally {
  await stopAll();
}
