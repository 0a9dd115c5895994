// Codes of regional planning and budgeting (Permendagri 90/2019 and its nomenclature updates,
// Kepmendagri 050-5889/2021), as SIPD writes them:
// - sub-kegiatan `U.BB.PP.K.KK.SSSS` (e.g. `1.02.02.2.01.0001`), and the older form with a
//   two-digit tail `U.BB.PP.K.KK.SS` (`1.02.02.2.01.01`);
// - kode rekening by level: akun `5`, kelompok `5.1`, jenis `5.1.02`, objek `5.1.02.01`,
//   rincian objek `5.1.02.01.01`, sub rincian objek `5.1.02.01.01.0001`;
// - SKPD `U.BB.U.BB.U.BB.UU.SSSS` (e.g. `1.02.0.00.0.00.01.0000`): up to three bidang urusan the
//   agency carries, its unit number and its sub-unit (0000 for the agency itself).
// Each check returns null when the code is valid, else a short reason.

const DIGITS = /^[0-9.]*$/;

/** `01`..`99`, `1`..`9`, `0001`..`9999`: a code segment of its width that is not all zeros. */
const nonZero = (segment: string): boolean => /[1-9]/.test(segment);

function segmentsOf(value: unknown, label: string): string[] | string {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return `${label} is empty`;
  if (!DIGITS.test(value)) return 'must contain digits and dots only';
  if (value.startsWith('.') || value.endsWith('.') || value.includes('..')) return 'has an empty segment';
  return value.split('.');
}

function widthError(segments: string[], widths: readonly number[], names: readonly string[]): string | null {
  for (let i = 0; i < widths.length; i++) {
    const segment = segments[i]!;
    if (segment.length !== widths[i]) return `${names[i]} ${JSON.stringify(segment)} must have ${widths[i]} digit${widths[i] === 1 ? '' : 's'}`;
  }
  return null;
}

// ─── sub-kegiatan ────────────────────────────────────────────────────────────────────────────

/** `current`: 4-digit sub-kegiatan number (Kepmendagri 050-5889/2021 on); `legacy`: 2 digits. */
export type SubKegiatanForm = 'current' | 'legacy';

export interface SubKegiatanCode {
  form: SubKegiatanForm;
  /** `1` */
  urusan: string;
  /** `1.02` */
  bidangUrusan: string;
  /** `1.02.02` */
  program: string;
  /** `1.02.02.2.01` */
  kegiatan: string;
  /** The whole code, `1.02.02.2.01.0001`. */
  subKegiatan: string;
}

const SUB_KEGIATAN_NAMES = ['urusan', 'bidang urusan', 'program', 'kegiatan (K)', 'kegiatan (KK)', 'sub-kegiatan'] as const;

/** Checks a sub-kegiatan code in its current (`1.02.02.2.01.0001`) or legacy (`1.02.02.2.01.01`) form. */
export function checkKodeSubKegiatan(value: unknown): string | null {
  const segments = segmentsOf(value, 'the code');
  if (typeof segments === 'string') return segments;
  if (segments.length !== 6) return `must have 6 segments U.BB.PP.K.KK.SSSS, got ${segments.length}`;
  const tail = segments[5]!.length;
  if (tail !== 4 && tail !== 2) return `sub-kegiatan ${JSON.stringify(segments[5])} must have 4 digits (or 2 in the legacy form)`;
  const width = widthError(segments, [1, 2, 2, 1, 2, tail], SUB_KEGIATAN_NAMES);
  if (width) return width;
  const zero = segments.findIndex((segment) => !nonZero(segment));
  if (zero >= 0) return `${SUB_KEGIATAN_NAMES[zero]} ${segments[zero]} is not a valid number (all zeros)`;
  return null;
}

export const isKodeSubKegiatan = (value: unknown): value is string => checkKodeSubKegiatan(value) === null;

/** The hierarchy a valid sub-kegiatan code encodes. Throws on an invalid code. */
export function describeKodeSubKegiatan(kode: string): SubKegiatanCode {
  const reason = checkKodeSubKegiatan(kode);
  if (reason) throw new TypeError(`invalid kode sub-kegiatan ${JSON.stringify(kode)}: ${reason}`);
  const s = kode.split('.');
  return {
    form: s[5]!.length === 4 ? 'current' : 'legacy',
    urusan: s[0]!,
    bidangUrusan: s.slice(0, 2).join('.'),
    program: s.slice(0, 3).join('.'),
    kegiatan: s.slice(0, 5).join('.'),
    subKegiatan: kode,
  };
}

// ─── kode rekening ───────────────────────────────────────────────────────────────────────────

/** The six levels of the chart of accounts (Permendagri 90/2019), from the broadest. */
export const KODE_REKENING_LEVELS = ['akun', 'kelompok', 'jenis', 'objek', 'rincian-objek', 'sub-rincian-objek'] as const;
export type KodeRekeningLevel = (typeof KODE_REKENING_LEVELS)[number];

/** Digits per segment: akun 1, kelompok 1, jenis 2, objek 2, rincian objek 2, sub rincian objek 4. */
const REKENING_WIDTHS = [1, 1, 2, 2, 2, 4] as const;

/** Checks a kode rekening at any of its six levels (`5` … `5.1.02.01.01.0001`). */
export function checkKodeRekening(value: unknown): string | null {
  const segments = segmentsOf(value, 'the code');
  if (typeof segments === 'string') return segments;
  if (segments.length > 6) return `has ${segments.length} segments; a kode rekening has at most 6 (sub rincian objek)`;
  const width = widthError(segments, REKENING_WIDTHS.slice(0, segments.length), KODE_REKENING_LEVELS);
  if (width) return width;
  const zero = segments.findIndex((segment) => !nonZero(segment));
  if (zero >= 0) return `${KODE_REKENING_LEVELS[zero]} ${segments[zero]} is not a valid number (all zeros)`;
  return null;
}

export const isKodeRekening = (value: unknown): value is string => checkKodeRekening(value) === null;

/** The level of a valid kode rekening, or undefined when the code is not valid. */
export function kodeRekeningLevel(value: unknown): KodeRekeningLevel | undefined {
  return checkKodeRekening(value) === null ? KODE_REKENING_LEVELS[(value as string).split('.').length - 1] : undefined;
}

/** A valid kode rekening and its ancestors: `5.1.02` → {akun: '5', kelompok: '5.1', jenis: '5.1.02'}. Throws on an invalid code. */
export function describeKodeRekening(kode: string): { level: KodeRekeningLevel } & Partial<Record<KodeRekeningLevel, string>> {
  const reason = checkKodeRekening(kode);
  if (reason) throw new TypeError(`invalid kode rekening ${JSON.stringify(kode)}: ${reason}`);
  const segments = kode.split('.');
  const described: { level: KodeRekeningLevel } & Partial<Record<KodeRekeningLevel, string>> = { level: KODE_REKENING_LEVELS[segments.length - 1]! };
  segments.forEach((_, i) => (described[KODE_REKENING_LEVELS[i]!] = segments.slice(0, i + 1).join('.')));
  return described;
}

// ─── SKPD ────────────────────────────────────────────────────────────────────────────────────

export interface SkpdCode {
  /** The bidang urusan the agency carries, first the main one: `['2.16', '2.20', '2.21']`. */
  bidangUrusan: string[];
  /** Unit number within the first bidang, `01`. */
  unit: string;
  /** `0000` for the agency itself, else the sub-unit (UPTD, a puskesmas, a school …). */
  subUnit: string;
  isSubUnit: boolean;
}

const SKPD_NAMES = ['urusan 1', 'bidang 1', 'urusan 2', 'bidang 2', 'urusan 3', 'bidang 3', 'unit', 'sub-unit'] as const;

/** Checks an SKPD code `U.BB.U.BB.U.BB.UU.SSSS` such as `1.02.0.00.0.00.01.0000`. */
export function checkKodeSkpd(value: unknown): string | null {
  const segments = segmentsOf(value, 'the code');
  if (typeof segments === 'string') return segments;
  if (segments.length !== 8) return `must have 8 segments U.BB.U.BB.U.BB.UU.SSSS, got ${segments.length}`;
  const width = widthError(segments, [1, 2, 1, 2, 1, 2, 2, 4], SKPD_NAMES);
  if (width) return width;
  const [u1, b1, u2, b2, u3, b3, unit] = segments as [string, string, string, string, string, string, string, string];
  if (!nonZero(u1) || !nonZero(b1)) return `the main bidang urusan ${u1}.${b1} must not be zero`;
  const pair = (u: string, b: string): 'zero' | 'set' | 'half' => (!nonZero(u) && !nonZero(b) ? 'zero' : nonZero(u) && nonZero(b) ? 'set' : 'half');
  const second = pair(u2, b2);
  const third = pair(u3, b3);
  if (second === 'half') return `the second bidang urusan ${u2}.${b2} must be 0.00 or have both parts`;
  if (third === 'half') return `the third bidang urusan ${u3}.${b3} must be 0.00 or have both parts`;
  if (second === 'zero' && third === 'set') return 'a third bidang urusan needs a second one';
  if (!nonZero(unit)) return 'unit 00 is not valid';
  return null;
}

export const isKodeSkpd = (value: unknown): value is string => checkKodeSkpd(value) === null;

/** What a valid SKPD code tells. Throws on an invalid code. */
export function describeKodeSkpd(kode: string): SkpdCode {
  const reason = checkKodeSkpd(kode);
  if (reason) throw new TypeError(`invalid kode SKPD ${JSON.stringify(kode)}: ${reason}`);
  const s = kode.split('.');
  const bidangUrusan = [`${s[0]}.${s[1]}`, `${s[2]}.${s[3]}`, `${s[4]}.${s[5]}`].filter((pair) => pair !== '0.00');
  return { bidangUrusan, unit: s[6]!, subUnit: s[7]!, isSubUnit: s[7] !== '0000' };
}
