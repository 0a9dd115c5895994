// What happened to an event an app published, as records on the bus topic `<prefix>._deliveries`
// (internal: no event type names it, the pull API skips it). The relay writes `published` with
// the event itself, in the same produce request as the event; the delivery workers and webhook
// subscriptions write `retrying`, `delivered` or `dead-lettered` per target. Every instance
// indexes the topic (delivery-index.ts), so GET /v1/me/deliveries answers the same on each.
// Only events a client sent are reported (the `penghubungclient` the hub stamped): the hub's own
// events have no app to tell.
// The `published` reports of a relay lane are packed: one record per partition of the topic,
// its lines (NDJSON) the `{accepted_at, cloudevent}` of that partition's events, its `time` their
// `at`. A lane of 500 events then costs kafkajs a few records to encode and decode instead of 500.
// Records of one report (outcomes, and the `published` records earlier versions wrote) are read as
// before; earlier versions skip packed records (docs/EVENTS.md, rolling upgrades).
import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '../bus/event-bus.js';
import { partitionFor } from '../bus/partitioner.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { eventKey } from '../events/event-key.js';
import { parseJson } from '../events/json.js';
import { HUB_SENDER, SENDER_ATTRIBUTE } from '../security/sender.js';

/** A target's state for one event: still being tried, taken, or given up on and parked. */
export type TargetStatus = 'retrying' | 'delivered' | 'dead-lettered';

/** Where an event goes: an upstream through a connector's outbound operation, or a webhook subscription. */
export type DeliveryTarget = { kind: 'upstream'; connector: string; operation: string } | { kind: 'webhook'; subscription: string };

/** The envelope of the reported event (its data only in `published`). */
export interface ReportedEvent {
  key: string;
  id: string;
  source: string;
  type: string;
  subject?: string;
  sender: string;
}

export type StatusReport =
  | { stage: 'published'; event: ReportedEvent; accepted_at: string; at: string; cloudevent: CloudEvent }
  | { stage: TargetStatus; event: ReportedEvent; target: DeliveryTarget; at: string; attempts: number; code: string | null; reason: string | null };

/** A `published` report whose event is already JSON text, as the relay read it from the outbox (the index stores that text). */
export interface PublishedEntry {
  stage: 'published';
  event: ReportedEvent;
  accepted_at: string;
  at: string;
  eventJson: string;
}

/** The type of the status records themselves (an `_` family: no client can publish or read it). */
export const statusRecordType = '_penghubung.pengiriman.status';

/** The type of a record packing the `published` reports of one partition's events (NDJSON lines). */
export const packedStatusRecordType = '_penghubung.pengiriman.status-paket';

const ndjson = 'application/x-ndjson';

export const statusTopic = (topicPrefix: string): string => `${topicPrefix}._deliveries`;

export const targetName = (target: DeliveryTarget): string => (target.kind === 'upstream' ? `upstream:${target.connector}:${target.operation}` : `webhook:${target.subscription}`);

/** The `source` of the status records an instance writes. */
export function writerSource(instance: string): string {
  return `/penghubung/${instance}`;
}

/** The app that sent `event`, or undefined for the hub's own events. */
function senderOf(event: CloudEvent): string | undefined {
  const sender = event[SENDER_ATTRIBUTE];
  return typeof sender === 'string' && sender !== HUB_SENDER ? sender : undefined;
}

function envelope(event: CloudEvent, sender: string): ReportedEvent {
  return { key: eventKey(event), id: event.id, source: event.source, type: event.type, ...(event.subject === undefined ? {} : { subject: event.subject }), sender };
}

/** An event the relay publishes: its value, the text the outbox holds for it and when it was accepted. */
export interface RelayedEvent {
  event: CloudEvent;
  eventJson: string;
  acceptedAt: number;
}

/** Makes the status records; `instance` names the writer in their source. */
export class DeliveryStatus {
  constructor(private readonly topicPrefix: string, private readonly instance: string) {}

  /**
   * The `published` records of a relay lane's client events: one per partition of the status
   * topic (`partitions` as configured), keyed by its first event, so each lands on the partition
   * of the events it lists. `entries` are the same reports, for this instance's own index.
   */
  packedPublished(lane: readonly RelayedEvent[], partitions: number): { messages: OutgoingMessage[]; entries: PublishedEntry[] } {
    const at = new Date().toISOString();
    const byPartition = new Map<number, { key: string; lines: string[] }>();
    const entries: PublishedEntry[] = [];
    for (const { event, eventJson, acceptedAt } of lane) {
      const sender = senderOf(event);
      if (sender === undefined) continue;
      const reported = envelope(event, sender);
      const accepted = new Date(acceptedAt).toISOString();
      entries.push({ stage: 'published', event: reported, accepted_at: accepted, at, eventJson });
      // The outbox's text is compact JSON (no raw line break), so it is one NDJSON line as it is.
      const line = `{"accepted_at":"${accepted}","cloudevent":${eventJson}}`;
      const partition = partitionFor(reported.key, partitions);
      const group = byPartition.get(partition);
      if (group) group.lines.push(line);
      else byPartition.set(partition, { key: reported.key, lines: [line] });
    }
    const messages = [...byPartition.values()].map(({ key, lines }): OutgoingMessage => ({
      topic: statusTopic(this.topicPrefix),
      key,
      event: { specversion: '1.0', id: randomUUID(), source: writerSource(this.instance), type: packedStatusRecordType, time: at, datacontenttype: ndjson, data: lines.join('\n') },
    }));
    return { messages, entries };
  }

  /** A target's outcome for a client's event (undefined for the hub's own). */
  outcome(event: CloudEvent, target: DeliveryTarget, stage: TargetStatus, detail: { attempts: number; code?: string | null; reason?: string | null }): OutgoingMessage | undefined {
    const sender = senderOf(event);
    if (sender === undefined) return undefined;
    return this.message({ stage, event: envelope(event, sender), target, at: new Date().toISOString(), attempts: detail.attempts, code: detail.code ?? null, reason: detail.reason ?? null });
  }

  private message(report: StatusReport): OutgoingMessage {
    return {
      topic: statusTopic(this.topicPrefix),
      // Every record of one event on one partition, in the order written.
      key: report.event.key,
      event: { specversion: '1.0', id: randomUUID(), source: writerSource(this.instance), type: statusRecordType, subject: report.event.key, datacontenttype: 'application/json', data: report },
    };
  }
}

/**
 * The `published` reports a packed record lists; a line that is not one (not JSON, no client
 * event) is left out and counted in `skipped`.
 */
export function unpackPublished(record: CloudEvent): { reports: StatusReport[]; skipped: number } {
  const reports: StatusReport[] = [];
  let skipped = 0;
  if (typeof record.data !== 'string' || typeof record.time !== 'string') return { reports, skipped: 1 };
  for (const line of record.data.split('\n')) {
    const report = publishedLine(line, record.time);
    if (report) reports.push(report);
    else skipped++;
  }
  return { reports, skipped };
}

function publishedLine(line: string, at: string): StatusReport | undefined {
  let value: unknown;
  try {
    value = parseJson(line);
  } catch {
    return undefined;
  }
  const { accepted_at: accepted, cloudevent: event } = (value ?? {}) as { accepted_at?: unknown; cloudevent?: Partial<CloudEvent> };
  if (typeof accepted !== 'string' || typeof event !== 'object' || event === null) return undefined;
  if (typeof event.id !== 'string' || typeof event.source !== 'string' || typeof event.type !== 'string') return undefined;
  const sender = senderOf(event as CloudEvent);
  if (sender === undefined) return undefined;
  return { stage: 'published', event: envelope(event as CloudEvent, sender), accepted_at: accepted, at, cloudevent: event as CloudEvent };
}
