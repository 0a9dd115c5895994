// Two hubs on one Kafka, as behind a load balancer: the pull API reads the topics, so each hub
// returns every event in order per key, a cursor from one continues on the other, a cursor no
// hub can honour is refused, and a named consumer's position is shared through its Kafka group.
// A post retried on the other hub is a duplicate there too, and is published once.
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BusRecord } from '../../src/bus/event-bus.js';
import type { Hub } from '../../src/hub.js';
import { PullCursorCodec } from '../../src/events/pull-cursor.js';
import { hubFetch } from '../support/auth.js';
import { clusterSettings, hubBeforeAll, postJson, sampleEvent, startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

interface Pulled {
  id: string;
  subject: string;
  data: { nomor: string };
}
interface Page {
  events: Pulled[];
  next: string;
}

const total = 1000;
const batchSize = 50;
const prefix = uniqueName('pull').replace(/\./g, '-');
let hubs: Hub[];
let kafka: Kafka;

/** Key of event i: each key is posted through one hub only, so its posting order is its order on Kafka. */
const keyOf = (i: number): string => `${i % 2 === 0 ? 'a' : 'b'}-${i % 10}`;

async function pull(hub: Hub, query: string): Promise<{ status: number; body: Page & { code?: string } }> {
  const response = await hubFetch(`${hub.url}/v1/events?${query}`);
  return { status: response.status, body: (await response.json()) as Page & { code?: string } };
}

/** Pages from `after` to the end with `limit` per page. */
async function pullAll(hub: Hub, after: string | undefined, limit: number): Promise<{ events: Pulled[]; next: string | undefined }> {
  const events: Pulled[] = [];
  let cursor = after;
  for (let page = 0; page < 100; page++) {
    const answer = await pull(hub, `type=uji.dibuat&limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
    expect(answer.status).toBe(200);
    cursor = answer.body.next;
    if (answer.body.events.length === 0) break;
    events.push(...answer.body.events);
  }
  return { events, next: cursor };
}

describe('the pull API across instances on Kafka', () => {
  const config = clusterSettings(prefix);
  const hubA = hubBeforeAll(config);
  const hubB = hubBeforeAll(config);
  beforeAll(async () => {
    hubs = [hubA(), hubB()];
    kafka = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    // Batches alternate between the hubs: event i goes through hub i % 2.
    for (let start = 0; start < total; start += batchSize * 2) {
      for (const [index, hub] of hubs.entries()) {
        const batch = Array.from({ length: batchSize }, (_, n) => start + index + n * 2).map((i) => sampleEvent(`pull-${i}`, { subject: keyOf(i), data: { nomor: String(i), keterangan: 'urut' } }));
        const answer = await postJson(`${hub.url}/v1/events`, batch, 'application/cloudevents-batch+json');
        expect(answer.status).toBe(202);
      }
    }
  }, 120_000);

  it('returns all 1,000 events from each hub, in order per key', async () => {
    for (const hub of hubs) {
      let events: Pulled[] = [];
      await waitFor(async () => (events = (await pullAll(hub, undefined, 1000)).events).length >= total, 30_000, () => `${total} events from ${hub.url} (pulled ${events.length})`, 250);
      expect(events).toHaveLength(total);
      expect(new Set(events.map((e) => e.id)).size).toBe(total);
      const byKey = new Map<string, number[]>();
      for (const event of events) byKey.set(event.subject, [...(byKey.get(event.subject) ?? []), Number(event.data.nomor)]);
      for (const [key, numbers] of byKey) expect(numbers, `order of ${key}`).toEqual([...numbers].sort((x, y) => x - y));
    }
    // Without a type: every event topic, and nothing of the hub's own topics (control state, claims).
    const all = await pull(hubs[1]!, 'limit=1000');
    expect(all.body.events).toHaveLength(total);
    expect(new Set(all.body.events.map((e) => (e as unknown as { type: string }).type))).toEqual(new Set(['uji.dibuat']));
    expect((await pull(hubs[0]!, `after=${all.body.next}`)).body.events).toEqual([]);
  }, 60_000);

  it('continues a cursor from one hub on the other without gap or repeat', async () => {
    const [a, b] = hubs as [Hub, Hub];
    const started = performance.now();
    const first = await pull(a, 'type=uji.dibuat&limit=300');
    const firstMs = performance.now() - started;
    expect(first.body.events).toHaveLength(300);
    const rest = await pullAll(b, first.body.next, 100);
    const ids = [...first.body.events, ...rest.events].map((e) => e.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    // And back: the end cursor from B is the end on A too.
    expect((await pull(a, `type=uji.dibuat&after=${rest.next}`)).body.events).toEqual([]);

    const pages: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const t0 = performance.now();
      const answer = await pull(hubs[page % 2]!, `type=uji.dibuat&limit=100${cursor ? `&after=${cursor}` : ''}`);
      pages.push(performance.now() - t0);
      cursor = answer.body.next;
    }
    pages.sort((x, y) => x - y);
    console.log(`pull API on Kafka: first page of 300 ${firstMs.toFixed(1)} ms; pages of 100: median ${pages[5]!.toFixed(1)} ms, max ${pages[9]!.toFixed(1)} ms`);
  });

  it('refuses with 400 a cursor no instance can honour, never skipping silently', async () => {
    const [a, b] = hubs as [Hub, Hub];
    const admin = kafka.admin();
    await admin.connect();
    const { clusterId } = await admin.describeCluster();
    const ours = new PullCursorCodec(`kafka:${clusterId}:${prefix}`);
    const expectRefused = async (cursor: string, code: string): Promise<void> => {
      for (const hub of [a, b]) {
        const answer = await pull(hub, `type=uji.dibuat&after=${cursor}`);
        expect(answer.status, code).toBe(400);
        expect(answer.body.code).toBe(code);
      }
    };
    await expectRefused('bm90LWEtY3Vyc29y', 'cursor-invalid');
    await expectRefused(new PullCursorCodec(`kafka:${clusterId}:another-deployment`).encode({ kind: 'kafka', topics: { uji: [0, 0, 0] } }), 'cursor-invalid');
    await expectRefused(ours.encode({ kind: 'outbox', seq: 3 }), 'cursor-invalid');
    await expectRefused(ours.encode({ kind: 'kafka', topics: { uji: [1_000_000, 0, 0] } }), 'cursor-invalid');
    // Retention deletes the oldest records of partition 0: a cursor from before them would skip them.
    const offsets = await admin.fetchTopicOffsets(`${prefix}.uji`);
    const partition = offsets.find((p) => Number(p.high) > 10)!;
    await admin.deleteTopicRecords({ topic: `${prefix}.uji`, partitions: [{ partition: partition.partition, offset: '5' }] });
    await admin.disconnect();
    await expectRefused(ours.encode({ kind: 'kafka', topics: { uji: offsets.sort((x, y) => x.partition - y.partition).map((p) => (p.partition === partition.partition ? 2 : Number(p.low))) } }), 'cursor-expired');
  });

  it("shares a named consumer's position through its Kafka group: set on one hub, read on the other", async () => {
    const [a, b] = hubs as [Hub, Hub];
    const page = await pull(a, 'type=uji.dibuat&limit=10');
    const put = await hubFetch(`${a.url}/v1/events/cursors/aplikasi-x`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cursor: page.body.next }) });
    expect(put.status).toBe(200);
    const read = await hubFetch(`${b.url}/v1/events/cursors/aplikasi-x`);
    expect(read.status).toBe(200);
    const committed = ((await read.json()) as { cursor: string }).cursor;
    const fromA = await pull(a, `type=uji.dibuat&limit=5&after=${page.body.next}`);
    const fromB = await pull(b, 'type=uji.dibuat&limit=5&consumer=aplikasi-x');
    expect(fromB.body.events.map((e) => e.id)).toEqual(fromA.body.events.map((e) => e.id));
    expect((await pull(b, `type=uji.dibuat&limit=5&after=${committed}`)).body.events.map((e) => e.id)).toEqual(fromA.body.events.map((e) => e.id));
    const unknown = await hubFetch(`${b.url}/v1/events/cursors/belum-ada`);
    expect(unknown.status).toBe(404);
  });

  it('answers a post retried on the other hub as a duplicate and publishes it once, also when both race', async () => {
    const [a, b] = hubs as [Hub, Hub];
    const seen: BusRecord[] = [];
    const subscription = await a.bus.subscribe({ groupId: uniqueName('retry-reader'), topic: `${prefix}.uji`, start: { from: 'latest' }, handler: async (record) => void seen.push(record) });
    try {
      const single = sampleEvent('ulang-1');
      const first = await postJson(`${a.url}/v1/events`, single);
      const retried = await postJson(`${b.url}/v1/events`, single);
      expect([first.status, first.body.duplicate, retried.status, retried.body.duplicate]).toEqual([202, false, 202, true]);

      const batch = Array.from({ length: 10 }, (_, i) => sampleEvent(`ulang-batch-${i}`));
      expect((await postJson(`${b.url}/v1/events`, batch.slice(0, 5), 'application/cloudevents-batch+json')).status).toBe(202);
      const mixed = await postJson(`${a.url}/v1/events`, batch, 'application/cloudevents-batch+json');
      expect((mixed.body.events as { duplicate: boolean }[]).map((e) => e.duplicate)).toEqual([true, true, true, true, true, false, false, false, false, false]);

      // Same event to both hubs at once: exactly one stores it; the other says duplicate once the
      // first confirmed it stored, or 409 event-claim-pending (stored nothing) while it had not yet.
      const raced = await Promise.all(hubs.map((hub) => postJson(`${hub.url}/v1/events`, sampleEvent('ulang-balapan'))));
      expect(raced.filter((answer) => answer.status === 202 && answer.body.duplicate === false)).toHaveLength(1);
      const other = raced.find((answer) => !(answer.status === 202 && answer.body.duplicate === false))!;
      expect([[202, true], [409, 'event-claim-pending']]).toContainEqual([other.status, other.status === 202 ? other.body.duplicate : other.body.code]);
      if (other.status === 409) expect(other.headers.get('retry-after')).toBe('2');

      // Each hub's relay publishes in acceptance order: once the sentinels are on the topic, a second copy would be too.
      for (const hub of hubs) expect((await postJson(`${hub.url}/v1/events`, sampleEvent(`ulang-penanda-${hub.url}`))).status).toBe(202);
      await waitFor(() => hubs.every((hub) => seen.some((r) => r.event.id === `ulang-penanda-${hub.url}`)), 30_000, 'both sentinels on the topic');
      const copies = (id: string): number => seen.filter((r) => r.event.id === id).length;
      expect(['ulang-1', 'ulang-balapan', ...batch.map((e) => e.id as string)].map(copies)).toEqual(Array(12).fill(1));
    } finally {
      await subscription.close();
    }
  });

  it('measures what the cross-instance check costs a post', async () => {
    const baseline = await startTestHub({ bus: { kind: 'kafka', topicPrefix: uniqueName('tanpa-klaim').replace(/\./g, '-'), kafka: { brokers: kafkaBrokers() } }, events: { idempotencyWindowMinutes: 0 } });
    const time = async (hub: Hub, label: string): Promise<{ single: number; batch: number }> => {
      const singles: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        expect((await postJson(`${hub.url}/v1/events`, sampleEvent(`biaya-${label}-${i}`))).status).toBe(202);
        singles.push(performance.now() - t0);
      }
      singles.sort((x, y) => x - y);
      const t0 = performance.now();
      expect((await postJson(`${hub.url}/v1/events`, Array.from({ length: 100 }, (_, i) => sampleEvent(`biaya-${label}-batch-${i}`)), 'application/cloudevents-batch+json')).status).toBe(202);
      return { single: singles[15]!, batch: performance.now() - t0 };
    };
    try {
      const without = await time(baseline, 'tanpa');
      const withClaims = await time(hubs[0]!, 'dengan');
      console.log(`POST /v1/events median, single event: ${withClaims.single.toFixed(1)} ms with the claim check, ${without.single.toFixed(1)} ms without; batch of 100: ${withClaims.batch.toFixed(1)} ms with, ${without.batch.toFixed(1)} ms without`);
      // The timed hub checked across instances; the baseline hub (window 0) did not take part.
      expect((await postJson(`${hubs[1]!.url}/v1/events`, sampleEvent('biaya-dengan-0'))).body.duplicate).toBe(true);
    } finally {
      await baseline.close();
    }
  });
});
