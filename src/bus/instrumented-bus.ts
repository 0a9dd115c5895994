// Wraps any bus to count what is published and consumed and time every publish, so both bus
// implementations are measured the same way.
import type { HubMetrics } from '../observability/metrics.js';
import type { EventBus, OutgoingMessage, SubscribeOptions, Subscription } from './event-bus.js';

export class InstrumentedBus implements EventBus {
  constructor(private readonly inner: EventBus, private readonly metrics: HubMetrics) {}

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
    const stop = this.metrics.publishDuration.startTimer({ bus: this.inner.kind });
    await this.inner.publish(messages);
    stop();
    for (const message of messages) this.metrics.eventsPublished.inc({ type: message.event.type });
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribe({
      ...options,
      handler: async (record) => {
        await options.handler(record);
        this.metrics.eventsConsumed.inc({ type: record.event.type, group: options.groupId });
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
