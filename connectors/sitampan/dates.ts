// Dates as SITAMPAN writes them. The letter date comes as `28-11-2026`, `2026-11-28`,
// `28/11/2026`, `28 November 2026` or `Sabtu, 28 November 2026` (the form printed on the letter);
// disposition times as `2026-11-28 09:15:00` (WIB), `28-11-2026 09:15`, RFC 3339 with an offset,
// or `28 November 2026 09.15 WIB`. Canonical: full-date `2026-11-28` and date-time
// `2026-11-28T09:15:00+07:00` (WIB, the regency's zone).

const WIB_OFFSET_MINUTES = 7 * 60;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, peb: 2, mar: 3, apr: 4, mei: 5, may: 5, jun: 6, jul: 7, agu: 8, ags: 8, agt: 8, aug: 8,
  sep: 9, okt: 10, oct: 10, nov: 11, nop: 11, des: 12, dec: 12,
};
const MONTH_NAMES = new Set([
  'januari', 'februari', 'pebruari', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus', 'september', 'oktober', 'november', 'nopember', 'desember',
  'january', 'february', 'march', 'may', 'june', 'july', 'august', 'october', 'december',
]);

/** A month written out or abbreviated (`November`, `Nov`, `Nop.`, `Agustus`, `Ags`) → 1-12. */
function monthOf(word: string): number | undefined {
  const lower = word.toLowerCase();
  const month = MONTHS[lower.slice(0, 3)];
  if (month === undefined) return undefined;
  return lower.length <= 3 || MONTH_NAMES.has(lower) ? month : undefined;
}

/** `WIB`, `WITA`, `WIT`, `Z`, `UTC`, `+07:00`, `+0700` → minutes east of UTC (none: WIB). */
function offsetOf(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return WIB_OFFSET_MINUTES;
  const upper = zone.toUpperCase();
  if (upper === 'WIB') return 7 * 60;
  if (upper === 'WITA') return 8 * 60;
  if (upper === 'WIT') return 9 * 60;
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  // Real offsets lie within ±14:00.
  if (Number(match[3]) > 59 || minutes > 14 * 60) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}

const isRealDate = (year: number, month: number, day: number): boolean => {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
};

const TIME = String.raw`(?:(?:[T\s]+|\s*,\s*)(?:pukul\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT|UTC|GMT)?`;
const ISO_LIKE = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`, 'i');
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})${TIME}$`, 'i');
const MONTH_NAME = new RegExp(String.raw`^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})${TIME}$`, 'i');
/** `Sabtu, ` and other weekday prefixes, as printed on letters. */
const WEEKDAY = /^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?\s*/i;

interface Parsed {
  year: number;
  month: number;
  day: number;
  /** Present when the text carried a time of day. */
  time?: { hour: number; minute: number; second: number; offset: number };
}

function parse(text: string): Parsed | undefined {
  const value = text.trim().replace(WEEKDAY, '').replace(/\s+/g, ' ');
  let match = ISO_LIKE.exec(value);
  let ymd: [number, number, number] | undefined;
  if (match) ymd = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = DAY_FIRST.exec(value))) ymd = [Number(match[3]), Number(match[2]), Number(match[1])];
  else if ((match = MONTH_NAME.exec(value))) {
    const month = monthOf(match[2] ?? '');
    if (month === undefined) return undefined;
    ymd = [Number(match[3]), month, Number(match[1])];
  }
  if (!match || !ymd) return undefined;
  const [year, month, day] = ymd;
  if (!isRealDate(year, month, day)) return undefined;
  if (match[4] === undefined) {
    // A zone after a date without a time means nothing; refuse rather than guess.
    return match[7] === undefined ? { year, month, day } : undefined;
  }
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6] ?? 0);
  const offset = offsetOf(match[7]);
  if (offset === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, time: { hour, minute, second, offset } };
}

/** Epoch milliseconds of a parsed value with a time. */
function epochOf(parsed: Parsed & { time: NonNullable<Parsed['time']> }): number {
  const { year, month, day, time } = parsed;
  return Date.UTC(year, month - 1, day, time.hour, time.minute, time.second) - time.offset * 60_000;
}

/** Epoch milliseconds → `YYYY-MM-DDTHH:mm:ss+07:00`. */
export function formatWib(epochMs: number): string {
  const wib = new Date(epochMs + WIB_OFFSET_MINUTES * 60_000);
  return `${wib.getUTCFullYear()}-${pad(wib.getUTCMonth() + 1)}-${pad(wib.getUTCDate())}T${pad(wib.getUTCHours())}:${pad(wib.getUTCMinutes())}:${pad(wib.getUTCSeconds())}+07:00`;
}

/**
 * A calendar date → `YYYY-MM-DD`, or undefined when unreadable or impossible (31-04-2026).
 * A value with a time of day is an instant: its date in WIB is taken, so `2026-11-27T17:00:00Z`
 * (a WIB midnight written in UTC) is `2026-11-28`.
 */
export function normaliseDate(text: string): string | undefined {
  const parsed = parse(text);
  if (!parsed) return undefined;
  if (parsed.time) return formatWib(epochOf({ ...parsed, time: parsed.time })).slice(0, 10);
  return `${pad(parsed.year, 4)}-${pad(parsed.month)}-${pad(parsed.day)}`;
}

/**
 * An instant → `YYYY-MM-DDTHH:mm:ss+07:00`, or undefined when unreadable or impossible. Times
 * without a zone are WIB; a date alone is 00:00 WIB.
 */
export function normaliseDateTime(text: string): string | undefined {
  const parsed = parse(text);
  if (!parsed) return undefined;
  const time = parsed.time ?? { hour: 0, minute: 0, second: 0, offset: WIB_OFFSET_MINUTES };
  return formatWib(epochOf({ ...parsed, time }));
}
