// Picks how this instance learns about the others: a Kafka consumer group when the bus is
// Kafka, else it is alone. The Kafka side is imported only then.
import type { Logger } from 'pino';
import type { HubConfig } from '../config/config.js';
import type { EventBus } from '../bus/event-bus.js';
import { SingleInstance, type Cluster } from './cluster.js';

export async function createCluster(config: HubConfig, bus: EventBus, instance: string, logger: Logger): Promise<Cluster> {
  if (bus.kind !== 'kafka') return new SingleInstance(instance);
  const { KafkaCluster } = await import('./kafka-cluster.js');
  const { brokers, replicationFactor } = config.bus.kafka;
  return new KafkaCluster({ brokers, replicationFactor, topicPrefix: config.bus.topicPrefix, instance, polls: config.connectors.polling, logger });
}
