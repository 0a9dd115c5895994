// The relay moves committed outbox events to the bus, oldest first, one batch at a time, so
// events of one key reach the bus in the order they were accepted. A failed publish is retried
// with capped exponential backoff and jitter (the resilience kit); nothing is marked sent until
// the bus acknowledged it.
import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus.js';
import { retrying } from '../resilience/policies.js';
import type { Outbox } from './outbox.js';

export interface RelayOptions {
  batchSize: number;
  idleMs: number;
  logger: Logger;
  /** Told about every failed attempt (metrics). */
  onFailure?: () => void;
}

const retry = { attempts: Infinity, baseMs: 100, capMs: 5000 };

export class OutboxRelay {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopping = new AbortController();
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
    // still unmarked in the outbox and goes out after the restart.
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, Math.max(drainMs, 1000)).unref())]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const batch = this.outbox.pending(this.options.batchSize);
      if (batch.length === 0) {
        await this.sleep(this.options.idleMs);
        continue;
      }
      try {
        await retrying(async (attempt) => {
          // After a failure the batch is read again: it may have grown meanwhile.
          const pending = attempt === 1 ? batch : this.outbox.pending(this.options.batchSize);
          await this.bus.publish(pending.map(({ topic, key, event, headers }) => ({ topic, key, event, headers })));
          this.outbox.markPublished(pending.map((entry) => entry.seq));
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
