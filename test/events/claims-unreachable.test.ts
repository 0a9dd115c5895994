// The cross-instance idempotency check never holds a post hostage: with Kafka unreachable, a
// claim is accepted (the outbox still dedupes on this instance) within the check's time limit,
// and counted as unverified.
import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient } from '../../src/bus/kafka-client.js';
import { KafkaIngestClaims } from '../../src/events/claims/kafka-ingest-claims.js';
import type { OutboxEntry } from '../../src/outbox/outbox.js';

let closedPort: number;

beforeAll(async () => {
  // A port that was just free and is closed again: connections are refused at once.
  const listener: Server = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  closedPort = (listener.address() as { port: number }).port;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
});

const entry = (id: string): OutboxEntry => ({ topic: 'uji.uji', key: id, headers: {}, event: { specversion: '1.0', id, source: '/uji', type: 'uji.dibuat' } });

describe('ingest claims without Kafka', () => {
  it('accepts within the time limit and counts the events as unverified', async () => {
    let unverified = 0;
    const logger = pino({ level: 'silent' });
    const claims = new KafkaIngestClaims({
      kafka: createKafkaClient({ brokers: [`127.0.0.1:${closedPort}`], clientId: 'uji-klaim', logger }),
      topicPrefix: 'uji-klaim',
      partitions: 3,
      replicationFactor: 1,
      windowMs: 60_000,
      pendingMs: 15_000,
      timeoutMs: 300,
      logger,
      onUnverified: (count) => (unverified += count),
    });
    try {
      const started = Date.now();
      expect(await claims.claim([entry('a'), entry('b'), entry('a')])).toEqual(['claimed', 'claimed', 'duplicate']);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(unverified).toBe(2);
    } finally {
      await claims.close();
    }
  });
});
