// Inbound: native records, pushed to the hub or polled, become canonical events in the outbox.
// A document is read record by record (records.ts): records that cannot be mapped, or whose
// entity fails its canonical schema, are quarantined with their reason and the others are
// published. Commands (one entity) are still validated and refused whole.
import { Router } from 'express';
import express from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import { topicForType } from '../events/cloudevent.js';
import { mediaTypeOf, parseJsonBody } from '../http/json-body.js';
import type { EventSink } from '../events/ingest.js';
import { assertCanonical, fingerprint, inboundEvent } from './canonical.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { CommandOperation, InboundOperation } from './manifest.js';
import { toHubError } from './problems.js';
import { mapDocument, setAsideInvalid, type MappedDocument, type RejectedRecord } from './records.js';
import { clientOf, requireRight } from '../security/authorize.js';
import { HUB_SENDER, SENDER_ATTRIBUTE } from '../security/sender.js';
import { RecordRejected, UpstreamError } from './sdk.js';
import type { SeenEntities } from './seen-entities.js';
import type { StateStore } from './state-store.js';
import { valueAt } from './views.js';
import { parseXml } from './xml.js';

export interface InboundTarget {
  runtime: ConnectorRuntime;
  operationId: string;
  operation: InboundOperation | CommandOperation;
}

/** Where quarantined records go (the rejected-records store, its metric). */
export interface RejectionSink {
  record(rejected: { connector: string; operation: string; via: 'push' | 'poll'; cursor?: string; records: RejectedRecord[] }): void;
}

export interface PublishDeps {
  /** The way into the outbox. */
  events: EventSink;
  state: StateStore;
  /** The fingerprints of what was published, shared by every instance. */
  seen: SeenEntities;
  topicPrefix: string;
  rejections?: RejectionSink;
}

export interface Published {
  identity: string;
  eventId: string;
  type: string;
  /** This version of the entity was published before: nothing new was stored. */
  duplicate: boolean;
}

/**
 * Validates entities and stores each new version as an event: the operation's event type the
 * first time, `changes.eventType` when a tracked field changed. Unchanged entities publish
 * nothing. The outbox append comes before the state update, so a crash in between repeats the
 * same events (same ids), which the outbox deduplicates.
 */
export async function publishEntities(target: InboundTarget, entities: unknown[], deps: PublishDeps, headers: Record<string, string>, options: { validated?: boolean; sender?: string } = {}): Promise<Published[]> {
  const { runtime, operationId, operation } = target;
  const identify = operation.kind === 'command' ? (entity: unknown) => String((entity as Record<string, unknown>)[operation.idField]) : runtime.loaded.definition.inbound![operationId]!.identify;
  const now = new Date();
  const prepared = entities.map((entity, index) => {
    if (!options.validated) {
      if (operation.kind === 'inbound') enrich(entity, operation, deps.state);
      assertCanonical(operation.schema, entity, 'upstream-bad-response', `/${index}`);
    }
    const identity = identify(entity);
    const seen = deps.seen.seen(runtime.id, operationId, identity);
    const version = { fingerprint: fingerprint(entity), tracked: operation.kind === 'inbound' && operation.changes ? fingerprint(pick(entity, operation.changes.fields)) : '' };
    const untracked = operation.kind === 'inbound' && operation.untracked && (entity as Record<string, unknown>)[operation.untracked.field] === undefined;
    // An untracked entity seen before is pending or already completed: sending it again adds nothing
    // (a local complaint re-pushed after LAPOR! numbered it must not be forwarded twice).
    if (seen && (seen.fingerprint === version.fingerprint || untracked)) return { identity, unchanged: seen.eventId };
    const type = untracked ? operation.untracked!.eventType : seen && operation.kind === 'inbound' && operation.changes && seen.tracked !== version.tracked ? operation.changes.eventType : operation.eventType;
    const event = { ...inboundEvent({ connector: runtime.id, operation: operationId, type, schema: operation.schema, classification: operation.classification, identity, entity, previous: seen?.fingerprint, now }), [SENDER_ATTRIBUTE]: options.sender ?? HUB_SENDER };
    return { identity, event, version };
  });
  const fresh = prepared.filter((p) => p.event !== undefined);
  const results = fresh.length === 0 ? [] : await deps.events.append(fresh.map(({ identity, event }) => ({ topic: topicForType(deps.topicPrefix, event!.type), key: identity, event: event!, headers })));
  await deps.seen.save(runtime.id, operationId, fresh.map(({ identity, event, version }) => ({ identity, eventId: event!.id, ...version! })));
  let next = 0;
  return prepared.map((p) => {
    if (p.event === undefined) return { identity: p.identity, eventId: p.unchanged!, type: operation.eventType, duplicate: true };
    return { identity: p.identity, eventId: p.event.id, type: p.event.type, duplicate: results[next++]!.duplicate };
  });
}

/**
 * A native document → the entities to publish (enriched, valid) and the records set aside.
 * Throws only when the envelope is refused (the handler's UpstreamError).
 */
export function readDocument(target: InboundTarget & { operation: InboundOperation }, native: unknown, state: StateStore): MappedDocument {
  const { runtime, operationId, operation } = target;
  const mapped = mapDocument(runtime.loaded.definition.inbound![operationId]!, native, runtime.context);
  for (const { entity } of mapped.entities) enrich(entity, operation, state);
  return setAsideInvalid(mapped, operation.schema);
}

/** Fills absent fields from the latest entity of another view, per the operation's `enrich`. */
function enrich(entity: unknown, operation: InboundOperation, state: StateStore): void {
  if (!operation.enrich || !entity || typeof entity !== 'object') return;
  const record = entity as Record<string, unknown>;
  for (const rule of operation.enrich) {
    const key = record[rule.key];
    if (record[rule.field] !== undefined || typeof key !== 'string') continue;
    const stored = state.viewEntity(rule.view, key);
    const value = stored === undefined ? undefined : valueAt(stored, rule.take);
    if (value !== undefined) record[rule.field] = value;
  }
}

function pick(entity: unknown, fields: string[]): Record<string, unknown> {
  const record = (entity ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((field) => [field, record[field]]));
}

const xmlTypes = ['application/xml', 'text/xml'];
const jsonTypes = ['application/json'];

/** POST /v1/connectors/{id}/inbound for connectors with one push operation (…/inbound/{operation} when several). */
export function inboundRoutes(runtimes: ConnectorRuntime[], deps: PublishDeps, options: { bodyLimitBytes: number }): Router {
  const router = Router();
  for (const runtime of runtimes) {
    const pushed = Object.entries(runtime.loaded.manifest.operations).filter((entry): entry is [string, InboundOperation] => entry[1].kind === 'inbound' && entry[1].modes.includes('push'));
    for (const [operationId, operation] of pushed) {
      const path = pushed.length === 1 ? `/v1/connectors/${runtime.id}/inbound` : `/v1/connectors/${runtime.id}/inbound/${operationId}`;
      const accepted = [...(runtime.loaded.manifest.formats.includes('json') ? jsonTypes : []), ...(runtime.loaded.manifest.formats.includes('xml') ? xmlTypes : [])];
      const readText = express.text({ type: (req) => accepted.includes(mediaTypeOf(req.headers['content-type'])), limit: options.bodyLimitBytes });
      router.post(path, requireRight(`${runtime.id}:${operationId}`), readText, async (req, res) => {
        const mediaType = mediaTypeOf(req.headers['content-type']);
        if (!accepted.includes(mediaType)) throw new HubError('content-type-unsupported', `send ${accepted.join(' or ')}, not ${mediaType || 'no content type'}`);
        const text = typeof req.body === 'string' ? req.body : '';
        let native: unknown;
        if (xmlTypes.includes(mediaType)) {
          native = parseXml(text);
        } else {
          native = parseJsonBody(text);
        }
        let document: MappedDocument;
        try {
          document = readDocument({ runtime, operationId, operation }, native, deps.state);
        } catch (error) {
          if (error instanceof RecordRejected) throw new HubError('request-invalid', `${error.reason}: ${error.message}`);
          if (error instanceof UpstreamError && error.code === 'upstream-bad-response') throw new HubError('request-invalid', error.message);
          throw toHubError(error);
        }
        const rejected = document.rejected.map(({ index, reason, detail }) => ({ index, reason, detail }));
        if (document.rejected.length > 0) deps.rejections?.record({ connector: runtime.id, operation: operationId, via: 'push', records: document.rejected });
        if (document.entities.length === 0 && rejected.length === 0) throw new HubError('request-invalid', 'the document holds no record');
        if (document.entities.length === 0) {
          throw new HubError('request-invalid', `every record was rejected (${rejected.length})`, { errors: rejected.map((r) => ({ pointer: `/${r.index}`, message: `${r.reason}: ${r.detail}` })), extensions: { rejected } });
        }
        const entities = document.entities.map((e) => e.entity);
        const published = await publishEntities({ runtime, operationId, operation }, entities, deps, { 'correlation-id': res.locals.correlationId as string }, { validated: true, sender: clientOf(res).id });
        sendJson(res, 202, { accepted: published.length, events: published.map((p) => ({ id: p.eventId, subject: p.identity, type: p.type, duplicate: p.duplicate })), ...(rejected.length > 0 ? { rejected } : {}) });
      });
    }
  }
  return router;
}
