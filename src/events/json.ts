// JSON without losing digits: integers beyond 2^53 (NIKs, tracking ids) stay exact.
// Every JSON the hub reads goes through parseJson, which also refuses what could hurt it: nesting
// deeper than a limit (the recursive parser would exhaust the stack) and the keys `__proto__`,
// `constructor` and `prototype` anywhere (prototype pollution in code that merges objects).
import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { HubError } from '../errors/catalogue.js';

/** Numbers that fit a double become numbers; larger ones stay LosslessNumber (exact digits). */
const parseNumber = (digits: string): number | LosslessNumber => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits));

export interface JsonLimits {
  /** Objects and arrays nested in one another; `{"a":[1]}` is 2 deep. */
  maxDepth: number;
}

export const defaultJsonLimits: Readonly<JsonLimits> = { maxDepth: 64 };

/** Keys refused anywhere in a document, however they are spelled (`\u005f_proto__` too). */
export const forbiddenJsonKeys: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Parses JSON losslessly. Throws HubError `body-too-deep` or `body-forbidden-key` for a document
 * nested too deeply or holding a forbidden key, and the parser's SyntaxError for invalid JSON.
 */
export function parseJson(text: string, limits: Partial<JsonLimits> = {}): unknown {
  return checkedParse(text, limits.maxDepth ?? defaultJsonLimits.maxDepth, nativeIfSame);
}

/**
 * parseJson for text the hub stored itself with stringifyJson (an outbox row): the same checks and
 * numbers, without the repeated-key check (re-stringifying the value to compare), since a
 * stringified value names no key twice.
 */
export function parseStoredJson(text: string): unknown {
  return checkedParse(text, defaultJsonLimits.maxDepth, JSON.parse);
}

/** Depth and forbidden keys checked, unsafe numbers kept exact; `native` parses the rest. */
function checkedParse(text: string, maxDepth: number, native: (text: string) => unknown): unknown {
  // The common case costs a few native searches: a document with no more brackets than the
  // depth limit cannot be too deep, and one without these words or a \u escape (the only escape
  // that can spell a letter) cannot hold a forbidden key. Anything else gets the full scan (a batch
  // of events has more brackets than the limit), which throws for what it refuses.
  if (moreOpenersThan(text, maxDepth) || mayHoldForbiddenKey(text)) inspectJson(text, maxDepth);
  const value = mayHoldUnsafeNumber(text) ? nativeWithExactNumbers(text) : native(text);
  return value !== notCanonical ? value : parse(text, null, parseNumber);
}

const notCanonical = Symbol('not canonical');

/**
 * The native parser's value when it is what the lossless parser gives. With no number of 16
 * digits or more or an exponent (checked before) the lossless parser makes the same numbers; what
 * is left is a repeated key, which the lossless parser refuses (with another value) and the native
 * one keeps silently. None was repeated when the text is exactly what the native stringify writes
 * for the value (compact JSON as the hub and most clients write it), or else, for text written
 * otherwise (upstreams' indented answers, escapes), when the text names as many keys as the value
 * holds. Several times faster than the lossless parser; anything else is left to it.
 */
function nativeIfSame(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return notCanonical;
  }
  return (mayBeStringified(text) && JSON.stringify(value) === text) || keysIn(value) === keysWritten(text) ? value : notCanonical;
}

/**
 * False when the native stringify cannot have written the text: it writes no whitespace outside
 * strings, so not before the value nor right after an object's or array's opening bracket (where
 * upstreams' indented answers put a line break). Saves stringifying a value only to compare.
 */
function mayBeStringified(text: string): boolean {
  const first = text.charCodeAt(0);
  if (isJsonSpace(first)) return false;
  return !((first === OPEN_BRACE || first === OPEN_BRACKET) && isJsonSpace(text.charCodeAt(1)));
}

const isJsonSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/**
 * The native parser's value for text holding numbers it could round (16 or more digits and dots,
 * or an exponent), with those numbers read as the lossless parser reads them: each such number
 * outside strings is written as a marker string (`"\\u0000<n>"`), the text parsed natively, and
 * the markers put back as parseNumber's values. Text that names no such number outside its strings
 * (an id written as a string) is parsed as it is. Left to the lossless parser: text already holding
 * `\\u0000` (a marker could not be told from it), a number that is not one in JSON's grammar, a
 * marker in a key's place (a number as a key), or a repeated key.
 */
function nativeWithExactNumbers(text: string): unknown {
  if (text.includes('\\u0000')) return notCanonical;
  const numbers: (number | LosslessNumber)[] = [];
  let marked = '';
  let copied = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i + 1);
      if (i === -1) return notCanonical;
    } else if (code === MINUS || isDigit(code)) {
      let end = i + 1;
      while (end < length && isNumberChar(text.charCodeAt(end))) end++;
      if (unsafeNumberAt(text, i)) {
        const token = text.slice(i, end);
        if (!JSON_NUMBER.test(token)) return notCanonical;
        marked += `${text.slice(copied, i)}"\\u0000${numbers.length}"`;
        numbers.push(parseNumber(token));
        copied = end;
      }
      i = end - 1;
    }
  }
  if (numbers.length === 0) return nativeIfSame(text);
  let value: unknown;
  try {
    value = JSON.parse(marked + text.slice(copied));
  } catch {
    return notCanonical;
  }
  const restored = { keys: 0 };
  const result = restoreNumbers(value, numbers, restored);
  return result === notCanonical || restored.keys !== keysWritten(text) ? notCanonical : result;
}

const MINUS = 0x2d;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const isNumberChar = (code: number): boolean => isDigit(code) || code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === MINUS;
const isMarker = (value: string): boolean => value.charCodeAt(0) === 0;

/** The parsed value with its markers replaced by their numbers, counting own keys as keysIn does; notCanonical for a marker used as a key. */
function restoreNumbers(value: unknown, numbers: (number | LosslessNumber)[], tally: { keys: number }): unknown {
  if (typeof value === 'string') return isMarker(value) ? numbers[Number(value.slice(1))] : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = restoreNumbers(value[i], numbers, tally);
      if (item === notCanonical) return notCanonical;
      value[i] = item;
    }
    return value;
  }
  const doc = value as Record<string, unknown>;
  for (const key in doc) {
    if (isMarker(key)) return notCanonical;
    tally.keys++;
    const item = doc[key];
    if (typeof item === 'string' && !isMarker(item)) continue;
    const restored = restoreNumbers(item, numbers, tally);
    if (restored === notCanonical) return notCanonical;
    if (restored !== item) doc[key] = restored;
  }
  return value;
}

/** Own keys of every object in a parsed value. */
function keysIn(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += keysIn(item);
    return count;
  }
  for (const key in value) count += 1 + keysIn((value as Record<string, unknown>)[key]);
  return count;
}

/** Strings followed by a colon in JSON text the native parser accepted: the keys as written. */
function keysWritten(text: string): number {
  let count = 0;
  for (let start = text.indexOf('"'); start !== -1; start = text.indexOf('"', start + 1)) {
    const end = closingQuote(text, start + 1);
    if (end === -1) break;
    if (followedByColon(text, end)) count++;
    start = end;
  }
  return count;
}

/**
 * A number (after `:`, `[`, `,` or at the start) with 16 or more digits and dots, or an exponent:
 * strings included, to be safe. The language of /(?:^|[:[,])\s*-?\d(?:[\d.]{15}|[\d.]*[eE])/,
 * looked for only where one of those three characters is (native searches) instead of a regular
 * expression tried at every position, which cost as much as the parse on indented documents.
 */
function mayHoldUnsafeNumber(text: string): boolean {
  if (unsafeNumberAt(text, 0)) return true;
  for (const mark of NUMBER_MARKS) {
    for (let i = text.indexOf(mark); i !== -1; i = text.indexOf(mark, i + 1)) if (unsafeNumberAt(text, i + 1)) return true;
  }
  return false;
}

const NUMBER_MARKS = [':', '[', ','];
/** What `\s` matches beyond ASCII (asked only of characters from U+00A0 on). */
const WIDE_SPACE = /\s/;

/** Whether /^\s*-?\d(?:[\d.]{15}|[\d.]*[eE])/ matches the text from `at`. */
function unsafeNumberAt(text: string, at: number): boolean {
  let i = at;
  for (let code = text.charCodeAt(i); code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0xa0 && WIDE_SPACE.test(text[i]!)); code = text.charCodeAt(++i));
  if (text.charCodeAt(i) === 0x2d) i++;
  if (!isDigit(text.charCodeAt(i))) return false;
  const start = ++i;
  for (let code = text.charCodeAt(i); isDigit(code) || code === 0x2e; code = text.charCodeAt(++i));
  const next = text.charCodeAt(i);
  return i - start >= 15 || next === 0x65 || next === 0x45;
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** Whether a forbidden key, or a \u escape that could spell one, may be in the text (native searches). */
const mayHoldForbiddenKey = (text: string): boolean => text.includes('\\u') || forbiddenJsonKeys.some((key) => text.includes(key));

function moreOpenersThan(text: string, limit: number): boolean {
  let count = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++count > limit) return true;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++count > limit) return true;
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const forbidden = new Set(forbiddenJsonKeys);
// Lengths of a forbidden key as written: 9 or 11 characters plain, up to 6 per character escaped.
const keyLengths = new Set(forbiddenJsonKeys.map((key) => key.length));
const minKeyLength = Math.min(...keyLengths);
const maxEscapedKeyLength = 6 * Math.max(...keyLengths);

/**
 * One pass over the text, before the (recursive) parser sees it: counts nesting outside strings
 * and looks at the keys that could be forbidden. Strings are skipped with indexOf, so a typical
 * event costs little beyond the parse. Malformed text is left for the parser to report.
 */
function inspectJson(text: string, maxDepth: number): void {
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const start = i + 1;
      const end = closingQuote(text, start);
      if (end === -1) return;
      i = end;
      const size = end - start;
      if (size >= minKeyLength && size <= maxEscapedKeyLength) checkKey(text, start, end);
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) throw new HubError('body-too-deep', `JSON nested deeper than ${maxDepth} levels (at position ${i})`);
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
}

/** The quote closing a string whose text begins at `start`, or -1 when it is not closed. */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start);
  while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
  return end;
}

/** True when the string closed at `end` is a key: a colon follows it, after any whitespace. */
function followedByColon(text: string, end: number): boolean {
  let next = end + 1;
  for (let code = text.charCodeAt(next); code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09; code = text.charCodeAt(++next));
  return text.charCodeAt(next) === COLON;
}

/** True when the quote at `at` is preceded by an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let count = 0;
  for (let j = at - 1; text.charCodeAt(j) === BACKSLASH; j--) count++;
  return count % 2 === 1;
}

/** The string between `start` and `end` (the closing quote): refused when it is a forbidden key. */
function checkKey(text: string, start: number, end: number): void {
  if (!followedByColon(text, end)) return;
  let hasEscape = false;
  for (let j = start; j < end && !hasEscape; j++) hasEscape = text.charCodeAt(j) === BACKSLASH;
  if (!hasEscape && !keyLengths.has(end - start)) return;
  let key = text.slice(start, end);
  if (hasEscape) {
    try {
      key = JSON.parse(`"${key}"`) as string;
    } catch {
      return;
    }
  }
  if (forbidden.has(key)) throw new HubError('body-forbidden-key', `the key "${key}" is refused anywhere in a JSON body (at position ${start - 1})`);
}

/**
 * Lossless JSON.stringify: a LosslessNumber keeps its digits. The native stringify writes the same
 * text for everything else, several times faster, so it goes first; a value holding a
 * LosslessNumber (its fields show in the native text) or a bigint takes lossless-json's.
 */
export function stringifyJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined || text.includes('"isLosslessNumber":true')) text = stringify(value);
  if (text === undefined) throw new TypeError('value cannot be represented as JSON');
  return text;
}

export { LosslessNumber };
