// Western Indonesian Time (WIB, UTC+7), in which upstream quotas reset at midnight.
const wibOffsetMs = 7 * 3_600_000;

/** The next midnight in Western Indonesian Time (UTC+7) after `now`. */
export function nextMidnightWib(now: Date): Date {
  const wib = new Date(now.getTime() + wibOffsetMs);
  return new Date(Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate() + 1) - wibOffsetMs);
}
