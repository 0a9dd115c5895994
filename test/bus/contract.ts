// The EventBus contract: one suite that every implementation (Kafka, embedded SQLite log)
// passes. Each test works on its own topics and consumer groups and waits with deadlines.
//
// Delivery is at-least-once in general; the suite tolerates duplicates only where a consumer
// group is still settling (a member joining), and asserts exactly-once delivery in clean runs.
import { describe, it } from 'vitest';
import type { BusRecord, EventBus, OutgoingMessage, SubscribeOptions, Subscription } from '../../src/bus/event-bus.js';
import { partitionFor } from '../../src/bus/partitioner.js';
import type { CloudEvent } from '../../src/events/cloudevent.js';
import { LosslessNumber, parseJson } from '../../src/events/json.js';
import { uniqueName } from '../support/kafka.js';
import { nextMillisecond, sleep, waitFor } from '../support/wait.js';

export interface BusContractOptions {
  /** Partitions per topic the factory's bus creates; default 3. */
  partitions?: number;
  /** Deadline for any one expected delivery; default 30 s. */
  deliveryTimeoutMs?: number;
  /** Run the tests concurrently; default false. */
  concurrent?: boolean;
}

/** Collects what one subscription's handler was called with, in call order. */
class Consumer {
  readonly calls: BusRecord[] = [];
  subscription: Subscription | undefined;
  private closed = false;
  /** Runs after the call is recorded, e.g. to throw; set before subscribing. */
  onRecord: ((record: BusRecord) => Promise<void>) | undefined;

  constructor(readonly label: string) {}

  readonly handler = async (record: BusRecord): Promise<void> => {
    this.calls.push(record);
    if (this.onRecord) await this.onRecord(record);
  };

  ids(): string[] {
    return this.calls.map((record) => record.event.id);
  }

  count(id: string): number {
    return this.calls.filter((record) => record.event.id === id).length;
  }

  has(id: string): boolean {
    return this.calls.some((record) => record.event.id === id);
  }

  async close(): Promise<void> {
    if (this.closed || !this.subscription) return;
    this.closed = true;
    await this.subscription.close();
  }
}

interface Batch {
  messages: OutgoingMessage[];
  ids: string[];
}

/** One test's bus, consumers and helpers; `close` ends the consumers, then the bus. */
class Harness {
  readonly consumers: Consumer[] = [];

  constructor(
    readonly bus: EventBus,
    private readonly partitions: number,
    private readonly deliveryTimeoutMs: number,
  ) {}

  async subscribe(
    label: string,
    options: Omit<SubscribeOptions, 'handler'>,
    onRecord?: (record: BusRecord) => Promise<void>,
  ): Promise<Consumer> {
    const consumer = new Consumer(label);
    consumer.onRecord = onRecord;
    this.consumers.push(consumer);
    consumer.subscription = await this.bus.subscribe({ ...options, handler: consumer.handler });
    return consumer;
  }

  /** A key that lands in `partition` (both buses use Kafka's murmur2 partitioner). */
  keyFor(partition: number, tag: string): string {
    for (let i = 0; ; i++) {
      const key = `${tag}-${i}`;
      if (partitionFor(key, this.partitions) === partition) return key;
    }
  }

  event(id: string, extra: Partial<CloudEvent> = {}): CloudEvent {
    return {
      specversion: '1.0',
      id,
      source: '/penghubung/uji-kontrak',
      type: 'uji.kontrak.dibuat',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { id },
      ...extra,
    };
  }

  /** `perPartition` events on each partition (default all), ids `<tag>-p<partition>-<n>`. */
  spread(topic: string, tag: string, perPartition: number, onlyPartitions?: number[]): Batch {
    const messages: OutgoingMessage[] = [];
    for (let n = 0; n < perPartition; n++) {
      for (const partition of onlyPartitions ?? Array.from({ length: this.partitions }, (_, p) => p)) {
        messages.push({ topic, key: this.keyFor(partition, tag), event: this.event(`${tag}-p${partition}-${n}`) });
      }
    }
    return { messages, ids: messages.map((m) => m.event.id) };
  }

  waitSeen(group: Consumer[], ids: string[], what: string): Promise<void> {
    const missing = (): string[] => ids.filter((id) => !group.some((consumer) => consumer.has(id)));
    return waitFor(
      () => missing().length === 0,
      this.deliveryTimeoutMs,
      () => `${what}: ${missing().length} of ${ids.length} not delivered yet (e.g. ${missing().slice(0, 5).join(', ')})`,
    );
  }

  /**
   * Publishes one event on every partition and waits until the group has handled them. Order
   * per partition means everything published earlier has been delivered by then.
   */
  async fence(topic: string, group: Consumer[], tag: string): Promise<string[]> {
    const batch = this.spread(topic, tag, 1);
    await this.bus.publish(batch.messages);
    await this.waitSeen(group, batch.ids, `fence ${tag}`);
    return batch.ids;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.consumers.map((consumer) => consumer.close()));
    await this.bus.close();
  }
}

const totalCount = (group: Consumer[], id: string): number => group.reduce((sum, consumer) => sum + consumer.count(id), 0);

/**
 * The contract suite for one EventBus implementation. `makeBus` returns a new, not yet started
 * bus whose topics get `partitions` partitions; every test starts its own and closes it.
 * With `concurrent`, the tests run at the same time (they share no topics or groups), which
 * hides the seconds a Kafka group join or consumer shutdown takes.
 */
export function describeBusContract(name: string, makeBus: () => Promise<EventBus>, options: BusContractOptions = {}): void {
  const partitions = options.partitions ?? 3;
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 30_000;

  const open = async (onTestFinished: (fn: () => Promise<void>) => void): Promise<Harness> => {
    const bus = await makeBus();
    await bus.start();
    const harness = new Harness(bus, partitions, deliveryTimeoutMs);
    onTestFinished(() => harness.close());
    return harness;
  };

  describe(`EventBus contract: ${name}`, { concurrent: options.concurrent ?? false }, () => {
    // ---- the contract -------------------------------------------------------------------

    it('answers healthy once started', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      expect(await h.bus.healthy()).toBe(true);
    });

    it('round-trips every CloudEvents attribute, the data and the transport headers', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.attributes');
      const bigData = parseJson(
        '{"nik":3201234567890123456789,"nomor":9007199254740993,"nama":"Siti Aminah","umur":42,"skor":97.5,' +
          '"aktif":true,"catatan":null,"alamat":{"rt":"001","rw":"002","kodepos":"40111"},"tags":["jalan","banjir"],' +
          '"teks":"Jl. Merdeka № 5, 漢字 ✓ 🚀"}',
      ) as Record<string, unknown>;
      // parseJson keeps the digits that a double would lose.
      expect(bigData.nik).toBeInstanceOf(LosslessNumber);
      expect(String(bigData.nik)).toBe('3201234567890123456789');
      expect(String(bigData.nomor)).toBe('9007199254740993');

      const sent: { key: string; event: CloudEvent; headers?: Record<string, string> }[] = [
        {
          key: 'kec-coblong',
          event: {
            specversion: '1.0',
            id: 'evt-01J0RICH',
            source: '/pemda/kab-bandung/dukcapil',
            type: 'kependudukan.penduduk.diperbarui',
            subject: 'penduduk/3201234567890123456789',
            time: '2025-01-02T03:04:05.678Z',
            datacontenttype: 'application/json',
            dataschema: 'https://skema.penghubung.go.id/kependudukan/penduduk/v1.json',
            partitionkey: 'kec-coblong',
            classification: 'terbatas',
            tenant: 'kab-bandung',
            data: bigData,
          },
          headers: {
            'correlation-id': 'corr-6f1d2a',
            traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
            'x-penghubung-origin': 'gateway/http',
          },
        },
        {
          key: 'kec-coblong',
          event: {
            specversion: '1.0',
            id: 'evt-02ARRAY',
            source: '/pemda/kab-bandung/dukcapil',
            type: 'kependudukan.penduduk.diperbarui',
            datacontenttype: 'application/vnd.penghubung.penduduk+json; charset=utf-8',
            data: [1, 'dua', { tiga: 3 }, [], {}],
          },
          headers: { 'correlation-id': 'corr-7a' },
        },
        {
          key: 'laporan-77',
          event: {
            specversion: '1.0',
            id: 'evt-03TEXT',
            source: '/pemda/kab-bandung/lapor',
            type: 'pengaduan.diterima',
            subject: 'laporan/77',
            time: '2025-02-03T04:05:06Z',
            datacontenttype: 'text/plain; charset=utf-8',
            data: 'Jalan rusak di RT 03/RW 05 ✓\nmohon ditindak',
          },
        },
        {
          key: 'berkas-9',
          event: {
            specversion: '1.0',
            id: 'evt-04BINARY',
            source: '/pemda/kab-bandung/arsip',
            type: 'arsip.berkas.diunggah',
            subject: 'berkas/9',
            datacontenttype: 'application/octet-stream',
            data_base64: Buffer.from([0, 1, 2, 127, 128, 254, 255, 10, 13, 0]).toString('base64'),
            classification: 'rahasia',
          },
          headers: { 'correlation-id': 'corr-bin' },
        },
        {
          key: 'jadwal-1',
          event: {
            specversion: '1.0',
            id: 'evt-05NODATA',
            source: '/pemda/kab-bandung/jadwal',
            type: 'jadwal.rapat.dibatalkan',
            subject: 'rapat/1',
          },
        },
      ];

      const publishedAt = Date.now();
      await h.bus.publish(sent.map((m) => ({ topic, key: m.key, event: m.event, ...(m.headers ? { headers: m.headers } : {}) })));
      const consumer = await h.subscribe('attributes', { groupId: uniqueName('contract.attributes.group'), topic });
      await h.waitSeen([consumer], sent.map((m) => m.event.id), 'every event');

      for (const message of sent) {
        const received = consumer.calls.filter((record) => record.event.id === message.event.id);
        expect(received, `deliveries of ${message.event.id}`).toHaveLength(1);
        const record = received[0]!;
        expect(record.topic).toBe(topic);
        expect(record.key).toBe(message.key);
        expect(record.partition).toBe(partitionFor(message.key, partitions));
        expect(record.offset).toMatch(/^\d+$/);
        expect(Math.abs(record.timestamp - publishedAt)).toBeLessThan(60_000);
        expect(record.event).toStrictEqual(message.event);
        expect(record.headers).toStrictEqual(message.headers ?? {});
      }

      const rich = consumer.calls.find((record) => record.event.id === 'evt-01J0RICH')!.event.data as Record<string, unknown>;
      expect(rich.nik).toBeInstanceOf(LosslessNumber);
      expect(String(rich.nik)).toBe('3201234567890123456789');
      expect(rich.nomor).toBeInstanceOf(LosslessNumber);
      expect(String(rich.nomor)).toBe('9007199254740993');
      expect(rich.umur).toBe(42);
      const binary = consumer.calls.find((record) => record.event.id === 'evt-04BINARY')!.event;
      expect(Buffer.from(String(binary.data_base64), 'base64')).toEqual(Buffer.from([0, 1, 2, 127, 128, 254, 255, 10, 13, 0]));
      expect(binary).not.toHaveProperty('data');
      expect(consumer.calls.find((record) => record.event.id === 'evt-05NODATA')!.event).not.toHaveProperty('data');
    });

    it('keeps the order of each key: one partition, increasing offsets, publish order', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.order');
      const keys = Array.from({ length: 6 }, (_, i) => `bidang-${i}`);
      const perKey = 8;
      const sequenceOf = (record: BusRecord): number => Number(String(record.event.subject).split('/').pop());
      // Several publish calls, each interleaving keys and carrying several events of one key.
      for (let round = 0; round < perKey; round += 2) {
        const messages: OutgoingMessage[] = [];
        for (let n = round; n < round + 2; n++) {
          for (const key of keys) messages.push({ topic, key, event: h.event(`${key}-${n}`, { subject: `${key}/${n}` }) });
        }
        await h.bus.publish(messages);
      }
      const consumer = await h.subscribe('order', { groupId: uniqueName('contract.order.group'), topic });
      const ids = keys.flatMap((key) => Array.from({ length: perKey }, (_, n) => `${key}-${n}`));
      await h.waitSeen([consumer], ids, 'every keyed event');

      expect(consumer.calls).toHaveLength(ids.length);
      for (const key of keys) {
        const records = consumer.calls.filter((record) => record.key === key);
        expect(records.map(sequenceOf), `order of ${key}`).toEqual(Array.from({ length: perKey }, (_, n) => n));
        expect(new Set(records.map((record) => record.partition)), `partitions of ${key}`).toEqual(new Set([partitionFor(key, partitions)]));
        const offsets = records.map((record) => BigInt(record.offset));
        for (let i = 1; i < offsets.length; i++) expect(offsets[i]! > offsets[i - 1]!, `offsets of ${key} increase`).toBe(true);
      }
    });

    it('shares a group between two members: each event is handled once in total', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.shared');
      const groupId = uniqueName('contract.shared.group');
      await h.bus.ensureTopics([topic]);
      const members = [await h.subscribe('member-a', { groupId, topic }), await h.subscribe('member-b', { groupId, topic })];

      // Settle the group: rounds of one event per partition until a round is handled once, by
      // both members. Duplicates are tolerated only here, while a joining member rebalances.
      const settleDeadline = Date.now() + deliveryTimeoutMs;
      for (let round = 0; ; round++) {
        const ids = await h.fence(topic, members, `settle${round}`);
        const settled = ids.every((id) => totalCount(members, id) === 1) && members.every((m) => ids.some((id) => m.has(id)));
        if (settled) break;
        if (Date.now() > settleDeadline) throw new Error(`group ${groupId} did not settle on two members within ${deliveryTimeoutMs} ms`);
        await sleep(200); // between polls of the group's state, bounded by settleDeadline
      }

      const firstCall = members.map((m) => m.calls.length);
      const keys = Array.from({ length: 24 }, (_, i) => `opd-${i}`);
      const messages = keys.flatMap((key) => [0, 1, 2].map((n) => ({ topic, key, event: h.event(`${key}-${n}`) })));
      await h.bus.publish(messages);
      const ids = messages.map((m) => m.event.id);
      await h.waitSeen(members, ids, 'every event in the shared group');
      await h.fence(topic, members, 'final');

      for (const id of ids) expect(totalCount(members, id), `deliveries of ${id}`).toBe(1);
      const handled = members.map((m, i) => m.calls.slice(firstCall[i]).filter((record) => ids.includes(record.event.id)));
      expect(handled[0]!.length, 'member a handled some').toBeGreaterThan(0);
      expect(handled[1]!.length, 'member b handled some').toBeGreaterThan(0);
      expect(handled[0]!.length + handled[1]!.length).toBe(ids.length);
      // A partition belongs to one member at a time.
      const partitionsOf = handled.map((records) => new Set(records.map((record) => record.partition)));
      for (const partition of partitionsOf[0]!) expect(partitionsOf[1]!.has(partition), `partition ${partition} on both members`).toBe(false);
    });

    it('delivers every event to each of two groups', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.fanout');
      const batch = h.spread(topic, 'fanout', 4);
      await h.bus.publish(batch.messages);
      const [audit, notify] = await Promise.all([
        h.subscribe('audit', { groupId: uniqueName('contract.fanout.audit'), topic }),
        h.subscribe('notify', { groupId: uniqueName('contract.fanout.notify'), topic }),
      ]);
      await Promise.all([h.waitSeen([audit], batch.ids, 'group audit'), h.waitSeen([notify], batch.ids, 'group notify')]);
      for (const consumer of [audit, notify]) {
        for (const id of batch.ids) expect(consumer.count(id), `${consumer.label} deliveries of ${id}`).toBe(1);
      }
    });

    it('resumes a group after its committed offsets', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.commit');
      const groupId = uniqueName('contract.commit.group');
      const first = h.spread(topic, 'first', 3);
      await h.bus.publish(first.messages);
      const before = await h.subscribe('before', { groupId, topic });
      await h.waitSeen([before], first.ids, 'the first events');
      await before.close();

      const second = h.spread(topic, 'second', 2);
      await h.bus.publish(second.messages);
      const after = await h.subscribe('after', { groupId, topic });
      // `second` has events on every partition, so any first event still uncommitted would be
      // delivered before them.
      await h.waitSeen([after], second.ids, 'the events published while the group was away');
      expect(after.ids().filter((id) => first.ids.includes(id)), 'first events delivered again').toEqual([]);
      for (const id of second.ids) expect(after.count(id), `deliveries of ${id}`).toBe(1);
    });

    it('calls a failing handler again with the same record, then goes on', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.retry');
      const key = h.keyFor(0, 'permohonan');
      const chain = Array.from({ length: 6 }, (_, n) => ({ topic, key, event: h.event(`chain-${n}`) }));
      const others = h.spread(topic, 'other', 2, [1, 2].filter((p) => p < partitions));
      await h.bus.publish([...chain, ...others.messages]);

      let failures = 0;
      const consumer = await h.subscribe('retry', { groupId: uniqueName('contract.retry.group'), topic }, async (record) => {
        if (record.event.id === 'chain-2' && failures === 0) {
          failures += 1;
          throw new Error('intentional handler failure (contract test)');
        }
      });
      const chainIds = chain.map((m) => m.event.id);
      await h.waitSeen([consumer], [...chainIds, ...others.ids], 'the chain and the other partitions');

      expect(failures).toBe(1);
      const onChain = consumer.calls.filter((record) => record.key === key);
      expect(onChain.map((record) => record.event.id)).toEqual(['chain-0', 'chain-1', 'chain-2', 'chain-2', 'chain-3', 'chain-4', 'chain-5']);
      const [failed, retried] = [onChain[2]!, onChain[3]!];
      expect(retried.offset).toBe(failed.offset);
      expect(retried.partition).toBe(failed.partition);
      expect(retried.event).toStrictEqual(failed.event);
      for (const id of others.ids) expect(consumer.count(id), `deliveries of ${id}`).toBeGreaterThanOrEqual(1);
    });

    it('replays everything to an existing group from the earliest offset', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.replay');
      const groupId = uniqueName('contract.replay.group');
      const batch = h.spread(topic, 'replay', 3);
      await h.bus.publish(batch.messages);
      const once = await h.subscribe('once', { groupId, topic });
      await h.waitSeen([once], batch.ids, 'the first pass');
      await once.close();

      const again = await h.subscribe('again', { groupId, topic, replay: { from: 'earliest' } });
      await h.waitSeen([again], batch.ids, 'the replay');
      for (const id of batch.ids) expect(again.count(id), `replayed deliveries of ${id}`).toBe(1);
    });

    it('replays from a timestamp: only events published after it', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.timestamp');
      const groupId = uniqueName('contract.timestamp.group');
      const older = h.spread(topic, 'older', 2);
      await h.bus.publish(older.messages);
      // Event times are milliseconds: the timestamp falls in a millisecond after every older
      // event's and before every newer one's.
      const timestamp = await nextMillisecond();
      await nextMillisecond();
      // Newer events on some partitions only: a partition with nothing after the timestamp
      // must start at its end, not at its beginning.
      const newer = h.spread(topic, 'newer', 2, partitions > 1 ? [0, 1] : [0]);
      await h.bus.publish(newer.messages);

      const full = await h.subscribe('full', { groupId, topic });
      await h.waitSeen([full], [...older.ids, ...newer.ids], 'the first pass');
      await full.close();

      const [replayed, fresh] = await Promise.all([
        h.subscribe('replayed', { groupId, topic, replay: { from: 'timestamp', timestamp } }),
        h.subscribe('fresh', { groupId: uniqueName('contract.timestamp.fresh'), topic, start: { from: 'timestamp', timestamp } }),
      ]);
      await Promise.all([h.waitSeen([replayed], newer.ids, 'the replay'), h.waitSeen([fresh], newer.ids, 'the new group')]);
      await Promise.all([h.fence(topic, [replayed], 'fence-replayed'), h.fence(topic, [fresh], 'fence-fresh')]);
      for (const consumer of [replayed, fresh]) {
        expect(consumer.ids().filter((id) => older.ids.includes(id)), `${consumer.label}: events before the timestamp`).toEqual([]);
        for (const id of newer.ids) expect(consumer.count(id), `${consumer.label} deliveries of ${id}`).toBe(1);
      }
    });

    it('starts a new group at the latest offset when told to, skipping older events', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.latest');
      const older = h.spread(topic, 'older', 2);
      await h.bus.publish(older.messages);
      const consumer = await h.subscribe('latest', { groupId: uniqueName('contract.latest.group'), topic, start: { from: 'latest' } });

      // A Kafka consumer fixes "latest" when it has joined its group, which is some time after
      // h.subscribe() returns: probe until it is consuming. Probes published before that are lost.
      const probeDeadline = Date.now() + deliveryTimeoutMs;
      for (let probe = 0; !consumer.calls.some((record) => record.event.id.startsWith('probe')); probe++) {
        if (Date.now() > probeDeadline) throw new Error(`a new group with start latest consumed nothing within ${deliveryTimeoutMs} ms`);
        await h.bus.publish(h.spread(topic, `probe${probe}`, 1).messages);
        await waitFor(() => consumer.calls.length > 0, 500).catch(() => undefined);
      }

      const newer = h.spread(topic, 'newer', 2);
      await h.bus.publish(newer.messages);
      await h.waitSeen([consumer], newer.ids, 'events published after the group started');
      expect(consumer.ids().filter((id) => older.ids.includes(id)), 'older events').toEqual([]);
      for (const id of newer.ids) expect(consumer.count(id), `deliveries of ${id}`).toBe(1);
    });

    it('ensures topics idempotently', async ({ expect, onTestFinished }) => {
      const h = await open(onTestFinished);
      const topic = uniqueName('contract.ensure');
      const other = uniqueName('contract.ensure.other');
      await h.bus.ensureTopics([topic]);
      await h.bus.ensureTopics([topic, topic]);
      await h.bus.ensureTopics([other, topic]);
      await h.bus.ensureTopics([]);
      const second = await makeBus();
      await second.start();
      try {
        await second.ensureTopics([topic, other]);
        await second.ensureTopics([topic, other]);
      } finally {
        await second.close();
      }

      // The topics still work, with the configured partitions.
      const batch = h.spread(topic, 'ensure', 2);
      await h.bus.publish(batch.messages);
      await h.bus.publish([{ topic: other, key: 'k', event: h.event('other-1') }]);
      const [onTopic, onOther] = await Promise.all([
        h.subscribe('topic', { groupId: uniqueName('contract.ensure.group'), topic }),
        h.subscribe('other', { groupId: uniqueName('contract.ensure.other.group'), topic: other }),
      ]);
      await Promise.all([h.waitSeen([onTopic], batch.ids, 'events on the ensured topic'), h.waitSeen([onOther], ['other-1'], 'the other topic')]);
      for (const record of onTopic.calls) expect(record.partition).toBe(partitionFor(String(record.key), partitions));
      expect(await h.bus.healthy()).toBe(true);
    });
  });
}
