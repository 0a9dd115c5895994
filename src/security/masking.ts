// Masking to the caller's clearance: every field of a canonical entity carries a classification
// (x-classification in its schema); a field above the caller's clearance is masked in a way that
// keeps it useful without disclosing it — a NIK as `1809••••••••0004`, names as initials,
// addresses down to the kecamatan (street, RT/RW and kelurahan are terbatas, the kecamatan
// publik), e-mail and phone partly — and anything else above clearance is withheld.
import { classificationRank, isClassification, type Classification } from '../domain/classification.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { canonicalSchema } from '../schemas.js';

type Schema = { type?: unknown; properties?: Record<string, Schema>; items?: Schema; 'x-classification'?: Classification; $ref?: string };

const dot = '•';

export function maskEntity(schemaName: string, entity: unknown, clearance: Classification): unknown {
  return maskValue(canonicalSchema(schemaName).schema as Schema, entity, classificationRank(clearance), '');
}

function maskValue(schema: Schema | undefined, value: unknown, clearance: number, name: string): unknown {
  const level = schema?.['x-classification'];
  const above = level !== undefined && classificationRank(level) > clearance;
  if (Array.isArray(value)) return value.map((item) => maskValue(schema?.items ?? (above ? { 'x-classification': level } : undefined), item, clearance, name));
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const child = schema?.properties?.[key] ?? (above ? { 'x-classification': level } : undefined);
      const masked = maskValue(child, inner, clearance, key);
      if (masked !== undefined) result[key] = masked;
    }
    return result;
  }
  return above ? maskLeaf(name, value) : value;
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

/**
 * Events carry their classification; a subscriber below it receives the masked form: canonical
 * data masked field by field by its schema, other data withheld.
 */
export function maskEvent(event: CloudEvent, clearance: Classification): CloudEvent {
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
