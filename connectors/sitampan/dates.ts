// Dates as SITAMPAN writes them, read by the SDK. The letter date comes as `28-11-2026`,
// `2026-11-28`, `28/11/2026`, `28 November 2026` or `Sabtu, 28 November 2026` (the form printed on
// the letter); disposition times as `2026-11-28 09:15:00` (WIB), `28-11-2026 09:15`, RFC 3339 with
// an offset, or `28 November 2026 09.15 WIB`. Canonical: full-date `2026-11-28` and date-time
// `2026-11-28T09:15:00+07:00` (WIB, the regency's zone).
import { epochMsOf, formatWib, isoDateOf, parseDate, type ParsedDate } from '../../src/connectors/simulator-sdk.js';

function parse(text: string): ParsedDate | undefined {
  const parsed = parseDate(text);
  // A zone after a date without a time means nothing; refuse rather than guess.
  return parsed?.zoneMinutes === undefined ? parsed : undefined;
}

/**
 * A calendar date → `YYYY-MM-DD`, or undefined when unreadable or impossible (31-04-2026).
 * A value with a time of day is an instant: its date in WIB is taken, so `2026-11-27T17:00:00Z`
 * (a WIB midnight written in UTC) is `2026-11-28`.
 */
export function normaliseDate(text: string): string | undefined {
  const parsed = parse(text);
  return parsed && isoDateOf(parsed);
}

/**
 * An instant → `YYYY-MM-DDTHH:mm:ss+07:00`, or undefined when unreadable or impossible. Times
 * without a zone are WIB; a date alone is 00:00 WIB.
 */
export function normaliseDateTime(text: string): string | undefined {
  const parsed = parse(text);
  return parsed && formatWib(epochMsOf(parsed));
}
