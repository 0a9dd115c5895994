// The relay moves committed outbox events to the bus, oldest first. With a backlog it keeps
// several batches in flight: the oldest pending events are split into lanes by key, and the
// lanes are published side by side, so Kafka's round trips overlap while every key stays in
// one lane, in the order its events were accepted. The next events are read once every lane
// was acknowledged, so a key never has two batches in flight. A failed publish is retried with
// capped exponential backoff and jitter (the resilience kit); nothing is marked sent until the
// bus acknowledged it.
import type { Logger } from 'pino';
import type { EventBus, OutgoingMessage } from '../bus/event-bus.js';
import { partitionFor } from '../bus/partitioner.js';
import { retrying } from '../resilience/policies.js';
import type { Outbox, StoredEvent } from './outbox.js';

export interface RelayOptions {
  /** Events per publish. */
  batchSize: number;
  /** Publishes in flight at most, each a lane of keys (default 1: one batch at a time). */
  inFlight?: number;
  idleMs: number;
  logger: Logger;
  /** Told about every failed attempt (metrics). */
  onFailure?: () => void;
  /**
   * Records sent in the same produce request as a lane (its events' delivery status, deliveries/),
   * and what to call once the bus acknowledged them, before the lane is marked published.
   */
  companions?: (lane: StoredEvent[]) => { messages: OutgoingMessage[]; acknowledged?: () => void };
}

const retry = { attempts: Infinity, baseMs: 100, capMs: 5000 };

export class OutboxRelay {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopping = new AbortController();
  /** Sequence numbers of lanes the bus acknowledged, marked once their window settles (or at stop). */
  private acknowledged: number[] = [];
  /** True while the last publish attempt failed: the bus is unreachable or refusing. */
  lastAttemptFailed = false;

  constructor(private readonly outbox: Outbox, private readonly bus: EventBus, private readonly options: RelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    // While backing off from a failed publish, new appends must not cut the pause short.
    this.unsubscribe = this.outbox.onAppend(() => {
      if (!this.lastAttemptFailed) this.wake?.();
    });
    this.loop = this.run();
  }

  /** Stops after the batch in flight; publishes what is left first when `drainMs` allows. */
  async stop(drainMs = 0): Promise<void> {
    const deadline = Date.now() + drainMs;
    while (drainMs > 0 && Date.now() < deadline && this.outbox.backlog().count > 0 && !this.lastAttemptFailed) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.running = false;
    this.stopping.abort();
    this.unsubscribe?.();
    this.wake?.();
    // A publish stuck on an unreachable broker must not hold shutdown: what it carried is
    // still unmarked in the outbox and goes out after the restart. Lanes the bus acknowledged
    // beside it are marked now, so the restart does not send them twice.
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, Math.max(drainMs, 1000)).unref())]);
    this.markAcknowledged();
  }

  private async run(): Promise<void> {
    const window = this.options.batchSize * Math.max(1, this.options.inFlight ?? 1);
    while (this.running) {
      const batch = this.outbox.pending(window);
      if (batch.length === 0) {
        await this.sleep(this.options.idleMs);
        continue;
      }
      try {
        await retrying(async (attempt) => {
          // After a failure the batch is read again: it may have grown meanwhile.
          const pending = attempt === 1 ? batch : this.outbox.pending(window);
          await this.publishInLanes(pending);
        }, {
          ...retry,
          onRetry: (error, _attempt, delayMs) => {
            this.lastAttemptFailed = true;
            this.options.onFailure?.();
            this.options.logger.warn({ err: error, backlog: this.outbox.backlog().count, retryInMs: Math.round(delayMs) }, 'publishing to the bus failed; events stay in the outbox');
          },
        }, this.stopping.signal);
        if (this.lastAttemptFailed) this.options.logger.info({ backlog: this.outbox.backlog().count }, 'bus reachable again; draining the outbox');
        this.lastAttemptFailed = false;
      } catch {
        // Stopped while retrying: what the batch carried is still unmarked and goes out after the restart.
      }
    }
  }

  /**
   * Publishes `events` (oldest first) in as many lanes as batches they fill, up to `inFlight`;
   * once every lane settled, the lanes the bus acknowledged are marked published, in one
   * statement (the next read waits for every lane anyway; a stop while a lane hangs marks the
   * others). Throws the first failure then: the
   * failed lanes' events stay pending and come first in the next read.
   */
  private async publishInLanes(events: StoredEvent[]): Promise<void> {
    const lanes = lanesOf(events, this.options.batchSize, this.options.inFlight ?? 1);
    const outcomes = await Promise.allSettled(lanes.map(async (lane) => {
      const companions = this.options.companions?.(lane);
      // A stored event is an outgoing message as it is (topic, key, event, headers).
      await this.bus.publish(companions ? [...lane, ...companions.messages] : lane);
      companions?.acknowledged?.();
      for (const entry of lane) this.acknowledged.push(entry.seq);
    }));
    this.markAcknowledged();
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Marks what the bus acknowledged and is not marked yet, in one statement. */
  private markAcknowledged(): void {
    if (this.acknowledged.length === 0) return;
    const seqs = this.acknowledged;
    this.acknowledged = [];
    this.outbox.markPublished(seqs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Events split by key (murmur2, like Kafka's partitioner) into at most `inFlight` lanes of about `batchSize`, each in accepted order. */
export function lanesOf(events: StoredEvent[], batchSize: number, inFlight: number): StoredEvent[][] {
  const count = Math.max(1, Math.min(inFlight, Math.ceil(events.length / batchSize)));
  if (count === 1) return [events];
  const lanes: StoredEvent[][] = Array.from({ length: count }, () => []);
  for (const event of events) lanes[partitionFor(event.key, count)]!.push(event);
  return lanes.filter((lane) => lane.length > 0);
}
