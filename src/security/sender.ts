// Who sent an event. The hub stamps every event it accepts with the authenticated client's id in
// the CloudEvents extension attribute `penghubungclient` (carried as the `ce_penghubungclient`
// header on Kafka and in the event on the embedded bus), so consumers know the sender without
// trusting the body. A client may publish only under its own source prefixes; `/connectors/…`,
// `/flows/…` and `/layanan/…` (what OPD services emit through the hub) are the hub's own sources.
import { HubError } from '../errors/catalogue.js';
import type { CloudEvent } from '../events/cloudevent.js';
import type { Client } from './clients.js';

/** CloudEvents extension names are lower-case letters and digits. */
export const SENDER_ATTRIBUTE = 'penghubungclient';
/** The sender of what the hub publishes itself (polls, flows); no client may take this id. */
export const HUB_SENDER = 'penghubung';
/** Source prefixes only the hub publishes under. */
export const HUB_SOURCE_PREFIXES = ['/connectors', '/flows', '/layanan'] as const;

/** `prefix` covers `source` at a path boundary: `/opd/pupr` covers `/opd/pupr/x`, not `/opd/pupr-lain`. */
export function covers(prefix: string, source: string): boolean {
  if (source === prefix) return true;
  return source.startsWith(prefix.endsWith('/') || prefix.endsWith(':') ? prefix : `${prefix}/`);
}

export const isHubSource = (source: string): boolean => HUB_SOURCE_PREFIXES.some((prefix) => covers(prefix, source));

/**
 * The event as the hub accepts it from `client`: its source checked against the client's
 * prefixes, its sender attribute set. A body naming another sender is refused, not rewritten:
 * it is a forgery attempt or a relay the hub cannot vouch for.
 */
export function stampSender(event: CloudEvent, client: Client, pointer: string): CloudEvent {
  const claimed = event[SENDER_ATTRIBUTE];
  if (claimed !== undefined && claimed !== client.id) {
    throw new HubError('sender-forged', `${SENDER_ATTRIBUTE} is set by the hub to the authenticated client`, { errors: [{ pointer: `${pointer}/${SENDER_ATTRIBUTE}`, message: 'must be absent' }] });
  }
  if (isHubSource(event.source) || !(client.sources ?? []).some((prefix) => covers(prefix, event.source))) {
    const owned = client.sources?.length ? client.sources.join(', ') : 'none';
    throw new HubError('source-forbidden', `client ${client.id} may publish only under its source prefixes (${owned})`, { errors: [{ pointer: `${pointer}/source`, message: 'not one of the client’s sources' }] });
  }
  return { ...event, [SENDER_ATTRIBUTE]: client.id };
}
