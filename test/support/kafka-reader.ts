// Reads a whole Kafka topic from the beginning in a fresh consumer group and dedupes by event id,
// as every consumer of the hub's events is expected to.
import { pino } from 'pino';
import { KafkaBus } from '../../src/bus/kafka-bus.js';
import { uniqueName } from './kafka.js';
import { waitFor } from './wait.js';

export async function readTopicUntil(brokers: string[], topic: string, expected: Set<string>, timeoutMs: number): Promise<{ ids: Set<string>; deliveries: number }> {
  const bus = new KafkaBus({ brokers, clientId: 'test-reader', partitions: 3, replicationFactor: 1, logger: pino({ level: 'silent' }) });
  await bus.start();
  const ids = new Set<string>();
  let deliveries = 0;
  const subscription = await bus.subscribe({
    groupId: uniqueName('reader'),
    topic,
    start: { from: 'earliest' },
    handler: async (record) => {
      deliveries++;
      ids.add(record.event.id);
    },
  });
  try {
    await waitFor(() => [...expected].every((id) => ids.has(id)), timeoutMs, () => `all ${expected.size} acknowledged events in ${topic} (seen ${ids.size})`, 200);
  } finally {
    await subscription.close();
    await bus.close();
  }
  return { ids, deliveries };
}
