// Nomor Kartu Keluarga (NO_KK): 16 digits, PP RR SS DDMMYY NNNN with the issuance date.
import { isRealDdmmyy } from './ddmmyy.js';
import { checkRegionPrefix } from './wilayah.js';

/**
 * Checks a family card number: exactly 16 ASCII digits; a real province code; regency and
 * district not 00; a real issuance date DDMMYY (no +40; YY may be 19YY or 20YY); serial
 * 0001-9999. Returns null when valid, else a short reason.
 */
export function checkNoKk(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (!/^[0-9]*$/.test(value)) return 'must contain digits only';
  if (value.length !== 16) return `must be exactly 16 digits, got ${value.length}`;
  const region = checkRegionPrefix(value);
  if (region) return region;
  const dd = Number(value.slice(6, 8));
  const mm = Number(value.slice(8, 10));
  const yy = Number(value.slice(10, 12));
  if (mm < 1 || mm > 12) return `issuance month ${value.slice(8, 10)} is not 01-12`;
  if (!isRealDdmmyy(dd, mm, yy)) return `issuance date ${value.slice(6, 8)}-${value.slice(8, 10)}-${value.slice(10, 12)} does not exist`;
  if (value.slice(12) === '0000') return 'serial number 0000 is not valid';
  return null;
}

/** True when `checkNoKk` finds nothing wrong. */
export const isNoKk = (value: unknown): value is string => checkNoKk(value) === null;
