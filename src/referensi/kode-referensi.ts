// Reads a code an OPD app asks about and puts it in its one current spelling, before the
// reference data is looked up. Three kinds:
// - sub-kegiatan nomenclature (Kepmendagri 050-5889/2021): urusan `1`, bidang urusan `1.02`,
//   program `1.02.02`, kegiatan `1.02.02.2.01`, sub-kegiatan `1.02.02.2.01.0001`; the pre-2022
//   sub-kegiatan number had two digits (`1.02.02.2.01.01`) and is written with four since;
// - kode rekening (Permendagri 90/2019, Kepmendagri 050-3708/2020): akun `5` to sub rincian objek
//   `5.1.02.01.01.0001`; exports often drop the padding (`5.1.2.1.1.24`), which is read back;
// - klasifikasi arsip (Permendagri 83/2022): `000` to `000.1.2.3.4`; sub-levels written with a
//   leading zero (`000.01.02`) are read as `000.1.2`.
// A code that cannot be read is `malformed` with the reason; one that reads but names nothing the
// regulation has (an archive class 050) is `unknown`.
import { checkKodeRekening, checkKodeSubKegiatan, KODE_REKENING_LEVELS } from '../domain/kode-anggaran.js';
import { checkKlasifikasiArsip, KELAS_ARSIP } from '../domain/klasifikasi-arsip.js';

export const JENIS_REFERENSI = ['sub-kegiatan', 'kode-rekening', 'klasifikasi-arsip'] as const;
export type JenisReferensi = (typeof JENIS_REFERENSI)[number];

export interface Jenjang {
  kode: string;
  level: string;
}

export interface KodeTerbaca {
  /** The code as asked. */
  kode: string;
  /** Its current spelling. */
  kode_normal: string;
  level: string;
  /** The levels above it, broadest first (the code itself excluded). */
  induk: Jenjang[];
}

export type Bacaan =
  | { status: 'ok'; kode: KodeTerbaca }
  | { status: 'malformed'; alasan: string }
  | { status: 'unknown'; kode_normal: string; alasan: string };

const MAX_LENGTH = 40;

/** Reads `kode` as a code of `jenis`. */
export function bacaKode(jenis: JenisReferensi, kode: string): Bacaan {
  if (kode.length === 0) return { status: 'malformed', alasan: 'the code is empty' };
  if (kode.length > MAX_LENGTH) return { status: 'malformed', alasan: `the code is longer than ${MAX_LENGTH} characters` };
  if (!/^[0-9.]+$/.test(kode)) return { status: 'malformed', alasan: 'a code holds digits and dots only' };
  if (kode.startsWith('.') || kode.endsWith('.') || kode.includes('..')) return { status: 'malformed', alasan: 'the code has an empty segment' };
  if (jenis === 'sub-kegiatan') return bacaSubKegiatan(kode);
  if (jenis === 'kode-rekening') return bacaRekening(kode);
  return bacaArsip(kode);
}

// ─── nomenclature ────────────────────────────────────────────────────────────────────────────

/** Levels by number of segments; 4 segments (`1.02.02.2`) is half a kegiatan code, no level. */
const NOMENKLATUR_LEVELS: Record<number, { level: string; widths: number[] }> = {
  1: { level: 'urusan', widths: [1] },
  2: { level: 'bidang-urusan', widths: [1, 2] },
  3: { level: 'program', widths: [1, 2, 2] },
  5: { level: 'kegiatan', widths: [1, 2, 2, 1, 2] },
  6: { level: 'sub-kegiatan', widths: [1, 2, 2, 1, 2, 4] },
};
const NOMENKLATUR_NAMES = ['urusan', 'bidang urusan', 'program', 'kegiatan (K)', 'kegiatan (KK)', 'sub-kegiatan'];

function bacaSubKegiatan(kode: string): Bacaan {
  const segments = kode.split('.');
  const shape = NOMENKLATUR_LEVELS[segments.length];
  if (!shape) return { status: 'malformed', alasan: `a nomenclature code has 1, 2, 3, 5 or 6 segments (U.BB.PP.K.KK.SSSS), not ${segments.length}` };
  let normal = segments;
  if (segments.length === 6) {
    const reason = checkKodeSubKegiatan(kode);
    if (reason) return { status: 'malformed', alasan: reason };
    // The pre-2022 two-digit sub-kegiatan number is the same number in four digits since
    // Kepmendagri 050-5889/2021 (2.18.01.2.01.02 → 2.18.01.2.01.0002).
    normal = [...segments.slice(0, 5), segments[5]!.padStart(4, '0')];
  } else {
    for (const [i, segment] of segments.entries()) {
      if (segment.length !== shape.widths[i]) return { status: 'malformed', alasan: `${NOMENKLATUR_NAMES[i]} ${JSON.stringify(segment)} must have ${shape.widths[i]} digit${shape.widths[i] === 1 ? '' : 's'}` };
      if (!/[1-9]/.test(segment)) return { status: 'malformed', alasan: `${NOMENKLATUR_NAMES[i]} ${segment} is not a valid number (all zeros)` };
    }
  }
  const levels = [1, 2, 3, 5, 6].filter((n) => n < normal.length);
  return {
    status: 'ok',
    kode: {
      kode,
      kode_normal: normal.join('.'),
      level: shape.level,
      induk: levels.map((n) => ({ kode: normal.slice(0, n).join('.'), level: NOMENKLATUR_LEVELS[n]!.level })),
    },
  };
}

// ─── kode rekening ───────────────────────────────────────────────────────────────────────────

const REKENING_WIDTHS = [1, 1, 2, 2, 2, 4];

function bacaRekening(kode: string): Bacaan {
  const segments = kode.split('.');
  if (segments.length > REKENING_WIDTHS.length) return { status: 'malformed', alasan: `has ${segments.length} segments; a kode rekening has at most 6 (sub rincian objek)` };
  // Unpadded exports (`5.1.2.1.1.24`) are read back to their widths; a segment too wide is an error.
  const padded = segments.map((segment, i) => (segment.length < REKENING_WIDTHS[i]! ? segment.padStart(REKENING_WIDTHS[i]!, '0') : segment));
  const normal = padded.join('.');
  const reason = checkKodeRekening(normal);
  if (reason) return { status: 'malformed', alasan: reason };
  return {
    status: 'ok',
    kode: {
      kode,
      kode_normal: normal,
      level: KODE_REKENING_LEVELS[padded.length - 1]!,
      induk: padded.slice(0, -1).map((_, i) => ({ kode: padded.slice(0, i + 1).join('.'), level: KODE_REKENING_LEVELS[i]! })),
    },
  };
}

// ─── klasifikasi arsip ───────────────────────────────────────────────────────────────────────

function bacaArsip(kode: string): Bacaan {
  const [kelas, ...sub] = kode.split('.') as [string, ...string[]];
  // `000.01.02` is `000.1.2` written with leading zeros; a level of zero stays an error.
  const normalSub = sub.map((segment) => (/^0+[1-9][0-9]?$/.test(segment) ? segment.replace(/^0+/, '') : segment));
  const normal = [kelas, ...normalSub].join('.');
  const reason = checkKlasifikasiArsip(normal);
  if (reason) {
    // A well-written class that Permendagri 83/2022 does not have (050, or 005 of the superseded
    // Permendagri 78/2012) is unknown rather than malformed.
    if (/^[0-9]{3}$/.test(kelas) && !KELAS_ARSIP.has(kelas) && checkKlasifikasiArsip(['000', ...normalSub].join('.')) === null) {
      return { status: 'unknown', kode_normal: normal, alasan: reason };
    }
    return { status: 'malformed', alasan: reason };
  }
  const parts = normal.split('.');
  return {
    status: 'ok',
    kode: {
      kode,
      kode_normal: normal,
      level: parts.length === 1 ? 'kelas' : `sub-${parts.length - 1}`,
      induk: parts.slice(0, -1).map((_, i) => ({ kode: parts.slice(0, i + 1).join('.'), level: i === 0 ? 'kelas' : `sub-${i}` })),
    },
  };
}
