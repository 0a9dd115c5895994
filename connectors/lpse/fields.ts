// Reading SPSE values whatever form they come in: keys in any casing and under several
// spellings, identifiers as JSON numbers beyond 2^53, HTML inside cells, money as Indonesian
// strings or abbreviations, dates in half a dozen formats. Pure functions, no I/O. A value that
// cannot be read rejects its record (RecordRejected with a stable reason), not the whole page.
import { LosslessNumber, parseRupiah, RecordRejected, UpstreamError, type Rupiah } from '../../src/connectors/sdk.js';

export type Doc = Record<string, unknown>;

/** An answer SPSE gave that is not a listing at all (the envelope, not one record). */
export const bad = (detail: string): UpstreamError => new UpstreamError('upstream-bad-response', detail);

/** One record that cannot be mapped; `reason` is a metric label, keep it to the few used here. */
export const reject = (reason: 'layout-unknown' | 'field-missing' | 'code-invalid' | 'money-unreadable' | 'date-invalid' | 'year-invalid' | 'status-unknown' | 'jenis-unknown' | 'metode-unknown' | 'lpse-other', detail: string): RecordRejected =>
  new RecordRejected(reason, detail);

export const isLossless = (value: unknown): value is LosslessNumber =>
  value instanceof LosslessNumber || (typeof value === 'object' && value !== null && (value as { isLosslessNumber?: unknown }).isLosslessNumber === true);

export const isDoc = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isLossless(value);

/** `kd_tender`, `KD_TENDER`, `kdTender`, `Kd-Tender` → `kdtender`. */
export const normaliseKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The first present (not null, not undefined) value among the aliases (normalised keys), in alias order. */
export function pick(doc: Doc, aliases: readonly string[]): unknown {
  const byKey = new Map<string, unknown>();
  for (const [key, value] of Object.entries(doc)) {
    const normal = normaliseKey(key);
    if (value !== undefined && value !== null && !byKey.has(normal)) byKey.set(normal, value);
  }
  for (const alias of aliases) if (byKey.has(alias)) return byKey.get(alias);
  return undefined;
}

/** A scalar as text: strings, numbers, LosslessNumber digits. */
export function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (isLossless(value)) return value.toString();
  return undefined;
}

/** What SPSE writes for "nothing here". */
const EMPTY = /^(?:-+|–|—|n\/?a|null|tidak ada|belum ada)$/i;

/** Trimmed text, or undefined when absent, empty or a placeholder such as `-`. */
export function present(value: unknown): string | undefined {
  const text = scalar(value);
  if (text === undefined) return undefined;
  const plain = oneLine(text);
  return plain === '' || EMPTY.test(plain) ? undefined : plain;
}

// ─── HTML in cells ───────────────────────────────────────────────────────────────────────────

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·',
  deg: '°', copy: '©', reg: '®', trade: '™', times: '×', sup2: '²', frac12: '½', shy: '',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A cell or field as plain text on one line: tags removed (a `<br>` or block tag becomes a
 * space), entities decoded (twice-encoded ones too: `&amp;amp;`), whitespace and control
 * characters collapsed. What still looks like a tag or an entity afterwards (`a <b`, a literal
 * `&copy;` in a name) is defused with a space so the text never reads as HTML again.
 */
export function oneLine(input: string): string {
  let text = input;
  for (let pass = 0; pass < 3; pass++) {
    const before = text;
    text = text
      .replace(/<(script|style)\b[^>]*>[^<]*<\/\1\s*>/gi, ' ')
      .replace(/<!--[^>]*-->/g, ' ')
      .replace(/<![^<>]*>/g, ' ')
      .replace(/<\/?[A-Za-z][^<>]*>/g, (tag) => (/^<\/?(?:br|p|div|li|tr|td|th|h[1-6])\b/i.test(tag) ? ' ' : ''));
    text = decodeEntities(text);
    if (text === before) break;
  }
  return text
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .replace(/<(?=[A-Za-z/!?])/g, '< ')
    .replace(/&(?=#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)/g, '& ')
    .trim();
}

// ─── identifiers ─────────────────────────────────────────────────────────────────────────────

/**
 * An identifier made of digits (kd_tender, kd_rup), as canonical digits without leading zeros,
 * whatever carried it: a JSON number beyond 2^53 (LosslessNumber), `10023001000.0`, a string.
 * undefined when absent or zero; throws when it is something else.
 */
export function digitsOf(value: unknown, label: string): string | undefined {
  const text = present(value);
  if (text === undefined) return undefined;
  const match = /^([0-9]{1,40})(?:\.0+)?$/.exec(text);
  if (!match) throw reject('code-invalid', `${label} ${JSON.stringify(text.slice(0, 60))} is not a number`);
  const digits = match[1]!.replace(/^0+/, '');
  return digits === '' ? undefined : digits;
}

/** A code as SPSE writes it (kd_satker `239463`, `1.03.0.00.0.00.01.0000`), trimmed. */
export function codeOf(value: unknown, label: string): string | undefined {
  const text = present(value);
  if (text === undefined) return undefined;
  const code = /^([0-9]+)\.0+$/.test(text) && isLossless(value) ? text.replace(/\.0+$/, '') : text;
  if (!/^[0-9A-Za-z.-]{1,60}$/.test(code)) throw reject('code-invalid', `${label} ${JSON.stringify(text.slice(0, 60))} is not a code`);
  return code;
}

// ─── money ───────────────────────────────────────────────────────────────────────────────────

/**
 * Money as SPSE writes it: a JSON number (`15602948688.00`, `1.5602948688E10`), an Indonesian
 * string (`Rp. 15.602.948.688,00`) or an abbreviation (`15,9 M`, `750 Jt`, approximate).
 * undefined when absent or a placeholder; throws on anything else.
 */
export function moneyOf(value: unknown, label: string): Rupiah | undefined {
  if (typeof value === 'number' || isLossless(value)) {
    const parsed = parseRupiah(value);
    if (parsed) return parsed;
    const number = Number(scalar(value));
    if (Number.isFinite(number) && number >= 0 && number <= Number.MAX_SAFE_INTEGER) return { nilai: Math.round(number), perkiraan: false };
    throw reject('money-unreadable', `${label} ${scalar(value)} is not an amount of money`);
  }
  const text = present(value);
  if (text === undefined) return undefined;
  const parsed = parseRupiah(text);
  if (!parsed || !Number.isSafeInteger(parsed.nilai)) throw reject('money-unreadable', `${label} ${JSON.stringify(text.slice(0, 60))} is not an amount of money`);
  return parsed;
}

// ─── dates ───────────────────────────────────────────────────────────────────────────────────

const MONTHS: Record<string, number> = {
  jan: 1, januari: 1, january: 1,
  feb: 2, peb: 2, februari: 2, pebruari: 2, february: 2,
  mar: 3, maret: 3, march: 3,
  apr: 4, april: 4,
  mei: 5, may: 5,
  jun: 6, juni: 6, june: 6,
  jul: 7, juli: 7, july: 7,
  agu: 8, agt: 8, ags: 8, agus: 8, agustus: 8, aug: 8, august: 8,
  sep: 9, sept: 9, september: 9,
  okt: 10, oktober: 10, oct: 10, october: 10,
  nov: 11, nop: 11, november: 11, nopember: 11,
  des: 12, desember: 12, dec: 12, december: 12,
};

const ZONES: Record<string, number> = { wib: 7 * 60, wita: 8 * 60, wit: 9 * 60, z: 0, utc: 0, gmt: 0 };
const WIB_MINUTES = 7 * 60;

/** The calendar date in WIB of an instant. */
function wibDate(epochMs: number): string {
  return new Date(epochMs + WIB_MINUTES * 60_000).toISOString().slice(0, 10);
}

function offsetOf(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return WIB_MINUTES;
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return named;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return minutes > 14 * 60 ? undefined : match[1] === '-' ? -minutes : minutes;
}

/** A wall-clock time in a zone → the calendar date in WIB; undefined when the parts are impossible. */
function fromParts(year: number, month: number, day: number, time: string | undefined, zone: string | undefined): string | undefined {
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  let minutes = 0;
  if (time !== undefined) {
    const match = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?$/.exec(time);
    if (!match || Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59) return undefined;
    minutes = Number(match[1]) * 60 + Number(match[2]);
  }
  const offset = offsetOf(zone);
  if (offset === undefined) return undefined;
  return wibDate(calendar.getTime() + (minutes - offset) * 60_000);
}

const TIME = String.raw`(\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)`;
const ZONE = String.raw`(?:\s*(Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT|UTC|GMT))?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+${TIME})?${ZONE}$`, 'i');
const DMY = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T,]+${TIME})?${ZONE}$`, 'i');
const NAMED = new RegExp(String.raw`^(?:[A-Za-z']+,?\s+)?(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})(?:,?\s+(?:pukul\s+|jam\s+)?${TIME})?${ZONE}$`, 'i');

/**
 * A date as SPSE writes it → `YYYY-MM-DD`, the calendar date in WIB. Reads `2026-03-02`,
 * `2026-03-02 10:15:00` (WIB), ISO 8601 instants with `Z` or an offset (`2026-03-01T17:00:00Z`
 * is 2 March in WIB), `02-03-2026`, `02/03/2026 10:15`, `2 Maret 2026`, `Senin, 02 Mar 2026
 * 10:15 WIB`, and epoch seconds or milliseconds. undefined when absent; throws on an unreadable
 * or impossible date (31 February is refused, not rolled over).
 */
export function dateOf(value: unknown, label: string): string | undefined {
  const text = present(value);
  if (text === undefined) return undefined;
  let date: string | undefined;
  if (/^\d{9,13}$/.test(text)) {
    const epoch = Number(text) * (text.length >= 12 ? 1 : 1000);
    const year = new Date(epoch).getUTCFullYear();
    date = year >= 1990 && year <= 2100 ? wibDate(epoch) : undefined;
  } else {
    const iso = ISO.exec(text);
    const dmy = iso ? undefined : DMY.exec(text);
    const named = iso || dmy ? undefined : NAMED.exec(text);
    if (iso) date = fromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]), iso[4], iso[5]);
    else if (dmy) date = fromParts(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]), dmy[4], dmy[5]);
    else if (named) {
      const month = MONTHS[named[2]!.toLowerCase()];
      date = month === undefined ? undefined : fromParts(Number(named[3]), month, Number(named[1]), named[4], named[5]);
    }
  }
  if (date === undefined) throw reject('date-invalid', `${label} ${JSON.stringify(text.slice(0, 60))} is not a date SPSE writes, or is impossible`);
  return date;
}

/** A budget year, `2026` or 2026. */
export function yearOf(value: unknown, label: string): number | undefined {
  const text = present(value);
  if (text === undefined) return undefined;
  const match = /^(\d{4})(?:\.0+)?$/.exec(text);
  const year = match ? Number(match[1]) : Number.NaN;
  if (!(year >= 2000 && year <= 2100)) throw reject('year-invalid', `${label} ${JSON.stringify(text.slice(0, 60))} is not a budget year`);
  return year;
}
