// Reads chosen partitions of Kafka topics from chosen offsets without a consumer group, and
// commits a group's offsets without joining it: what the pull API and the ingest claim follower
// need (no join, no rebalance, any instance, any offset).
// kafkajs has no `assign()`; its consumer fetches through the client's internal Cluster and
// Broker (the Fetch and ListOffsets requests), which this file uses directly. kafkajs 2.2.4 is
// its last release; `connect` fails loudly if that internal ever moves.
import { Kafka, type KafkaMessage } from 'kafkajs';

export interface PartitionOffsets {
  partition: number;
  /** The first offset still kept (retention moves it). */
  low: number;
  /** The offset the next record will get. */
  high: number;
}

export interface PartitionRequest {
  topic: string;
  partition: number;
  /** The first offset to return. */
  offset: number;
}

export interface FetchedPartition extends PartitionRequest {
  /** At or after `offset`, in offset order; control records left out. */
  messages: KafkaMessage[];
  highWatermark: number;
}

/** Kafka said an asked offset is no longer (or not yet) in the partition. */
export class OffsetOutOfRangeError extends Error {}

interface Broker {
  fetch(request: {
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: { partition: number; highWatermark: string; messages: (KafkaMessage & { isControlRecord?: boolean })[] }[] }[] }>;
}

interface Coordinator {
  offsetCommit(request: { groupId: string; groupGenerationId: number; memberId: string; retentionTime?: number; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<unknown>;
}

interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<Broker>;
  findGroupCoordinator(options: { groupId: string }): Promise<Coordinator>;
  fetchTopicsOffset(topics: { topic: string; fromBeginning?: boolean; fromTimestamp?: number; partitions: { partition: number }[] }[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

const readUncommitted = 0;
const staleMetadata = new Set(['NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'BROKER_NOT_AVAILABLE', 'KafkaJSBrokerNotFound']);

export class KafkaPartitionReader {
  private readonly cluster: Cluster;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
    const createCluster = symbol === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[symbol];
    if (typeof createCluster !== 'function') throw new Error('this kafkajs version does not expose its cluster; the pull reader needs kafkajs 2.2.x');
    this.cluster = (createCluster as (options: object) => Cluster)({ allowAutoTopicCreation: false, metadataMaxAge: 60_000 });
  }

  connect(): Promise<void> {
    this.connected ??= this.cluster.connect();
    return this.connected;
  }

  async close(): Promise<void> {
    await this.cluster.disconnect();
  }

  /** Each partition's kept range (earliest and next offsets), per topic; topics that do not exist throw. */
  async offsets(topics: string[]): Promise<Map<string, PartitionOffsets[]>> {
    if (topics.length === 0) return new Map();
    await this.metadataFor(topics);
    const ask = (extra: { fromBeginning?: boolean }): ReturnType<Cluster['fetchTopicsOffset']> =>
      this.cluster.fetchTopicsOffset(topics.map((topic) => ({ topic, ...extra, partitions: this.cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId })) })));
    const [lows, highs] = await Promise.all([ask({ fromBeginning: true }), ask({ fromBeginning: false })]);
    const result = new Map<string, PartitionOffsets[]>();
    for (const { topic, partitions } of highs) {
      const low = new Map((lows.find((entry) => entry.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      result.set(topic, partitions.map((p) => ({ partition: p.partition, low: low.get(p.partition) ?? 0, high: Number(p.offset) })).sort((a, b) => a.partition - b.partition));
    }
    return result;
  }

  /** The first offset of each partition whose records are at or after `timestamp` (the next offset where none is). */
  async offsetsAt(topic: string, timestamp: number): Promise<Map<number, number>> {
    await this.metadataFor([topic]);
    const [answer] = await this.cluster.fetchTopicsOffset([{ topic, fromTimestamp: timestamp, partitions: this.cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId })) }]);
    // -1: no record at or after the timestamp; the partition's end is asked separately.
    const found = (answer?.partitions ?? []).filter((p) => Number(p.offset) >= 0);
    if (found.length === (answer?.partitions ?? []).length) return new Map(found.map((p) => [p.partition, Number(p.offset)]));
    const ends = (await this.offsets([topic])).get(topic) ?? [];
    return new Map(ends.map((p) => [p.partition, Number(found.find((f) => f.partition === p.partition)?.offset ?? p.high)]));
  }

  /**
   * Commits offsets for a group that has no member (Kafka's own admin client does the same: generation
   * -1, no member id). kafkajs's admin.setOffsets joins the group instead, seconds per call.
   */
  async commitOffsets(groupId: string, topics: { topic: string; offsets: number[] }[]): Promise<void> {
    await this.connect();
    const coordinator = await this.cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({
      groupId,
      groupGenerationId: -1,
      memberId: '',
      topics: topics.map(({ topic, offsets }) => ({ topic, partitions: offsets.map((offset, partition) => ({ partition, offset: String(offset) })) })),
    });
  }

  /**
   * One Fetch per leader broker for all `requests`, waiting at most `maxWaitMs` when none has
   * data; each partition answers at most about `maxBytesPerPartition`.
   */
  async fetch(requests: PartitionRequest[], options: { maxWaitMs: number; maxBytesPerPartition: number }): Promise<FetchedPartition[]> {
    if (requests.length === 0) return [];
    const topics = [...new Set(requests.map((r) => r.topic))];
    await this.metadataFor(topics);
    const byLeader = new Map<string, PartitionRequest[]>();
    for (const topic of topics) {
      const mine = requests.filter((r) => r.topic === topic);
      for (const [nodeId, partitions] of Object.entries(this.cluster.findLeaderForPartitions(topic, mine.map((r) => r.partition)))) {
        byLeader.set(nodeId, [...(byLeader.get(nodeId) ?? []), ...mine.filter((r) => partitions.includes(r.partition))]);
      }
    }
    const answers = await Promise.all([...byLeader].map(([nodeId, asked]) => this.fetchFrom(nodeId, asked, options)));
    return answers.flat();
  }

  private async fetchFrom(nodeId: string, asked: PartitionRequest[], options: { maxWaitMs: number; maxBytesPerPartition: number }): Promise<FetchedPartition[]> {
    const broker = await this.cluster.findBroker({ nodeId });
    const topics = [...new Set(asked.map((r) => r.topic))].map((topic) => ({
      topic,
      partitions: asked.filter((r) => r.topic === topic).map((r) => ({ partition: r.partition, fetchOffset: String(r.offset), maxBytes: options.maxBytesPerPartition })),
    }));
    let answer: Awaited<ReturnType<Broker['fetch']>>;
    try {
      answer = await broker.fetch({ maxWaitTime: options.maxWaitMs, minBytes: 1, maxBytes: options.maxBytesPerPartition * asked.length, isolationLevel: readUncommitted, topics });
    } catch (error) {
      const type = (error as { type?: string; name?: string }).type ?? (error as { name?: string }).name;
      if (type === 'OFFSET_OUT_OF_RANGE') throw new OffsetOutOfRangeError('an asked offset is outside the partition');
      if (type !== undefined && staleMetadata.has(type)) await this.cluster.refreshMetadata();
      throw error;
    }
    const fetched: FetchedPartition[] = [];
    for (const { topicName, partitions } of answer.responses) {
      for (const partition of partitions) {
        const request = asked.find((r) => r.topic === topicName && r.partition === partition.partition);
        if (!request) continue;
        // A compressed record batch starts before the asked offset: Kafka's own consumer drops the head too.
        const messages = partition.messages.filter((m) => Number(m.offset) >= request.offset && m.isControlRecord !== true);
        fetched.push({ ...request, messages, highWatermark: Number(partition.highWatermark) });
      }
    }
    return fetched;
  }

  private async metadataFor(topics: string[]): Promise<void> {
    await this.connect();
    await this.cluster.addMultipleTargetTopics(topics);
    await this.cluster.refreshMetadataIfNecessary();
  }
}
