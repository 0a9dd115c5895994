// Picks the idempotency check across instances: claims on Kafka, or the outbox's own index alone.
// The Kafka side is imported only when it is used.
import type { Logger } from 'pino';
import type { EventBus } from '../../bus/event-bus.js';
import type { HubConfig } from '../../config/config.js';
import { outboxOnlyClaims, type IngestClaims } from './ingest-claims.js';

export async function createIngestClaims(config: HubConfig, bus: EventBus, deps: { logger: Logger; onUnverified: (count: number) => void }): Promise<IngestClaims> {
  if (bus.kind !== 'kafka' || config.events.idempotencyWindowMinutes === 0) return outboxOnlyClaims;
  const [{ createKafkaClient }, { KafkaIngestClaims }] = await Promise.all([import('../../bus/kafka-client.js'), import('./kafka-ingest-claims.js')]);
  return new KafkaIngestClaims({
    kafka: createKafkaClient({ brokers: config.bus.kafka.brokers, clientId: `${config.bus.kafka.clientId}-claims`, logger: deps.logger }),
    topicPrefix: config.bus.topicPrefix,
    partitions: config.bus.partitions,
    replicationFactor: config.bus.kafka.replicationFactor,
    windowMs: config.events.idempotencyWindowMinutes * 60_000,
    pendingMs: config.events.pendingClaimSeconds * 1000,
    logger: deps.logger.child({ component: 'ingest-claims' }),
    onUnverified: deps.onUnverified,
  });
}
