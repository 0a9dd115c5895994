// Picks where the control-plane state lives, by the same rule as the bus: on Kafka (the compacted
// topic `<bus.topicPrefix>._control`, shared by every instance on the cluster) when the bus is
// Kafka, else the embedded SQLite file of this one instance. The Kafka side is imported only then.
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { busIsKafka } from '../bus/create-bus.js';
import type { HubConfig } from '../config/config.js';
import { EmbeddedState } from './embedded-state.js';
import type { StateLayer } from './state-layer.js';

export async function createStateLayer(config: HubConfig, logger: Logger, observer?: { propagated(seconds: number): void }): Promise<StateLayer> {
  if (busIsKafka(config)) {
    const { KafkaState } = await import('./kafka-state.js');
    const { brokers, clientId, replicationFactor } = config.bus.kafka;
    return new KafkaState({ brokers, clientId, replicationFactor, topic: `${config.bus.topicPrefix}._control`, logger, ...(observer ? { onPropagated: (seconds: number) => observer.propagated(seconds) } : {}) });
  }
  return new EmbeddedState(join(resolve(config.dataDir), 'control.db'));
}
