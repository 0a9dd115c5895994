// Reading a native document record by record: the handler's `records` splits the envelope,
// `mapRecord` maps each record, and a record that cannot be mapped, or whose entity fails its
// canonical schema, is set aside with its reason while the others go on. Handlers with a
// whole-document `map` keep their all-or-nothing mapping; their entities are still checked one
// by one against the schema.
import { HubError } from '../errors/catalogue.js';
import { canonicalSchema, schemaErrors } from '../schemas.js';
import { RecordRejected } from './record-rejected.js';
import type { ConnectorContext, InboundHandler } from './sdk.js';

/** A record the runtime quarantined instead of publishing. */
export interface RejectedRecord {
  /** The record's position in the document (for `map` handlers: the entity's). */
  index: number;
  /** Stable kebab-case code: the handler's, or `mapping-error`, `schema-invalid`. */
  reason: string;
  /** What was wrong, for people, without personal values. */
  detail: string;
  /** The native record as the upstream sent it (may hold personal data); for `map` handlers, which do not split the document, the entity. */
  record: unknown;
}

export interface MappedEntity {
  index: number;
  entity: unknown;
  /** The native record it came from. */
  record: unknown;
}

export interface MappedDocument {
  entities: MappedEntity[];
  rejected: RejectedRecord[];
}

/**
 * The document → its entities and its rejected records. Throws (UpstreamError, from the
 * handler) only when the envelope is refused; a `map` handler's error refuses the document.
 */
export function mapDocument(handler: InboundHandler, native: unknown, context: ConnectorContext): MappedDocument {
  if (!handler.records || !handler.mapRecord) {
    if (!handler.map) throw new Error('an inbound handler needs map, or records and mapRecord');
    return { entities: handler.map(native, context).map((entity, index) => ({ index, entity, record: entity })), rejected: [] };
  }
  const result: MappedDocument = { entities: [], rejected: [] };
  handler.records(native, context).forEach((record, index) => {
    try {
      const mapped = handler.mapRecord!(record, context, index);
      for (const entity of mapped === undefined ? [] : Array.isArray(mapped) ? mapped : [mapped]) result.entities.push({ index, entity, record });
    } catch (error) {
      result.rejected.push(error instanceof RecordRejected ? { index, reason: error.reason, detail: error.message, record } : { index, reason: 'mapping-error', detail: describe(error), record });
    }
  });
  return result;
}

/** Moves the entities that fail canonical schema `schema` to the rejected records, in document order. */
export function setAsideInvalid(document: MappedDocument, schema: string): MappedDocument {
  const { validate } = canonicalSchema(schema);
  const entities: MappedEntity[] = [];
  const rejected = [...document.rejected];
  for (const mapped of document.entities) {
    if (validate(mapped.entity)) {
      entities.push(mapped);
    } else {
      const problems = schemaErrors('', validate.errors).map((e) => `${e.pointer || '/'} ${e.message}`);
      rejected.push({ index: mapped.index, reason: 'schema-invalid', detail: `does not conform to ${schema}: ${problems.join('; ')}`, record: mapped.record });
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  return { entities, rejected };
}

/** A mapping bug's message may quote the record; keep only the kind of error. */
function describe(error: unknown): string {
  if (error instanceof HubError) return `${error.code}: ${error.message}`;
  return `the mapping failed (${error instanceof Error ? error.name : typeof error})`;
}
