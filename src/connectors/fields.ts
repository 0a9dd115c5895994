// Reading native fields whatever form they come in: keys in any casing and under several
// spellings (`kd_tender`, `kdTender`, `KD_TENDER`, `Kd-Tender`), values as strings, numbers,
// LosslessNumbers or XML text nodes, "nothing" written as `-` or `null`. Shared through the SDK
// so that every mapping reads fields the same way.
import { LosslessNumber } from '../events/json.js';

export type Doc = Record<string, unknown>;

export const isLossless = (value: unknown): value is LosslessNumber =>
  value instanceof LosslessNumber || (typeof value === 'object' && value !== null && (value as { isLosslessNumber?: unknown }).isLosslessNumber === true);

/** A JSON object or XML element (not an array, not a LosslessNumber). */
export const isDoc = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value) && !isLossless(value);

/** `kd_tender`, `KD_TENDER`, `kdTender`, `Kd-Tender`, `@kdtender` → `kdtender`. */
export const normaliseKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Absent, null, or a one-element list's nothing: `[]` is no value, `''` is. */
export const asArray = (value: unknown): unknown[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]);

/**
 * The first present (not null, not undefined) value among `aliases`, compared by normalised key,
 * in alias order: `pick(doc, ['kd_tender', 'kode_tender', 'kdtender'])` finds `KD_TENDER`,
 * `kdTender` and `Kode-Tender` alike. List the misspellings seen in the wild as aliases.
 */
export function pick(doc: Doc, aliases: readonly string[]): unknown {
  const byKey = new Map<string, unknown>();
  for (const [key, value] of Object.entries(doc)) {
    const normal = normaliseKey(key);
    if (value !== undefined && value !== null && !byKey.has(normal)) byKey.set(normal, value);
  }
  for (const alias of aliases) {
    const normal = normaliseKey(alias);
    if (byKey.has(normal)) return byKey.get(normal);
  }
  return undefined;
}

/** A scalar as text: strings, numbers, booleans, LosslessNumber digits, an XML element's `#text`. */
export function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (isLossless(value)) return value.toString();
  if (isDoc(value) && '#text' in value) return scalar(value['#text']);
  return undefined;
}

/** What upstreams write for "nothing here". */
const PLACEHOLDER = /^(?:-+|–|—|\.|n\/?a|null|undefined|nil|nihil|none|kosong|tidak ada|belum ada)$/i;

/** Trimmed text with whitespace runs collapsed, or undefined when absent, empty or a placeholder (`-`, `null`, `tidak ada`). */
export function present(value: unknown): string | undefined {
  const text = scalar(value)?.replace(/\s+/g, ' ').trim();
  return text === undefined || text === '' || PLACEHOLDER.test(text) ? undefined : text;
}

const TRUE_WORDS = new Set(['1', 'true', 'ya', 'y', 'yes', 'iya', 'benar', 'aktif']);
const FALSE_WORDS = new Set(['0', 'false', 'tidak', 'tdk', 'no', 'n', 'bukan', 'salah', 'nonaktif']);

/** A yes/no as upstreams write it (`true`, `1`, `"Ya"`, `"tidak"`, `"Y"`/`"N"`); undefined when absent or anything else. */
export function flagOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = present(value)?.toLowerCase();
  if (text === undefined) return undefined;
  return TRUE_WORDS.has(text) ? true : FALSE_WORDS.has(text) ? false : undefined;
}

/**
 * An identifier made of digits (a tracking id, a tender code), as digits without leading zeros,
 * whatever carried it: a JSON number beyond 2^53 (LosslessNumber), `10023001000.0`, a string.
 * undefined when absent, zero, or not digits (the caller decides whether that rejects the record).
 */
export function digitsOf(value: unknown): string | undefined {
  const text = present(value);
  const match = text === undefined ? null : /^([0-9]{1,40})(?:\.0+)?$/.exec(text);
  const digits = match ? match[1]!.replace(/^0+/, '') : '';
  return digits === '' ? undefined : digits;
}

/**
 * What a native record carries beyond the keys a mapping read, for the canonical `tambahan`
 * extension object (so translation loses nothing). `knownKeys` are compared by normalised key,
 * like `pick`'s aliases; absent and null values are left out; undefined when nothing is left.
 */
export function extrasOf(record: unknown, knownKeys: Iterable<string>): Record<string, unknown> | undefined {
  if (!isDoc(record)) return undefined;
  const known = new Set([...knownKeys].map(normaliseKey));
  const extras = Object.entries(record).filter(([key, value]) => value !== undefined && value !== null && !known.has(normaliseKey(key)));
  return extras.length === 0 ? undefined : Object.fromEntries(extras);
}
