// 2. Ingest: events through POST /v1/events, one per request and 100 per request, on the
// embedded bus and on Kafka (a local Kafka 4.1 broker started here from the Maven jars), against
// raw kafkajs producing the same events (idempotent producer, acks=-1, the hub's CloudEvents
// binary encoding) in the same run. Every event has a unique id (autocannon's setupRequest).
//
//   NODE_ENV=production npx tsx bench/ingest.ts
//   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_BATCH_CONNECTIONS=10 BENCH_BATCH_SIZE=100
//   KAFKA_BROKERS=host:port uses that cluster instead of starting one.
//   BENCH_INGEST_PATHS=kafka-batched,raw-batched runs only those paths (default all: embedded-single,
//   embedded-batched, raw-single, kafka-relay1, kafka-single, kafka-batched, raw-batched).
//   BENCH_BEFORE_TREE=<checkout with node_modules> loads that tree's hub and the current one side by
//   side (BENCH_ROUNDS rounds, 2) for embedded-single and kafka-batched, when those paths run.
//   BENCH_PROFILE=1 profiles a hub on Kafka under batched posts afterwards (node --cpu-prof), when kafka-batched runs,
//   and a relay's drain (below), when relay-drain runs.
//   relay-drain: the relay alone. A hub on Kafka (outbox.relayBatchSize = BENCH_BATCH_SIZE) warmed up, its relay held
//   while BENCH_DRAIN_EVENTS (50,000) of the same batched posts fill its outbox, then released and timed until
//   the outbox is empty (every event acknowledged by Kafka) and its delivery index caught up; raw kafkajs producing
//   as many events in sends of the same size beside it (BENCH_ROUNDS rounds, with BENCH_BEFORE_TREE's hub too).
//   BENCH_DRAIN_IN_FLIGHT sets those hubs' outbox.relayInFlight.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request as CannonRequest } from 'autocannon';
import { Kafka, logLevel, Partitioners, type Admin, type Message } from 'kafkajs';
import { encodeBinaryEvent } from '../src/bus/kafka-binding.js';
import type { CloudEvent } from '../src/events/cloudevent.js';
import { testKeys } from '../test/support/auth.js';
import { startLocalKafka, type LocalKafka } from '../tools/kafka/local-kafka.js';
import { cpuWindow, findPid, type CpuUse } from './lib/cpu.js';
import { topSelfTime, type ProfileSummary } from './lib/cpuprofile.js';
import { failures, runLoad, type LoadSummary } from './lib/load.js';
import { startChild, type Child } from './lib/proc.js';
import { profileLines, profileUnderLoad, type HubProfile } from './lib/profile.js';
import { Running } from './lib/running.js';
import { codeBlock, log, machine, machineLine, median, ms, num, percent, publish, resultsDir, sleep, table, targetsTable, treeCommit, type Target } from './lib/report.js';
import { sideBySide, sideBySideTable, type SideBySideRound, type SideBySideUnit } from './lib/side-by-side.js';
import { numberSetting } from './lib/settings.js';

const duration = numberSetting('BENCH_DURATION', 10);
const connections = numberSetting('BENCH_CONNECTIONS', 50);
const batchConnections = numberSetting('BENCH_BATCH_CONNECTIONS', 10);
const batchSize = numberSetting('BENCH_BATCH_SIZE', 100);
const warmupS = numberSetting('BENCH_WARMUP', 2);
const drainTimeoutS = numberSetting('BENCH_DRAIN_TIMEOUT', 60);
const drainEvents = numberSetting('BENCH_DRAIN_EVENTS', 50_000);
/** outbox.relayInFlight of the drain's hubs (default: config/default.yaml's). */
const drainInFlight = numberSetting('BENCH_DRAIN_IN_FLIGHT');
const allPaths = ['embedded-single', 'embedded-batched', 'raw-single', 'kafka-relay1', 'kafka-single', 'kafka-batched', 'raw-batched', 'relay-drain'] as const;
type PathName = (typeof allPaths)[number];
const paths = new Set((process.env.BENCH_INGEST_PATHS ?? allPaths.join(',')).split(',').map((p) => p.trim()) as PathName[]);
const unknownPaths = [...paths].filter((p) => !(allPaths as readonly string[]).includes(p));
if (unknownPaths.length > 0) throw new Error(`BENCH_INGEST_PATHS: no path ${unknownPaths.join(', ')} (paths: ${allPaths.join(', ')})`);
const beforeTree = process.env.BENCH_BEFORE_TREE;
const beforeCommit = beforeTree ? treeCommit(beforeTree) ?? beforeTree : undefined;
const profileMode = process.env.BENCH_PROFILE ?? '0';
const rounds = numberSetting('BENCH_ROUNDS', 2);
// ofRaw: issue 15 asks batched publishing to reach 60% of raw kafkajs; single events keep the earlier 50%.
const goals = { single: 3000, batched: 30_000, ofRaw: { single: 0.5, batched: 0.6 } };
const eventType = 'bench.dibuat';
const source = '/opd/diskominfo/bench';

const started = machine();
const run = `${Date.now().toString(36)}`;
let sequence = 0;

/** The event every path sends: about the size of a small OPD record, with a unique id. */
function event(): CloudEvent {
  const n = sequence++;
  return {
    specversion: '1.0',
    id: `${run}-${n}`,
    source,
    type: eventType,
    subject: `bench-${n % 1000}`,
    time: '2026-11-28T08:00:00+07:00',
    datacontenttype: 'application/json',
    data: { nomor: `${run}-${n}`, keterangan: 'data uji beban', jumlah: n, opd: 'Diskominfo' },
  };
}

/** POST /v1/events: one event per request, or a batch of BENCH_BATCH_SIZE. */
function postRequests(shape: 'single' | 'batched'): CannonRequest[] {
  return [{
    method: 'POST',
    path: '/v1/events',
    headers: { 'x-api-key': testKeys.operator, 'content-type': shape === 'single' ? 'application/cloudevents+json' : 'application/cloudevents-batch+json' },
    setupRequest: (request: CannonRequest) => ({ ...request, body: JSON.stringify(shape === 'single' ? event() : Array.from({ length: batchSize }, event)) }),
  }] as unknown as CannonRequest[];
}

interface Measured {
  label: string;
  bus: 'embedded' | 'kafka' | 'raw kafkajs';
  shape: 'single' | 'batched';
  eventsPerRequest: number;
  connections: number;
  /** Events the hub answered 202 for (or Kafka acknowledged, for raw kafkajs) per second of load. */
  acceptedPerSec: number;
  /** Events on the bus per second, from the start of the load until the outbox was empty. */
  publishedPerSec: number;
  events: number;
  drainS: number | null;
  backlogLeft: number;
  latencyMs: { p50: number; p99: number };
  failed: number;
  /** CPU ms per event over the load and the drain: the hub (or the raw producer), the broker, the load generator. */
  cpuPerEvent: { hub: number; broker: number; client: number };
  /** The hub process's (or raw producer's) CPU over the load, as a share of one core. */
  busyShare: number;
  /** The share of the machine other processes used (0–1). */
  others: number;
  /** The outbox relay's publishes to the bus: how many, how big, how long the bus took to acknowledge each. */
  relay?: { batches: number; eventsPerBatch: number; msPerBatch: number; busyShare: number };
  load?: LoadSummary;
}

const running = new Running();
let kafka: LocalKafka | undefined;
let kafkaDir: string | undefined;
let brokerPid: number | undefined;
let hubsStarted = 0;

/** `relayInFlight` set: the relay with that many batches in flight (1 is the relay as it was before lanes), labelled so. */
async function hubRuns(bus: 'embedded' | 'kafka', brokers?: string[], shapes: readonly ('single' | 'batched')[] = ['single', 'batched'], relayInFlight?: number): Promise<Measured[]> {
  shapes = shapes.filter((shape) => paths.has(relayInFlight ? 'kafka-relay1' : `${bus}-${shape}`));
  if (shapes.length === 0) return [];
  log(`starting a hub on the ${bus} bus${relayInFlight ? ` (relay: ${relayInFlight} in flight)` : ''}`);
  const topicPrefix = `bench-${run}-${hubsStarted++}`;
  const hub = running.add(await startChild('hub.ts', [], { env: { BENCH_HUB: JSON.stringify({ bus, brokers, polling: false, relayInFlight, topicPrefix }) } }));
  if (bus === 'kafka' && brokers) onKafka.set(hub, { brokers, topicPrefix });
  const url = String(hub.ready.url);
  const results: Measured[] = [];
  for (const [shape, conns, per] of [['single', connections, 1], ['batched', batchConnections, batchSize]] as const) {
    if (!shapes.includes(shape)) continue;
    const requests = postRequests(shape);
    const label = `hub, ${bus} bus, ${shape === 'single' ? '1 event per POST' : `${per} events per POST`}${relayInFlight ? `, relay ${relayInFlight} in flight` : ''}`;
    const options = { url, connections: conns, requests };
    if (warmupS > 0) await runLoad({ ...options, label: `${label} (warm-up)`, duration: warmupS });
    await drain(hub, drainTimeoutS);
    log(`${label}: -c ${conns} -d ${duration}`);
    const relayBefore = await relayStats(url);
    const t0 = performance.now();
    const duringLoad = cpuWindow({ hub: hub.pid });
    const throughDrain = cpuWindow({ hub: hub.pid, ...(bus === 'kafka' && brokerPid ? { broker: brokerPid } : {}) });
    const load = await runLoad({ ...options, label, duration });
    const loadS = (performance.now() - t0) / 1000;
    const loadCpu = duringLoad();
    const { drainedS, left } = await drain(hub, drainTimeoutS);
    const cpu = throughDrain();
    const relayAfter = await relayStats(url);
    const relay = { batches: relayAfter.batches - relayBefore.batches, seconds: relayAfter.seconds - relayBefore.seconds, events: relayAfter.events - relayBefore.events };
    const events = load.ok * per;
    const measured: Measured = {
      label,
      bus,
      shape,
      eventsPerRequest: per,
      connections: conns,
      acceptedPerSec: events / load.durationS,
      publishedPerSec: (events - left) / (loadS + drainedS),
      events,
      drainS: left === 0 ? drainedS : null,
      backlogLeft: left,
      latencyMs: { p50: load.latencyMs.p50, p99: load.latencyMs.p99 },
      failed: load.non2xx + load.errors,
      cpuPerEvent: { hub: cpu.processes.hub! / events, broker: (cpu.processes.broker ?? NaN) / events, client: loadCpu.loadGenerator / events },
      busyShare: loadCpu.processes.hub! / (loadS * 1000),
      relay: { batches: relay.batches, eventsPerBatch: relay.events / Math.max(1, relay.batches), msPerBatch: (1000 * relay.seconds) / Math.max(1, relay.batches), busyShare: relay.seconds / (loadS + drainedS) },
      others: cpu.othersShare,
      load,
    };
    log(`  relay: ${num(relay.batches, 0)} publishes of ${num(measured.relay!.eventsPerBatch, 0)} events, ${num(measured.relay!.msPerBatch)} ms each (the bus busy ${percent(measured.relay!.busyShare)} of the time)`);
    log(`  ${num(measured.acceptedPerSec)} events/s accepted, ${num(measured.publishedPerSec)} events/s published (drained ${num(drainedS)} s after the load); hub ${percent(measured.busyShare)} of a core, ${(measured.cpuPerEvent.hub * 1000).toFixed(0)} µs CPU per event; others used ${percent(measured.others)} of the machine${failures(load) ? `; ${failures(load)}` : ''}`);
    results.push(measured);
  }
  await running.stop(hub);
  return results;
}

/** The relay's publishes so far, from the hub's Prometheus metrics. */
async function relayStats(url: string): Promise<{ batches: number; seconds: number; events: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: { 'x-api-key': testKeys.operator } })).text();
  const value = (pattern: RegExp): number => text.split('\n').filter((line) => pattern.test(line)).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  return {
    batches: value(/^penghubung_bus_publish_duration_seconds_count/),
    seconds: value(/^penghubung_bus_publish_duration_seconds_sum/),
    events: value(/^penghubung_events_published_total\{type="bench\.dibuat"\}/),
  };
}

/** Hubs on Kafka, for the lag of their delivery index. */
const onKafka = new Map<Child, { brokers: string[]; topicPrefix: string }>();
let lagAdmin: Admin | undefined;

/**
 * Waits until the outbox has nothing left to publish and, on Kafka, the hub's delivery index has
 * read its status topic to the end (its work for those events is then done too, and in the CPU
 * window); returns how long the outbox took.
 */
async function drain(hub: Child, timeoutS: number): Promise<{ drainedS: number; left: number }> {
  const t0 = performance.now();
  for (;;) {
    const { count } = await hub.ask<{ count: number }>('backlog');
    const elapsed = (performance.now() - t0) / 1000;
    if (count === 0 || elapsed > timeoutS) {
      const kafkaHub = onKafka.get(hub);
      if (kafkaHub) await indexCaughtUp(kafkaHub, String(hub.ready.dataDir), timeoutS - elapsed);
      return { drainedS: elapsed, left: count };
    }
    await sleep(50);
  }
}

/** Until the delivery index's group has committed the end of `<prefix>._deliveries` (it commits every 500 ms), at most `timeoutS`. */
async function indexCaughtUp(hub: { brokers: string[]; topicPrefix: string }, dataDir: string, timeoutS: number): Promise<void> {
  if (!lagAdmin) {
    lagAdmin = new Kafka({ clientId: 'bench-ingest-lag', brokers: hub.brokers, logLevel: logLevel.NOTHING }).admin();
    await lagAdmin.connect();
  }
  const topic = `${hub.topicPrefix}._deliveries`;
  const groupId = `${hub.topicPrefix}.delivery-index.${readFileSync(join(dataDir, 'instance-id'), 'utf8').trim()}`;
  const until = performance.now() + Math.max(0, timeoutS) * 1000;
  while (performance.now() < until) {
    const [ends, [committed]] = await Promise.all([lagAdmin.fetchTopicOffsets(topic), lagAdmin.fetchOffsets({ groupId, topics: [topic] })]);
    const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    if (ends.every((end) => Number(end.high) === Number(end.low) || (done.get(end.partition) ?? -1) >= Number(end.high))) return;
    await sleep(100);
  }
}

/** Raw kafkajs as the hub's KafkaBus configures it (idempotent, one request in flight, acks=-1), on a 3-partition topic. */
async function rawProducer(brokers: string[]): Promise<{ messages: (per: number) => Message[]; send: (messages: Message[]) => Promise<unknown>; disconnect: () => Promise<void> }> {
  const topic = 'bench.raw-kafkajs';
  const client = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
  await admin.disconnect();
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const message = (): Message => {
    const e = event();
    const { value, headers } = encodeBinaryEvent(e);
    return { key: e.subject ?? e.id, value, headers };
  };
  return {
    messages: (per) => Array.from({ length: per }, message),
    send: (messages) => producer.send({ topic, acks: -1, messages }),
    disconnect: () => producer.disconnect(),
  };
}

/** Raw kafkajs: `workers` concurrent loops, each awaiting one send of `per` events at a time. */
async function rawRuns(brokers: string[], shapes: ('single' | 'batched')[]): Promise<Measured[]> {
  shapes = shapes.filter((shape) => paths.has(`raw-${shape}`));
  if (shapes.length === 0) return [];
  const producer = await rawProducer(brokers);
  const measureFor = async (seconds: number, per: number, workers: number): Promise<{ events: number; seconds: number; latencies: number[]; cpu: CpuUse }> => {
    const latencies: number[] = [];
    let events = 0;
    const window = cpuWindow(brokerPid ? { broker: brokerPid } : {});
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    await Promise.all(Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const messages = producer.messages(per);
        const sent = performance.now();
        await producer.send(messages);
        latencies.push(performance.now() - sent);
        events += per;
      }
    }));
    return { events, seconds: (performance.now() - t0) / 1000, latencies, cpu: window() };
  };
  const results: Measured[] = [];
  try {
    for (const shape of shapes) {
      const [per, workers] = shape === 'single' ? [1, connections] : [batchSize, batchConnections];
      const label = `raw kafkajs, ${shape === 'single' ? '1 event per send' : `${per} events per send`}, ${workers} concurrent sends`;
      if (warmupS > 0) await measureFor(warmupS, per, workers);
      log(`${label}: ${duration} s`);
      const { events, seconds, latencies, cpu } = await measureFor(duration, per, workers);
      latencies.sort((a, b) => a - b);
      const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
      const rate = events / seconds;
      const cpuPerEvent = { hub: cpu.loadGenerator / events, broker: (cpu.processes.broker ?? NaN) / events, client: 0 };
      const busyShare = cpu.loadGenerator / (seconds * 1000);
      log(`  ${num(rate)} events/s acknowledged; producer ${percent(busyShare)} of a core, ${(cpuPerEvent.hub * 1000).toFixed(0)} µs CPU per event`);
      results.push({ label, bus: 'raw kafkajs', shape, eventsPerRequest: per, connections: workers, acceptedPerSec: rate, publishedPerSec: rate, events, drainS: 0, backlogLeft: 0, latencyMs: { p50: at(0.5), p99: at(0.99) }, failed: 0, cpuPerEvent, busyShare, others: cpu.othersShare });
    }
  } finally {
    await producer.disconnect();
  }
  return results;
}

/** A backlog drained by the relay alone (relay-drain), or as many events sent by raw kafkajs. */
interface Drained {
  label: string;
  /** BENCH_BEFORE_TREE's hub: not the hub the target row judges. */
  before?: true;
  round: number;
  events: number;
  /** From the relay's release (raw kafkajs: the first send) until every event was acknowledged. */
  seconds: number;
  /** After that, until the delivery index had read its status topic to the end (counted in the CPU). */
  indexS: number;
  /** CPU per event of the hub (raw kafkajs: the producing process), ms. */
  cpuPerEvent: number;
  /** That CPU as a share of one core, over the drain and the index's catch-up. */
  busyShare: number;
  others: number;
  relay?: { batches: number; eventsPerBatch: number; msPerBatch: number };
}

/** Posts `events` as batched posts (BENCH_BATCH_SIZE each, BENCH_BATCH_CONNECTIONS at a time), each answered 202. */
async function postEvents(url: string, events: number): Promise<void> {
  let left = Math.ceil(events / batchSize);
  await Promise.all(Array.from({ length: batchConnections }, async () => {
    while (left-- > 0) {
      const response = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'x-api-key': testKeys.operator, 'content-type': 'application/cloudevents-batch+json' },
        body: JSON.stringify(Array.from({ length: batchSize }, event)),
      });
      const text = await response.text();
      if (response.status !== 202) throw new Error(`POST /v1/events answered ${response.status}: ${text.slice(0, 200)}`);
    }
  }));
}

/**
 * The relay alone: a hub on Kafka with `outbox.relayBatchSize` = raw kafkajs's send size, warmed up through its
 * running relay (topics made, producers connected, code compiled), its relay held while BENCH_DRAIN_EVENTS batched
 * posts fill the outbox, then released: timed until the outbox is empty and its delivery index caught up.
 * `profileDir`: under node --cpu-prof, the drain's samples summed by function and file.
 */
async function relayDrain(brokers: string[], round: number, tree?: string, profileDir?: string): Promise<Drained & { profile?: ProfileSummary }> {
  const label = tree ? `relay drain alone, hub of ${beforeCommit}` : 'relay drain alone';
  const topicPrefix = `bench-${run}-${hubsStarted++}`;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const hub = running.add(await startChild('hub.ts', [], { tree, nodeArgs, env: { BENCH_HUB: JSON.stringify({ bus: 'kafka', brokers, polling: false, topicPrefix, relayBatchSize: batchSize, relayInFlight: drainInFlight }) } }));
  onKafka.set(hub, { brokers, topicPrefix });
  let window: { fromUs: number; toUs: number };
  let drained: Drained;
  try {
    const url = String(hub.ready.url);
    await postEvents(url, Math.min(drainEvents, 5_000));
    await drain(hub, drainTimeoutS);
    await hub.ask('holdRelay');
    log(`${label}${profileDir ? ' (profiled)' : ''}: filling the outbox with ${num(drainEvents, 0)} events, the relay held`);
    await postEvents(url, drainEvents);
    const { count } = await hub.ask<{ count: number }>('backlog');
    const relayBefore = await relayStats(url);
    const fromUs = await hub.ask<number>('clock');
    const cpu = cpuWindow({ hub: hub.pid, ...(brokerPid ? { broker: brokerPid } : {}) });
    const t0 = performance.now();
    await hub.ask('releaseRelay');
    const { drainedS, left } = await drain(hub, drainTimeoutS);
    const totalS = (performance.now() - t0) / 1000;
    const used = cpu();
    window = { fromUs, toUs: await hub.ask<number>('clock') };
    if (left > 0) throw new Error(`${label}: ${left} events still in the outbox after ${drainTimeoutS} s`);
    const relayAfter = await relayStats(url);
    const batches = relayAfter.batches - relayBefore.batches;
    drained = {
      label,
      ...(tree ? { before: true as const } : {}),
      round,
      events: count,
      seconds: drainedS,
      indexS: totalS - drainedS,
      cpuPerEvent: used.processes.hub! / count,
      busyShare: used.processes.hub! / (totalS * 1000),
      others: used.othersShare,
      relay: { batches, eventsPerBatch: (relayAfter.events - relayBefore.events) / Math.max(1, batches), msPerBatch: (1000 * (relayAfter.seconds - relayBefore.seconds)) / Math.max(1, batches) },
    };
    log(`  ${num(count / drainedS)} events/s drained (${num(count, 0)} in ${num(drainedS)} s, index +${num(drained.indexS)} s); hub ${percent(drained.busyShare)} of a core, ${Math.round(drained.cpuPerEvent * 1000)} µs CPU per event; others used ${percent(drained.others)}`);
  } finally {
    await running.stop(hub);
  }
  const file = profileDir ? readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profileDir, f))[0] : undefined;
  return { ...drained, ...(file ? { profile: topSelfTime(file, 25, window) } : {}) };
}

/** Raw kafkajs sending BENCH_DRAIN_EVENTS in sends of BENCH_BATCH_SIZE, BENCH_BATCH_CONNECTIONS at a time (after a warm-up). */
async function rawDrain(brokers: string[], round: number): Promise<Drained> {
  const producer = await rawProducer(brokers);
  try {
    const sendAll = async (events: number): Promise<void> => {
      let left = Math.ceil(events / batchSize);
      await Promise.all(Array.from({ length: batchConnections }, async () => {
        while (left-- > 0) await producer.send(producer.messages(batchSize));
      }));
    };
    await sendAll(Math.min(drainEvents, 5_000));
    const cpu = cpuWindow(brokerPid ? { broker: brokerPid } : {});
    const t0 = performance.now();
    await sendAll(drainEvents);
    const seconds = (performance.now() - t0) / 1000;
    const used = cpu();
    const events = Math.ceil(drainEvents / batchSize) * batchSize;
    log(`raw kafkajs, ${num(events, 0)} events in sends of ${batchSize}: ${num(events / seconds)} events/s, ${Math.round((used.loadGenerator / events) * 1000)} µs CPU per event`);
    return { label: `raw kafkajs, ${batchSize} events per send, ${batchConnections} concurrent sends`, round, events, seconds, indexS: 0, cpuPerEvent: used.loadGenerator / events, busyShare: used.loadGenerator / (seconds * 1000), others: used.othersShare };
  } finally {
    await producer.disconnect();
  }
}

/** BENCH_ROUNDS rounds of: the relay's drain (and BENCH_BEFORE_TREE's, the order alternating), raw kafkajs. */
async function relayDrains(brokers: string[]): Promise<{ rows: Drained[]; profile?: ProfileSummary }> {
  if (!paths.has('relay-drain')) return { rows: [] };
  const rows: Drained[] = [];
  for (let round = 1; round <= rounds; round++) {
    const hubs = beforeTree ? [undefined, beforeTree] : [undefined];
    for (const tree of round % 2 === 0 ? hubs.reverse() : hubs) rows.push(await relayDrain(brokers, round, tree));
    rows.push(await rawDrain(brokers, round));
  }
  if (profileMode !== '1') return { rows };
  const dir = join(resultsDir, 'profiles-relay-drain');
  rmSync(dir, { recursive: true, force: true });
  const { profile } = await relayDrain(brokers, 0, undefined, dir);
  return { rows, profile };
}

function drainLines(drains: { rows: Drained[]; profile?: ProfileSummary }): string[] {
  if (drains.rows.length === 0) return [];
  const rawOf = (round: number): Drained | undefined => drains.rows.find((row) => row.round === round && !row.relay);
  return [
    `**Relay drain alone vs raw kafkajs** (relay-drain): a hub on Kafka with \`outbox.relayBatchSize\` ${batchSize} (raw kafkajs's send size; \`relayInFlight\` ${drainInFlight ?? 'as configured'}), warmed up, its relay held while ${num(drainEvents, 0)} events of the same batched posts filled its outbox, then released; "drained in" runs until the outbox was empty (every event acknowledged by Kafka), the CPU window until its delivery index had also read its status topic to the end. Raw kafkajs sent as many events in sends of ${batchSize}, ${batchConnections} at a time, in the same round. What an operator waits for after a Kafka outage: how fast a backlog goes out.`,
    '',
    table(['path', 'round', 'events', 'drained in', 'events/s', 'vs raw (same round)', 'CPU/event: hub or producer', 'index caught up', 'relay publishes (size, ms to ack)', 'others\' share'], drains.rows.map((row) => {
      const raw = rawOf(row.round);
      return [
        row.label,
        String(row.round),
        num(row.events, 0),
        `${num(row.seconds)} s`,
        num(row.events / row.seconds),
        raw ? `${((row.events / row.seconds) / (raw.events / raw.seconds)).toFixed(2)}×` : '–',
        `${Math.round(row.cpuPerEvent * 1000)} µs (${percent(row.busyShare)} of a core)`,
        row.relay ? `+${num(row.indexS)} s` : '–',
        row.relay ? `${num(row.relay.batches, 0)} (${num(row.relay.eventsPerBatch, 0)}, ${num(row.relay.msPerBatch)} ms)` : '–',
        percent(row.others),
      ];
    })),
    '',
    ...(drains.profile ? profileLines(drains.profile, 'Profile of a relay\'s drain', `\`node --cpu-prof\`, from the release until the index caught up`) : []),
  ];
}

/** A side-by-side round of one path (bench/lib/side-by-side.ts). */
type Compared = SideBySideRound & { path: string };
const perEvent: SideBySideUnit = { cost: (cpuMs) => `${Math.round(cpuMs * 1000)} µs`, per: 'event', rate: 'events/s' };

/** The hub and BENCH_BEFORE_TREE's hub side by side on one path, each drained before and after a round. */
async function beforeAndAfter(bus: 'embedded' | 'kafka', shape: 'single' | 'batched', brokers: string[] | undefined): Promise<Compared[]> {
  if (!beforeTree || !paths.has(`${bus}-${shape}`)) return [];
  const start = async (tree?: string): Promise<Child> => {
    const topicPrefix = `bench-${run}-${hubsStarted++}`;
    const hub = await startChild('hub.ts', [], { tree, env: { BENCH_HUB: JSON.stringify({ bus, brokers, polling: false, topicPrefix }) } });
    if (bus === 'kafka' && brokers) onKafka.set(hub, { brokers, topicPrefix });
    return hub;
  };
  log(`side by side on the ${bus} bus, ${shape}: the hub and the hub of ${beforeCommit}`);
  const now = running.add(await start());
  const earlier = running.add(await start(beforeTree));
  const per = shape === 'single' ? 1 : batchSize;
  const half = Math.max(1, Math.floor((shape === 'single' ? connections : batchConnections) / 2));
  try {
    const rows = await sideBySide({
      hubs: { after: now, before: earlier },
      rounds,
      warmupS,
      seconds: duration,
      load: (hub, seconds, label) => runLoad({ url: String(hub.ready.url), connections: half, label, duration: seconds, requests: postRequests(shape) }),
      units: (summary) => summary.ok * per,
      settle: (hub) => drain(hub, drainTimeoutS),
      unit: perEvent,
    });
    return rows.map((row) => ({ ...row, path: `${bus} bus, ${shape === 'single' ? '1 event per POST' : `${batchSize} events per POST`}` }));
  } finally {
    for (const hub of [now, earlier]) await running.stop(hub);
  }
}

function sideBySideLines(rows: Compared[]): string[] {
  if (rows.length === 0) return [];
  return [
    `Before and after side by side: the hub and the hub of ${beforeCommit} (BENCH_BEFORE_TREE) loaded at the same time, half the connections each, for ${duration} s; each process's CPU over the load and its drain, divided by the events it accepted:`,
    '',
    sideBySideTable(rows, perEvent),
    '',
  ];
}

try {
  const embedded = await hubRuns('embedded');
  const compared = await beforeAndAfter('embedded', 'single', undefined);

  let brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) {
    kafkaDir = mkdtempSync(join(tmpdir(), 'penghubung-bench-kafka-'));
    log(`starting a local Kafka broker in ${kafkaDir}`);
    kafka = await startLocalKafka({ dir: kafkaDir });
    brokers = [kafka.brokers];
    brokerPid = findPid(join(kafkaDir, 'server.properties'));
  }
  // Raw and hub alternate (raw single, hub single and batched, raw batched) so drift in the
  // machine's other load is shared out.
  const [rawSingle] = await rawRuns(brokers, ['single']);
  // The relay as it was (one batch in flight), for a before/after in the same run.
  const oneInFlight = await hubRuns('kafka', brokers, ['batched'], 1);
  const onKafka = await hubRuns('kafka', brokers);
  compared.push(...(await beforeAndAfter('kafka', 'batched', brokers)));
  const [rawBatched] = await rawRuns(brokers, ['batched']);
  const drains = await relayDrains(brokers);
  const profile: HubProfile | undefined = profileMode === '1' && paths.has('kafka-batched')
    ? await profileUnderLoad({
      folder: 'profiles-ingest',
      start: (nodeArgs) => startChild('hub.ts', [], { nodeArgs, env: { BENCH_HUB: JSON.stringify({ bus: 'kafka', brokers, polling: false, topicPrefix: `bench-${run}-${hubsStarted++}` }) } }),
      load: { connections: batchConnections, requests: postRequests('batched'), label: 'hub on Kafka, batched, profiled', duration: Math.min(duration, 8) },
      warmupS,
      settle: (hub) => drain(hub, drainTimeoutS),
      limit: 25,
    })
    : undefined;
  const raw: Partial<Record<Measured['shape'], Measured>> = { single: rawSingle, batched: rawBatched };
  const all = [...embedded, ...oneInFlight, ...onKafka, ...(rawSingle ? [rawSingle] : []), ...(rawBatched ? [rawBatched] : [])];

  const vsRaw = (m: Measured, value: number): string => (m.bus === 'raw kafkajs' ? '1.00×' : raw[m.shape] ? `${(value / raw[m.shape]!.publishedPerSec).toFixed(2)}×` : '–');
  const rows = all.map((m) => [
    m.label,
    num(m.acceptedPerSec),
    m.bus === 'raw kafkajs' ? num(m.publishedPerSec) : m.backlogLeft === 0 ? num(m.publishedPerSec) : `${num(m.publishedPerSec)} (${num(m.backlogLeft)} left after ${drainTimeoutS} s)`,
    ms(m.latencyMs.p50),
    ms(m.latencyMs.p99),
    m.failed === 0 ? '0' : `**${m.failed}**`,
    vsRaw(m, m.acceptedPerSec),
    vsRaw(m, m.publishedPerSec),
    `${Math.round(m.cpuPerEvent.hub * 1000)} µs (${percent(m.busyShare)} of a core)`,
    Number.isFinite(m.cpuPerEvent.broker) ? `${Math.round(m.cpuPerEvent.broker * 1000)} µs` : '–',
    m.bus === 'raw kafkajs' ? '–' : `${Math.round(m.cpuPerEvent.client * 1000)} µs`,
    percent(m.others),
  ]);
  const find = (bus: Measured['bus'], shape: Measured['shape']): Measured | undefined => [...embedded, ...onKafka].find((m) => m.bus === bus && m.shape === shape);
  const limitOf = (m: Measured): string =>
    m.busyShare >= 0.85
      ? `the hub process was busy ${percent(m.busyShare)} of one core at ${Math.round(m.cpuPerEvent.hub * 1000)} µs CPU per event: its one event loop is the limit (~${num(1000 / m.cpuPerEvent.hub)} events/s per core at that cost)`
      : `the hub process was busy only ${percent(m.busyShare)} of one core (${Math.round(m.cpuPerEvent.hub * 1000)} µs CPU per event) while others used ${percent(m.others)} of the machine: it also waited (for CPU others held, for the outbox's fsync${m.bus === 'kafka' ? ', for Kafka acknowledging the relay\'s publishes' : ''})`;
  const relayNote = (m: Measured): string =>
    m.relay && m.relay.batches > 0 ? `; the relay published ${num(m.relay.batches, 0)} batches of ~${num(m.relay.eventsPerBatch, 0)} events (up to outbox.relayInFlight side by side), each acknowledged in ${num(m.relay.msPerBatch)} ms on average (~${num((1000 * m.relay.eventsPerBatch) / m.relay.msPerBatch)} events/s per lane if it did nothing else)` : '';
  const targetRows: Target[] = [];
  for (const bus of ['embedded', 'kafka'] as const) {
    const s = find(bus, 'single');
    const b = find(bus, 'batched');
    if (s) targetRows.push(
      { what: `single events, ${bus} bus (accepted)`, goal: `≥ ${num(goals.single)} events/s`, measured: `${num(s.acceptedPerSec)} events/s`, met: s.acceptedPerSec >= goals.single, note: `${num(goals.single - s.acceptedPerSec)} events/s short (${percent(s.acceptedPerSec / goals.single)}); ${limitOf(s)}` },
    );
    if (b) targetRows.push(
      { what: `batched events, ${bus} bus (accepted)`, goal: `≥ ${num(goals.batched)} events/s`, measured: `${num(b.acceptedPerSec)} events/s`, met: b.acceptedPerSec >= goals.batched, note: `${num(goals.batched - b.acceptedPerSec)} events/s short (${percent(b.acceptedPerSec / goals.batched)}); ${limitOf(b)}` },
    );
  }
  for (const shape of ['single', 'batched'] as const) {
    const h = find('kafka', shape);
    const r = raw[shape];
    if (!h || !r) continue;
    targetRows.push({
      what: `${shape}, hub on Kafka vs raw kafkajs (published end to end)`,
      goal: `≥ ${percent(goals.ofRaw[shape])}`,
      measured: `${percent(h.publishedPerSec / r.publishedPerSec)} (accepted: ${percent(h.acceptedPerSec / r.publishedPerSec)})`,
      met: h.publishedPerSec >= goals.ofRaw[shape] * r.publishedPerSec,
      note: `the hub publishes ${num(h.publishedPerSec)} events/s against ${num(r.publishedPerSec)} for raw kafkajs; per event the hub spends ${Math.round(h.cpuPerEvent.hub * 1000)} µs of CPU (HTTP, auth, validation, the outbox's fsync'd SQLite, audit, relay) where the raw producer spends ${Math.round(r.cpuPerEvent.hub * 1000)} µs; ${limitOf(h)}${relayNote(h)}`,
    });
  }

  const drainRates = (what: (row: Drained) => boolean): number[] => drains.rows.filter(what).map((row) => row.events / row.seconds);
  const relayAlone = drainRates((row) => row.relay !== undefined && !row.before);
  const rawAlone = drainRates((row) => row.relay === undefined);
  if (relayAlone.length > 0 && rawAlone.length > 0) {
    const share = median(relayAlone) / median(rawAlone);
    targetRows.push({
      what: 'batched, relay drain alone vs raw kafkajs (a backlog after an outage; the end-to-end row above is the one the hub is judged on)',
      goal: `≥ ${percent(goals.ofRaw.batched)}`,
      measured: `${percent(share)} (medians of ${relayAlone.length} rounds: ${num(median(relayAlone))} against ${num(median(rawAlone))} events/s)`,
      met: share >= goals.ofRaw.batched,
      note: `the relay drained ${num(drainEvents, 0)} events in publishes of ${batchSize}; see the drain table below`,
    });
  }

  const lines = [
    '## 2. Ingest: POST /v1/events',
    '',
    `Run: ${machineLine(started)}`,
    '',
    `Command: \`NODE_ENV=production npx tsx bench/ingest.ts\` (part of \`npm run bench\`). autocannon -d ${duration} after a ${warmupS} s warm-up: single events with -c ${connections} ` +
      `(\`application/cloudevents+json\`), batches of ${batchSize} with -c ${batchConnections} (\`application/cloudevents-batch+json\`); every event has a unique id set in autocannon's setupRequest. ` +
      'The hub runs in its own process (sandbox, polling off, log level silent, the test operator\'s API key); its 202 means the event is committed to the SQLite outbox (WAL, synchronous=FULL). ' +
      `Kafka is ${kafka ? 'a single local Apache Kafka 4.1 broker (KRaft, 512 MB heap) started for this run' : `the cluster at ${brokers.join(',')}`}. ` +
      `Raw kafkajs runs in the benchmark process: an idempotent producer (maxInFlightRequests 1, acks=-1, the hub's settings) sending the same events in the same CloudEvents binary encoding to a 3-partition topic, ` +
      `${connections} concurrent sends of 1 event, then ${batchConnections} concurrent sends of ${batchSize}.`,
    '',
    '"accepted" counts 202s (raw kafkajs: acknowledged sends) per second of load; "published" counts events that reached the bus, from the start of the load until the outbox was empty. ' +
      'Ratios compare with raw kafkajs of the same shape (its published rate).',
    '',
    table(['path', 'events/s accepted', 'events/s published', 'p50', 'p99', 'failed', 'accepted vs raw', 'published vs raw', 'CPU/event: hub or producer', 'broker', 'autocannon', 'others\' share'], rows),
    '',
    'CPU columns come from /proc over the load and the drain, per event: "hub or producer" is the hub process (or, for raw kafkajs, the producing process); "% of a core" is that process\'s CPU during the load over its wall time (one Node process runs JavaScript on one core). "others\' share" is the machine\'s CPU used by processes that are not this benchmark\'s.',
    '',
    'The outbox relay during each hub run (from the hub\'s `penghubung_bus_publish_duration_seconds` and `penghubung_events_published_total`): ' +
      all.filter((m) => m.relay).map((m) => `${m.label}: ${num(m.relay!.batches, 0)} publishes of ~${num(m.relay!.eventsPerBatch, 0)} events, ${num(m.relay!.msPerBatch)} ms each`).join('; ') + '.',
    '',
    targetsTable(targetRows),
    '',
    ...sideBySideLines(compared),
    ...drainLines(drains),
    ...(profile ? profileLines(profile, 'Profile of a hub on Kafka under batched posts', `\`node --cpu-prof\`, ${num((profile.summary.ok * batchSize) / profile.summary.durationS)} events/s accepted while profiled`) : []),
    'autocannon summary lines:',
    '',
    codeBlock(all.filter((m) => m.load).map((m) => `${m.label}\n${m.load!.printout.trimEnd()}`).join('\n\n')),
  ];
  publish('ingest', lines.join('\n'), { machine: started, settings: { duration, connections, batchConnections, batchSize, warmupS, drainEvents, brokers, localKafka: Boolean(kafka), paths: [...paths], beforeTree: beforeTree ?? null, beforeCommit: beforeCommit ?? null }, results: all, sideBySide: compared, targets: targetRows, profile: profile ?? null, relayDrain: drains.rows, relayDrainProfile: drains.profile ?? null });
} finally {
  await lagAdmin?.disconnect();
  await running.stopAll();
  if (kafka) await kafka.stop();
  if (kafkaDir) rmSync(kafkaDir, { recursive: true, force: true });
}
