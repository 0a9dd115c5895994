// Two-digit-year dates (DDMMYY) inside NIK and NO_KK.

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * True when day/month/YY is a real calendar date in 19YY or in 20YY (the identifier does not
 * say which century). So 29 February is valid exactly when YY is a multiple of 4 (2000 is leap).
 */
export function isRealDdmmyy(day: number, month: number, yy: number): boolean {
  if (!Number.isInteger(day) || !Number.isInteger(month) || !Number.isInteger(yy)) return false;
  if (month < 1 || month > 12 || day < 1 || yy < 0 || yy > 99) return false;
  return day <= daysInMonth(1900 + yy, month) || day <= daysInMonth(2000 + yy, month);
}
