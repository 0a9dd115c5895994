// The control-plane state shared by every instance on one Kafka cluster: the compacted topic
// `<topicPrefix>._control` (one partition) holds one record per `<table>/<key>`, JSON or a
// tombstone. Every instance reads it from the beginning at start, keeps following it, and applies
// every record in log order (its own too), so all converge on Kafka's order even when two write
// one key at once. A write resolves once Kafka acknowledged it (acks=all, idempotent producer).
import { randomUUID } from 'node:crypto';
import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafkaClient } from '../bus/kafka-client.js';
import { HubError } from '../errors/catalogue.js';
import { retrying, withDeadline } from '../resilience/policies.js';
import { ControlTopicUnfit, prepareControlTopic } from './control-topic.js';
import { MaterialisedState } from './state-layer.js';

export interface KafkaStateOptions {
  brokers: string[];
  clientId: string;
  /** `<bus.topicPrefix>._control`. */
  topic: string;
  replicationFactor: number;
  logger: Logger;
  /** How long a write waits for Kafka's acknowledgement before failing with `state-unavailable`. */
  writeTimeoutMs?: number;
  /** Told, once loaded, how long each other instance's change took from its write to being applied here. */
  onPropagated?: (seconds: number) => void;
}

const originHeader = 'penghubung-origin';

export class KafkaState extends MaterialisedState {
  readonly kind = 'kafka' as const;
  /** Tells this process's own records apart when they come back from the log. */
  private readonly instance = randomUUID();
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly writeTimeoutMs: number;
  private producer: Producer | undefined;
  private producerReady: Promise<void> | undefined;
  private consumer: Consumer | undefined;
  /** Offset of the next record to apply from the topic's one partition. */
  private position = 0;
  /** Offset of this instance's latest acknowledged write per record not yet read back: older records of that key are already overtaken. */
  private readonly ownAhead = new Map<string, number>();
  private readonly closing = new AbortController();
  private caughtUp: { end: number; resolve: () => void } | undefined;

  constructor(private readonly options: KafkaStateOptions) {
    super();
    this.logger = options.logger.child({ component: 'state' });
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.kafka = createKafkaClient({ clientId: options.clientId, brokers: options.brokers, logger: this.logger, maxRetryTimeMs: 2000 });
  }

  /**
   * Resolves once every record the topic held at start is applied. Waits for Kafka while it is
   * down: a hub without the shared state would not know the clients, keys and decisions made on
   * the others, and could not record its own (fail closed, as a Kafka Connect worker does).
   */
  async start(): Promise<void> {
    const admin = this.kafka.admin();
    let end: number;
    try {
      end = await retrying(async () => {
        await admin.connect();
        return prepareControlTopic(admin, this.options.topic, this.options.replicationFactor);
      }, {
        attempts: Infinity,
        baseMs: 250,
        capMs: 5000,
        retryable: (error) => !(error instanceof ControlTopicUnfit),
        onRetry: (error, attempt) => this.logger.warn({ err: error, attempt }, 'the control topic on Kafka is not reachable yet; retrying'),
      }, this.closing.signal);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const loaded = new Promise<void>((resolve) => {
      this.caughtUp = { end, resolve };
    });
    this.checkCaughtUp();
    const consumer = await this.follow();
    if (this.closing.signal.aborted) {
      await consumer.disconnect();
      return;
    }
    this.consumer = consumer;
    this.closing.signal.addEventListener('abort', () => this.caughtUp?.resolve(), { once: true });
    await loaded;
    if (this.closing.signal.aborted) return;
    this.useNewProducer();
    // The first write then goes out at once (a failed connection is retried by that write).
    await this.producerReady?.catch(() => undefined);
    this.logger.info({ topic: this.options.topic, records: end }, 'control state loaded from Kafka');
  }

  /** A group of its own (nothing committed), read from the beginning: every instance reads everything. */
  private async follow(): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: `${this.options.topic}.reader.${this.instance}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      // A fetch returns as soon as one record is there; this only bounds an idle fetch (and shutdown).
      maxWaitTimeInMs: 500,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.receive(message);
        this.checkCaughtUp();
      },
    });
    return consumer;
  }

  private receive(message: KafkaMessage): void {
    const offset = Number(message.offset);
    // After a consumer restart the group (nothing committed) reads from the beginning again.
    if (offset < this.position) return;
    this.position = offset + 1;
    const id = message.key?.toString('utf8') ?? '';
    const slash = id.indexOf('/');
    if (slash <= 0) {
      this.logger.warn({ offset }, 'a control record without a <table>/<key> key was ignored');
      return;
    }
    const ahead = this.ownAhead.get(id);
    if (ahead !== undefined) {
      if (offset < ahead) return;
      this.ownAhead.delete(id);
    }
    let value: unknown;
    try {
      value = message.value === null ? undefined : JSON.parse(message.value.toString('utf8'));
    } catch {
      this.logger.warn({ offset, table: id.slice(0, slash) }, 'a control record that is not JSON was ignored');
      return;
    }
    const origin = message.headers?.[originHeader]?.toString() === this.instance ? 'local' : 'remote';
    this.apply(id.slice(0, slash), id.slice(slash + 1), value, origin);
    // The writer's clock against this one's: a skew between hosts shows up here too.
    if (origin === 'remote' && !this.caughtUp && this.producer) this.options.onPropagated?.(Math.max(0, Date.now() - Number(message.timestamp)) / 1000);
  }

  private checkCaughtUp(): void {
    if (this.caughtUp && this.position >= this.caughtUp.end) {
      this.caughtUp.resolve();
      this.caughtUp = undefined;
    }
  }

  protected async persist(table: string, key: string, value: unknown): Promise<void> {
    if (!this.producer || !this.producerReady) throw new Error('the control state is not started');
    const id = `${table}/${key}`;
    const serialised = value === undefined ? null : JSON.stringify(value);
    const producer = this.producer;
    const ready = this.producerReady;
    let offset: number;
    try {
      offset = await withDeadline(this.writeTimeoutMs, async () => {
        await ready;
        const [metadata] = await producer.send({
          topic: this.options.topic,
          acks: -1,
          messages: [{ partition: 0, key: id, value: serialised, headers: { [originHeader]: this.instance } }],
        });
        return Number(metadata?.baseOffset ?? metadata?.offset);
      });
    } catch (error) {
      this.replaceProducer(producer, error);
      throw new HubError('state-unavailable', `Kafka did not acknowledge the change within ${this.writeTimeoutMs} ms; it may still be applied`, { retryAfterSeconds: 5, cause: error });
    }
    // Read back already, with whatever came after it: the log's order stands.
    if (offset < this.position) return;
    this.ownAhead.set(id, offset);
    this.apply(table, key, serialised === null ? undefined : JSON.parse(serialised), 'local');
  }

  /**
   * A failed or stuck idempotent producer may keep retrying with a sequence the broker no longer
   * accepts: the next write gets a fresh one (a new producer id).
   */
  private replaceProducer(failed: Producer, error: unknown): void {
    if (this.producer !== failed || this.closing.signal.aborted) return;
    this.logger.warn({ err: error }, 'replacing the control-state producer after a failed write');
    void failed.disconnect().catch(() => undefined);
    this.useNewProducer();
  }

  private useNewProducer(): void {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Every record names partition 0; this only keeps kafkajs from warning about its default.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: Number.MAX_SAFE_INTEGER },
    });
    this.producer = producer;
    this.producerReady = producer.connect();
    // Awaited by the next write (inside its deadline); a failure there replaces this producer.
    this.producerReady.catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([this.consumer?.disconnect(), this.producer?.disconnect()]);
    this.consumer = undefined;
    this.producer = undefined;
    this.producerReady = undefined;
  }
}
