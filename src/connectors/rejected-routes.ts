// GET /v1/connectors/{id}/rejected: the records a connector quarantined, newest first, for
// operators. The native record may hold personal data (a complaint's reporter, a resident), so
// it is shown only to operators cleared `rahasia`; others see where and why it was rejected.
import { Router } from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { clientOf, requireOperator } from '../security/authorize.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { RejectedStore } from './rejected-store.js';

export function rejectedRoutes(runtimes: ConnectorRuntime[], store: RejectedStore): Router {
  const router = Router();
  router.get('/v1/connectors/:id/rejected', requireOperator, (req, res) => {
    const runtime = runtimes.find((r) => r.id === req.params.id);
    if (!runtime) throw new HubError('connector-not-found', `no connector ${String(req.params.id)}; see /v1/connectors`);
    const query = req.query as Record<string, unknown>;
    const text = (name: string): string | undefined => {
      const value = query[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || value === '') throw new HubError('query-invalid', `${name} must be given once`, { errors: [{ pointer: name, message: 'invalid' }] });
      return value;
    };
    const operation = text('operation');
    if (operation !== undefined && runtime.loaded.manifest.operations[operation]?.kind !== 'inbound') {
      throw new HubError('query-invalid', `${runtime.id} has no inbound operation ${operation}`, { errors: [{ pointer: 'operation', message: 'no such inbound operation' }] });
    }
    // An integer from 1 to 500, as documented (gateway/query-validation.ts).
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    const after = text('after');
    const reason = text('reason');
    const rows = store.list({ connector: runtime.id, ...(operation ? { operation } : {}), ...(reason ? { reason } : {}), ...(after ? { before: decodeCursor(after) } : {}), limit: limit + 1 });
    const client = clientOf(res);
    const seesRecords = client.role === 'operator' && client.clearance === 'rahasia';
    const items = rows.slice(0, limit).map(({ record, ...row }) => (seesRecords ? { ...row, record } : row));
    sendJson(res, 200, { items, next: rows.length > limit ? encodeCursor(rows[limit - 1]!.id) : null, record_masked: !seesRecords });
  });
  return router;
}
