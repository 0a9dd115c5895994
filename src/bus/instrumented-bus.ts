// Wraps any bus to count what is published and consumed and time every publish, so both bus
// implementations are measured the same way. It tells an observer (the hub's metrics) through
// this narrow interface, so the bus knows nothing of how it is measured.
import { performance } from 'node:perf_hooks';
import type { EventBus, OutgoingMessage, SubscribeOptions, Subscription } from './event-bus.js';

export interface BusObserver {
  /** The bus acknowledged a batch after `seconds`. */
  published(bus: EventBus['kind'], messages: readonly OutgoingMessage[], seconds: number): void;
  /** A consumer group's handler finished with an event. */
  consumed(type: string, groupId: string): void;
}

export class InstrumentedBus implements EventBus {
  /** Every open subscription's group and topic, so their lag can be summed. */
  private readonly open = new Set<{ groupId: string; topic: string }>();

  constructor(private readonly inner: EventBus, private readonly observer: BusObserver) {}

  get kind(): EventBus['kind'] {
    return this.inner.kind;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  ensureTopics(topics: string[]): Promise<void> {
    return this.inner.ensureTopics(topics);
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    const started = performance.now();
    await this.inner.publish(messages);
    this.observer.published(this.inner.kind, messages, (performance.now() - started) / 1000);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const subscription = await this.inner.subscribe({
      ...options,
      handler: async (record) => {
        await options.handler(record);
        this.observer.consumed(record.event.type, options.groupId);
      },
    });
    const entry = { groupId: options.groupId, topic: options.topic };
    this.open.add(entry);
    return {
      close: async () => {
        this.open.delete(entry);
        await subscription.close();
      },
    };
  }

  /** Records the open subscriptions have not committed yet: 0 once every consumer has caught up. */
  async pendingRecords(): Promise<number> {
    const lags = await Promise.all([...this.open].map(({ groupId, topic }) => this.inner.lag(groupId, topic)));
    return lags.reduce((sum, lag) => sum + lag, 0);
  }

  lag(groupId: string, topic: string): Promise<number> {
    return this.inner.lag(groupId, topic);
  }

  healthy(): Promise<boolean> {
    return this.inner.healthy();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
