// The one durable consumer every at-least-once reader of the bus is built on (connector
// delivery workers, webhook subscriptions, flows): dedupe by the event's source and id
// (events/event-key.ts) → handle → retry by policy (the resilience kit's jittered backoff) →
// park with the reason. A record is
// committed once it is handled, a duplicate, or parked, so one poisoned event never holds up
// the ones behind it. Stopping mid-retry leaves the record uncommitted for the next start.
import { pause, retrying, TaskCancelledError } from '../resilience/policies.js';
import type { BusRecord, EventBus, StartPosition, Subscription } from './event-bus.js';

/** `deferred`: a replay found the target holding calls back (circuit open); nothing was spent. */
export type ConsumeOutcome = 'handled' | 'duplicate' | 'ignored' | 'parked' | 'deferred';

export interface Failure {
  error: unknown;
  /** Attempts spent on the record, the failing one included. */
  attempts: number;
  /** `exhausted`: every attempt failed in a retryable way; `refused`: not worth another try. */
  why: 'exhausted' | 'refused';
}

export interface ConsumerHandler {
  /** False for records this consumer passes over (other types sharing the topic, filters). */
  accepts?(record: BusRecord): boolean;
  /** True when this record's event (by source and id: two sources may share an id) was handled before (redelivery, replay). */
  seen(record: BusRecord): boolean;
  /** The work; throws to fail the attempt. */
  handle(record: BusRecord, attempt: number, signal: AbortSignal): Promise<void>;
  /** Keeps a record that cannot be handled, with the reason (a dead letter, a failed instance). */
  park(record: BusRecord, failure: Failure): Promise<void>;
  /** Told after every failed attempt that will be retried (logs, attempt records). */
  retrying?(record: BusRecord, error: unknown, attempt: number): void;
}

export interface ConsumerPolicy {
  /** Tries per record in all; `Infinity` retries until the consumer stops. */
  attempts: number;
  baseMs: number;
  capMs: number;
  retryable(error: unknown): boolean;
  /**
   * For errors meaning "not now" (the hub held the call back: circuit open, upstream busy): how
   * long to wait before trying again, without spending an attempt.
   */
  deferral?(error: unknown): number | undefined;
}

export class DurableConsumer {
  private readonly stopping = new AbortController();
  private subscriptions: Subscription[] = [];

  constructor(private readonly handler: ConsumerHandler, private readonly policy: ConsumerPolicy) {}

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  async subscribe(bus: EventBus, options: { groupId: string; topic: string; start?: StartPosition }): Promise<void> {
    this.subscriptions.push(await bus.subscribe({ ...options, handler: async (record) => void (await this.process(record)) }));
  }

  /** Stops retrying at once, then closes the bus subscriptions. */
  async stop(): Promise<void> {
    this.stopping.abort();
    const closing = this.subscriptions;
    this.subscriptions = [];
    await Promise.allSettled(closing.map((s) => s.close()));
  }

  /**
   * One record, start to end. `replay` (an operator handing a dead letter back) answers
   * `deferred` at once where consuming would wait for the target to take calls again.
   */
  async process(record: BusRecord, mode: 'consume' | 'replay' = 'consume'): Promise<ConsumeOutcome> {
    if (this.handler.accepts && !this.handler.accepts(record)) return 'ignored';
    if (this.handler.seen(record)) return 'duplicate';
    const signal = this.stopping.signal;
    let spent = 0;
    for (;;) {
      if (signal.aborted) throw new StoppedError();
      let attempt = spent;
      try {
        await retrying(async (n, inner) => {
          attempt = spent + n;
          await this.handler.handle(record, attempt, inner);
        }, {
          attempts: this.policy.attempts - spent,
          baseMs: this.policy.baseMs,
          capMs: this.policy.capMs,
          retryable: (error) => this.policy.retryable(error) && this.policy.deferral?.(error) === undefined,
          onRetry: (error) => this.handler.retrying?.(record, error, attempt),
        }, signal);
        return 'handled';
      } catch (error) {
        const wait = this.policy.deferral?.(error);
        if (wait !== undefined) {
          // Held back by the hub itself: that attempt does not count.
          if (mode === 'replay') return 'deferred';
          spent = attempt - 1;
          await pause(wait, signal);
          continue;
        }
        const retryable = this.policy.retryable(error);
        // Stopping mid-retry: leave the record uncommitted so the next start tries again.
        const cancelled = error === signal.reason || error instanceof TaskCancelledError;
        if (signal.aborted && (cancelled || (retryable && attempt < this.policy.attempts))) throw new StoppedError();
        await this.handler.park(record, { error, attempts: attempt, why: retryable ? 'exhausted' : 'refused' });
        return 'parked';
      }
    }
  }
}

export class StoppedError extends Error {
  constructor() {
    super('consumer stopping; the record is handled after the restart');
    this.name = 'StoppedError';
  }
}
