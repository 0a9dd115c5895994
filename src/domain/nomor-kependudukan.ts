// NIK and NO_KK share one layout: 16 digits, PP RR SS (region) DDMMYY (a date) NNNN (serial).
import { checkRegionPrefix } from './wilayah.js';

/** The DDMMYY of a number as numbers, and as its six digits for messages. */
export interface Ddmmyy {
  dd: number;
  mm: number;
  yy: number;
  digits: string;
}

/**
 * Checks the shared layout: exactly 16 ASCII digits, a real region prefix (regency and district
 * not 00), serial 0001-9999; `checkDate` judges the DDMMYY its own way. Returns null when valid,
 * else a short reason.
 */
export function checkRegionDateSerial(value: unknown, checkDate: (date: Ddmmyy) => string | null): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (!/^[0-9]*$/.test(value)) return 'must contain digits only';
  if (value.length !== 16) return `must be exactly 16 digits, got ${value.length}`;
  const region = checkRegionPrefix(value);
  if (region) return region;
  const digits = value.slice(6, 12);
  const date = checkDate({ dd: Number(digits.slice(0, 2)), mm: Number(digits.slice(2, 4)), yy: Number(digits.slice(4)), digits });
  if (date) return date;
  if (value.slice(12) === '0000') return 'serial number 0000 is not valid';
  return null;
}
