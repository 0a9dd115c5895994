// 1. Query pass-through: GET /v1/penduduk/{nik} through the hub, placed between two well-known
// proxy shapes doing the same hop to the SIAK simulator, an nginx reverse proxy and a bare
// express → axios hop, with the simulator called directly as the ceiling; all measured in this
// run with autocannon (-c 50 -d 10 each after a short warm-up, in rounds of alternating order),
// with the CPU each process spent per request. The simulator, nginx, the bare hop and the hub
// each run in their own process(es); autocannon runs here, on the same two cores. The hub runs
// as production runs it (bench/lib/hub.ts: dist/, plain node, `npm start`'s node flags); the bare
// hop stays a plain express script under tsx and nginx Debian's, so the ratios compare
// production's hub with the two baselines. When the hub is off a target, a second hub is
// profiled under the same load (node --cpu-prof).
// BENCH_BEFORE_TREE (a checkout of an earlier commit, with node_modules; its dist/ is built)
// adds that tree's hub as one more target and loads both side by side, for before/after in the
// same run.
//
//   NODE_ENV=production npx tsx bench/query.ts
//   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_ROUNDS=2 BENCH_WARMUP=2 BENCH_PROFILE=auto|1|0 BENCH_BEFORE_TREE=<dir>
//   BENCH_LOG_LEVEL=info (the hubs' log level; silent unless set; an earlier tree's hub.ts may not know it)
import type { Request as CannonRequest } from 'autocannon';
import { testKeys } from '../test/support/auth.js';
import { SANDBOX_ACCOUNT } from '../connectors/siak/simulator.js';
import { cpuWindow, type CpuUse } from './lib/cpu.js';
import { startProductionHub } from './lib/hub.js';
import { startNodeFlags } from '../tools/start-flags.js';
import { failures, runLoad, type LoadSummary } from './lib/load.js';
import { startNginxProxy } from './lib/nginx.js';
import { startChild, type Child } from './lib/proc.js';
import { profileLines, profileUnderLoad, type HubProfile } from './lib/profile.js';
import { inTurn, pendudukRequest } from './lib/penduduk-requests.js';
import { servedNiks } from './lib/residents.js';
import { Running } from './lib/running.js';
import { codeBlock, log, machine, machineLine, ms, num, percent, publish, ratio, table, targetsTable, treeCommit, type Target } from './lib/report.js';
import { sideBySide, sideBySideTable, type SideBySideRound, type SideBySideUnit } from './lib/side-by-side.js';
import { logLevelSetting, numberSetting } from './lib/settings.js';
import { siakConcurrency } from './lib/siak-limit.js';

const duration = numberSetting('BENCH_DURATION', 10);
const connections = numberSetting('BENCH_CONNECTIONS', 50);
const warmupS = numberSetting('BENCH_WARMUP', 2);
const rounds = Math.max(1, numberSetting('BENCH_ROUNDS', 2));
const profileMode = process.env.BENCH_PROFILE ?? 'auto';
const beforeTree = process.env.BENCH_BEFORE_TREE;
const logLevel = logLevelSetting();
// Issue 15: the hub against the bare hop, in the same run.
const goals = { rpsOfBare: 0.75, cpuOfBare: 1.4, p99OfBare: 1.5 };

type Key = 'direct' | 'nginx' | 'bare' | 'held' | 'hub' | 'before';
/** One measured run: autocannon's summary and the CPU each of our processes spent on it. */
type Run = LoadSummary & { cpu: CpuUse; cpuMsPerRequest: { server: number; simulator: number; loadGenerator: number } };

const started = machine();
const running = new Running();

try {
  log('starting the SIAK simulator, nginx, the bare hop and the hub (separate processes)');
  const simulator = running.add(await startChild('siak-simulator.ts'));
  const simulatorUrl = String(simulator.ready.url);
  const nginx = running.add(await startNginxProxy(simulatorUrl));
  const bare = running.add(await startChild('bare-proxy.ts', [simulatorUrl]));
  // The same hop held to the hub's upstream limit (the SIAK manifest's concurrency), so the
  // simulator meets the traffic shape the hub gives it: an informative baseline, not the target's.
  const held = running.add(await startChild('bare-proxy.ts', [simulatorUrl], { env: { BENCH_HOP_MAX_SOCKETS: String(siakConcurrency) } }));
  const startHub = (options: { tree?: string; nodeArgs?: string[] } = {}): Promise<Child> => startProductionHub({ bus: 'embedded', polling: false, logLevel }, { env: { SIAK_BASE_URL: simulatorUrl }, ...options });
  const hub = running.add(await startHub());
  const hubUrl = String(hub.ready.url);
  const before = beforeTree ? running.add(await startHub({ tree: beforeTree })) : undefined;
  const beforeCommit = beforeTree ? treeCommit(beforeTree) : undefined;

  const niks = await servedNiks(simulatorUrl, hubUrl);
  log(`${niks.length} residents rotate through the requests`);

  const nextNik = inTurn(niks);
  const hubRequests = [pendudukRequest(niks, { 'x-api-key': testKeys.operator })];
  const targets: Record<Key, { label: string; url: string; requests: CannonRequest[] }> = {
    direct: {
      label: '(a) SIAK simulator directly',
      url: simulatorUrl,
      requests: [{
        method: 'POST',
        path: `/dukcapil/get_json/${SANDBOX_ACCOUNT.consumer}/CALL_NIK`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ nik: nextNik(), user_id: SANDBOX_ACCOUNT.userId, password: SANDBOX_ACCOUNT.password, ip_user: SANDBOX_ACCOUNT.ipUser }) }),
      }],
    },
    nginx: { label: `(b) nginx ${nginx.version} → simulator`, url: nginx.url, requests: [pendudukRequest(niks)] },
    bare: { label: '(c) bare hop: express → axios → simulator', url: String(bare.ready.url), requests: [pendudukRequest(niks)] },
    held: { label: `(c′) bare hop held to ${siakConcurrency} upstream sockets`, url: String(held.ready.url), requests: [pendudukRequest(niks)] },
    hub: { label: '(d) hub GET /v1/penduduk/{nik}', url: hubUrl, requests: hubRequests },
    before: { label: `(e) hub before (${beforeCommit ?? 'earlier tree'})`, url: before ? String(before.ready.url) : '', requests: hubRequests },
  };

  // Every process of the proxy or hub counts as 'server' (nginx: its master and its worker).
  const servers: Record<Key, Record<string, number>> = {
    direct: { simulator: simulator.pid },
    nginx: { server: nginx.pids.worker, serverMaster: nginx.pids.master, simulator: simulator.pid },
    bare: { server: bare.pid, simulator: simulator.pid },
    held: { server: held.pid, simulator: simulator.pid },
    hub: { server: hub.pid, simulator: simulator.pid },
    before: before ? { server: before.pid, simulator: simulator.pid } : {},
  };
  const measure = async (key: Key, seconds = duration): Promise<Run> => {
    const target = targets[key];
    const options = { url: target.url, connections, requests: target.requests };
    if (warmupS > 0) await runLoad({ ...options, label: `${target.label} (warm-up)`, duration: warmupS });
    log(`${target.label}: -c ${connections} -d ${seconds}`);
    const stop = cpuWindow(servers[key]);
    const summary = await runLoad({ ...options, label: target.label, duration: seconds });
    const cpu = stop();
    const count = summary.raw.requests.total;
    const perRequest = {
      server: key === 'direct' ? 0 : (cpu.processes.server! + (cpu.processes.serverMaster ?? 0)) / count,
      simulator: cpu.processes.simulator! / count,
      loadGenerator: cpu.loadGenerator / count,
    };
    const run: Run = { ...summary, cpu, cpuMsPerRequest: perRequest };
    log(`  ${num(summary.requestsPerSec)} req/s, p50 ${ms(summary.latencyMs.p50)}, p99 ${ms(summary.latencyMs.p99)}; CPU per request: server ${perRequest.server.toFixed(3)} ms, simulator ${perRequest.simulator.toFixed(3)} ms, autocannon ${perRequest.loadGenerator.toFixed(3)} ms; others used ${percent(cpu.othersShare)} of the machine${failures(summary) ? `; ${failures(summary)}` : ''}`);
    return run;
  };

  // Rounds in alternating order (a b c, then c b a, ...), so drift in the machine's other load
  // falls on every target alike; ratios are taken within a round.
  const runs: Record<Key, Run[]> = { direct: [], nginx: [], bare: [], held: [], hub: [], before: [] };
  const order: Key[] = before ? ['direct', 'nginx', 'bare', 'held', 'hub', 'before'] : ['direct', 'nginx', 'bare', 'held', 'hub'];
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    for (const key of round % 2 === 0 ? order : [...order].reverse()) runs[key].push(await measure(key));
  }
  // Before and after side by side: both hubs under the same load at the same time (half the
  // connections each), so whatever else the machine does weighs on both alike.
  const half = Math.max(1, Math.floor(connections / 2));
  const perRequest: SideBySideUnit = { cost: (cpuMs) => `${cpuMs.toFixed(3)} ms`, per: 'request', rate: 'req/s' };
  let compared: SideBySideRound[] = [];
  if (before) {
    log(`side by side: the hub and the hub of ${beforeCommit ?? beforeTree}, -c ${half} each`);
    compared = await sideBySide({
      hubs: { after: hub, before },
      rounds,
      warmupS,
      seconds: duration,
      load: (child, seconds, label) => runLoad({ url: String(child.ready.url), connections: half, requests: hubRequests, label, duration: seconds }),
      units: (summary) => summary.raw.requests.total,
      unit: perRequest,
    });
  }
  const hubAudit = await hub.ask<{ recorded: number; written: number; queued: number }>('audit');
  const hubMemory = await hub.ask<{ rss: number }>('memory');
  for (const child of [hub, before, nginx]) if (child) await running.stop(child);

  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const aggregate = (key: Key) => ({
    rps: mean(runs[key].map((r) => r.requestsPerSec)),
    p50: mean(runs[key].map((r) => r.latencyMs.p50)),
    p99: Math.max(...runs[key].map((r) => r.latencyMs.p99)),
    failed: runs[key].reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    cpuServer: mean(runs[key].map((r) => r.cpuMsPerRequest.server)),
    cpuSimulator: mean(runs[key].map((r) => r.cpuMsPerRequest.simulator)),
    cpuLoadGenerator: mean(runs[key].map((r) => r.cpuMsPerRequest.loadGenerator)),
    othersShare: mean(runs[key].map((r) => r.cpu.othersShare)),
  });
  const agg = Object.fromEntries(order.map((key) => [key, aggregate(key)])) as Record<Key, ReturnType<typeof aggregate>>;
  const perRound = (a: Key, b: Key): number[] => runs[a].map((r, i) => r.requestsPerSec / runs[b][i]!.requestsPerSec);
  const ofBare = mean(perRound('hub', 'bare'));
  const ofNginx = mean(perRound('hub', 'nginx'));
  const ofDirect = mean(perRound('hub', 'direct'));
  const bareOfDirect = mean(perRound('bare', 'direct'));
  const cpuOfBare = agg.hub.cpuServer / agg.bare.cpuServer;
  const p99OfBare = agg.hub.p99 / agg.bare.p99;
  const ofHeld = mean(perRound('hub', 'held'));
  const cpuOfHeld = agg.hub.cpuServer / agg.held.cpuServer;
  const p99OfHeld = agg.hub.p99 / agg.held.p99;

  // Profile a second hub under the same load when it is off a target (or when asked).
  const farOff = ofBare < goals.rpsOfBare || cpuOfBare > goals.cpuOfBare || p99OfBare > goals.p99OfBare;
  const profile: HubProfile | undefined = profileMode === '1' || (profileMode === 'auto' && farOff)
    ? await profileUnderLoad({
      folder: 'profiles',
      start: (nodeArgs) => startHub({ nodeArgs }),
      load: { connections, requests: hubRequests, label: 'hub, profiled', duration: Math.min(duration, 8) },
      warmupS,
    })
    : undefined;
  await running.stopAll();

  const failedCell = (count: number): string => (count === 0 ? '0' : `**${count}**`);
  const rows: string[][] = [];
  for (const key of order) {
    runs[key].forEach((s, i) => rows.push([
      `${s.label}, round ${i + 1}`,
      num(s.requestsPerSec),
      ms(s.latencyMs.p50),
      ms(s.latencyMs.p99),
      failedCell(s.non2xx + s.errors),
      key === 'direct' ? '–' : ratio(s.requestsPerSec, runs.nginx[i]!.requestsPerSec),
      key === 'direct' ? '–' : ratio(s.requestsPerSec, runs.bare[i]!.requestsPerSec),
      ratio(s.requestsPerSec, runs.direct[i]!.requestsPerSec),
    ]));
  }
  const summaryRows: string[][] = order.map((key) => {
    const a = agg[key];
    const cells = [targets[key].label, num(a.rps), ms(a.p50), ms(a.p99), failedCell(a.failed), key === 'direct' ? '–' : `${mean(perRound(key, 'nginx')).toFixed(2)}×`, key === 'direct' ? '–' : `${mean(perRound(key, 'bare')).toFixed(2)}×`, `${mean(perRound(key, 'direct')).toFixed(2)}×`];
    return key === 'hub' ? cells.map((cell) => `**${cell}**`) : cells;
  });
  const wholeHub = agg.hub.cpuServer + agg.hub.cpuSimulator + agg.hub.cpuLoadGenerator;
  const othersNote = `others used ${percent(agg.hub.othersShare)} of the machine while the hub was measured`;
  const targetRows: Target[] = [
    { what: 'hub requests per second vs the bare hop', goal: `≥ ${goals.rpsOfBare.toFixed(2)}×`, measured: `${ofBare.toFixed(2)}× (${num(agg.hub.rps)} against ${num(agg.bare.rps)} req/s)`, met: ofBare >= goals.rpsOfBare, note: `a hub request costs ${wholeHub.toFixed(2)} ms of CPU end to end (hub ${agg.hub.cpuServer.toFixed(2)}, simulator ${agg.hub.cpuSimulator.toFixed(2)}, autocannon ${agg.hub.cpuLoadGenerator.toFixed(2)}) on ${started.nproc} shared cores; ${othersNote}` },
    { what: 'hub CPU per request vs the bare hop', goal: `≤ ${goals.cpuOfBare.toFixed(2)}×`, measured: `${cpuOfBare.toFixed(2)}× (${agg.hub.cpuServer.toFixed(3)} against ${agg.bare.cpuServer.toFixed(3)} ms)`, met: cpuOfBare <= goals.cpuOfBare, note: `${(agg.hub.cpuServer - goals.cpuOfBare * agg.bare.cpuServer).toFixed(3)} ms a request over; the profile below says where it goes` },
    { what: `hub p99 vs the bare hop's at -c ${connections} (worst rounds)`, goal: `≤ ${goals.p99OfBare.toFixed(2)}×`, measured: `${p99OfBare.toFixed(2)}× (${ms(agg.hub.p99)} against ${ms(agg.bare.p99)})`, met: p99OfBare <= goals.p99OfBare, note: `with ${connections} requests always in flight latency follows throughput (Little's law), so it moves with the CPU per request; ${othersNote}` },
  ];

  const lines: string[] = [
    '## 1. Query pass-through: GET /v1/penduduk/{nik}',
    '',
    `Run: ${machineLine(started)}`,
    '',
    `Command: \`NODE_ENV=production npx tsx bench/query.ts\` (part of \`npm run bench\`${beforeTree ? '; `BENCH_BEFORE_TREE` set' : ''}). autocannon -c ${connections} -d ${duration} per target after a ${warmupS} s warm-up; ` +
      `${niks.length} sandbox residents in rotation. The simulator (quota lifted), the bare hop (twice: (c′) held to the hub's ${siakConcurrency} upstream sockets) and the hub (sandbox, embedded bus, polling off, log level ${logLevel}, ` +
      '`SIAK_BASE_URL` pointed at the same simulator, key `x-api-key` of the test operator) each run in their own Node process; nginx (one worker, keep-alive to the simulator, ' +
      'the GET turned into the SIAK POST by `proxy_method` and `proxy_set_body`) in its own two; autocannon runs in the benchmark process. ' +
      '(a) is `POST /dukcapil/get_json/PESAWARAN/CALL_NIK` with the credentials in the body, as the hub sends it. ' +
      `The hub runs as production runs it: compiled, from dist/, as plain node with \`npm start\`'s node flags (${startNodeFlags().map((flag) => `\`${flag}\``).join(' ')}); ` +
      'the baselines stay as they were: the bare hop a plain express script under tsx, nginx Debian\'s build, so the ratios compare production\'s hub with them.' +
      (before ? ` (e) is the hub of commit ${beforeCommit ?? 'unknown'} started the same way from another checkout, for before/after in this run.` : ''),
    '',
    `Mean of ${rounds} rounds (p99: the worst round; ratios: the mean of each round's ratio):`,
    '',
    table(['target', 'req/s', 'p50', 'p99', 'failed', 'vs nginx', 'vs bare hop', 'vs direct'], summaryRows),
    '',
    'CPU time per request, from /proc (user + system of each process over the measured run, divided by the requests answered); the last two columns are derived from it, not measured:',
    '',
    table(['target', 'proxy or hub', 'simulator', 'autocannon', 'whole path', 'others\' share of the machine', '2 cores ÷ whole path'], order.map((key) => {
      const a = agg[key];
      const whole = a.cpuServer + a.cpuSimulator + a.cpuLoadGenerator;
      return [targets[key].label, key === 'direct' ? '–' : `${a.cpuServer.toFixed(3)} ms`, `${a.cpuSimulator.toFixed(3)} ms`, `${a.cpuLoadGenerator.toFixed(3)} ms`, `${whole.toFixed(3)} ms`, percent(a.othersShare), `${num((started.nproc * 1000) / whole)} req/s`];
    })),
    '',
    `The hub process spends ${cpuOfBare.toFixed(2)}× the CPU per request of the bare hop (${agg.hub.cpuServer.toFixed(3)} ms against ${agg.bare.cpuServer.toFixed(3)} ms) and ${ratio(agg.hub.cpuServer, agg.nginx.cpuServer)} nginx's (${agg.nginx.cpuServer.toFixed(3)} ms).` +
      ` Against the hop held to the hub's ${siakConcurrency} upstream sockets (c′), the same upstream traffic shape (informative; the targets are judged against (c)): hub req/s ${ofHeld.toFixed(2)}×, CPU per request ${cpuOfHeld.toFixed(2)}× (${agg.held.cpuServer.toFixed(3)} ms for (c′)), p99 ${p99OfHeld.toFixed(2)}×.` +
      (before ? ` The earlier hub (e) spent ${agg.before.cpuServer.toFixed(3)} ms: ${ratio(agg.hub.cpuServer, agg.before.cpuServer)} before → after.` : ''),
    ...(compared.length > 0 ? [
      '',
      `Before and after side by side: the hub (d) and the hub of ${beforeCommit ?? 'the earlier tree'} (e) loaded at the same time, -c ${half} each for ${duration} s, the CPU of each process divided by the requests it answered:`,
      '',
      sideBySideTable(compared, perRequest),
    ] : []),
    '',
    'Each round:',
    '',
    table(['run', 'req/s', 'p50', 'p99', 'failed', 'vs nginx', 'vs bare hop', 'vs direct'], rows),
    '',
    `The hub does ${percent(ofNginx)} of nginx's work rate, ${percent(ofBare)} of the bare hop's and ${percent(ofDirect)} of direct. Hub RSS after the run: ${num(hubMemory.rss / 2 ** 20)} MB; audit entries recorded ${num(hubAudit.recorded)}, written ${num(hubAudit.written)}.`,
    '',
    targetsTable(targetRows),
    '',
    'autocannon summary lines:',
    '',
    codeBlock(order.flatMap((key) => runs[key].map((s, i) => `${s.label}, round ${i + 1}\n${s.printout.trimEnd()}`)).join('\n\n')),
  ];
  if (profile) {
    lines.push('', ...profileLines(profile, 'CPU profile of a second hub, started the same way, under the same load', `\`node --cpu-prof\`, ${num(profile.summary.requestsPerSec)} req/s while profiled; line numbers are those of dist/'s JavaScript`));
  }
  publish('query', lines.join('\n'), {
    machine: started,
    settings: { duration, connections, warmupS, rounds, niks },
    results: runs,
    aggregate: agg,
    ratios: { hubToNginx: ofNginx, hubToBare: ofBare, hubToDirect: ofDirect, bareToDirect: bareOfDirect, hubCpuToBare: cpuOfBare, hubP99ToBare: p99OfBare, hubToHeld: ofHeld, hubCpuToHeld: cpuOfHeld, hubP99ToHeld: p99OfHeld, perRound: { hubToNginx: perRound('hub', 'nginx'), hubToBare: perRound('hub', 'bare'), hubToDirect: perRound('hub', 'direct'), bareToDirect: perRound('bare', 'direct') } },
    before: beforeTree ? { tree: beforeTree, commit: beforeCommit, sideBySide: compared } : null,
    targets: targetRows,
    hubAudit,
    hubRssBytes: hubMemory.rss,
    profile: profile ?? null,
  });
} finally {
  await running.stopAll();
}

