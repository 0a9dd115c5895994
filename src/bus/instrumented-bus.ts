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

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribe({
      ...options,
      handler: async (record) => {
        await options.handler(record);
        this.observer.consumed(record.event.type, options.groupId);
      },
    });
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
