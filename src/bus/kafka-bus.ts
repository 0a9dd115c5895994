// The event bus on Apache Kafka through kafkajs. Events travel in the CloudEvents Kafka
// binding's binary mode: attributes as `ce_*` headers, `data` as the value.
import { Partitioners, type Admin, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { CloudEvent } from '../events/cloudevent.js';
import type { BusRecord, EventBus, OutgoingMessage, StartPosition, SubscribeOptions, Subscription } from './event-bus.js';
import { decodeBinaryEvent, encodeBinaryEvent } from './kafka-binding.js';
import { createKafkaClient } from './kafka-client.js';
import { retrying } from '../resilience/policies.js';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  partitions: number;
  replicationFactor: number;
  logger: Logger;
  /**
   * Idempotent producers publishing side by side (default 1). kafkajs lets an idempotent
   * producer have one request in flight per broker, so concurrent publishes (the relay's lanes)
   * overlap their round trips only through producers of their own.
   */
  producers?: number;
}

/** How long a send may wait for its acknowledgement before the producer is replaced. */
const stuckSendMs = 30_000;
/** kafkajs beats at most this often; a record handled for longer beats from a timer (subscribe). */
const heartbeatMs = 1000;
/** A consumer silent this long leaves its group; a handler may take longer (see subscribe). */
export const sessionTimeoutMs = 10_000;

export class KafkaBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producers: Producer[];
  /** Publishes under way per producer: a publish takes the least busy one. */
  private readonly busy: number[];
  private readonly admin: Admin;
  private readonly knownTopics = new Set<string>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = createKafkaClient(options);
    const count = Math.max(1, options.producers ?? 1);
    this.producers = Array.from({ length: count }, () => this.newProducer());
    this.busy = this.producers.map(() => 0);
    this.admin = this.kafka.admin();
  }

  /**
   * Idempotent, acks=all: a retried send is written once, and only what every in-sync replica
   * holds is acknowledged. Retries are unbounded by design (the outbox relay waits), but a send
   * stuck past `stuckSendMs` replaces the producer (see publish).
   */
  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
    });
  }

  private connected: Promise<void> | undefined;
  private closed = false;
  private readonly closing = new AbortController();

  /**
   * Connects in the background: a hub whose Kafka is down at boot still starts and accepts
   * events into its outbox; publishing waits until the first connection succeeds.
   */
  async start(): Promise<void> {
    this.connected ??= this.connectUntilUp();
  }

  private async connectUntilUp(): Promise<void> {
    await retrying(async () => {
      await this.admin.connect();
      await Promise.all(this.producers.map((producer) => producer.connect()));
    }, {
      attempts: Infinity,
      baseMs: 250,
      capMs: 5000,
      onRetry: (error, attempt) => this.options.logger.warn({ err: error, attempt }, 'Kafka is not reachable yet; retrying'),
    }, this.closing.signal).catch((error: unknown) => {
      if (!this.closing.signal.aborted) throw error;
    });
  }

  private ready(): Promise<void> {
    if (!this.connected) throw new Error('KafkaBus.start() was not called');
    return this.connected;
  }

  async ensureTopics(topics: string[]): Promise<void> {
    await this.ready();
    const missing = [...new Set(topics)].filter((topic) => !this.knownTopics.has(topic));
    if (missing.length === 0) return;
    const existing = new Set(await this.admin.listTopics());
    const toCreate = missing.filter((topic) => !existing.has(topic));
    if (toCreate.length > 0) {
      // Not waitForLeaders: kafkajs retries only LEADER_NOT_AVAILABLE there, while a KRaft broker
      // may first answer UNKNOWN_TOPIC_OR_PARTITION for a topic it just created.
      await this.admin.createTopics({
        waitForLeaders: false,
        topics: toCreate.map((topic) => ({ topic, numPartitions: this.options.partitions, replicationFactor: this.options.replicationFactor })),
      });
    }
    await this.untilLeadersOf(missing);
    for (const topic of missing) this.knownTopics.add(topic);
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopics(messages.map((m) => m.topic));
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic);
      if (list) list.push(message);
      else byTopic.set(message.topic, [message]);
    }
    const slot = this.leastBusy();
    const producer = this.producers[slot]!;
    this.busy[slot]!++;
    const sent = producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => {
          const { value, headers } = encodeBinaryEvent(m.event);
          return { key: m.key, value, headers: { ...m.headers, ...headers } };
        }),
      })),
    });
    // After a broker crash an idempotent producer can retry forever with a sequence the broker
    // no longer accepts. A send stuck this long gets a fresh producer (a new producer id); the
    // relay then sends the batch again, and consumers dedupe by event id.
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no acknowledgement from Kafka within ${stuckSendMs} ms; replacing the producer`)), stuckSendMs);
    });
    try {
      await Promise.race([sent, stuck]);
    } catch (error) {
      if (this.producers[slot] === producer && !this.closed) {
        this.options.logger.warn({ err: error }, 'replacing the Kafka producer after a failed or stuck send');
        sent.catch(() => undefined);
        void producer.disconnect().catch(() => undefined);
        const fresh = this.newProducer();
        this.producers[slot] = fresh;
        await fresh.connect();
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.busy[slot]!--;
    }
  }

  private leastBusy(): number {
    let slot = 0;
    for (let i = 1; i < this.busy.length; i++) if (this.busy[i]! < this.busy[slot]!) slot = i;
    return slot;
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    await this.ensureTopics([options.topic]);
    if (options.replay) await this.moveGroup(options.groupId, options.topic, options.replay);
    else if (options.start && options.start.from !== 'earliest' && options.start.from !== 'latest' && !(await this.hasCommitted(options.groupId, options.topic))) {
      await this.moveGroup(options.groupId, options.topic, options.start);
    }
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatMs,
      rebalanceTimeout: 10_000,
      // Bounds how long closing a subscription (and so shutting down) waits on an idle fetch.
      maxWaitTimeInMs: 1000,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
    });
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: options.start?.from !== 'latest' });
    // kafkajs heartbeats between records only. A handler may wait longer than the session
    // (a delivery deferred while a circuit is open): without beats the broker drops the member,
    // the record goes to the next generation and is handled twice (parked twice, say).
    let beat: (() => Promise<void>) | undefined;
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 500,
      // A failing handler throws; kafkajs seeks back and calls it again with the same record.
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        beat = heartbeat;
        try {
          await options.handler(toRecord(topic, partition, message));
        } finally {
          beat = undefined;
        }
      },
    });
    // Started once the consumer runs, so a failed start leaves no timer behind.
    const beating = setInterval(() => void beat?.().catch(() => undefined), heartbeatMs);
    beating.unref();
    const subscription: Subscription = {
      close: async () => {
        this.subscriptions.delete(subscription);
        clearInterval(beating);
        await consumer.disconnect();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async lag(groupId: string, topic: string): Promise<number> {
    await this.ensureTopics([topic]);
    const [latest, [committed]] = await Promise.all([this.admin.fetchTopicOffsets(topic), this.admin.fetchOffsets({ groupId, topics: [topic] })]);
    const committedBy = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    return latest.reduce((sum, p) => {
      const done = committedBy.get(p.partition) ?? -1;
      return sum + Math.max(0, Number(p.high) - (done >= 0 ? done : Number(p.low)));
    }, 0);
  }

  async healthy(): Promise<boolean> {
    if (!this.connected) return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref());
    const probe = this.admin.describeCluster().then((cluster) => cluster.brokers.length > 0, () => false);
    return Promise.race([probe, timeout]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    await Promise.allSettled([...this.producers.map((producer) => producer.disconnect()), this.admin.disconnect()]);
  }

  private async untilLeadersOf(topics: string[]): Promise<void> {
    const settling = (error: unknown): boolean => ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'].includes(String((error as { type?: string }).type));
    await retrying(async () => {
      const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics });
      if (!metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) throw Object.assign(new Error(`topics ${topics.join(', ')} have no leaders yet`), { type: 'LEADER_NOT_AVAILABLE' });
    }, { attempts: 50, baseMs: 100, capMs: 200, retryable: settling });
  }

  private async hasCommitted(groupId: string, topic: string): Promise<boolean> {
    const [offsets] = await whileTopicSettles(() => this.admin.fetchOffsets({ groupId, topics: [topic] }));
    return (offsets?.partitions ?? []).some((p) => Number(p.offset) >= 0);
  }

  /** Moves an idle group's committed offsets (the group must have no running member). */
  private async moveGroup(groupId: string, topic: string, position: StartPosition): Promise<void> {
    switch (position.from) {
      case 'earliest':
      case 'latest':
        await whileTopicSettles(() => this.admin.resetOffsets({ groupId, topic, earliest: position.from === 'earliest' }));
        return;
      case 'timestamp': {
        const offsets = await whileTopicSettles(() => this.admin.fetchTopicOffsetsByTimestamp(topic, position.timestamp));
        await this.admin.setOffsets({ groupId, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.offset })) });
        return;
      }
      case 'offsets':
        await this.admin.setOffsets({
          groupId,
          topic,
          partitions: Object.entries(position.offsets).map(([partition, offset]) => ({ partition: Number(partition), offset })),
        });
    }
  }
}

/**
 * Right after a topic is created, a broker may briefly answer that it does not host it yet
 * (UNKNOWN_TOPIC_OR_PARTITION) even though the controller has its leaders: try again shortly.
 */
function whileTopicSettles<T>(call: () => Promise<T>): Promise<T> {
  return retrying(call, { attempts: 20, baseMs: 100, capMs: 2000, retryable: (error) => (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION' });
}

function toRecord(topic: string, partition: number, message: KafkaMessage): BusRecord {
  const { event, headers } = decodeBinaryEvent(message.value, message.headers ?? {});
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    timestamp: Number(message.timestamp),
    event: event as CloudEvent,
    headers,
  };
}
