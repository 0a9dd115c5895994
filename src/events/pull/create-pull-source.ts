// Picks where the pull API reads: the Kafka topics when the bus is Kafka, else the outbox. The
// Kafka side is imported only then.
import type { Logger } from 'pino';
import type { EventBus } from '../../bus/event-bus.js';
import type { HubConfig } from '../../config/config.js';
import type { Outbox } from '../../outbox/outbox.js';
import { OutboxPullSource, type NamedCursorStore } from './outbox-pull-source.js';
import type { PullSource } from './pull-source.js';

export async function createPullSource(config: HubConfig, bus: EventBus, deps: { outbox: Outbox; cursors: NamedCursorStore; logger: Logger }): Promise<PullSource & { close(): Promise<void> }> {
  if (bus.kind === 'kafka') {
    const [{ createKafkaClient }, { KafkaPullSource }] = await Promise.all([import('../../bus/kafka-client.js'), import('./kafka-pull-source.js')]);
    const kafka = createKafkaClient({ brokers: config.bus.kafka.brokers, clientId: `${config.bus.kafka.clientId}-pull`, logger: deps.logger });
    return new KafkaPullSource({ kafka, topicPrefix: config.bus.topicPrefix });
  }
  return Object.assign(new OutboxPullSource(deps.outbox, deps.cursors), { close: async () => undefined });
}
