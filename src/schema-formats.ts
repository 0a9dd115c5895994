// The formats the hub's schemas may name: ajv-formats' and the canonical model's identifiers. Kept
// apart from the ajv set-up (schema-vocabulary.ts) because the validators the build generates
// import them, and that import must not load ajv's compiler.
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { checkNik } from './domain/nik.js';
import { checkNoKk } from './domain/no-kk.js';
import { checkKodeRekening, checkKodeSkpd, checkKodeSubKegiatan } from './domain/kode-anggaran.js';
import { checkKlasifikasiArsip } from './domain/klasifikasi-arsip.js';

const stringFormat = (check: (value: string) => string | null) => ({ type: 'string' as const, validate: (value: string) => check(value) === null });

/** Identifier formats of the canonical model (src/domain/). */
export const canonicalFormats = {
  nik: stringFormat(checkNik),
  'no-kk': stringFormat(checkNoKk),
  // Kode klasifikasi arsip (Permendagri 83/2022), e.g. `000.1.2.3`: naskah-dinas.v1.
  'klasifikasi-arsip': stringFormat(checkKlasifikasiArsip),
  // Planning and budget codes (Permendagri 90/2019, SIPD): sub-kegiatan.v1, rincian-anggaran.v1.
  'kode-sub-kegiatan': stringFormat(checkKodeSubKegiatan),
  'kode-rekening': stringFormat(checkKodeRekening),
  'kode-skpd': stringFormat(checkKodeSkpd),
};

/** Every format by name: what generated validators look their formats up in (ajv's `code.formats`). */
export const allFormats = { ...fullFormats, ...canonicalFormats };
