// The event bus every part of the hub talks to. Two implementations pass one contract suite
// (test/bus/contract.ts): Kafka through kafkajs, and an embedded durable log on SQLite.
import type { CloudEvent } from '../events/cloudevent.js';

export interface OutgoingMessage {
  topic: string;
  key: string;
  event: CloudEvent;
  /** Transport headers beside the CloudEvents attributes, e.g. the correlation id. */
  headers?: Record<string, string>;
}

export interface BusRecord {
  topic: string;
  partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: string;
  key: string | null;
  timestamp: number;
  event: CloudEvent;
  headers: Record<string, string>;
}

/** Where a subscription starts when its group has no committed offset, or is told to rewind. */
export type StartPosition =
  | { from: 'earliest' }
  | { from: 'latest' }
  | { from: 'timestamp'; timestamp: number }
  | { from: 'offsets'; offsets: Record<number, string> };

export interface SubscribeOptions {
  groupId: string;
  topic: string;
  /** Applies when the group has no committed offset; default earliest. */
  start?: StartPosition;
  /** Rewind the group to this position before consuming (replay). */
  replay?: StartPosition;
  /**
   * Called once per record, in order per partition. The offset is committed only after the
   * handler resolves: delivery is at-least-once, so handlers dedupe by event id.
   * A handler that throws is called again with the same record after a pause.
   */
  handler: (record: BusRecord) => Promise<void>;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface EventBus {
  readonly kind: 'kafka' | 'embedded';
  start(): Promise<void>;
  /** Creates missing topics with the configured partition count. */
  ensureTopics(topics: string[]): Promise<void>;
  /** Resolves once every message is durably acknowledged (Kafka: by all in-sync replicas). */
  publish(messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Records of `topic` the group has not committed yet (its consumer lag). */
  lag(groupId: string, topic: string): Promise<number>;
  /** True when the bus answered a cheap request just now. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
