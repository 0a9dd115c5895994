// GET /v1/me/deliveries: what became of the events the caller published (the `penghubungclient`
// the hub stamped), newest accepted first: accepted (still in the outbox of the instance that
// took it), published to the bus, and per target (an upstream through a connector, a webhook
// subscription) retrying, delivered or dead-lettered, with the reason. Each event is masked to the
// caller's clearance. Every instance indexes the status topic, so any instance answers the same;
// only an event still in an outbox shows on the instance that accepted it alone.
import { Router } from 'express';
import type { Delivery, DeliveryIndex, DeliveryStatusName } from '../../deliveries/delivery-index.js';
import { deliveryStatuses } from '../../deliveries/delivery-index.js';
import { eventKey } from '../../events/event-key.js';
import { HubError } from '../../errors/catalogue.js';
import { decodeKeyCursor, encodeKeyCursor } from '../../http/cursor.js';
import { sendJson } from '../../http/send-json.js';
import type { Outbox } from '../../outbox/outbox.js';
import { clientOf } from '../../security/authorize.js';
import { maskEvent, type EventTypes } from '../../security/masking.js';

export interface MeDeliveryDeps {
  index: DeliveryIndex;
  outbox: Pick<Outbox, 'pendingOf'>;
  types: EventTypes;
}

interface Page { status?: DeliveryStatusName; limit: number; after?: [string, string] }

export function meDeliveryRoutes(deps: MeDeliveryDeps): Router {
  const router = Router();
  router.get('/v1/me/deliveries', (req, res) => {
    const client = clientOf(res);
    const page = pageOf(req.query as Record<string, unknown>);
    const fetched = page.limit + 1;
    const indexed = page.status === 'accepted' ? [] : deps.index.bySender(client.id, { ...page, limit: fetched });
    const known = new Set(indexed.map((d) => d.key));
    const pending = page.status === undefined || page.status === 'accepted' ? accepted(deps.outbox, client.id, page).filter((d) => !known.has(d.key)) : [];
    const rows = [...indexed, ...pending].sort(newestFirst).slice(0, fetched);
    const items = rows.slice(0, page.limit).map(({ key: _key, sender: _sender, event, ...delivery }) => ({ ...delivery, ...(event ? { event: maskEvent(event, client.clearance, deps.types) } : {}) }));
    const last = rows[page.limit - 1];
    sendJson(res, 200, { items, next: rows.length > page.limit && last ? encodeKeyCursor([last.accepted_at, last.key]) : null });
  });
  return router;
}

/** The caller's events still in this instance's outbox, before the cursor. */
function accepted(outbox: MeDeliveryDeps['outbox'], sender: string, page: Page): Delivery[] {
  const [at, key] = page.after ?? ['\uffff', ''];
  // Several events share an acceptance millisecond: read past the ones the cursor leaves out.
  const stored = outbox.pendingOf(sender, page.after ? Date.parse(at) : Number.MAX_SAFE_INTEGER, page.limit * 2 + 1);
  return stored.map((entry): Delivery => {
    const acceptedAt = new Date(entry.acceptedAt).toISOString();
    return { key: eventKey(entry.event), sender, event_id: entry.event.id, source: entry.event.source, type: entry.event.type, subject: entry.event.subject ?? null, status: 'accepted', accepted_at: acceptedAt, published_at: null, updated_at: acceptedAt, targets: [], event: entry.event };
  }).filter((d) => d.accepted_at < at || (d.accepted_at === at && d.key < key));
}

function newestFirst(a: Delivery, b: Delivery): number {
  if (a.accepted_at !== b.accepted_at) return a.accepted_at < b.accepted_at ? 1 : -1;
  return a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
}

function pageOf(query: Record<string, unknown>): Page {
  for (const name of ['limit', 'after', 'status']) {
    const value = query[name];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new HubError('query-invalid', `${name} must be given once`, { errors: [{ pointer: name, message: 'invalid' }] });
  }
  const { status } = query as { status?: string };
  if (status !== undefined && !(deliveryStatuses as readonly string[]).includes(status)) {
    throw new HubError('query-invalid', `status is one of ${deliveryStatuses.join(', ')}`, { errors: [{ pointer: 'status', message: 'not one of the allowed values' }] });
  }
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HubError('query-invalid', 'limit is an integer from 1 to 500', { errors: [{ pointer: 'limit', message: 'out of range' }] });
  const after = query.after === undefined ? undefined : decodeKeyCursor(query.after as string, 2);
  return { limit, ...(status === undefined ? {} : { status: status as DeliveryStatusName }), ...(after ? { after: [after[0]!, after[1]!] as [string, string] } : {}) };
}
