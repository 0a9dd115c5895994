// Masking to the caller's clearance: every field of a canonical entity carries a classification
// (x-classification in its schema); a field above the caller's clearance is masked in a way that
// keeps it useful without disclosing it — a NIK as `1809••••••••0004`, names as initials,
// addresses down to the kecamatan (street, RT/RW and kelurahan are terbatas, the kecamatan
// publik), e-mail and phone partly — and anything else above clearance is withheld.
// Fail closed: a field the schema does not classify (or does not describe) is rahasia.
import { classificationRank, isClassification, type Classification } from '../domain/classification.js';
import type { CloudEvent } from '../events/cloudevent.js';
import type { EventTypeRegistry } from '../events/type-registry.js';
import { LosslessNumber } from '../events/json.js';
import { canonicalSchema } from '../schemas.js';
import { schemaPattern } from './schema-patterns.js';
import { isHubSource } from './sender.js';

type Schema = {
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  prefixItems?: Schema[];
  'x-classification'?: Classification;
  /** Data-dependent: the field is rahasia, and withheld whole below it, when these siblings hold these values. */
  'x-rahasia-when'?: Record<string, unknown>;
  $ref?: string;
  $defs?: Record<string, Schema>;
};

const dot = '•';

export function maskEntity(schemaName: string, entity: unknown, clearance: Classification): unknown {
  return maskBySchema(canonicalSchema(schemaName).schema, entity, clearance);
}

const highest = classificationRank('rahasia');

/** Masks a value by any JSON Schema whose fields carry x-classification. */
export function maskBySchema(schema: object, value: unknown, clearance: Classification): unknown {
  const rank = classificationRank(clearance);
  // Nothing is above rahasia (an unclassified or misclassified field counts as rahasia, and
  // x-rahasia-when withholds only below it): a rahasia client gets the value as it is, which the
  // walk would only have copied.
  if (rank >= highest) return value;
  const root = schema as Schema;
  return maskValue(root, root, value, rank, '', false);
}

/**
 * Each node's `$ref`s resolved, per schema document: worked out at a node's first use and kept,
 * so a masked answer walks a table instead of merging `$defs` into copies per field per request.
 * Schemas are never changed once loaded (a new version is a new object), so nothing goes stale.
 */
const resolvedNodes = new WeakMap<Schema, WeakMap<Schema, Schema>>();

/** Follows local `$ref`s (`#/$defs/uang`); the referring node's own keywords win. */
function resolved(root: Schema, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  let nodes = resolvedNodes.get(root);
  if (!nodes) resolvedNodes.set(root, (nodes = new WeakMap()));
  let node = nodes.get(schema);
  if (!node) nodes.set(schema, (node = followRefs(root, schema)));
  return node;
}

function followRefs(root: Schema, schema: Schema): Schema {
  let node = schema;
  for (let depth = 0; node?.$ref?.startsWith('#/') && depth < 8; depth++) {
    let target: unknown = root;
    for (const token of node.$ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    const { $ref: _ref, ...own } = node;
    node = { ...(target as Schema | undefined), ...own };
  }
  return node;
}

function childSchema(schema: Schema | undefined, key: string): Schema | undefined {
  if (!schema) return undefined;
  if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) if (schemaPattern(pattern).test(key)) return sub;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/**
 * `above`: an enclosing field is above clearance, so a child without a schema of its own is
 * masked as that field was. A leaf whose schema gives no classification is rahasia.
 */
function maskValue(root: Schema, given: Schema | undefined, value: unknown, clearance: number, name: string, above: boolean): unknown {
  const schema = resolved(root, given);
  const declared = schema?.['x-classification'];
  // A value outside publik/terbatas/rahasia counts as rahasia, as a missing one does.
  const isAbove = isClassification(declared) ? classificationRank(declared) > clearance : (declared === undefined && above) || highest > clearance;
  if (Array.isArray(value)) return value.map((item, index) => maskValue(root, schema?.prefixItems?.[index] ?? schema?.items, item, clearance, name, isAbove));
  if (value && typeof value === 'object' && !(value instanceof LosslessNumber)) {
    const result: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(record)) {
      const child = childSchema(schema, key);
      if (withheldByData(root, child, record, clearance)) continue;
      const masked = maskValue(root, child, inner, clearance, key, isAbove);
      if (masked !== undefined) result[key] = masked;
    }
    return result;
  }
  return isAbove ? maskLeaf(name, value) : value;
}

/**
 * `x-rahasia-when: {anonim: true}` on pelapor: the reporter of an anonymous complaint reaches no
 * one below rahasia, not even as initials. A sibling that is absent does not match.
 */
function withheldByData(root: Schema, child: Schema | undefined, siblings: Record<string, unknown>, clearance: number): boolean {
  const when = resolved(root, child)?.['x-rahasia-when'];
  if (!when || clearance >= highest) return false;
  return Object.entries(when).every(([field, expected]) => siblings[field] === expected);
}

/** How one field above clearance is shown; undefined withholds it. */
function maskLeaf(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  if (/^(nik|no_kk|nik_pelapor)$/.test(name) && /^\d{16}$/.test(value)) return `${value.slice(0, 4)}${dot.repeat(8)}${value.slice(12)}`;
  if (/^nama(_|$)/.test(name)) return value.split(/\s+/).filter(Boolean).map((word) => `${word[0]!.toUpperCase()}.`).join(' ');
  if (name === 'email') return value.replace(/^(.).*(@.*)$/, `$1${dot.repeat(3)}$2`);
  if (name === 'telepon') return value.length > 6 ? `${value.slice(0, 4)}${dot.repeat(value.length - 6)}${value.slice(-2)}` : dot.repeat(value.length);
  return dot.repeat(4);
}

export type EventTypes = Pick<EventTypeRegistry, 'schemaFor' | 'classificationOf'>;

/**
 * An event as a subscriber may see it. The hub masks by the schema registered for the event's
 * type, never by the `dataschema` or `classification` the publisher wrote. A type without a
 * schema is delivered whole only to clients cleared for its declared classification (rahasia
 * unless declared) or the publisher's label, whichever is higher; others get it without data.
 */
export function maskEvent(event: CloudEvent, clearance: Classification, types: EventTypes): CloudEvent {
  const cleared = classificationRank(clearance);
  const registered = types.schemaFor(event.type);
  if (registered) {
    const labelled = truthfulLabels(event, registered.canonical);
    // Binary data cannot be masked field by field.
    if (event.data_base64 !== undefined && cleared < classificationRank('rahasia')) return withheld(labelled);
    if (event.data === undefined) return labelled;
    return { ...labelled, data: registered.canonical ? maskEntity(registered.canonical, event.data, clearance) : maskBySchema(registered.schema, event.data, clearance) };
  }
  const label = isClassification(event.classification) ? classificationRank(event.classification) : 0;
  return Math.max(label, classificationRank(types.classificationOf(event.type))) > cleared ? withheld(event) : event;
}

/**
 * A subscriber should not be misled by labels the hub did not check: `dataschema` becomes the
 * registered canonical schema (or goes, when the type's schema is not canonical), and a
 * `classification` stays only on the hub's own events (connectors, flows), whose label is the
 * manifest's.
 */
function truthfulLabels(event: CloudEvent, canonical: string | undefined): CloudEvent {
  const { dataschema: _claimed, classification, ...rest } = event;
  return {
    ...rest,
    ...(canonical ? { dataschema: `urn:penghubung:schema:${canonical.replace('.', ':')}` } : {}),
    ...(isHubSource(event.source) && classification !== undefined ? { classification } : {}),
  };
}

function withheld(event: CloudEvent): CloudEvent {
  const { data: _data, data_base64: _base64, ...rest } = event;
  return { ...rest, masked: 'withheld' };
}
