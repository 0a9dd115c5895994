// What happened to an event an app published, as records on the bus topic `<prefix>._deliveries`
// (internal: no event type names it, the pull API skips it). The relay writes `published` with
// the event itself, in the same produce request as the event; the delivery workers and webhook
// subscriptions write `retrying`, `delivered` or `dead-lettered` per target. Every instance
// indexes the topic (delivery-index.ts), so GET /v1/me/deliveries answers the same on each.
// Only events a client sent are reported (the `penghubungclient` the hub stamped): the hub's own
// events have no app to tell.
import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '../bus/event-bus.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { eventKey } from '../events/event-key.js';
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

/** The type of the status records themselves (an `_` family: no client can publish or read it). */
export const statusRecordType = '_penghubung.pengiriman.status';

export const statusTopic = (topicPrefix: string): string => `${topicPrefix}._deliveries`;

export const targetName = (target: DeliveryTarget): string => (target.kind === 'upstream' ? `upstream:${target.connector}:${target.operation}` : `webhook:${target.subscription}`);

/** The app that sent `event`, or undefined for the hub's own events. */
function senderOf(event: CloudEvent): string | undefined {
  const sender = event[SENDER_ATTRIBUTE];
  return typeof sender === 'string' && sender !== HUB_SENDER ? sender : undefined;
}

function envelope(event: CloudEvent, sender: string): ReportedEvent {
  return { key: eventKey(event), id: event.id, source: event.source, type: event.type, ...(event.subject === undefined ? {} : { subject: event.subject }), sender };
}

/** Makes the status records; `instance` names the writer in their source. */
export class DeliveryStatus {
  constructor(private readonly topicPrefix: string, private readonly instance: string) {}

  /** The `published` record of a client's event (undefined for the hub's own), sent with the event. */
  published(event: CloudEvent, acceptedAt: number): OutgoingMessage | undefined {
    const sender = senderOf(event);
    if (sender === undefined) return undefined;
    return this.message({ stage: 'published', event: envelope(event, sender), accepted_at: new Date(acceptedAt).toISOString(), at: new Date().toISOString(), cloudevent: event });
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
      event: { specversion: '1.0', id: randomUUID(), source: `/penghubung/${this.instance}`, type: statusRecordType, subject: report.event.key, datacontenttype: 'application/json', data: report },
    };
  }
}
