// Reading SIAK's native values: identifiers that arrive as strings or JSON numbers (some above
// 2^53), dates in several formats, coded values spelled several ways, keys in any casing and
// with the misspellings seen in the wild. Pure functions; a value that cannot be read throws
// 'upstream-bad-response' naming the field.
import { LosslessNumber, remembered, UpstreamError } from '../../src/connectors/sdk.js';

export type NativeRecord = Record<string, unknown>;

/**
 * Upper-cases keys (`nama_lgkp`, `Nama_Lgkp` → `NAMA_LGKP`) and joins words with `_`
 * (`NAMA LGKP` → `NAMA_LGKP`). When two keys collide the first one wins.
 */
export function normaliseKeys(value: Record<string, unknown>): NativeRecord {
  // Dukcapil spells its keys this way already: such a record is read as it is, not copied (the mappings only read records).
  let normal = true;
  for (const key in value) {
    if (Object.hasOwn(value, key) && normalName(key) !== key) {
      normal = false;
      break;
    }
  }
  if (normal) return value;
  const out: NativeRecord = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const name = normalName(key);
    if (!(name in out)) out[name] = value[key];
  }
  return out;
}

/** A key's normal form (`nama lgkp` → `NAMA_LGKP`); answers repeat a few dozen keys. */
const normalName = remembered((key: string): string => key.trim().toUpperCase().replace(/[\s-]+/g, '_'), { max: 1024 });

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof LosslessNumber);

/** A value that means "nothing": absent, null, empty, or the dash some deployments write. */
const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && /^\s*-?\s*$/.test(value));

/** The first non-blank value among a field's spellings (keys already normalised by normaliseKeys). */
export function pick(record: NativeRecord, aliases: readonly string[]): unknown {
  for (const alias of aliases) {
    const value = record[alias];
    if (!isBlank(value)) return value;
  }
  return undefined;
}

export const bad = (detail: string): UpstreamError => new UpstreamError('upstream-bad-response', detail);

/** Trimmed text with runs of whitespace collapsed; numbers written with their exact digits. */
export function text(value: unknown, field: string): string {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value instanceof LosslessNumber) return value.toString();
  throw bad(`${field}: expected text, got ${describe(value)}`);
}

/**
 * A 16-digit identifier (NIK, NO_KK) from a string, a safe JSON number, or a LosslessNumber
 * (a number above 2^53 parsed without rounding). A plain number above 2^53 was already rounded
 * by whoever parsed it: its digits cannot be trusted, so it is refused.
 */
export function identifier(value: unknown, field: string): string {
  let digits: string;
  if (value instanceof LosslessNumber) digits = value.toString();
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw bad(`${field}: the number ${value} lost digits before it reached the mapping`);
    digits = String(value);
  } else if (typeof value === 'string') digits = value.replace(/\s+/g, '');
  else throw bad(`${field}: expected 16 digits, got ${describe(value)}`);
  if (!/^[0-9]{16}$/.test(digits)) throw bad(`${field}: expected 16 digits, got "${digits}"`);
  return digits;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function calendarDate(year: number, month: number, day: number, field: string, raw: string): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1800 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw bad(`${field}: "${raw}" is not a real date`);
  }
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

const wibOffsetMs = 7 * 3_600_000;

/**
 * A date as SIAK writes it, to yyyy-mm-dd: `dd-mm-yyyy`, `dd/mm/yyyy`, `dd.mm.yyyy`,
 * `yyyy-mm-dd`, `yyyy/mm/dd`, and date-times `yyyy-mm-ddThh:mm:ss[.fff][Z|±hh:mm]`. A date-time
 * without a zone is read as the local date it names; one with a zone is an instant, read as the
 * date in WIB (UTC+7) — Java services serialise midnight WIB as `…T17:00:00Z` the day before.
 */
export function date(value: unknown, field: string): string {
  if (typeof value !== 'string') throw bad(`${field}: expected a date, got ${describe(value)}`);
  const raw = value.trim();
  let match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(raw);
  if (match) return calendarDate(Number(match[3]), Number(match[2]), Number(match[1]), field, raw);
  match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(raw);
  if (match) return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]), field, raw);
  match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(raw);
  if (match) {
    const local = calendarDate(Number(match[1]), Number(match[2]), Number(match[3]), field, raw);
    if (!match[7]) return local;
    const instant = Date.parse(raw.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(instant)) throw bad(`${field}: "${raw}" is not a real date-time`);
    return new Date(instant + wibOffsetMs).toISOString().slice(0, 10);
  }
  throw bad(`${field}: "${raw}" is in no known date format`);
}

/** yyyy-mm-dd → dd-mm-yyyy (the format CALL_VERIFY_BY_ELEMEN expects); anything else as given. */
export function toDdMmYyyy(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? `${match[3]}-${match[2]}-${match[1]}` : value;
}

const upper = (value: unknown, field: string): string => text(value, field).toUpperCase();

/** `Laki-Laki`, `LAKI-LAKI`, `LAKI LAKI`, `L`, `LK`, `PRIA`, `1` / `Perempuan`, `P`, `PR`, `WANITA`, `2`. */
export function jenisKelamin(value: unknown, field: string): 'LAKI-LAKI' | 'PEREMPUAN' {
  const word = upper(value, field).replace(/\s*-\s*|\s+/g, '-');
  if (['LAKI-LAKI', 'LAKI', 'L', 'LK', 'PRIA', '1'].includes(word)) return 'LAKI-LAKI';
  if (['PEREMPUAN', 'P', 'PR', 'WANITA', '2'].includes(word)) return 'PEREMPUAN';
  throw bad(`${field}: "${text(value, field)}" is not a known sex`);
}

export type StatusPerkawinan = 'BELUM KAWIN' | 'KAWIN' | 'CERAI HIDUP' | 'CERAI MATI';

/**
 * Marital status. SIAK's newer vocabulary distinguishes registered from unregistered marriages
 * and divorces (`KAWIN TERCATAT`, `KAWIN BELUM TERCATAT`, `CERAI TERCATAT`, …); the canonical
 * model keeps the four statuses. Codes 1-4 are SIAK's STAT_KWN codes.
 */
export function statusPerkawinan(value: unknown, field: string): StatusPerkawinan {
  const words = upper(value, field);
  if (/^(BELUM (KAWIN|MENIKAH)|TIDAK KAWIN|1)$/.test(words)) return 'BELUM KAWIN';
  if (/^(CERAI MATI|JANDA MATI|DUDA MATI|4)$/.test(words)) return 'CERAI MATI';
  if (/^(CERAI( HIDUP)?( (BELUM |TIDAK )?TERCATAT)?|3)$/.test(words)) return 'CERAI HIDUP';
  if (/^((KAWIN|MENIKAH)( (BELUM |TIDAK )?TERCATAT)?|2)$/.test(words)) return 'KAWIN';
  throw bad(`${field}: "${words}" is not a known marital status`);
}

const golonganDarahValues = new Set(['A', 'B', 'AB', 'O', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-']);

/** Blood group, `TIDAK TAHU` when SIAK says it is unknown; undefined when it says nothing usable. */
export function golonganDarah(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const words = upper(value, field);
  const compact = words.replace(/\s+/g, '');
  if (golonganDarahValues.has(compact)) return compact;
  if (/^(TIDAK|TDK)\.? ?(TAHU|DIKETAHUI)$/.test(words)) return 'TIDAK TAHU';
  return undefined;
}

/** RT / RW: a number or a string (`3`, `03`, `003`, `RT 003`) → three digits. */
export function rtRw(value: unknown, field: string): string {
  const digits = text(value, field).replace(/^(RT|RW)\.?\s*/i, '');
  if (!/^[0-9]{1,4}$/.test(digits) || Number(digits) > 999) throw bad(`${field}: "${digits}" is not an RT/RW number`);
  return String(Number(digits)).padStart(3, '0');
}

/** Upper case, as SIAK spells coded vocabularies (religion, education, occupation). */
export const coded = upper;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
