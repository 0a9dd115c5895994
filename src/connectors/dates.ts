// Dates and times as Indonesian upstreams write them, to canonical ISO strings. Read:
// `2026-03-02`, `2026/03/02`, `2026-03-02 10:15:00`, ISO 8601 instants (`…T17:00:00Z`,
// `+07:00`, `+0700`), `02-03-2026`, `02/03/2026 10.15`, `2 Maret 2026`, `12 Januari 2026 09.15
// WIB`, `Senin, 02 Mar 2026 pukul 10:15 WITA`, `02-Mar-2026`, and epoch seconds or milliseconds
// (numbers or digit strings). A time without a zone is WIB (UTC+7), the zone of most regencies;
// WIB, WITA and WIT are read as +07, +08 and +09. Impossible dates (31 February) are refused,
// never rolled over.
import { RecordRejected } from './record-rejected.js';
import { isLossless, present, scalar } from './fields.js';

const WIB = 7 * 60;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

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

/** `WIB`, `WITA`, `WIT`, `Z`, `UTC`, `GMT`, `+07:00`, `+0700` → minutes east of UTC; none: WIB. */
function offsetOf(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return WIB;
  const named = { wib: 7 * 60, wita: 8 * 60, wit: 9 * 60, z: 0, utc: 0, gmt: 0 }[zone.toLowerCase()];
  if (named !== undefined) return named;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match || Number(match[3]) > 59) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}

/** A date read from text: its calendar day, and the instant when it carried a time (or was an epoch). */
export interface ParsedDate {
  year: number;
  month: number;
  day: number;
  /** Epoch milliseconds, when the value named a time of day. */
  epochMs?: number;
  /**
   * A zone written after a date without a time (`2026-11-27 WITA`), in minutes east of UTC.
   * dateOf and dateTimeOf ignore it; a connector may honour it, or refuse such a date.
   */
  zoneMinutes?: number;
}

const TIME = String.raw`(?:(?:[T\s]+|\s*,\s*)(?:pukul\s+|jam\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT|UTC|GMT)?`;
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})${TIME}$`, 'i');
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})${TIME}$`, 'i');
const NAMED_MONTH = new RegExp(String.raw`^(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})${TIME}$`, 'i');
const WEEKDAY = /^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s*,\s*|\s+|(?=\d))/i;

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1800 || year > 2999) return false;
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

function fromEpoch(n: number): ParsedDate | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Seconds until the year 5138; beyond that the number can only be milliseconds.
  const epochMs = n < 1e11 ? n * 1000 : n;
  const wib = new Date(epochMs + WIB * 60_000);
  return { year: wib.getUTCFullYear(), month: wib.getUTCMonth() + 1, day: wib.getUTCDate(), epochMs };
}

export interface ParseDateOptions {
  /** Read a month word by its first three letters too (`Novembre`, `Febuari`), for upstreams whose users type months freely. */
  monthByPrefix?: boolean;
}

/** The text or number → its date (and instant), or undefined when it is no readable, real date. */
export function parseDate(value: unknown, options: ParseDateOptions = {}): ParsedDate | undefined {
  if (typeof value === 'number' || isLossless(value)) return fromEpoch(Number(scalar(value)));
  const text = present(value)?.replace(WEEKDAY, '');
  if (text === undefined) return undefined;
  if (/^\d{9,13}$/.test(text)) return fromEpoch(Number(text));
  let match = YEAR_FIRST.exec(text);
  let ymd: [number, number, number] | undefined;
  if (match) ymd = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = DAY_FIRST.exec(text))) ymd = [Number(match[3]), Number(match[2]), Number(match[1])];
  else if ((match = NAMED_MONTH.exec(text))) {
    const word = match[2]!.toLowerCase();
    const month = MONTHS[word] ?? (options.monthByPrefix ? MONTHS[word.slice(0, 3)] : undefined);
    if (month !== undefined) ymd = [Number(match[3]), month, Number(match[1])];
  }
  if (!match || !ymd || !isRealDate(...ymd)) return undefined;
  const [year, month, day] = ymd;
  const zone = match[8];
  if (match[4] === undefined) {
    if (zone === undefined) return { year, month, day };
    const zoneMinutes = offsetOf(zone);
    return zoneMinutes === undefined ? undefined : { year, month, day, zoneMinutes };
  }
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  const milliseconds = Math.floor(Number(`0.${match[7] ?? '0'}`) * 1000);
  const offset = offsetOf(zone);
  if (offset === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds) - offset * 60_000;
  return { year, month, day, epochMs };
}

/** Epoch milliseconds → `YYYY-MM-DDTHH:mm:ss+07:00`. */
export function formatWib(epochMs: number): string {
  const wib = new Date(epochMs + WIB * 60_000);
  return `${pad(wib.getUTCFullYear(), 4)}-${pad(wib.getUTCMonth() + 1)}-${pad(wib.getUTCDate())}T${pad(wib.getUTCHours())}:${pad(wib.getUTCMinutes())}:${pad(wib.getUTCSeconds())}+07:00`;
}

/** A parsed date → `YYYY-MM-DD`: its calendar day, or for an instant its date in WIB. */
export function isoDateOf(parsed: ParsedDate): string {
  if (parsed.epochMs !== undefined) return formatWib(parsed.epochMs).slice(0, 10);
  return `${pad(parsed.year, 4)}-${pad(parsed.month)}-${pad(parsed.day)}`;
}

/** A parsed date → epoch milliseconds: its instant, or for a date alone 00:00 WIB. */
export function epochMsOf(parsed: ParsedDate): number {
  return parsed.epochMs ?? Date.UTC(parsed.year, parsed.month - 1, parsed.day) - WIB * 60_000;
}

function unreadable(field: string): RecordRejected {
  return new RecordRejected('date-invalid', `${field} is not a readable date, or is impossible`);
}

/**
 * A calendar date → `YYYY-MM-DD`. A value with a time of day is an instant, and its date in WIB
 * is taken (`2026-11-27T17:00:00Z` is 28 November). undefined when absent (or a placeholder);
 * throws RecordRejected `date-invalid` when unreadable or impossible.
 */
export function dateOf(value: unknown, field: string): string | undefined {
  if (present(value) === undefined && typeof value !== 'number' && !isLossless(value)) return undefined;
  const parsed = parseDate(value);
  if (!parsed) throw unreadable(field);
  return isoDateOf(parsed);
}

/**
 * An instant → `YYYY-MM-DDTHH:mm:ss+07:00` (WIB), or with `{utc: true}` the UTC form
 * `YYYY-MM-DDTHH:mm:ss.sssZ`. A date alone is 00:00 WIB. undefined when absent; throws
 * RecordRejected `date-invalid` when unreadable or impossible.
 */
export function dateTimeOf(value: unknown, field: string, options: { utc?: boolean } = {}): string | undefined {
  if (present(value) === undefined && typeof value !== 'number' && !isLossless(value)) return undefined;
  const parsed = parseDate(value);
  if (!parsed) throw unreadable(field);
  const epochMs = epochMsOf(parsed);
  return options.utc ? new Date(epochMs).toISOString() : formatWib(epochMs);
}
