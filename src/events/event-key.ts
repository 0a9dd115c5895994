// An event is identified by `source` + `id` (CloudEvents: producers keep ids unique per source;
// two sources may use the same id). Every at-least-once reader dedupes on this key, and a
// webhook's `webhook-id` is made from it, so two events sharing an id from two sources are two
// deliveries, and a retry or another instance sends the same id again.
import { createHash } from 'node:crypto';

/** A stable 32-character key (base64url of SHA-256, 192 bits) for the event's source and id. */
export function eventKey(event: { source: string; id: string }): string {
  return createHash('sha256').update(`${event.source}\n${event.id}`).digest('base64url').slice(0, 32);
}

/** The Standard Webhooks `webhook-id` of an event: the same on every attempt and every instance. */
export function webhookMessageId(event: { source: string; id: string }): string {
  return `msg_${eventKey(event)}`;
}
