// Every record of some Kafka topics, read from the beginning to their current end (not deduped:
// the cluster tests count what was published twice).
import { Kafka, logLevel } from 'kafkajs';
import { decodeBinaryEvent } from '../../src/bus/kafka-binding.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

export async function readTopics(topics: string[]): Promise<{ topic: string; event: Record<string, unknown> }[]> {
  const kafka = new Kafka({ clientId: 'cluster-test-reader', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const wanted = topics.filter((topic) => existing.has(topic));
  const ends = new Map<string, number>();
  for (const topic of wanted) for (const partition of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition.partition}`, Number(partition.high));
  await admin.disconnect();
  const records: { topic: string; event: Record<string, unknown> }[] = [];
  if (wanted.length === 0) return records;
  const reached = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: uniqueName('cluster-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: wanted, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        reached.set(`${topic}/${partition}`, Number(message.offset) + 1);
        const key = `${topic}/${partition}`;
        if (Number(message.offset) < (ends.get(key) ?? 0)) records.push({ topic, event: decodeBinaryEvent(message.value, message.headers ?? {}).event });
      },
    });
    await waitFor(() => [...ends].every(([key, end]) => (reached.get(key) ?? 0) >= end), 30_000, 'the topics read to their end', 100);
  } finally {
    await consumer.disconnect();
  }
  return records;
}
