// Claims on Kafka: a topic `<prefix>._ingest-claims` keyed by a hash of `source` + `id`, kept for
// the idempotency window (retention.ms; compact,delete so records of one key shrink to the last).
// Every instance follows it and holds the claim of each key seen within the window in memory.
// A post produces its claims (acks=all, before the 202), then waits until it has followed the topic
// past them: the first claim of a key in its partition wins, so two instances racing on one retry
// agree on which stores it. A claim is pending until its instance has committed the event to its
// outbox and written a confirmation (after the commit, before the 202; concurrent posts share one
// write): only a confirmed claim makes a retry a duplicate. An instance that dies between claim and commit leaves
// a pending claim; retries meeting it are told to come back, and once it is older than
// `pendingMs` a new claim replaces it (at worst the event is published twice, which consumers
// dedupe by source + id; it is never answered "stored" while absent).
// One write (claims, confirmations or releases) is one record per partition, whatever the number of
// events: its value lists the [key, claimant] pairs of that partition in order, its `state` header
// says which. Read in order, each pair counts as the single-key record earlier versions wrote one
// per event (those are still read), so the first claim of a key in its partition still wins. A post
// of 100 events writes and reads a record per partition twice (claim, confirmation) instead of 200
// records, each of which kafkajs encoded and decoded. Packed records have unique keys, so
// compaction leaves them to the retention of the window.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Partitioners, type Admin, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { KafkaPartitionReader, OffsetOutOfRangeError } from '../../bus/kafka-partition-reader.js';
import { partitionFor } from '../../bus/partitioner.js';
import type { OutboxEntry } from '../../outbox/outbox.js';
import { retrying } from '../../resilience/policies.js';
import type { ClaimOutcome, IngestClaims } from './ingest-claims.js';

export interface KafkaClaimsOptions {
  kafka: Kafka;
  topicPrefix: string;
  partitions: number;
  replicationFactor: number;
  windowMs: number;
  /** How long a claim not yet confirmed holds off retries before it is taken as abandoned. */
  pendingMs: number;
  logger: Logger;
  /** How long a post waits for the claim check before it is accepted unchecked. */
  timeoutMs?: number;
  /** Told of every event accepted without the check (Kafka unreachable or slow). */
  onUnverified?: (count: number) => void;
}

interface Claim {
  claimant: string;
  at: number;
  confirmed: boolean;
}

const claimantHeader = 'claimant';
const stateHeader = 'state';
const confirmedState = 'confirmed';
/** Present on a record listing the [key, claimant] pairs of one partition (a packed write). */
const packedHeader = 'packed';
const claimedState = 'claimed';
const releasedState = 'released';

type PairState = typeof claimedState | typeof confirmedState | typeof releasedState;

export class KafkaIngestClaims implements IngestClaims {
  private readonly topic: string;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly reader: KafkaPartitionReader;
  /** First claim per key within the window, oldest first (Map keeps insertion order). */
  private readonly claims = new Map<string, Claim>();
  /** This instance's claims not yet confirmed or released: key → claimant. */
  private readonly mine = new Map<string, string>();
  private unconfirmed: { key: string; claimant: string }[] = [];
  /** Claim keys of the entries of posts under way (the route keeps the entry objects from claim to confirm). */
  private readonly keys = new WeakMap<OutboxEntry, string>();
  private confirming: Promise<void> = Promise.resolve();
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

  async claim(entries: OutboxEntry[]): Promise<ClaimOutcome[]> {
    const keys = entries.map((entry) => this.keyOf(entry));
    const claimant = randomBytes(12).toString('base64url');
    const seen = new Set<string>();
    const outcomes = keys.map((key): ClaimOutcome | 'free' => {
      const first = !seen.has(key);
      seen.add(key);
      return first && !this.claims.get(key)?.confirmed ? 'free' : 'duplicate';
    });
    const toClaim = keys.filter((_, index) => outcomes[index] === 'free');
    if (toClaim.length === 0) return outcomes as ClaimOutcome[];
    const unchecked = (): ClaimOutcome[] => {
      this.options.onUnverified?.(toClaim.length);
      return outcomes.map((outcome) => (outcome === 'free' ? 'claimed' : outcome));
    };
    if (this.unavailable || !this.caughtUpOnce) return unchecked();
    try {
      const sent = await this.within(this.producer.send({ topic: this.topic, acks: -1, messages: this.packed(toClaim.map((key) => [key, claimant]), claimedState) }));
      // One record per partition: followed past it, the claims it lists are known.
      await this.within(this.followedPast(new Map(sent.map((meta) => [meta.partition, Number(meta.baseOffset)]))));
    } catch (error) {
      this.unavailable = true;
      this.options.logger.warn({ err: error, events: toClaim.length }, 'accepting posted events without the cross-instance idempotency check until the claims topic answers again');
      return unchecked();
    }
    return keys.map((key, index) => {
      if (outcomes[index] !== 'free') return outcomes[index] as ClaimOutcome;
      const won = this.claims.get(key);
      if (won?.claimant === claimant) {
        this.mine.set(key, claimant);
        return 'claimed';
      }
      return won?.confirmed ? 'duplicate' : 'pending';
    });
  }

  async confirm(entries: OutboxEntry[]): Promise<void> {
    for (const entry of entries) {
      const key = this.keyOf(entry);
      const claimant = this.mine.get(key);
      if (claimant === undefined) continue;
      this.mine.delete(key);
      this.unconfirmed.push({ key, claimant });
    }
    if (this.unconfirmed.length === 0) return;
    // Group commit: posts confirmed while one write is under way go out together in the next.
    this.confirming = this.confirming.then(() => this.writeConfirmations());
    await this.confirming;
  }

  async release(entries: OutboxEntry[]): Promise<void> {
    const keys = entries.map((entry) => this.keyOf(entry));
    const mine = keys.map((key) => [key, this.mine.get(key)] as const).filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
    for (const [key, claimant] of mine) {
      this.mine.delete(key);
      if (this.claims.get(key)?.claimant === claimant) this.claims.delete(key);
    }
    if (mine.length === 0) return;
    await this.producer.send({ topic: this.topic, acks: -1, messages: this.packed(mine, releasedState) }).catch((error: unknown) => this.options.logger.warn({ err: error }, 'a claim could not be released; retries are asked to wait until it counts as abandoned'));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    clearInterval(this.evictTimer);
    await this.confirming;
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
    const at = Number(message.timestamp);
    const state = message.headers?.[stateHeader]?.toString();
    if (message.headers?.[packedHeader] !== undefined) {
      if (state !== claimedState && state !== confirmedState && state !== releasedState) return;
      for (const [key, claimant] of pairsOf(message.value)) this.applyPair(key, claimant, state, at);
      return;
    }
    // A single-key record, as versions before the packed writes made them.
    const key = message.key?.toString('utf8');
    if (key === undefined) return;
    if (message.value === null) this.applyPair(key, message.headers?.[claimantHeader]?.toString(), releasedState, at);
    else this.applyPair(key, message.value.toString('utf8'), state === confirmedState ? confirmedState : claimedState, at);
  }

  private applyPair(key: string, claimant: string | undefined, state: PairState, at: number): void {
    const existing = this.claims.get(key);
    if (state === releasedState) {
      if (existing !== undefined && existing.claimant === claimant) this.claims.delete(key);
      return;
    }
    if (claimant === undefined) return;
    if (state === confirmedState) {
      if (existing?.claimant === claimant) existing.confirmed = true;
      // Compaction may have kept the confirmation alone.
      else if (existing === undefined && at >= Date.now() - this.options.windowMs) this.claims.set(key, { claimant, at, confirmed: true });
      return;
    }
    if (at < Date.now() - this.options.windowMs) return;
    // Every instance reads the same records in the same order, so all agree on which claim stands.
    if (existing && (existing.confirmed || at - existing.at < this.options.pendingMs)) return;
    this.claims.delete(key);
    this.claims.set(key, { claimant, at, confirmed: false });
  }

  /** One record per partition listing its [key, claimant] pairs in order (the key only names the record). */
  private packed(pairs: readonly (readonly [string, string])[], state: PairState): { key: string; value: string; partition: number; headers: Record<string, string> }[] {
    const byPartition = new Map<number, (readonly [string, string])[]>();
    for (const pair of pairs) {
      const partition = this.partitionOf(pair[0]);
      const list = byPartition.get(partition);
      if (list) list.push(pair);
      else byPartition.set(partition, [pair]);
    }
    return [...byPartition].map(([partition, list]) => ({ key: randomBytes(12).toString('base64url'), value: JSON.stringify(list), partition, headers: { [packedHeader]: '1', [stateHeader]: state } }));
  }

  private async writeConfirmations(): Promise<void> {
    const batch = this.unconfirmed;
    this.unconfirmed = [];
    if (batch.length === 0) return;
    // Kafka just failed: posts waiting behind a timed-out write are not held for another timeout.
    if (this.unavailable) {
      this.options.logger.warn({ events: batch.length }, 'claims left unconfirmed while the claims topic is unreachable; retries of these events are asked to wait until the claims count as abandoned');
      return;
    }
    await this.within(this.producer.send({ topic: this.topic, acks: -1, messages: this.packed(batch.map(({ key, claimant }) => [key, claimant]), confirmedState) })).catch((error: unknown) => {
      this.unavailable = true;
      this.options.logger.warn({ err: error, events: batch.length }, 'claims could not be confirmed; retries of these events are asked to wait until the claims count as abandoned');
    });
  }

  /** An entry's claim key, hashed once for its claim, confirmation or release. */
  private keyOf(entry: OutboxEntry): string {
    let key = this.keys.get(entry);
    if (key === undefined) {
      key = claimKey(entry.event.source, entry.event.id);
      this.keys.set(entry, key);
    }
    return key;
  }

  private partitionOf(key: string): number {
    return partitionFor(key, this.positions.length);
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

/** The [key, claimant] pairs of a packed record; nothing for a value that is not such a list. */
function pairsOf(value: Buffer | null): [string, string][] {
  if (value === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((pair): pair is [string, string] => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string');
}

/** 128 bits of SHA-256 over source and id: fixed size in memory and on the topic, no identifier in clear. */
export function claimKey(source: string, id: string): string {
  return createHash('sha256').update(`${source}\u0000${id}`).digest().subarray(0, 16).toString('base64url');
}
