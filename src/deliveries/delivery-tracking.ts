// Self-service delivery status for apps: writes the status records (delivery-status.ts) and keeps
// this instance's index of them (delivery-index.ts) by following `<prefix>._deliveries` in a
// group of its own, from the oldest record the topic keeps. A status record the bus refuses is
// logged and missing from the view; the event and its delivery are not affected.
// The `published` records the relay writes are indexed here when Kafka acknowledged them, before
// the outbox marks their events published, and exactly those are skipped when read back (by
// record id). Any other packed record is indexed as it is read: another instance's, an earlier
// run's, and this process's own when it is read back before its acknowledgement was handled
// (Kafka answers the consumer and the producer at once; the acknowledgement then leaves it out) or when indexing it then failed (disk
// full). A lane acknowledged and not marked (a crash in between, a stuck send) is published
// again, with records of its own, so no event marked published lacks its record here.
import type { Logger } from 'pino';
import type { EventBus, OutgoingMessage, Subscription } from '../bus/event-bus.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { DeliveryIndex } from './delivery-index.js';
import { partitionFor } from '../bus/partitioner.js';
import { DeliveryStatus, packedStatusRecordType, statusRecordType, statusTopic, unpackPublished, type DeliveryTarget, type RelayedEvent, type StatusReport, type TargetStatus, writerSource } from './delivery-status.js';
import { RecentIds } from './recent-ids.js';

/**
 * How long the ids of records indexed on acknowledgement wait for their read-back (one to two
 * windows). A read-back later than that (a group minutes behind) indexes them again, which
 * changes nothing; one that came first already indexed them.
 */
const ownRecordWindowMs = 5 * 60_000;

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
  private pending: { reports: StatusReport[]; indexedMeanwhile?: () => boolean; done: () => void; failed: (error: unknown) => void }[] = [];
  /** This process's packed records indexed on acknowledgement, not yet read back: skipped once when they are. */
  private readonly indexedOwn = new RecentIds(ownRecordWindowMs);
  /** This instance's packed records indexed as read back before their acknowledgement was handled: not indexed again then. */
  private readonly readBackFirst = new RecentIds(ownRecordWindowMs);

  /** `partitions`: the status topic's, as configured (bus.partitions), to pack its records by. */
  constructor(private readonly deps: { bus: EventBus; topicPrefix: string; instance: string; partitions: number; file: string; logger: Logger }) {
    this.index = new DeliveryIndex(deps.file);
    this.status = new DeliveryStatus(deps.topicPrefix, deps.instance);
  }

  /**
   * For the outbox relay: the packed `published` records of a lane, sent in the same produce
   * request, and what to call once Kafka acknowledged them (before the lane is marked published):
   * indexing them here. An index that fails is logged and the records are indexed when read back;
   * the events and their delivery are not affected.
   */
  publishedRecords(lane: readonly RelayedEvent[]): { messages: OutgoingMessage[]; acknowledged: () => void } {
    const { messages, entries } = this.status.packedPublished(lane, this.deps.partitions);
    return {
      messages,
      acknowledged: () => {
        if (entries.length === 0) return;
        // A record read back first was indexed then: its entries (those of its partition) are left out.
        const readFirst = messages.filter((message) => this.readBackFirst.take(message.event.id));
        const done = new Set(readFirst.map((message) => partitionFor(message.key, this.deps.partitions)));
        const rest = done.size === 0 ? entries : entries.filter((entry) => !done.has(partitionFor(entry.event.key, this.deps.partitions)));
        if (rest.length === 0) return;
        try {
          this.index.applyAll(rest);
        } catch (error) {
          this.deps.logger.warn({ err: error, events: rest.length }, 'published events were not indexed on acknowledgement; indexing them when the status topic is read back');
          return;
        }
        this.indexedOwn.add(messages.filter((message) => !readFirst.includes(message)).map((message) => message.event.id));
      },
    };
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
      handler: async ({ event }) => {
        if (event.type === statusRecordType) await this.indexSoon([event.data as StatusReport]);
        // Skipped only when indexed on acknowledgement (publishedRecords); every other is indexed now.
        else if (event.type === packedStatusRecordType && !this.indexedOwn.take(event.id)) {
          // An acknowledgement handled before the batch is written indexed them meanwhile; one handled
          // after it leaves them out.
          await this.indexSoon(this.unpacked(event), () => this.indexedOwn.take(event.id));
          if (event.source === writerSource(this.deps.instance)) this.readBackFirst.add([event.id]);
        }
      },
    });
  }

  private unpacked(record: CloudEvent): StatusReport[] {
    const { reports, skipped } = unpackPublished(record);
    if (skipped > 0) this.deps.logger.warn({ record: record.id, skipped }, 'lines of a packed status record are not status reports; GET /v1/me/deliveries lacks them');
    return reports;
  }

  /** Resolves once the record's reports are indexed (the offset is committed after), with the others of this turn. */
  private indexSoon(reports: StatusReport[], indexedMeanwhile?: () => boolean): Promise<void> {
    return new Promise((done, failed) => {
      if (this.pending.push({ reports, indexedMeanwhile, done, failed }) > 1) return;
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        try {
          const reports = batch.flatMap((entry) => (entry.indexedMeanwhile?.() ? [] : entry.reports));
          if (reports.length > 0) this.index.applyAll(reports);
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
