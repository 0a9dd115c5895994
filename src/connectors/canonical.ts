// Canonical entities: validation against schemas/<name>.json, the fingerprint that tells one
// version of an entity from another, and the CloudEvent an inbound entity becomes.
import { createHash } from 'node:crypto';
import type { CloudEvent } from '../events/cloudevent.js';
import { stringifyJson } from '../events/json.js';
import { HubError, type ErrorCode } from '../errors/catalogue.js';
import { canonicalSchema, schemaErrors } from '../schemas.js';
import type { Classification } from './sdk.js';

/** Throws `code` with pointers when `value` does not conform to canonical schema `name` (e.g. penduduk.v1). */
export function assertCanonical(name: string, value: unknown, code: ErrorCode, pointer = ''): void {
  const { validate } = canonicalSchema(name);
  if (!validate(value)) throw new HubError(code, `does not conform to ${name}`, { errors: schemaErrors(pointer, validate.errors) });
}

/**
 * A digest of an entity's content. `sumber` (provenance: which system, when the hub fetched it)
 * is left out: fetching the same record twice is not a change.
 */
export function fingerprint(entity: unknown): string {
  const content = entity && typeof entity === 'object' && !Array.isArray(entity) ? { ...(entity as Record<string, unknown>), sumber: undefined } : entity;
  return createHash('sha256').update(stableStringify(content)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object' && value.constructor === Object) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return stringifyJson(value);
}

/**
 * The event for one inbound entity. Its id derives from the entity, its content and the
 * version it replaces, so the same change always becomes the same event: a re-push, a re-poll
 * after a crash, or an XML twin of a JSON push is deduplicated by the outbox, while a change
 * back to an earlier content (status A → B → A) is a new event.
 */
export function inboundEvent(options: { connector: string; operation: string; type: string; schema: string; classification: Classification; identity: string; entity: unknown; previous: string | undefined; now: Date }): CloudEvent {
  const digest = createHash('sha256').update(`${options.previous ?? ''}\u0000${fingerprint(options.entity)}`).digest('hex').slice(0, 24);
  const [entityName, version] = options.schema.split('.');
  return {
    specversion: '1.0',
    id: `${options.connector}:${options.identity}:${digest}`,
    source: `/connectors/${options.connector}/${options.operation}`,
    type: options.type,
    subject: options.identity,
    time: options.now.toISOString(),
    datacontenttype: 'application/json',
    dataschema: `urn:penghubung:schema:${entityName}:${version}`,
    classification: options.classification,
    data: options.entity,
  };
}
