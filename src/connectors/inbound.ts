// Inbound: native records, pushed to the hub or polled, become canonical events in the outbox.
// Every entity is validated against its canonical schema first; a document with one invalid
// entity is refused whole.
import { Router } from 'express';
import express from 'express';
import { HubError } from '../errors/catalogue.js';
import { parseJson, sendJson } from '../events/json.js';
import { topicForType } from '../events/cloudevent.js';
import { mediaTypeOf } from '../gateway/json-body.js';
import type { Outbox, AppendResult } from '../outbox/outbox.js';
import { assertCanonical, inboundEvent } from './canonical.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { InboundOperation } from './manifest.js';
import { toHubError } from './problems.js';
import { UpstreamError } from './sdk.js';
import { parseXml } from './xml.js';

export interface InboundTarget {
  runtime: ConnectorRuntime;
  operationId: string;
  operation: InboundOperation;
}

/** Validates and stores entities as events; returns one result per entity. */
export async function publishEntities(target: InboundTarget, entities: unknown[], outbox: Outbox, topicPrefix: string, headers: Record<string, string>): Promise<{ identity: string; eventId: string; result: AppendResult }[]> {
  const handler = target.runtime.loaded.definition.inbound![target.operationId]!;
  const now = new Date();
  const prepared = entities.map((entity, index) => {
    assertCanonical(target.operation.schema, entity, 'upstream-bad-response', `/${index}`);
    const identity = handler.identify(entity);
    const event = inboundEvent({ connector: target.runtime.id, operation: target.operationId, type: target.operation.eventType, schema: target.operation.schema, classification: target.operation.classification, identity, entity, now });
    return { identity, event };
  });
  const results = await outbox.append(prepared.map(({ identity, event }) => ({ topic: topicForType(topicPrefix, event.type), key: identity, event, headers })));
  return prepared.map(({ identity, event }, index) => ({ identity, eventId: event.id, result: results[index]! }));
}

const xmlTypes = ['application/xml', 'text/xml'];
const jsonTypes = ['application/json'];

/** POST /v1/connectors/{id}/inbound for connectors with one push operation (…/inbound/{operation} when several). */
export function inboundRoutes(runtimes: ConnectorRuntime[], outbox: Outbox, options: { topicPrefix: string; bodyLimitBytes: number }): Router {
  const router = Router();
  for (const runtime of runtimes) {
    const pushed = Object.entries(runtime.loaded.manifest.operations).filter((entry): entry is [string, InboundOperation] => entry[1].kind === 'inbound' && entry[1].modes.includes('push'));
    for (const [operationId, operation] of pushed) {
      const path = pushed.length === 1 ? `/v1/connectors/${runtime.id}/inbound` : `/v1/connectors/${runtime.id}/inbound/${operationId}`;
      const accepted = [...(runtime.loaded.manifest.formats.includes('json') ? jsonTypes : []), ...(runtime.loaded.manifest.formats.includes('xml') ? xmlTypes : [])];
      const readText = express.text({ type: (req) => accepted.includes(mediaTypeOf(req.headers['content-type'])), limit: options.bodyLimitBytes });
      router.post(path, readText, async (req, res) => {
        const mediaType = mediaTypeOf(req.headers['content-type']);
        if (!accepted.includes(mediaType)) throw new HubError('content-type-unsupported', `send ${accepted.join(' or ')}, not ${mediaType || 'no content type'}`);
        const text = typeof req.body === 'string' ? req.body : '';
        let native: unknown;
        if (xmlTypes.includes(mediaType)) {
          native = parseXml(text);
        } else {
          try {
            native = parseJson(text);
          } catch (error) {
            throw new HubError('body-invalid-json', (error as Error).message);
          }
        }
        let entities: unknown[];
        try {
          entities = runtime.loaded.definition.inbound![operationId]!.map(native, runtime.context);
        } catch (error) {
          if (error instanceof UpstreamError && error.code === 'upstream-bad-response') throw new HubError('request-invalid', error.message);
          throw toHubError(error);
        }
        if (entities.length === 0) throw new HubError('request-invalid', 'the document holds no record');
        let published;
        try {
          published = await publishEntities({ runtime, operationId, operation }, entities, outbox, options.topicPrefix, { 'correlation-id': res.locals.correlationId as string });
        } catch (error) {
          if (error instanceof HubError && error.code === 'upstream-bad-response') throw new HubError('request-invalid', 'a record does not map to a valid canonical entity', { errors: error.errors ?? [] });
          throw error;
        }
        sendJson(res, 202, { accepted: published.length, events: published.map((p) => ({ id: p.eventId, subject: p.identity, type: operation.eventType, duplicate: p.result.duplicate })) });
      });
    }
  }
  return router;
}
