// Reading SPSE values whatever form they come in: the SDK's shared readers (keys in any casing
// and spelling, identifiers beyond 2^53, HTML in cells, money as Indonesian strings or
// abbreviations, dates in half a dozen formats), and what only SPSE needs: codes, budget years. A
// value that cannot be read rejects its record (RecordRejected with a stable reason), not the page.
import {
  dateOf as sdkDateOf,
  digitsOf as sdkDigitsOf,
  isLossless,
  isPlaceholder,
  moneyOf as sdkMoneyOf,
  oneLine,
  RecordRejected,
  scalar,
  UpstreamError,
  type Rupiah,
} from '../../src/connectors/sdk.js';

export { isDoc, oneLine, pick, scalar, type Doc } from '../../src/connectors/sdk.js';

/** A cell's text on one line without its HTML, or undefined when absent or a placeholder (`-`). */
export function present(value: unknown): string | undefined {
  const text = scalar(value);
  if (text === undefined) return undefined;
  // oneLine writes text trimmed with single spaces: of the SDK's `present` only the placeholder test is left.
  const line = oneLine(text);
  return isPlaceholder(line) ? undefined : line;
}

/**
 * A value read once: text as `present` reads it (HTML out, one line, a placeholder as undefined),
 * numbers and LosslessNumbers as they are. A record's values are read into this form once (a
 * listing row's cells can be asked for by several layouts and fields); the `…OfCell` readers below
 * take it and give what their plain counterparts give for the value it was read from.
 */
export const cellOf = (value: unknown): unknown => (typeof value === 'string' ? present(value) : value);

/** `present(value)` for `cellOf(value)`: the text is already there, a number is written out. */
export const textOfCell = (cell: unknown): string | undefined => (typeof cell === 'string' ? cell : present(cell));

/** Money (SDK `moneyOf`) from a value read by `cellOf`. */
export const moneyOfCell = (cell: unknown, label: string): Rupiah | undefined => sdkMoneyOf(cell, label);

/** Money (SDK `moneyOf`) from a cell that may carry HTML. */
export const moneyOf = (value: unknown, label: string): Rupiah | undefined => sdkMoneyOf(cellOf(value), label);

/** A date (SDK `dateOf`: the calendar date in WIB) from a value read by `cellOf`. */
export const dateOfCell = (cell: unknown, label: string): string | undefined => sdkDateOf(cell, label);

/** An answer SPSE gave that is not a listing at all (the envelope, not one record). */
export const bad = (detail: string): UpstreamError => new UpstreamError('upstream-bad-response', detail);

/** One record that cannot be mapped; `reason` is a metric label, keep it to the few used here. */
export const reject = (reason: 'layout-unknown' | 'field-missing' | 'code-invalid' | 'money-unreadable' | 'date-invalid' | 'year-invalid' | 'status-unknown' | 'jenis-unknown' | 'metode-unknown' | 'lpse-other', detail: string): RecordRejected =>
  new RecordRejected(reason, detail);

// ─── identifiers ─────────────────────────────────────────────────────────────────────────────

/**
 * An identifier made of digits (kd_tender, kd_rup), as canonical digits without leading zeros,
 * from the `present` text of whatever carried it: a JSON number beyond 2^53 (LosslessNumber),
 * `10023001000.0`, a string. undefined when absent or zero; throws when it is something else.
 */
export function digitsOfText(text: string | undefined, label: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,40}(?:\.0+)?$/.test(text)) throw reject('code-invalid', `${label} ${JSON.stringify(text.slice(0, 60))} is not a number`);
  return sdkDigitsOf(text);
}

/** A code as SPSE writes it (kd_satker `239463`, `1.03.0.00.0.00.01.0000`), trimmed, from a value read by `cellOf`. */
export function codeOfCell(cell: unknown, label: string): string | undefined {
  const text = textOfCell(cell);
  if (text === undefined) return undefined;
  const code = /^([0-9]+)\.0+$/.test(text) && isLossless(cell) ? text.replace(/\.0+$/, '') : text;
  if (!/^[0-9A-Za-z.-]{1,60}$/.test(code)) throw reject('code-invalid', `${label} ${JSON.stringify(text.slice(0, 60))} is not a code`);
  return code;
}

/** A budget year, `2026` or 2026. */
export const yearOf = (value: unknown, label: string): number | undefined => yearOfText(present(value), label);

/** `yearOf` of a value's `present` text. */
export function yearOfText(text: string | undefined, label: string): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{4})(?:\.0+)?$/.exec(text);
  const year = match ? Number(match[1]) : Number.NaN;
  if (!(year >= 2000 && year <= 2100)) throw reject('year-invalid', `${label} ${JSON.stringify(text.slice(0, 60))} is not a budget year`);
  return year;
}
