// Claims on Kafka: a topic `<prefix>._ingest-claims` keyed by a hash of `source` + `id`, kept for
// the idempotency window (retention.ms; compact,delete so retries of one id shrink to one record).
// Every instance follows it and holds the first claim of each key seen within the window in memory.
// A post produces its claims (acks=all, before the 202), then waits until it has followed the topic
// past them: the first claim of a key in its partition wins, so two instances racing on one retry
// agree on which stored it.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Partitioners, type Admin, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { KafkaPartitionReader, OffsetOutOfRangeError } from '../../bus/kafka-partition-reader.js';
import { partitionFor } from '../../bus/partitioner.js';
import type { OutboxEntry } from '../../outbox/outbox.js';
import { retrying } from '../../resilience/policies.js';
import type { IngestClaims } from './ingest-claims.js';

export interface KafkaClaimsOptions {
  kafka: Kafka;
  topicPrefix: string;
  partitions: number;
  replicationFactor: number;
  windowMs: number;
  logger: Logger;
  /** How long a post waits for the claim check before it is accepted unchecked. */
  timeoutMs?: number;
  /** Told of every event accepted without the check (Kafka unreachable or slow). */
  onUnverified?: (count: number) => void;
}

interface Claim {
  claimant: string;
  at: number;
}

const claimantHeader = 'claimant';

export class KafkaIngestClaims implements IngestClaims {
  private readonly topic: string;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly reader: KafkaPartitionReader;
  /** First claim per key within the window, oldest first (Map keeps insertion order). */
  private readonly claims = new Map<string, Claim>();
  private readonly advanced = new EventEmitter();
  private positions: number[] = [];
  private closed = false;
  /**
   * Set when the topic is not followed (not caught up since start, or a fetch or a check
   * failed) and cleared by the next successful fetch. While set, posts skip the check at once:
   * with Kafka down the hub keeps accepting into its outbox at full speed instead of making
   * every post wait out the check's timeout.
   */
  private unavailable = true;
  private caughtUpOnce = false;
  private readonly closing = new AbortController();
  private following: Promise<void> = Promise.resolve();
  private readonly evictTimer: NodeJS.Timeout;

  constructor(private readonly options: KafkaClaimsOptions) {
    this.topic = `${options.topicPrefix}._ingest-claims`;
    this.admin = options.kafka.admin();
    // Not idempotent: a claim written twice by a producer retry is still the same claimant's.
    this.producer = options.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    this.reader = new KafkaPartitionReader(options.kafka);
    this.advanced.setMaxListeners(0);
    // Until it has caught up (Kafka down at boot), posts are accepted with the outbox's check only.
    const caughtUp = retrying(() => this.start(), {
      attempts: Infinity,
      baseMs: 500,
      capMs: 5000,
      onRetry: (error) => options.logger.warn({ err: error }, 'the ingest claims topic cannot be followed yet; retrying'),
    }, this.closing.signal);
    caughtUp.then(() => {
      this.caughtUpOnce = true;
    }, () => undefined);
    this.evictTimer = setInterval(() => this.evict(), Math.min(60_000, options.windowMs)).unref();
  }

  async claim(entries: OutboxEntry[]): Promise<boolean[]> {
    const keys = entries.map((entry) => claimKey(entry.event.source, entry.event.id));
    const claimant = randomBytes(12).toString('base64url');
    const fresh = keys.map((key, index) => !this.claims.has(key) && keys.indexOf(key) === index);
    const toClaim = keys.filter((_, index) => fresh[index]);
    if (toClaim.length === 0) return fresh;
    if (this.unavailable || !this.caughtUpOnce) {
      this.options.onUnverified?.(toClaim.length);
      return fresh;
    }
    try {
      const sent = await this.within(this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: toClaim.map((key) => ({ key, value: claimant, partition: partitionFor(key, this.positions.length) })),
      }));
      // Records sent to one partition in one request take consecutive offsets, in order.
      const last = new Map(sent.map((meta) => [meta.partition, Number(meta.baseOffset) + toClaim.filter((key) => partitionFor(key, this.positions.length) === meta.partition).length - 1]));
      await this.within(this.followedPast(last));
    } catch (error) {
      this.unavailable = true;
      this.options.logger.warn({ err: error, events: toClaim.length }, 'accepting posted events without the cross-instance idempotency check until the claims topic answers again');
      this.options.onUnverified?.(toClaim.length);
      return fresh;
    }
    return keys.map((key, index) => fresh[index]! && this.claims.get(key)?.claimant === claimant);
  }

  async release(entries: OutboxEntry[]): Promise<void> {
    const keys = entries.map((entry) => claimKey(entry.event.source, entry.event.id));
    const mine = keys.map((key) => [key, this.claims.get(key)?.claimant] as const).filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
    for (const [key] of mine) this.claims.delete(key);
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: mine.map(([key, claimant]) => ({ key, value: null, headers: { [claimantHeader]: claimant }, partition: partitionFor(key, this.positions.length) })),
    }).catch((error: unknown) => this.options.logger.warn({ err: error }, 'a claim could not be released; a retry within the window is answered as a duplicate'));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    clearInterval(this.evictTimer);
    await this.following.catch(() => undefined);
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect(), this.reader.close()]);
  }

  /** Makes the topic if missing, reads the window's claims to the end, then follows in the background. */
  private async start(): Promise<void> {
    await this.admin.connect();
    await this.producer.connect();
    if (!(await this.admin.listTopics()).includes(this.topic)) {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: [{
          topic: this.topic,
          numPartitions: this.options.partitions,
          replicationFactor: this.options.replicationFactor,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact,delete' },
            { name: 'retention.ms', value: String(this.options.windowMs) },
            { name: 'segment.ms', value: String(Math.max(60_000, Math.floor(this.options.windowMs / 4))) },
          ],
        }],
      }).catch(async (error: unknown) => {
        // Another instance made it meanwhile.
        if (!(await this.admin.listTopics()).includes(this.topic)) throw error;
      });
    }
    const ends = (await this.reader.offsets([this.topic])).get(this.topic) ?? [];
    const starts = await this.reader.offsetsAt(this.topic, Date.now() - this.options.windowMs);
    this.positions = ends.map((p) => starts.get(p.partition) ?? p.high);
    this.following = this.follow();
    this.following.catch(() => undefined);
    await this.followedPast(new Map(ends.map((p) => [p.partition, p.high - 1])));
  }

  private async follow(): Promise<void> {
    while (!this.closed) {
      try {
        const fetched = await this.reader.fetch(this.positions.map((offset, partition) => ({ topic: this.topic, partition, offset })), { maxWaitMs: 500, maxBytesPerPartition: 1_048_576 });
        this.unavailable = false;
        for (const { partition, messages } of fetched) {
          for (const message of messages) this.apply(message);
          const last = messages.at(-1);
          if (last) this.positions[partition] = Number(last.offset) + 1;
        }
        this.advanced.emit('advanced');
      } catch (error) {
        if (this.closed) return;
        if (error instanceof OffsetOutOfRangeError) {
          // Retention passed us by (this instance was stalled longer than the window): start again at its edge.
          const starts = await this.reader.offsetsAt(this.topic, Date.now() - this.options.windowMs).catch(() => new Map<number, number>());
          this.positions = this.positions.map((offset, partition) => Math.max(offset, starts.get(partition) ?? offset));
        } else {
          this.unavailable = true;
          this.options.logger.warn({ err: error }, 'following the ingest claims topic failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, 1000).unref());
        }
      }
    }
  }

  private apply(message: KafkaMessage): void {
    const key = message.key?.toString('utf8');
    if (key === undefined) return;
    if (message.value === null) {
      const releasedBy = message.headers?.[claimantHeader]?.toString();
      if (this.claims.get(key)?.claimant === releasedBy) this.claims.delete(key);
      return;
    }
    const at = Number(message.timestamp);
    if (this.claims.has(key) || at < Date.now() - this.options.windowMs) return;
    this.claims.set(key, { claimant: message.value.toString('utf8'), at });
  }

  /** Resolves once every partition in `offsets` was followed past its offset. */
  private followedPast(offsets: Map<number, number>): Promise<void> {
    const done = (): boolean => [...offsets].every(([partition, offset]) => (this.positions[partition] ?? 0) > offset);
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        this.advanced.off('advanced', check);
        resolve();
      };
      this.advanced.on('advanced', check);
    });
  }

  private within<T>(work: Promise<T>): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the ingest claim check took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }

  /** Claims older than the window are forgotten (the topic's retention drops them too). */
  private evict(): void {
    const cutoff = Date.now() - this.options.windowMs;
    for (const [key, claim] of this.claims) {
      if (claim.at >= cutoff) break;
      this.claims.delete(key);
    }
  }
}

/** 128 bits of SHA-256 over source and id: fixed size in memory and on the topic, no identifier in clear. */
export function claimKey(source: string, id: string): string {
  return createHash('sha256').update(`${source}\u0000${id}`).digest().subarray(0, 16).toString('base64url');
}
