// What the contract kit prints when a fixture does not match: one line per field that differs,
// by JSON pointer, with the expected and the actual value, instead of two documents on one line
// each that the author has to compare by eye.
import { isSafeNumber, parse } from 'lossless-json';
import diff from 'microdiff';
import { stringifyJson } from '../events/json.js';

/** Lines shown at most; the rest are counted. */
const maxLines = 20;
/** Characters of one value shown at most. */
const maxValue = 120;

/** `heading (n fields):` then `  <pointer>: expected <value>, actual <value>` per difference. */
export function fieldDiff(heading: string, expected: unknown, actual: unknown): string {
  const changes = diff(comparable(expected), comparable(actual));
  const lines = changes.slice(0, maxLines).map((change) => {
    const pointer = change.path.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('') || '(whole document)';
    const before = change.type === 'CREATE' ? '(absent)' : shown(change.oldValue);
    const after = change.type === 'REMOVE' ? '(absent)' : shown(change.value);
    return `  ${pointer}: expected ${before}, actual ${after}`;
  });
  if (changes.length > maxLines) lines.push(`  … and ${changes.length - maxLines} more`);
  return `${heading} (${changes.length} field${changes.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/**
 * The value as plain JSON data the diff can walk: big integers as BigInt (compared exactly),
 * undefined fields dropped as JSON would. A whole document that is not an object is wrapped so
 * that it still diffs as one field.
 */
function comparable(value: unknown): Record<string, unknown> | unknown[] {
  if (value === undefined) return {};
  const plain = parse(stringifyJson(value), null, (digits) => (isSafeNumber(digits) || !/^-?\d+$/.test(digits) ? Number(digits) : BigInt(digits)));
  return typeof plain === 'object' && plain !== null ? (plain as Record<string, unknown>) : { '': plain };
}

function shown(value: unknown): string {
  const text = typeof value === 'bigint' ? value.toString() : JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? Number(inner) : inner)) ?? 'undefined';
  return text.length > maxValue ? `${text.slice(0, maxValue)}…` : text;
}
