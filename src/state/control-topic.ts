// The control topic every instance shares: one partition (one order for every change) and
// compacted (the latest record of each key is kept for ever; a tombstone deletes it), like the
// config and offset topics of Kafka Connect's distributed mode.
import kafkajs, { type Admin } from 'kafkajs';
import { retrying } from '../resilience/policies.js';

/** An existing control topic that cannot hold state as it is: an operator must fix it, retrying will not. */
export class ControlTopicUnfit extends Error {
  override readonly name = 'ControlTopicUnfit';
}

/** Creates the topic when missing and checks an existing one can hold state; returns its end offset. */
export async function prepareControlTopic(admin: Admin, topic: string, replicationFactor: number): Promise<number> {
  if (!(await admin.listTopics()).includes(topic)) {
    // false (not an error) when another instance created it first.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{
        topic,
        numPartitions: 1,
        replicationFactor,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          // acks=all then means at least two copies wherever there are two to have.
          { name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) },
        ],
      }],
    });
  }
  const [metadata] = await whileSettling(async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    if (!topics[0] || topics[0].partitions.length === 0 || topics[0].partitions.some((p) => p.leader < 0)) throw settlingError(topic);
    return topics;
  });
  if (metadata!.partitions.length !== 1) {
    throw new ControlTopicUnfit(`the control topic ${topic} has ${metadata!.partitions.length} partitions; it needs exactly 1 (one order for every change): recreate it`);
  }
  await assertCompacted(admin, topic);
  const offsets = await whileSettling(() => admin.fetchTopicOffsets(topic));
  return Number(offsets.find((o) => o.partition === 0)?.high ?? 0);
}

/** A topic that deletes by age would lose clients and keys after its retention: refuse it. */
async function assertCompacted(admin: Admin, topic: string): Promise<void> {
  const described = await whileSettling(() => admin.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] }));
  const policy = described.resources[0]?.configEntries.find((entry) => entry.configName === 'cleanup.policy')?.configValue ?? '';
  if (!policy.split(',').includes('compact') || policy.includes('delete')) {
    throw new ControlTopicUnfit(`the control topic ${topic} has cleanup.policy=${policy || 'unknown'}; it must be compact (set it with kafka-configs --alter --add-config cleanup.policy=compact)`);
  }
}

function settlingError(topic: string): Error {
  return Object.assign(new Error(`the control topic ${topic} has no leader yet`), { type: 'LEADER_NOT_AVAILABLE' });
}

/** Right after a topic is created, brokers may briefly not know it or have no leader for it. */
function whileSettling<T>(call: () => Promise<T>): Promise<T> {
  return retrying(call, {
    attempts: 50,
    baseMs: 100,
    capMs: 500,
    retryable: (error) => ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'].includes(String((error as { type?: string }).type)),
  });
}
