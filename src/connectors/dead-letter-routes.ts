// Dead-letter operations for operators: list, inspect, replay one or many, discard with a reason.
import { Router } from 'express';
import type { BusRecord } from '../bus/event-bus.js';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import { jsonBody } from '../http/json-body.js';
import type { Classification } from '../domain/classification.js';
import { clientOf, requireOperator } from '../security/authorize.js';
import { maskDeadLetter } from './dead-letter-masking.js';
import type { DeadLetter, DeadLetterFilter, DeadLetterStore } from './dead-letters.js';
import type { DeliveryWorker } from './outbound.js';

export function deadLetterRoutes(store: DeadLetterStore, workers: DeliveryWorker[]): Router {
  const router = Router();
  const find = (id: string): DeadLetter => store.get(id) ?? notFound(id);
  const masked = (letter: DeadLetter, clearance: Classification): DeadLetter & { masked?: 'withheld' } => maskDeadLetter(letter, clearance, workers);

  /** Hands a parked letter back to its worker; a letter already resolved is left as it is. */
  const replay = async (letter: DeadLetter): Promise<{ id: string; outcome: string }> => {
    if (letter.status !== 'parked') return { id: letter.id, outcome: `already ${letter.status}` };
    const worker = workers.find((w) => w.runtime.id === letter.connector && w.operationId === letter.operation);
    if (!worker) return { id: letter.id, outcome: 'no such delivery operation any more' };
    const [partition, offset] = (letter.headers['dlq-source-offset'] ?? '0/0').split('/');
    const record: BusRecord = {
      topic: letter.headers['dlq-source-topic'] ?? '',
      partition: Number(partition),
      offset: offset ?? '0',
      key: letter.event.subject ?? letter.event.id,
      timestamp: Date.now(),
      event: letter.event,
      headers: Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !name.startsWith('dlq-'))),
    };
    const outcome = await worker.redeliver(record);
    if (outcome === 'deferred') return { id: letter.id, outcome: 'deferred: the upstream circuit is open; still parked, replay later' };
    await store.resolve(letter.id, 'replayed', outcome === 'dead-lettered' ? 'replayed; failed again and parked anew' : `replayed; ${outcome}`);
    return { id: letter.id, outcome };
  };

  router.get('/v1/dead-letters', requireOperator, (req, res) => {
    const filter = filterOf(req.query as Record<string, unknown>);
    sendJson(res, 200, { dead_letters: store.list(filter).map(({ event: _event, headers: _headers, ...summary }) => summary) });
  });
  router.get('/v1/dead-letters/:id', requireOperator, (req, res) => {
    sendJson(res, 200, masked(find(req.params.id as string), clientOf(res).clearance));
  });
  router.post('/v1/dead-letters/:id/replay', requireOperator, async (req, res) => {
    sendJson(res, 200, await replay(find(req.params.id as string)));
  });
  router.post('/v1/dead-letters/:id/discard', requireOperator, ...jsonBody(16 * 1024, ['application/json']), async (req, res) => {
    const letter = find(req.params.id as string);
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    if (typeof reason !== 'string' || reason.trim().length < 3) throw new HubError('request-invalid', 'say why it is discarded, in reason', { errors: [{ pointer: '/reason', message: 'required' }] });
    await store.resolve(letter.id, 'discarded', reason.trim());
    sendJson(res, 200, masked(find(letter.id), clientOf(res).clearance));
  });
  router.post('/v1/dead-letters/replay', requireOperator, ...jsonBody(64 * 1024, ['application/json']), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : undefined;
    const filter = filterOf({ ...body, status: 'parked', limit: body.limit ?? 1000 });
    if (!ids && !filter.connector && !filter.type && !filter.from && !filter.to) throw new HubError('request-invalid', 'name ids, or at least one of connector, type, from, to', { errors: [{ pointer: '', message: 'no selection' }] });
    const letters = ids ? ids.map(find) : store.list(filter);
    const results = [];
    for (const letter of letters) results.push(await replay(letter));
    sendJson(res, 200, { replayed: results });
  });
  return router;
}

/** The query, checked against GET /v1/dead-letters' documented parameters (gateway/query-validation.ts): each once, dates RFC 3339, status one of the states, limit 1–1000. */
function filterOf(query: Record<string, unknown>): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  for (const key of ['connector', 'operation', 'type'] as const) if (typeof query[key] === 'string') filter[key] = query[key];
  for (const key of ['from', 'to'] as const) if (typeof query[key] === 'string') filter[key] = isoDateOf(query[key], key);
  if (typeof query.status === 'string') filter.status = query.status as DeadLetterFilter['status'];
  if (query.limit !== undefined) filter.limit = limitOf(query.limit);
  return filter;
}

/** GET's query is checked before the route runs; POST /v1/dead-letters/replay's body is not, so a date that is no date (or a limit out of range) is refused here, not thrown as a 500. */
function isoDateOf(text: string, key: 'from' | 'to'): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new HubError('request-invalid', `${key} is not an RFC 3339 date-time`, { errors: [{ pointer: `/${key}`, message: 'not a date-time' }] });
  return date.toISOString();
}

function limitOf(value: unknown): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HubError('request-invalid', 'limit is a whole number from 1 to 1000', { errors: [{ pointer: '/limit', message: 'not 1–1000' }] });
  return limit;
}

function notFound(id: string): never {
  throw new HubError('entity-not-found', `no dead letter ${id}`);
}
