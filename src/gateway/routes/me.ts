// Self-service for apps: who the caller is and what happened to what it sent. Any authenticated
// client may ask about itself (no right needed): its identity, rights (its own and those granted
// by approved access to OPD services), clearance and rate limit; its webhook subscriptions with
// their state; and the dead letters of events it published (the `penghubungclient` the hub
// stamped on them), masked to its clearance like everything else it reads.
import { Router } from 'express';
import type { Classification } from '../../domain/classification.js';
import type { DeadLetter, DeadLetterStore } from '../../connectors/dead-letters.js';
import { HubError } from '../../errors/catalogue.js';
import { decodeKeyCursor, encodeKeyCursor } from '../../http/cursor.js';
import { sendJson } from '../../http/send-json.js';
import type { RateLimitState } from '../../security/authenticate.js';
import { clientOf } from '../../security/authorize.js';
import type { Client } from '../../security/clients.js';
import type { DeliveryLog } from '../../subscriptions/delivery-log.js';
import { withHealth } from '../../subscriptions/subscription-routes.js';
import type { SubscriptionStore } from '../../subscriptions/subscription-store.js';

export interface MeDeps {
  /** The client as registered, without granted rights. */
  registered: (clientId: string) => Client | undefined;
  subscriptions: SubscriptionStore;
  deliveryLog: DeliveryLog;
  deadLetters: DeadLetterStore;
  maskDeadLetter: <T extends DeadLetter>(letter: T, clearance: Classification) => T & { masked?: 'withheld' };
}

export function meRoutes(deps: MeDeps): Router {
  const router = Router();
  router.get('/v1/me', (_req, res) => {
    const client = clientOf(res);
    const own = deps.registered(client.id)?.rights ?? [];
    sendJson(res, 200, {
      id: client.id,
      name: client.name,
      opd: client.opd,
      role: client.role,
      clearance: client.clearance,
      rights: own,
      granted_rights: client.rights.filter((right) => !own.includes(right)),
      rate_limit: res.locals.rateLimit as RateLimitState,
      sources: client.sources ?? [],
      units: client.units ?? [],
    });
  });
  // Only the caller's own, operators included: the operators' view of all is GET /v1/subscriptions.
  router.get('/v1/me/subscriptions', (_req, res) => {
    const listed = deps.subscriptions.list(clientOf(res).id);
    const health = deps.deliveryLog.health(listed);
    sendJson(res, 200, { subscriptions: listed.map((s, index) => withHealth(s, health[index])) });
  });
  router.get('/v1/me/dead-letters', (req, res) => {
    const client = clientOf(res);
    const { limit, after } = pageOf(req.query as Record<string, unknown>);
    const rows = deps.deadLetters.bySender(client.id, { ...(after === undefined ? {} : { after }), limit: limit + 1 });
    // The Kafka headers repeat the event's attributes and the hub's routing; the reason is in `reason`.
    const items = rows.slice(0, limit).map((row) => {
      const { headers: _headers, ...letter } = deps.maskDeadLetter(row, client.clearance);
      return letter;
    });
    const last = rows[limit - 1];
    sendJson(res, 200, { items, next: rows.length > limit && last ? encodeKeyCursor([last.failed_at, last.id]) : null });
  });
  return router;
}

function pageOf(query: Record<string, unknown>): { limit: number; after?: [string, string] } {
  for (const name of ['limit', 'after']) {
    const value = query[name];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new HubError('query-invalid', `${name} must be given once`, { errors: [{ pointer: name, message: 'invalid' }] });
  }
  // An integer from 1 to 500, as documented (gateway/query-validation.ts).
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (query.after === undefined) return { limit };
  const [failedAt, id] = decodeKeyCursor(query.after as string, 2);
  return { limit, after: [failedAt!, id!] };
}
