// What every ajv instance of the hub knows beyond JSON Schema 2020-12: its options, the formats
// (ajv-formats' and the canonical model's identifiers) and the annotation keywords. One module so
// that the validators the build generates (tools/validators.mjs) are compiled with exactly what
// the hub compiles with, and so that the generated code can import the same format functions.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { CLASSIFICATION_KEYWORD, CLASSIFICATIONS } from './domain/classification.js';
import { checkNik } from './domain/nik.js';
import { checkNoKk } from './domain/no-kk.js';
import { checkKodeRekening, checkKodeSkpd, checkKodeSubKegiatan } from './domain/kode-anggaran.js';
import { checkKlasifikasiArsip } from './domain/klasifikasi-arsip.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

export const ajvOptions = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

const stringFormat = (check: (value: string) => string | null) => ({ type: 'string' as const, validate: (value: string) => check(value) === null });

/** Identifier formats of the canonical model (src/domain/). */
const canonicalFormats = {
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

/** `instance` with the hub's formats and keywords. */
export function addVocabulary<T extends Ajv2020>(instance: T): T {
  addFormats(instance);
  // Annotation only: the gateway masks fields by it; a value outside the enum fails compilation.
  instance.addKeyword({ keyword: CLASSIFICATION_KEYWORD, schemaType: 'string', metaSchema: { enum: [...CLASSIFICATIONS] } });
  // A field that is rahasia (withheld whole below rahasia) when sibling fields hold these values: src/security/masking.ts.
  instance.addKeyword({ keyword: 'x-rahasia-when', schemaType: 'object', metaSchema: { type: 'object', minProperties: 1, additionalProperties: { type: ['boolean', 'string', 'number'] } } });
  // A schema of reference data (codes and names of government programmes) that holds no personal data:
  // its `nama` fields name things, not people (test/schemas/classification.unit.test.ts).
  instance.addKeyword({ keyword: 'x-personal-data', schemaType: 'boolean' });
  for (const [name, format] of Object.entries(canonicalFormats)) instance.addFormat(name, format);
  return instance;
}
