// The EventBus contract on a real Kafka broker (started by test/setup/kafka.global.ts, or the
// cluster in KAFKA_BROKERS).
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { KafkaBus, sessionTimeoutMs } from '../../src/bus/kafka-bus.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { sleep, waitFor } from '../support/wait.js';
import { describeBusContract } from './contract.js';

const logger = pino({ level: 'warn' });

// Concurrent: a group join or a consumer shutdown takes seconds on Kafka; the tests share nothing.
describeBusContract(
  'kafka',
  async () =>
    new KafkaBus({
      brokers: kafkaBrokers(),
      clientId: uniqueName('penghubung-test'),
      partitions: 3,
      replicationFactor: 1,
      logger,
    }),
  { concurrent: true },
);

// kafkajs heartbeats between records only; a handler held longer than the group session (a
// delivery deferred while a circuit is open) must keep its membership, or the broker hands the
// record to a new generation and it is handled twice.
describe('a handler longer than the group session', () => {
  it('handles its record once, and the record after it once', async ({ onTestFinished }) => {
    const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('penghubung-test'), partitions: 1, replicationFactor: 1, logger });
    await bus.start();
    onTestFinished(() => bus.close());
    const topic = uniqueName('bus.long-handler');
    const calls: string[] = [];
    const subscription = await bus.subscribe({
      groupId: uniqueName('uji-long-handler'),
      topic,
      handler: async (record) => {
        calls.push(record.event.id);
        if (record.event.id === 'lama') await sleep(sessionTimeoutMs + 3000);
      },
    });
    onTestFinished(() => subscription.close());
    const event = (id: string) => ({ topic, key: 'satu-kunci', event: { specversion: '1.0' as const, id, source: '/penghubung/uji', type: 'uji.lama', time: new Date().toISOString(), data: { id } } });
    await bus.publish([event('lama'), event('sesudah')]);
    await waitFor(() => calls.includes('sesudah'), sessionTimeoutMs + 40_000, () => `the record after the long one was not handled (calls: ${calls.join(', ')})`);
    // A second 'lama' would come right after the first ended (the new generation re-reads from
    // the last commit): 'sesudah' handled means the first finished and any redelivery happened.
    expect(calls).toEqual(['lama', 'sesudah']);
  }, sessionTimeoutMs + 50_000);
});
