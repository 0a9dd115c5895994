// Picks the bus: Kafka when configured (or brokers given with kind auto), else the embedded log.
// The Kafka side is imported only when it is used: kafkajs alone is some 140 modules, ≈ 8% of an
// embedded hub's start.
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/config.js';
import { EmbeddedBus } from './embedded-bus.js';
import type { EventBus } from './event-bus.js';

/** Kafka when configured, or when brokers are given and the kind is auto (the state layer follows the same rule). */
export function busIsKafka(config: HubConfig): boolean {
  return config.bus.kind === 'kafka' || (config.bus.kind === 'auto' && config.bus.kafka.brokers.length > 0);
}

export async function createBus(config: HubConfig, logger: Logger): Promise<EventBus> {
  if (busIsKafka(config)) {
    if (config.bus.kafka.brokers.length === 0) throw new Error('bus.kind is kafka but bus.kafka.brokers is empty (set KAFKA_BROKERS)');
    const { KafkaBus } = await import('./kafka-bus.js');
    // One producer per relay lane, so the lanes' round trips overlap.
    return new KafkaBus({ ...config.bus.kafka, partitions: config.bus.partitions, producers: config.outbox.relayInFlight, logger });
  }
  return new EmbeddedBus({ file: join(resolve(config.dataDir), config.bus.embedded.file), partitions: config.bus.partitions, pollIntervalMs: config.bus.embedded.pollIntervalMs });
}
