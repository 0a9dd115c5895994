// The canonical event API: POST /v1/events accepts one CloudEvent or a batch and answers 202
// only once every event is committed to the durable outbox; GET /v1/events lets apps without
// a Kafka client pull what the hub accepted, with a cursor.
import { Router } from 'express';
import { HubError } from '../../errors/catalogue.js';
import { toOutboxEntries, type IngestOptions } from '../../events/ingest.js';
import { sendJson } from '../../events/json.js';
import type { Outbox } from '../../outbox/outbox.js';
import { classificationRank, isClassification, type Classification } from '../../domain/classification.js';
import type { CloudEvent } from '../../events/cloudevent.js';
import { assertRight } from '../../security/authorize.js';
import { maskEntity } from '../../security/masking.js';
import { jsonBody, mediaTypeOf } from '../json-body.js';
import { decodeCursor, encodeCursor } from '../cursor.js';

export interface EventRoutesOptions extends IngestOptions {
  outbox: Outbox;
  bodyLimitBytes: number;
  batchMaxEvents: number;
  onAccepted?: (type: string) => void;
}

const single = 'application/cloudevents+json';
const batch = 'application/cloudevents-batch+json';
const plain = 'application/json';
const pullMaxLimit = 1000;

export function eventRoutes(options: EventRoutesOptions): Router {
  const router = Router();

  router.post('/v1/events', ...jsonBody(options.bodyLimitBytes, [single, batch, plain]), async (req, res) => {
    const mediaType = mediaTypeOf(req.headers['content-type']);
    const body: unknown = req.body;
    const isBatch = mediaType === batch || (mediaType === plain && Array.isArray(body));
    if (isBatch && !Array.isArray(body)) throw new HubError('event-invalid', 'a batch is a JSON array of CloudEvents', { errors: [{ pointer: '', message: 'must be array' }] });
    if (!isBatch && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw new HubError('event-invalid', 'a single event is a JSON object', { errors: [{ pointer: '', message: 'must be object' }] });
    }
    const events = isBatch ? (body as unknown[]) : [body];
    if (events.length === 0) throw new HubError('batch-empty');
    if (events.length > options.batchMaxEvents) throw new HubError('batch-too-large', `at most ${options.batchMaxEvents} events per batch`);

    const correlationId = res.locals.correlationId as string;
    const headers: Record<string, string> = { 'correlation-id': correlationId };
    if (typeof req.headers.traceparent === 'string') headers.traceparent = req.headers.traceparent;
    const entries = toOutboxEntries(events, headers, options, (index) => (isBatch ? `/${index}` : ''));
    for (const type of new Set(entries.map((entry) => entry.event.type))) assertRight(res, `events:publish:${type}`);

    let results;
    try {
      results = await options.outbox.append(entries);
    } catch (error) {
      req.log.error({ err: error }, 'outbox append failed');
      throw new HubError('outbox-unavailable', 'the event was not stored; retry later', { retryAfterSeconds: 5, cause: error });
    }
    results.forEach((result, index) => {
      if (!result.duplicate) options.onAccepted?.(entries[index]!.event.type);
    });
    const accepted = results.map((result, index) => ({ id: entries[index]!.event.id, source: entries[index]!.event.source, topic: entries[index]!.topic, duplicate: result.duplicate }));
    sendJson(res, 202, isBatch ? { accepted: accepted.length, events: accepted } : accepted[0]);
  });

  router.get('/v1/events', (req, res) => {
    const type = optionalString(req.query.type, 'type');
    const limitText = optionalString(req.query.limit, 'limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > pullMaxLimit) throw new HubError('query-invalid', `limit must be an integer from 1 to ${pullMaxLimit}`, { errors: [{ pointer: 'limit', message: 'out of range' }] });
    const afterText = optionalString(req.query.after, 'after');
    const after = afterText === undefined ? 0 : decodeCursor(afterText);
    const client = assertRight(res, `events:subscribe:${type ?? '*'}`);
    const stored = options.outbox.read(after, limit, type);
    const last = stored.at(-1)?.seq ?? after;
    sendJson(res, 200, { events: stored.map((entry) => maskEvent(entry.event, client.clearance)), next: encodeCursor(last) });
  });

  return router;
}

/**
 * Events carry their classification; a subscriber below it receives the masked form: canonical
 * data masked field by field by its schema, other data withheld.
 */
function maskEvent(event: CloudEvent, clearance: Classification): CloudEvent {
  const schema = typeof event.dataschema === 'string' ? /^urn:penghubung:schema:([a-z0-9-]+):(v[0-9]+)$/.exec(event.dataschema) : null;
  if (schema && event.data !== undefined) {
    try {
      return { ...event, data: maskEntity(`${schema[1]}.${schema[2]}`, event.data, clearance) };
    } catch {
      // an unknown schema: fall through to the classification of the whole event
    }
  }
  const level = isClassification(event.classification) ? event.classification : 'publik';
  if (classificationRank(level) <= classificationRank(clearance)) return event;
  const { data: _data, data_base64: _base64, ...rest } = event;
  return { ...rest, masked: 'withheld' };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new HubError('query-invalid', `${name} must be given once, as text`, { errors: [{ pointer: name, message: 'invalid' }] });
  return value;
}
