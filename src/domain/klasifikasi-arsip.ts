// Kode klasifikasi arsip (archive classification codes) of Permendagri 83/2022 (Kode Klasifikasi
// Arsip di Lingkungan Kementerian Dalam Negeri dan Pemerintah Daerah). A code is a primary class
// of three digits (000, 100, …, 900) followed by up to four dotted sub-levels of 1-2 digits:
// `000`, `000.1`, `000.1.2`, `000.1.2.3`, `000.1.2.3.4`. It opens every nomor naskah dinas
// (`000.1.2.3/123/IV.01/2026`), and archives are filed, kept and disposed of by it.

/** The ten primary classes (kelas primer) of Permendagri 83/2022. */
export const KELAS_ARSIP: ReadonlyMap<string, string> = new Map([
  ['000', 'Umum'],
  ['100', 'Pemerintahan'],
  ['200', 'Politik'],
  ['300', 'Keamanan dan Ketertiban'],
  ['400', 'Kesejahteraan Rakyat'],
  ['500', 'Perekonomian'],
  ['600', 'Pekerjaan Umum dan Ketenagaan'],
  ['700', 'Pengawasan'],
  ['800', 'Kepegawaian'],
  ['900', 'Keuangan'],
]);

/** Sub-levels below the primary class a code may have. */
export const MAX_SUB_LEVELS = 4;
/** The longest valid code: `000.99.99.99.99`. */
export const MAX_LENGTH = 3 + MAX_SUB_LEVELS * 3;

export interface KlasifikasiArsip {
  /** The code as given, e.g. `000.1.2.3`. */
  kode: string;
  /** The primary class, e.g. `000`. */
  kelas: string;
  /** The primary class's name, e.g. `Umum`. */
  nama_kelas: string;
  /** The sub-level numbers below the class, e.g. `[1, 2, 3]`. */
  sub: number[];
  /** 0 for a primary class, 1-4 below it. */
  tingkat: number;
  /** Each ancestor code and the code itself: `000`, `000.1`, `000.1.2`, `000.1.2.3`. */
  jalur: string[];
}

/**
 * Checks an archive classification code: a primary class 000, 100, …, 900, then at most four
 * sub-levels, each a number 1-99 written without leading zeros (so every code has one spelling:
 * `000.1`, never `000.01`). Returns null when valid, else a short reason.
 */
export function checkKlasifikasiArsip(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return 'must not be empty';
  if (value.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  if (!/^[0-9.]+$/.test(value)) return 'must contain digits and dots only';
  const [kelas, ...sub] = value.split('.');
  if (!/^[0-9]{3}$/.test(kelas!)) return `primary class ${JSON.stringify(kelas)} is not three digits`;
  if (!KELAS_ARSIP.has(kelas!)) {
    return `${kelas} is not a primary class of Permendagri 83/2022 (000, 100, …, 900)${kelas!.endsWith('00') ? '' : '; three-digit subclasses such as 005 belong to the superseded Permendagri 78/2012'}`;
  }
  if (sub.length > MAX_SUB_LEVELS) return `has ${sub.length} levels below the class, at most ${MAX_SUB_LEVELS}`;
  for (const [index, segment] of sub.entries()) {
    const level = index + 1;
    if (segment === '') return `level ${level} is empty`;
    if (!/^[0-9]{1,2}$/.test(segment)) return `level ${level} (${segment}) is not 1-2 digits`;
    if (segment.startsWith('0')) return segment === '0' ? `level ${level} is 0; levels start at 1` : `level ${level} (${segment}) has a leading zero`;
  }
  return null;
}

/** True when `checkKlasifikasiArsip` finds nothing wrong. */
export const isKlasifikasiArsip = (value: unknown): value is string => checkKlasifikasiArsip(value) === null;

/** The primary class's name (`000.1.2.3` → `Umum`), or undefined for an invalid code. */
export function namaKelasArsip(value: unknown): string | undefined {
  return isKlasifikasiArsip(value) ? KELAS_ARSIP.get(value.slice(0, 3)) : undefined;
}

/** What a valid code tells: its class, class name, level and ancestors. Throws on an invalid code. */
export function describeKlasifikasiArsip(kode: string): KlasifikasiArsip {
  const reason = checkKlasifikasiArsip(kode);
  if (reason) throw new TypeError(`invalid klasifikasi arsip ${JSON.stringify(kode)}: ${reason}`);
  const [kelas, ...rest] = kode.split('.') as [string, ...string[]];
  const jalur = [kelas, ...rest.map((_, index) => [kelas, ...rest.slice(0, index + 1)].join('.'))];
  return { kode, kelas, nama_kelas: KELAS_ARSIP.get(kelas)!, sub: rest.map(Number), tingkat: rest.length, jalur };
}
