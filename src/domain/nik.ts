// NIK (Nomor Induk Kependudukan): 16 digits, PP RR SS DDMMYY NNNN.
import { isRealDdmmyy } from './ddmmyy.js';
import { checkRegionDateSerial } from './nomor-kependudukan.js';

export type JenisKelamin = 'LAKI-LAKI' | 'PEREMPUAN';

export interface NikDescription {
  /** Province code, e.g. `18`. */
  provinsi: string;
  /** Regency or city code, e.g. `18.09`. */
  kabupaten: string;
  /** District (kecamatan) of registration, e.g. `18.09.01`. */
  kecamatan: string;
  /** Birth date as DDMMYY, with the 40 added for women already taken off. */
  tanggal_lahir_ddmmyy: string;
  jenis_kelamin: JenisKelamin;
}

/**
 * Checks a NIK: exactly 16 ASCII digits; a real province code; regency and district not 00;
 * a real birth date DDMMYY where women have 40 added to the day (YY may be 19YY or 20YY);
 * serial 0001-9999. Returns null when valid, else a short reason.
 */
export function checkNik(value: unknown): string | null {
  return checkRegionDateSerial(value, ({ dd, mm, yy, digits }) => {
    const day = dd > 40 ? dd - 40 : dd;
    if (dd === 0 || (dd > 31 && dd < 41) || dd > 71) return `birth day ${digits.slice(0, 2)} is not 01-31 (men) or 41-71 (women)`;
    if (mm < 1 || mm > 12) return `birth month ${digits.slice(2, 4)} is not 01-12`;
    if (!isRealDdmmyy(day, mm, yy)) return `birth date ${String(day).padStart(2, '0')}-${digits.slice(2, 4)}-${digits.slice(4)} does not exist`;
    return null;
  });
}

/** True when `checkNik` finds nothing wrong. */
export const isNik = (value: unknown): value is string => checkNik(value) === null;

/** What a valid NIK tells: region of registration, birth date and sex. Throws on an invalid NIK. */
export function describeNik(nik: string): NikDescription {
  const reason = checkNik(nik);
  if (reason) throw new TypeError(`invalid NIK: ${reason}`);
  const pp = nik.slice(0, 2);
  const rr = nik.slice(2, 4);
  const ss = nik.slice(4, 6);
  const dd = Number(nik.slice(6, 8));
  const perempuan = dd > 40;
  return {
    provinsi: pp,
    kabupaten: `${pp}.${rr}`,
    kecamatan: `${pp}.${rr}.${ss}`,
    tanggal_lahir_ddmmyy: String(perempuan ? dd - 40 : dd).padStart(2, '0') + nik.slice(8, 12),
    jenis_kelamin: perempuan ? 'PEREMPUAN' : 'LAKI-LAKI',
  };
}
