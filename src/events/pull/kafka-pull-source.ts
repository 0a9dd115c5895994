// The pull API on Kafka: GET /v1/events reads the event topics themselves, so every instance
// answers the same and a cursor (per topic, the next offset of each partition) continues on any
// of them. A page merges partitions by record timestamp, keeping each partition's order (so each
// key's). Named consumers commit to a Kafka consumer group `<prefix>.pull.<client>.<consumer>`
// that no member ever joins: its committed offsets are the shared position.
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { decodeBinaryEvent } from '../../bus/kafka-binding.js';
import { KafkaPartitionReader, OffsetOutOfRangeError, type FetchedPartition, type PartitionOffsets } from '../../bus/kafka-partition-reader.js';
import { HubError } from '../../errors/catalogue.js';
import { retrying } from '../../resilience/policies.js';
import { topicForType, type CloudEvent } from '../cloudevent.js';
import { expired, invalid, PullCursorCodec } from '../pull-cursor.js';
import type { PullPage, PullSource } from './pull-source.js';

export interface KafkaPullOptions {
  kafka: Kafka;
  topicPrefix: string;
  /** Per partition and fetch; a record larger than this still comes whole. */
  maxBytesPerPartition?: number;
}

type Offsets = Record<string, number[]>;

/** How long the list of event topics is reused before asking Kafka again. */
const topicListTtlMs = 5000;
/** A page with a type filter may skip many records of other types: bounded work per request. */
const maxFetchRounds = 20;

export class KafkaPullSource implements PullSource {
  private readonly admin: Admin;
  private readonly reader: KafkaPartitionReader;
  private readonly eventTopicName: RegExp;
  private codec: Promise<PullCursorCodec> | undefined;
  private topicList: { at: number; topics: Promise<string[]> } | undefined;

  constructor(private readonly options: KafkaPullOptions) {
    this.admin = options.kafka.admin();
    this.reader = new KafkaPartitionReader(options.kafka);
    const prefix = options.topicPrefix.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    // Event topics are `<prefix>.<family of the type>` (lowercase, dotted); the hub's own topics
    // (`_…`, and the reserved families of reserved-types.ts) are not.
    this.eventTopicName = new RegExp(`^${prefix}\\.(?!(?:dlq|control|leases)(?:\\.|$))[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9][a-z0-9-]*)*$`);
  }

  async read(cursor: string | undefined, limit: number, type: string | undefined): Promise<PullPage> {
    return this.available(async () => {
      const codec = await this.ready();
      const position = cursor === undefined ? {} : this.offsetsOf(codec, cursor);
      const topics = await this.topicsFor(type);
      const ranges = await this.reader.offsets(topics);
      if (type === undefined) this.refuseVanished(position, ranges);
      const next: Offsets = { ...position };
      for (const [topic, partitions] of ranges) next[this.suffixOf(topic)] = this.startOf(topic, position[this.suffixOf(topic)], partitions);
      const events = await this.collect(next, ranges, limit, type);
      return { events, next: codec.encode({ kind: 'kafka', topics: next }) };
    });
  }

  async check(cursor: string): Promise<void> {
    await this.available(async () => {
      const position = this.offsetsOf(await this.ready(), cursor);
      const existing = new Set(await this.eventTopics(true));
      const ranges = await this.reader.offsets(Object.keys(position).map((suffix) => this.topicOf(suffix)).filter((topic) => existing.has(topic)));
      this.refuseVanished(position, ranges);
      for (const [topic, partitions] of ranges) this.startOf(topic, position[this.suffixOf(topic)], partitions);
    });
  }

  async committed(clientId: string, consumer: string, type: string | undefined): Promise<string | undefined> {
    return this.available(async () => {
      const codec = await this.ready();
      const topics = await this.topicsFor(type);
      if (topics.length === 0) return undefined;
      const answer = await this.admin.fetchOffsets({ groupId: this.groupOf(clientId, consumer), topics });
      const offsets: Offsets = {};
      for (const { topic, partitions } of answer) {
        const list = [...partitions].sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
        // A topic the group never committed starts at its oldest record, like a cursor without it.
        if (list.length > 0 && list.every((offset) => offset >= 0)) offsets[this.suffixOf(topic)] = list;
      }
      return Object.keys(offsets).length === 0 ? undefined : codec.encode({ kind: 'kafka', topics: offsets });
    });
  }

  async commit(clientId: string, consumer: string, cursor: string): Promise<void> {
    await this.check(cursor);
    await this.available(async () => {
      const position = this.offsetsOf(await this.ready(), cursor);
      const groupId = this.groupOf(clientId, consumer);
      const wanted = Object.entries(position).map(([suffix, offsets]) => ({ topic: this.topicOf(suffix), offsets }));
      // The commit goes to the group's coordinator as kafkajs last knew it; the PUT answers only
      // once the position reads back as written (a commit answered by a broker that just stopped
      // coordinating the group was seen not to hold), so another instance reads what was set.
      await retrying(async () => {
        await this.reader.commitOffsets(groupId, wanted);
        const stored = await this.admin.fetchOffsets({ groupId, topics: wanted.map(({ topic }) => topic) });
        const holds = wanted.every(({ topic, offsets }) => {
          const partitions = stored.find((answer) => answer.topic === topic)?.partitions ?? [];
          return offsets.every((offset, partition) => partitions.find((p) => p.partition === partition)?.offset === String(offset));
        });
        if (!holds) throw new Error(`the position of ${groupId} did not read back as committed`);
      }, { attempts: 5, baseMs: 100, capMs: 1000 });
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.admin.disconnect(), this.reader.close()]);
  }

  /** Fetches and merges until `limit` events, or every partition is read to its end, or the work bound. */
  private async collect(next: Offsets, ranges: Map<string, PartitionOffsets[]>, limit: number, type: string | undefined): Promise<CloudEvent[]> {
    const ends = new Map<string, number>();
    for (const [topic, partitions] of ranges) for (const p of partitions) ends.set(`${topic}/${p.partition}`, p.high);
    const buffers = new Map<string, FetchedPartition>();
    const events: CloudEvent[] = [];
    for (let round = 0; round < maxFetchRounds && events.length < limit; round++) {
      const wanted = [...ranges].flatMap(([topic, partitions]) => partitions
        .filter((p) => !buffers.has(`${topic}/${p.partition}`) && next[this.suffixOf(topic)]![p.partition]! < ends.get(`${topic}/${p.partition}`)!)
        .map((p) => ({ topic, partition: p.partition, offset: next[this.suffixOf(topic)]![p.partition]! })));
      if (wanted.length === 0 && buffers.size === 0) break;
      for (const fetched of await this.fetch(wanted)) {
        if (fetched.messages.length > 0) buffers.set(`${fetched.topic}/${fetched.partition}`, fetched);
        else ends.set(`${fetched.topic}/${fetched.partition}`, Math.min(ends.get(`${fetched.topic}/${fetched.partition}`)!, fetched.offset));
      }
      // Oldest head first; a partition whose fetched records run out while it holds more ends the
      // round, since its next record may be older than the other heads.
      while (events.length < limit && buffers.size > 0) {
        const [key, head] = oldestHead(buffers);
        const message = head.messages.shift()!;
        next[this.suffixOf(head.topic)]![head.partition] = Number(message.offset) + 1;
        const event = toEvent(message);
        if (event && (type === undefined || event.type === type)) events.push(event);
        if (head.messages.length === 0) {
          buffers.delete(key);
          if (Number(message.offset) + 1 < ends.get(key)!) break;
        }
      }
    }
    return events;
  }

  private async fetch(wanted: { topic: string; partition: number; offset: number }[]): Promise<FetchedPartition[]> {
    try {
      return await this.reader.fetch(wanted, { maxWaitMs: 0, maxBytesPerPartition: this.options.maxBytesPerPartition ?? 262_144 });
    } catch (error) {
      // Retention ran between reading the offsets and fetching.
      if (error instanceof OffsetOutOfRangeError) throw expired('retention deleted events after this cursor');
      throw error;
    }
  }

  /** Where to read `topic` from: the cursor's offsets, checked against what Kafka keeps, or its oldest record. */
  private startOf(topic: string, offsets: number[] | undefined, partitions: PartitionOffsets[]): number[] {
    if (offsets === undefined) return partitions.map((p) => p.low);
    if (offsets.length > partitions.length) throw invalid(`the cursor names partitions ${topic} does not have`);
    return partitions.map((p) => {
      const offset = offsets[p.partition];
      if (offset === undefined) return p.low; // a partition added since the cursor was made
      if (offset > p.high) throw invalid('the cursor is beyond the newest event');
      if (offset < p.low) throw expired('retention deleted events after this cursor');
      return offset;
    });
  }

  /** A topic the cursor read that is gone now: its unread events are gone too. */
  private refuseVanished(position: Offsets, ranges: Map<string, PartitionOffsets[]>): void {
    for (const suffix of Object.keys(position)) {
      if (!ranges.has(this.topicOf(suffix))) throw expired(`the topic ${suffix} no longer exists`);
    }
  }

  private offsetsOf(codec: PullCursorCodec, cursor: string): Offsets {
    const position = codec.decode(cursor);
    if (position.kind !== 'kafka') throw invalid('a cursor of a hub without Kafka');
    for (const suffix of Object.keys(position.topics)) {
      if (!this.eventTopicName.test(this.topicOf(suffix))) throw invalid('the cursor names a topic that holds no events');
    }
    return position.topics;
  }

  private async topicsFor(type: string | undefined): Promise<string[]> {
    if (type === undefined) return this.eventTopics(false);
    const topic = topicForType(this.options.topicPrefix, type);
    // A topic made in the last seconds is not in the reused list yet: ask again before saying it is empty.
    return (await this.eventTopics(false)).includes(topic) || (await this.eventTopics(true)).includes(topic) ? [topic] : [];
  }

  private async eventTopics(fresh: boolean): Promise<string[]> {
    if (fresh || !this.topicList || Date.now() - this.topicList.at > topicListTtlMs) {
      const topics = this.admin.listTopics().then((all) => all.filter((topic) => this.eventTopicName.test(topic)).sort());
      this.topicList = { at: Date.now(), topics };
      topics.catch(() => (this.topicList = undefined));
    }
    return this.topicList.topics;
  }

  /** The codec binds cursors to this Kafka cluster and topic prefix. */
  private ready(): Promise<PullCursorCodec> {
    this.codec ??= (async () => {
      await this.admin.connect();
      const { clusterId } = await this.admin.describeCluster();
      return new PullCursorCodec(`kafka:${clusterId}:${this.options.topicPrefix}`);
    })();
    this.codec.catch(() => (this.codec = undefined));
    return this.codec;
  }

  /** Kafka unreachable is 503 bus-unavailable; the hub's own refusals pass as they are. */
  private async available<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof HubError) throw error;
      throw new HubError('bus-unavailable', 'the event topics cannot be read now; retry later', { retryAfterSeconds: 5, cause: error });
    }
  }

  private groupOf(clientId: string, consumer: string): string {
    return `${this.options.topicPrefix}.pull.${clientId}.${consumer}`;
  }

  private suffixOf(topic: string): string {
    return topic.slice(this.options.topicPrefix.length + 1);
  }

  private topicOf(suffix: string): string {
    return `${this.options.topicPrefix}.${suffix}`;
  }
}

/** The fetched partition whose next record comes first in a page. */
export function oldestHead(buffers: Map<string, FetchedPartition>): [string, FetchedPartition] {
  let best: [string, FetchedPartition] | undefined;
  for (const entry of buffers) {
    if (!best || before(entry[1], best[1])) best = entry;
  }
  return best!;
}

/**
 * Older first; records of one batch share a timestamp, and those ties go to the lower topic and
 * partition, so every instance pages the same events in the same order (the fetch answers'
 * order, which decided ties before, differs between instances).
 */
function before(a: FetchedPartition, b: FetchedPartition): boolean {
  const at = Number(a.messages[0]!.timestamp);
  const bt = Number(b.messages[0]!.timestamp);
  if (at !== bt) return at < bt;
  return a.topic !== b.topic ? a.topic < b.topic : a.partition < b.partition;
}

/** Records that are not CloudEvents (no id or type header) are not events to pull. */
function toEvent(message: KafkaMessage): CloudEvent | undefined {
  const { event } = decodeBinaryEvent(message.value, message.headers ?? {});
  return typeof event.id === 'string' && typeof event.type === 'string' ? (event as unknown as CloudEvent) : undefined;
}
