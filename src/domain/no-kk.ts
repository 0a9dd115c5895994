// Nomor Kartu Keluarga (NO_KK): 16 digits, PP RR SS DDMMYY NNNN with the issuance date.
import { isRealDdmmyy } from './ddmmyy.js';
import { checkRegionDateSerial } from './nomor-kependudukan.js';

/**
 * Checks a family card number: exactly 16 ASCII digits; a real province code; regency and
 * district not 00; a real issuance date DDMMYY (no +40; YY may be 19YY or 20YY); serial
 * 0001-9999. Returns null when valid, else a short reason.
 */
export function checkNoKk(value: unknown): string | null {
  return checkRegionDateSerial(value, ({ dd, mm, yy, digits }) => {
    if (mm < 1 || mm > 12) return `issuance month ${digits.slice(2, 4)} is not 01-12`;
    if (!isRealDdmmyy(dd, mm, yy)) return `issuance date ${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4)} does not exist`;
    return null;
  });
}

/** True when `checkNoKk` finds nothing wrong. */
export const isNoKk = (value: unknown): value is string => checkNoKk(value) === null;
