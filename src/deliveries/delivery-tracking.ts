// Self-service delivery status for apps: writes the status records (delivery-status.ts) and keeps
// this instance's index of them (delivery-index.ts) by following `<prefix>._deliveries` in a
// group of its own, from the oldest record the topic keeps. A status record the bus refuses is
// logged and missing from the view; the event and its delivery are not affected.
import type { Logger } from 'pino';
import type { EventBus, OutgoingMessage, Subscription } from '../bus/event-bus.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { DeliveryIndex } from './delivery-index.js';
import { DeliveryStatus, statusRecordType, statusTopic, type DeliveryTarget, type StatusReport, type TargetStatus } from './delivery-status.js';

/** What delivery workers and webhook subscriptions tell about a target's outcome. */
export interface DeliveryReporter {
  /** The status record of an outcome (undefined for the hub's own events), to publish beside another record. */
  outcomeMessage(event: CloudEvent, target: DeliveryTarget, stage: TargetStatus, detail: { attempts: number; code?: string | null; reason?: string | null }): OutgoingMessage | undefined;
  /** Publishes an outcome without holding the caller up. */
  report(event: CloudEvent, target: DeliveryTarget, stage: TargetStatus, detail: { attempts: number; code?: string | null; reason?: string | null }): void;
}

export class DeliveryTracking implements DeliveryReporter {
  readonly index: DeliveryIndex;
  private readonly status: DeliveryStatus;
  private subscription: Subscription | undefined;
  /** Records read and not yet indexed: those of every partition that arrive in one turn share a transaction. */
  private pending: { report: StatusReport; done: () => void; failed: (error: unknown) => void }[] = [];

  constructor(private readonly deps: { bus: EventBus; topicPrefix: string; instance: string; file: string; logger: Logger }) {
    this.index = new DeliveryIndex(deps.file);
    this.status = new DeliveryStatus(deps.topicPrefix, deps.instance);
  }

  /** For the outbox relay: the `published` records of a batch, sent in the same produce request. */
  publishedMessages(batch: { event: CloudEvent; acceptedAt: number }[]): OutgoingMessage[] {
    return batch.flatMap(({ event, acceptedAt }) => this.status.published(event, acceptedAt) ?? []);
  }

  outcomeMessage(...args: Parameters<DeliveryReporter['outcomeMessage']>): OutgoingMessage | undefined {
    return this.status.outcome(...args);
  }

  report(...args: Parameters<DeliveryReporter['report']>): void {
    const message = this.status.outcome(...args);
    if (!message) return;
    this.deps.bus.publish([message]).catch((error: unknown) => this.deps.logger.warn({ err: error, eventId: args[0].id }, 'a delivery status record was not published; GET /v1/me/deliveries lacks it'));
  }

  /** Follows the status topic into this instance's index. */
  async start(): Promise<void> {
    const topic = statusTopic(this.deps.topicPrefix);
    await this.deps.bus.ensureTopics([topic]);
    this.subscription = await this.deps.bus.subscribe({
      groupId: `${this.deps.topicPrefix}.delivery-index.${this.deps.instance}`,
      topic,
      start: { from: 'earliest' },
      handler: async (record) => {
        if (record.event.type === statusRecordType) await this.indexSoon(record.event.data as StatusReport);
      },
    });
  }

  /** Resolves once the record is indexed (the offset is committed after), with the others of this turn. */
  private indexSoon(report: StatusReport): Promise<void> {
    return new Promise((done, failed) => {
      if (this.pending.push({ report, done, failed }) > 1) return;
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        try {
          this.index.applyAll(batch.map((entry) => entry.report));
          for (const entry of batch) entry.done();
        } catch (error) {
          for (const entry of batch) entry.failed(error);
        }
      });
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }

  close(): void {
    this.index.close();
  }
}
