// Reading native fields whatever form they come in: keys in any casing and under several
// spellings (`kd_tender`, `kdTender`, `KD_TENDER`, `Kd-Tender`), values as strings, numbers,
// LosslessNumbers or XML text nodes, "nothing" written as `-` or `null`. Shared through the SDK
// so that every mapping reads fields the same way.
import { LosslessNumber } from '../events/json.js';
import { remembered } from './remembered.js';

export type Doc = Record<string, unknown>;

export const isLossless = (value: unknown): value is LosslessNumber =>
  value instanceof LosslessNumber || (typeof value === 'object' && value !== null && (value as { isLosslessNumber?: unknown }).isLosslessNumber === true);

/** A JSON object or XML element (not an array, not a LosslessNumber). */
export const isDoc = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value) && !isLossless(value);

const NOT_KEY_CHAR = /[^a-z0-9]/g;

/**
 * `kd_tender`, `KD_TENDER`, `kdTender`, `Kd-Tender`, `@kdtender` → `kdtender`. Documents repeat a
 * few hundred keys, so the answers kept stay few.
 */
export const normaliseKey = remembered((key: string): string => key.toLowerCase().replace(NOT_KEY_CHAR, ''), { max: 4096 });

/** Absent, null, or a one-element list's nothing: `[]` is no value, `''` is. */
export const asArray = (value: unknown): unknown[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]);

/** Each document's normalised key → its first key (in key order) holding a value, built on the first `pick` of the document. */
const keyIndexes = new WeakMap<Doc, Map<string, string>>();

function keyIndexOf(doc: Doc): Map<string, string> {
  let index = keyIndexes.get(doc);
  if (index === undefined) {
    index = new Map();
    for (const key in doc) {
      if (!Object.hasOwn(doc, key)) continue;
      const value = doc[key];
      const normal = normaliseKey(key);
      if (value !== undefined && value !== null && !index.has(normal)) index.set(normal, key);
    }
    keyIndexes.set(doc, index);
  }
  return index;
}

/**
 * The first present (not null, not undefined) value among `aliases`, compared by normalised key,
 * in alias order: `pick(doc, ['kd_tender', 'kode_tender', 'kdtender'])` finds `KD_TENDER`,
 * `kdTender` and `Kode-Tender` alike. List the misspellings seen in the wild as aliases.
 * A document's keys are normalised once, on its first pick, not once per field read.
 */
export function pick(doc: Doc, aliases: readonly string[]): unknown {
  const value = firstOf(doc, keyIndexOf(doc), aliases);
  if (value !== STALE) return value;
  // The document changed since it was indexed: index it afresh.
  keyIndexes.delete(doc);
  const fresh = firstOf(doc, keyIndexOf(doc), aliases);
  return fresh === STALE ? undefined : fresh;
}

const STALE = Symbol('stale');

/**
 * Whether `doc` holds a present (not null, not undefined) value under a key whose normal form is
 * `normal` (`kdtender`): the index `pick` reads, so asking costs no pass over the keys.
 */
export function holdsKey(doc: Doc, normal: string): boolean {
  const key = keyIndexOf(doc).get(normal);
  if (key === undefined) return false;
  if (doc[key] !== undefined && doc[key] !== null) return true;
  // The document changed since it was indexed, as in `pick`: index it afresh.
  keyIndexes.delete(doc);
  return keyIndexOf(doc).has(normal);
}

function firstOf(doc: Doc, index: Map<string, string>, aliases: readonly string[]): unknown {
  for (const alias of aliases) {
    const key = index.get(normaliseKey(alias));
    if (key === undefined) continue;
    const value = doc[key];
    return value === undefined || value === null ? STALE : value;
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

/** Whitespace that `present` changes: a run, anything but a plain space, or at either end. */
const UNTIDY_SPACE = /\s\s|[^\S ]/;
const EDGE_SPACE = /\s/;
/** Whether a character may be whitespace: printable ASCII never is, so only the rest is asked of the regular expression. */
const maySpace = (text: string, at: number): boolean => {
  const code = text.charCodeAt(at);
  return code <= 0x20 || (code >= 0x7f && EDGE_SPACE.test(text[at]!));
};
const untidy = (text: string): boolean => text !== '' && (maySpace(text, 0) || maySpace(text, text.length - 1) || UNTIDY_SPACE.test(text));

/** What upstreams write for "nothing here". */
const PLACEHOLDER = /^(?:-+|–|—|\.|n\/?a|null|undefined|nil|nihil|none|kosong|tidak ada|belum ada)$/i;
/** Only dashes can make a placeholder longer than `belum ada`: longer text skips the expression. */
const mayBePlaceholder = (text: string): boolean => text.length <= 9 || text.charCodeAt(0) === 0x2d;

/** Whether text already trimmed with single spaces (as `oneLine` writes it) is empty or a placeholder: what `present` gives undefined for. */
export const isPlaceholder = (text: string): boolean => text === '' || (mayBePlaceholder(text) && PLACEHOLDER.test(text));

/** Trimmed text with whitespace runs collapsed, or undefined when absent, empty or a placeholder (`-`, `null`, `tidak ada`). */
export function present(value: unknown): string | undefined {
  const raw = scalar(value);
  // Most values have nothing to collapse or trim: test for it before building a new string.
  const text = raw !== undefined && untidy(raw) ? raw.replace(/\s+/g, ' ').trim() : raw;
  return text === undefined || text === '' || (mayBePlaceholder(text) && PLACEHOLDER.test(text)) ? undefined : text;
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
  const known = knownSetOf(knownKeys);
  let extras: [string, unknown][] | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    if (value !== undefined && value !== null && !known.has(normaliseKey(key))) (extras ??= []).push([key, value]);
  }
  return extras === undefined ? undefined : Object.fromEntries(extras);
}

/** Known-key lists (the mappings' constants) → their normal forms as a set. */
const knownSets = new WeakMap<Iterable<string>, ReadonlySet<string>>();

function knownSetOf(knownKeys: Iterable<string>): ReadonlySet<string> {
  let known = knownSets.get(knownKeys);
  if (known === undefined) {
    known = new Set([...knownKeys].map(normaliseKey));
    knownSets.set(knownKeys, known);
  }
  return known;
}
