// Scale-out: two hub instances (own data directories and outboxes, one Kafka, one topic prefix)
// share the delivery of follow-ups to ONE SP4N-LAPOR! simulator through the consumer group
// `<prefix>.connector.lapor.kirim-tindak-lanjut`.
//
// 1. In-process: 200 follow-ups, half posted to each instance; both deliver, and every follow-up
//    reaches LAPOR! once. Also: a follow-up posted to both is a duplicate on the second and
//    reaches LAPOR! once. (Tokens across instances: test/state/clients-across-instances.test.ts.)
//    Every instance projects every complaint and indexes every dead letter (groups per instance
//    and per topic).
// 2. As processes (`node --import tsx src/main.ts`): 400 more are posted, the upstream is slowed a
//    little so deliveries are in flight, instance A is SIGKILLed mid-stream and 100 more are posted
//    to B. B's consumer group rebalances, B takes over A's partitions and every follow-up reaches
//    LAPOR! — at least once on the wire (a counting proxy in front of the simulator sees every
//    call), exactly once after the upstream's dedupe by follow-up id (the simulator ignores a
//    second <tindaklanjut> with an id it already has, as LAPOR! does).
//
// Measured figures (posting throughput, delivery throughput, rebalance and takeover time after
// the SIGKILL, re-sent deliveries) are printed, never asserted; docs/SCALING.md quotes them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../connectors/lapor/simulator.js';
import { partitionFor } from '../../src/bus/partitioner.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import { eventKey } from '../../src/events/event-key.js';
import type { Hub } from '../../src/hub.js';
import { projectPath } from '../../src/schemas.js';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { hubFetch } from '../support/auth.js';
import { postJson, startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { addComplaints, followUp, hubProcessEnv, killAllHubs, postEvents, readiness, recordedFollowUps, spawnHub, startUpstreamProxy, type HubProcess, type UpstreamProxy } from './fault-support.js';

const PARTITIONS = 3;
const prefix = uniqueName('scaleout').toLowerCase();
const group = `${prefix}.connector.lapor.kirim-tindak-lanjut`;
const topic = `${prefix}.pengaduan.tindak-lanjut`;
const dataDirs = { a: mkdtempSync(join(tmpdir(), 'penghubung-scale-a-')), b: mkdtempSync(join(tmpdir(), 'penghubung-scale-b-')) };
// Instances on one cluster share the key that seals their shared state (made by A, read by B).
const stateKeyFile = join(mkdtempSync(join(tmpdir(), 'penghubung-scale-keys-')), 'state.key');

let simulator: Simulator;
let proxy: UpstreamProxy;
let admin: Admin;
let trackingIds: string[];
const inProcess: Hub[] = [];
/** Every follow-up id acknowledged so far, in both phases. */
const acknowledged = new Set<string>();
const figures: Record<string, string | number> = {};

beforeAll(async () => {
  simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
  proxy = await startUpstreamProxy(simulator.url, '/api/stream/addstream');
  // Thirty complaints, so the follow-ups' keys (their complaint) spread over every partition.
  trackingIds = await addComplaints(simulator.url, '8100', 30);
  admin = new Kafka({ clientId: 'scaleout-observer', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});

afterAll(async () => {
  killAllHubs();
  await Promise.allSettled(inProcess.map((hub) => hub.close()));
  await admin?.disconnect();
  await proxy?.close();
  await simulator?.close();
  for (const dir of Object.values(dataDirs)) rmSync(dir, { recursive: true, force: true });
  console.log(`[scale-out] measured: ${JSON.stringify(figures, null, 2)}`);
});

/** Members of the delivery group, by Kafka client id, with the partitions each holds. */
async function members(): Promise<{ state: string; members: { clientId: string; partitions: number[] }[] }> {
  const { groups } = await admin.describeGroups([group]);
  const described = groups[0]!;
  return {
    state: described.state,
    members: described.members.map((member) => {
      const assignment = member.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
      return { clientId: member.clientId, partitions: [...(assignment?.assignment[topic] ?? [])].sort() };
    }),
  };
}

async function stableWith(count: number): Promise<boolean> {
  const described = await members();
  return described.state === 'Stable' && described.members.length === count && described.members.reduce((sum, m) => sum + m.partitions.length, 0) === PARTITIONS;
}

/** Follow-up ids this instance's state store recorded as delivered by it (deliveries are keyed by the event's source + id). */
function deliveredBy(dataDir: string, ids: Set<string>): Set<string> {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    const keys = new Set(db.prepare("SELECT event_id FROM deliveries WHERE connector = 'lapor' AND operation = 'kirim-tindak-lanjut'").pluck().all() as string[]);
    return new Set([...ids].filter((id) => keys.has(eventKey({ source: followUp(id, '').source as string, id }))));
  } finally {
    db.close();
  }
}

const followUps = (label: string, count: number): Record<string, unknown>[] => Array.from({ length: count }, (_, n) => followUp(`tl-${label}-${n}`, trackingIds[n % trackingIds.length]!));
const partitionOf = (event: Record<string, unknown>): number => partitionFor(String(event.subject), PARTITIONS);
const seconds = (ms: number): number => Math.round(ms / 10) / 100;

/** The simulator holds every id once; the proxy saw each at least once. */
async function expectEachDeliveredOnce(ids: Set<string>): Promise<void> {
  const recorded = await recordedFollowUps(simulator.url);
  const perId = new Map<string, number>();
  for (const followUp of recorded) if (followUp.id !== undefined) perId.set(followUp.id, (perId.get(followUp.id) ?? 0) + 1);
  expect([...ids].filter((id) => perId.get(id) !== 1)).toEqual([]);
  expect([...ids].filter((id) => !proxy.forwarded.has(id))).toEqual([]);
}

describe('two hub instances sharing outbound deliveries', () => {
  it('splits deliveries between the instances and delivers each follow-up once', async () => {
    const env = { KAFKA_BROKERS: kafkaBrokers().join(','), LAPOR_BASE_URL: proxy.url };
    const settings = { bus: { topicPrefix: prefix, partitions: PARTITIONS }, connectors: { polling: false }, shutdown: { graceMs: 2000 }, security: { stateKeyFile } };
    const a = await startTestHub({ ...settings, dataDir: dataDirs.a }, env);
    inProcess.push(a);
    const b = await startTestHub({ ...settings, dataDir: dataDirs.b }, env);
    inProcess.push(b);
    await waitFor(() => stableWith(2), 30_000, `both instances in ${group}`, 250);

    const events = followUps('satu', 200);
    const started = Date.now();
    const posted = await postEvents(events, (index) => (index % 2 === 0 ? a.url : b.url), 16);
    const postedMs = Date.now() - started;
    expect(posted.refused).toEqual([]);
    expect(posted.acknowledged.size).toBe(200);
    for (const id of posted.acknowledged) acknowledged.add(id);

    await waitFor(() => [...posted.acknowledged].every((id) => proxy.forwarded.has(id)), 30_000, () => `200 follow-ups at LAPOR! (${[...posted.acknowledged].filter((id) => proxy.forwarded.has(id)).length} so far)`, 50);
    const deliveredMs = Date.now() - started;
    await expectEachDeliveredOnce(posted.acknowledged);

    // Both instances delivered, and between them each follow-up exactly once.
    const byA = deliveredBy(dataDirs.a, posted.acknowledged);
    const byB = deliveredBy(dataDirs.b, posted.acknowledged);
    expect(byA.size).toBeGreaterThan(0);
    expect(byB.size).toBeGreaterThan(0);
    expect(byA.size + byB.size).toBe(200);
    expect([...byA].filter((id) => byB.has(id))).toEqual([]);

    // Idempotency by source + id holds across instances (claims on Kafka): the same follow-up
    // retried against the other instance is a duplicate there, and LAPOR! gets it once.
    const twice = followUp('tl-dua-instansi', trackingIds[0]!);
    const [toA, toB] = [await postJson(`${a.url}/v1/events`, twice), await postJson(`${b.url}/v1/events`, twice)];
    expect([toA.status, toA.body.duplicate, toB.status, toB.body.duplicate]).toEqual([202, false, 202, true]);
    acknowledged.add('tl-dua-instansi');
    await waitFor(() => proxy.forwarded.has('tl-dua-instansi'), 15_000, 'the follow-up posted to both instances at LAPOR!');
    // One more follow-up of the same complaint through each instance, after the copy it holds
    // (same key: one partition, one worker, in order): once both are at LAPOR!, a late second
    // delivery of the retried follow-up would be too.
    const markers = [followUp('tl-dua-instansi-penanda-a', trackingIds[0]!), followUp('tl-dua-instansi-penanda-b', trackingIds[0]!)];
    expect([(await postJson(`${a.url}/v1/events`, markers[0])).status, (await postJson(`${b.url}/v1/events`, markers[1])).status]).toEqual([202, 202]);
    markers.forEach((marker) => acknowledged.add(marker.id as string));
    await waitFor(() => markers.every((marker) => proxy.forwarded.has(marker.id as string)), 15_000, 'the follow-ups posted after it, through both instances, at LAPOR!');
    expect(proxy.forwarded.get('tl-dua-instansi')).toHaveLength(1);

    Object.assign(figures, {
      'phase 1: follow-ups': 200,
      'phase 1: posted in s (2 in-process instances, 16 clients)': seconds(postedMs),
      'phase 1: accepted per s': Math.round(200 / (postedMs / 1000)),
      'phase 1: all delivered after s': seconds(deliveredMs),
      'phase 1: delivered per s (end to end)': Math.round(200 / (deliveredMs / 1000)),
      'phase 1: delivered by A / B': `${byA.size} / ${byB.size}`,
      'phase 1: re-sent deliveries': proxy.duplicates(),
    });
  }, 60_000);

  // Projections and the dead-letter index keep state per instance, so each instance consumes
  // in a consumer group of its own, one per topic: sharing a group would split the events
  // between instances, and a kafkajs group whose members subscribe to different topics drops
  // partitions (seen here before the fix: 12 letters parked, 9 listed, on one instance).
  it('every instance projects every complaint into its own view', async () => {
    const [a, b] = inProcess;
    const canonical = (JSON.parse(readFileSync(projectPath('connectors', 'lapor', 'fixtures', 'pengaduan-masuk', 'snake-case-lengkap.expected.json'), 'utf8')) as { canonical: Record<string, unknown>[] }).canonical[0]!;
    const complaints = trackingIds.map((trackingId) => ({ specversion: '1.0', id: `pengaduan-${trackingId}`, source: '/uji/lapor', type: 'pengaduan.diterima', subject: `lapor-${trackingId}`, data: { ...canonical, id: `lapor-${trackingId}`, nomor_pelacakan: trackingId } }));
    const posted = await postEvents(complaints, (index) => (index % 2 === 0 ? a!.url : b!.url), 8);
    expect(posted.refused).toEqual([]);
    const inView = async (hub: Hub): Promise<number> => ((await (await hubFetch(`${hub.url}/v1/pengaduan?limit=500`)).json()) as { items: { id: string }[] }).items.filter((item) => trackingIds.includes(item.id.slice('lapor-'.length))).length;
    let seen = '';
    await waitFor(async () => {
      const [inA, inB] = [await inView(a!), await inView(b!)];
      seen = `A ${inA}, B ${inB} of ${trackingIds.length} complaints in the view`;
      return inA === trackingIds.length && inB === trackingIds.length;
    }, 6000, () => seen, 200);
  }, 20_000);

  it('every instance indexes every dead letter, whichever instance parked it', async () => {
    const [a, b] = inProcess;
    // Follow-ups to complaints LAPOR! does not know: refused for good, parked at once.
    const unknown = Array.from({ length: 12 }, (_, n) => followUp(`tl-tak-dikenal-${n}`, `8199${String(n).padStart(3, '0')}`));
    const posted = await postEvents(unknown, (index) => (index % 2 === 0 ? a!.url : b!.url), 4);
    expect(posted.refused).toEqual([]);
    const parked = async (hub: Hub): Promise<number> => ((await (await hubFetch(`${hub.url}/v1/dead-letters?connector=lapor`)).json()) as { dead_letters: unknown[] }).dead_letters.length;
    let seen = '';
    await waitFor(async () => {
      const [inA, inB] = [await parked(a!), await parked(b!)];
      seen = `A ${inA}, B ${inB} of ${unknown.length} dead letters listed`;
      return inA === unknown.length && inB === unknown.length;
    }, 6000, () => seen, 200);
  }, 20_000);

  it('hands a SIGKILLed instance\'s partitions to the survivor, which delivers everything', async () => {
    // The same data directories, now as processes.
    await Promise.all(inProcess.splice(0).map((hub) => hub.close()));
    const [portA, portB] = [await freePort(), await freePort()];
    const common = { ...hubProcessEnv, KAFKA_BROKERS: kafkaBrokers().join(','), LAPOR_BASE_URL: proxy.url, PENGHUBUNG_BUS__TOPIC_PREFIX: prefix, PENGHUBUNG_BUS__PARTITIONS: String(PARTITIONS), PENGHUBUNG_SECURITY__STATE_KEY_FILE: stateKeyFile };
    const a = spawnHub(`http://127.0.0.1:${portA}`, { ...common, PENGHUBUNG_HTTP__PORT: String(portA), PENGHUBUNG_DATA_DIR: dataDirs.a, PENGHUBUNG_BUS__KAFKA__CLIENT_ID: 'penghubung-a' });
    const b = spawnHub(`http://127.0.0.1:${portB}`, { ...common, PENGHUBUNG_HTTP__PORT: String(portB), PENGHUBUNG_DATA_DIR: dataDirs.b, PENGHUBUNG_BUS__KAFKA__CLIENT_ID: 'penghubung-b' });
    const alive = (hub: HubProcess) => async () => {
      if (hub.child.exitCode !== null) throw new Error(`hub ${hub.url} exited: ${hub.stderr()}`);
      return (await readiness(hub.url)).status === 200;
    };
    await waitFor(alive(a), 30_000, 'instance A to be ready', 200);
    await waitFor(alive(b), 30_000, 'instance B to be ready', 200);
    await waitFor(() => stableWith(2), 30_000, `both processes in ${group}`, 250);

    // Slow LAPOR! a little, so that deliveries are in flight when A dies.
    proxy.mode = { kind: 'pass', delayMs: 15 };
    const events = followUps('dua', 400);
    const started = Date.now();
    const posted = await postEvents(events, (index) => (index % 2 === 0 ? a.url : b.url), 16);
    const postedMs = Date.now() - started;
    expect(posted.refused).toEqual([]);
    expect(posted.acknowledged.size).toBe(400);
    for (const id of posted.acknowledged) acknowledged.add(id);
    // Everything either instance acknowledged is in Kafka before the kill: what a killed
    // instance still holds in its outbox waits for its restart (test/faults/gateway-kill.test.ts).
    await waitFor(async () => (await readiness(a.url)).backlog === 0 && (await readiness(b.url)).backlog === 0, 30_000, 'both outboxes to drain into Kafka', 50);

    const ownership = await members();
    const partitionsOfA = ownership.members.find((m) => m.clientId === 'penghubung-a')?.partitions ?? [];
    expect(partitionsOfA.length).toBeGreaterThan(0);
    const onA = new Set(events.filter((event) => partitionsOfA.includes(partitionOf(event))).map((event) => String(event.id)));
    const deliveredSoFar = (ids: Iterable<string>): number => [...ids].filter((id) => proxy.forwarded.has(id)).length;
    await waitFor(() => deliveredSoFar(onA) >= onA.size / 4, 30_000, () => `a quarter of A's follow-ups delivered (${deliveredSoFar(onA)} of ${onA.size})`, 20);
    expect(deliveredSoFar(onA)).toBeLessThan(onA.size);

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const pendingOnA = [...onA].filter((id) => !proxy.forwarded.has(id));

    // B keeps accepting while the group has not noticed yet.
    const after = followUps('tiga', 100);
    const postedAfter = await postEvents(after, () => b.url, 8);
    expect(postedAfter.refused).toEqual([]);
    for (const id of postedAfter.acknowledged) acknowledged.add(id);

    await waitFor(async () => {
      const described = await members();
      return described.state === 'Stable' && described.members.length === 1 && described.members[0]!.clientId === 'penghubung-b' && described.members[0]!.partitions.length === PARTITIONS;
    }, 40_000, `B alone holding all ${PARTITIONS} partitions of ${group}`, 100);
    const rebalancedMs = Date.now() - killedAt;
    await waitFor(() => pendingOnA.some((id) => (proxy.forwarded.get(id) ?? []).some((time) => time > killedAt)), 30_000, 'B to deliver the first follow-up A had left', 20);
    const firstTakeoverMs = Math.min(...pendingOnA.flatMap((id) => (proxy.forwarded.get(id) ?? []).filter((time) => time > killedAt))) - killedAt;

    const all = new Set([...posted.acknowledged, ...postedAfter.acknowledged]);
    await waitFor(() => deliveredSoFar(all) === all.size, 45_000, () => `every follow-up at LAPOR! (${deliveredSoFar(all)} of ${all.size})`, 50);
    const allDeliveredMs = Date.now() - killedAt;

    // Exactly once after dedupe by id, for both phases; nothing else arrived.
    await expectEachDeliveredOnce(acknowledged);
    const recorded = await recordedFollowUps(simulator.url);
    expect(recorded.filter((f) => f.id !== undefined && !acknowledged.has(f.id))).toEqual([]);
    expect(recorded).toHaveLength(acknowledged.size);
    // What A had delivered but not yet committed, B sends again: at-least-once on the wire.
    const resent = [...all].filter((id) => proxy.forwarded.get(id)!.length > 1);
    expect(resent.every((id) => onA.has(id))).toBe(true);
    expect((await readiness(b.url)).status).toBe(200);

    Object.assign(figures, {
      'phase 2: follow-ups before the kill': 400,
      'phase 2: posted in s (2 processes, 16 clients)': seconds(postedMs),
      'phase 2: accepted per s': Math.round(400 / (postedMs / 1000)),
      'phase 2: upstream delay per call (ms)': 15,
      "phase 2: partitions of A": partitionsOfA.join(','),
      "phase 2: A's follow-ups still pending at the kill": pendingOnA.length,
      'phase 2: group rebalanced to B alone after s (SIGKILL → Stable)': seconds(rebalancedMs),
      "phase 2: B delivered the first of A's pending after s": seconds(firstTakeoverMs),
      'phase 2: everything delivered after s (from the kill)': seconds(allDeliveredMs),
      'phase 2: follow-ups sent to LAPOR! more than once': resent.length,
      'total re-sent deliveries (both phases)': proxy.duplicates(),
    });
    b.child.kill('SIGTERM');
    const exit = await b.exited;
    expect(exit.code).toBe(0);
  }, 120_000);
});
