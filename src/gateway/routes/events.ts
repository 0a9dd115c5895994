// The canonical event API: POST /v1/events accepts one CloudEvent or a batch and answers 202
// only once every event is committed to the durable outbox; GET /v1/events lets apps without
// a Kafka client pull events with a cursor (from the Kafka topics, or the embedded outbox).
import { Router } from 'express';
import { HubError } from '../../errors/catalogue.js';
import type { EventIngest, IngestOptions } from '../../events/ingest.js';
import { assertPublicType } from '../../events/reserved-types.js';
import { sendJson } from '../../http/send-json.js';
import type { PullSource } from '../../events/pull/pull-source.js';
import type { ClaimOutcome, IngestClaims } from '../../events/claims/ingest-claims.js';
import { assertRight, clientOf, requireRight } from '../../security/authorize.js';
import { maskEvent } from '../../security/masking.js';
import type { Client } from '../../security/clients.js';
import { stampSender } from '../../security/sender.js';
import { jsonBody, mediaTypeOf } from '../../http/json-body.js';

export interface EventRoutesOptions extends IngestOptions {
  /** The way in (validation and append). */
  ingest: EventIngest;
  /** Idempotency across instances: a post whose source and id another instance took is a duplicate. */
  claims: IngestClaims;
  /** Read by the pull API; keeps named consumers' cursors. */
  pull: PullSource;
  bodyLimitBytes: number;
  batchMaxEvents: number;
  onAccepted?: (type: string) => void;
  /** Throws 403 record-not-owned when the client may not act on the record an event names. */
  checkOwnership?: (client: Client, type: string, data: unknown, pointer: string) => void;
}

const single = 'application/cloudevents+json';
const batch = 'application/cloudevents-batch+json';
const plain = 'application/json';
const pullMaxLimit = 1000;
const consumerPattern = /^[A-Za-z0-9._-]{1,64}$/;
/** Short: the other post usually confirms within a second; a dead one's claim lapses after `events.pendingClaimSeconds`. */
const pendingRetryAfterSeconds = 2;

export function eventRoutes(options: EventRoutesOptions): Router {
  const router = Router();

  /** What could not be stored is released, so the client's retry is not taken for a duplicate. */
  const appendOrRelease = async (entries: Parameters<EventIngest['append']>[0]): Promise<{ duplicate: boolean }[]> => {
    try {
      return await options.ingest.append(entries);
    } catch (error) {
      await options.claims.release(entries);
      throw error;
    }
  };

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
    const entries = options.ingest.entries(events, headers, (index) => (isBatch ? `/${index}` : ''));
    for (const type of new Set(entries.map((entry) => entry.event.type))) assertRight(res, `events:publish:${type}`);
    const client = clientOf(res);
    entries.forEach((entry, index) => {
      const pointer = isBatch ? `/${index}` : '';
      entry.event = stampSender(entry.event, client, pointer);
      options.checkOwnership?.(client, entry.event.type, entry.event.data, `${pointer}/data`);
    });

    let outcomes: ClaimOutcome[] = [];
    let fresh: typeof entries;
    let results: { duplicate: boolean }[] | undefined;
    try {
      outcomes = await options.claims.claim(entries);
      fresh = entries.filter((_, index) => outcomes[index] === 'claimed');
      // A batch is stored whole or not at all: with one event in flight elsewhere, none is kept.
      if (outcomes.includes('pending')) await options.claims.release(fresh);
      else results = mergeStored(outcomes, await appendOrRelease(fresh));
    } catch (error) {
      req.log.error({ err: error }, 'outbox append failed');
      throw new HubError('outbox-unavailable', 'the event was not stored; retry later', { retryAfterSeconds: 5, cause: error });
    }
    if (results === undefined) {
      const pending = outcomes.flatMap((outcome, index) => (outcome === 'pending' ? [isBatch ? `/${index}` : ''] : []));
      throw new HubError('event-claim-pending', 'a post of the same source and id is not yet confirmed stored; nothing was stored, retry later', {
        retryAfterSeconds: pendingRetryAfterSeconds,
        errors: pending.map((pointer) => ({ pointer, message: 'in flight on another instance' })),
      });
    }
    await options.claims.confirm(fresh);
    results.forEach((result, index) => {
      if (!result.duplicate) options.onAccepted?.(entries[index]!.event.type);
    });
    const accepted = results.map((result, index) => ({ id: entries[index]!.event.id, source: entries[index]!.event.source, topic: entries[index]!.topic, duplicate: result.duplicate }));
    sendJson(res, 202, isBatch ? { accepted: accepted.length, events: accepted } : accepted[0]);
  });

  router.get('/v1/events', async (req, res) => {
    const type = optionalString(req.query.type, 'type');
    if (type !== undefined) assertPublicType(type, 'type');
    const limitText = optionalString(req.query.limit, 'limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > pullMaxLimit) throw new HubError('query-invalid', `limit must be an integer from 1 to ${pullMaxLimit}`, { errors: [{ pointer: 'limit', message: 'out of range' }] });
    const consumer = optionalString(req.query.consumer, 'consumer');
    if (consumer !== undefined) checkConsumer(consumer);
    const client = assertRight(res, `events:subscribe:${type ?? '*'}`);
    const after = optionalString(req.query.after, 'after') ?? (consumer === undefined ? undefined : await options.pull.committed(client.id, consumer, type));
    const page = await options.pull.read(after, limit, type);
    sendJson(res, 200, { events: page.events.map((event) => maskEvent(event, client.clearance, options.registry)), next: page.next });
  });

  // A pull consumer's committed position: the next GET /v1/events?consumer=<name> starts after it.
  router.get('/v1/events/cursors/:consumer', requireRight('subscriptions:manage'), async (req, res) => {
    const consumer = checkConsumer(req.params.consumer as string);
    const cursor = await options.pull.committed(clientOf(res).id, consumer, undefined);
    if (cursor === undefined) throw new HubError('pull-consumer-not-found', `no cursor is committed for ${consumer}`);
    res.json({ consumer, cursor });
  });

  router.put('/v1/events/cursors/:consumer', requireRight('subscriptions:manage'), ...jsonBody(4096, ['application/json']), async (req, res) => {
    const consumer = checkConsumer(req.params.consumer as string);
    const cursor = (req.body as { cursor?: unknown } | undefined)?.cursor;
    if (typeof cursor !== 'string') throw new HubError('request-invalid', 'cursor: the next of an earlier answer', { errors: [{ pointer: '/cursor', message: 'required' }] });
    await options.pull.commit(clientOf(res).id, consumer, cursor);
    res.json({ consumer, cursor });
  });

  return router;
}

/** Outcomes in post order, with the outbox's answer for each event this post stored. */
function mergeStored(outcomes: ClaimOutcome[], stored: { duplicate: boolean }[]): { duplicate: boolean }[] {
  let next = 0;
  return outcomes.map((outcome) => (outcome === 'claimed' ? stored[next++]! : { duplicate: true }));
}

function checkConsumer(consumer: string): string {
  if (!consumerPattern.test(consumer)) throw new HubError('query-invalid', 'consumer: 1 to 64 letters, digits, . _ -', { errors: [{ pointer: 'consumer', message: 'invalid name' }] });
  return consumer;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new HubError('query-invalid', `${name} must be given once, as text`, { errors: [{ pointer: name, message: 'invalid' }] });
  return value;
}
