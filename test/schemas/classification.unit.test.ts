// Every field of every canonical schema carries x-classification, so the gateway can mask
// what a client is not cleared to see. Personal data (UU 27/2022) is terbatas or higher.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { CLASSIFICATION_KEYWORD, classificationRank, isClassification, type Classification } from '../../src/domain/classification.js';
import { compileSchema, projectPath } from '../../src/schemas.js';

type Schema = Record<string, unknown>;

interface Field {
  /** JSON pointer into the schema file. */
  schemaPath: string;
  /** Where in an instance the field sits: `/alamat/rt`, `/lampiran/[]/url`, `/hasil/*`; undefined under $defs. */
  dataPath: string | undefined;
  classification: unknown;
  /** True where the field is declared (not inside if/then/else/not/anyOf/allOf/oneOf/$defs). */
  declaration: boolean;
  node: Schema;
  children: Field[];
}

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const escape = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every subschema that describes a value inside the instance (a field), wherever it appears. */
function collectFields(root: Schema): Field[] {
  const fields: Field[] = [];
  const resolving = new Set<string>();

  const resolve = (ref: string): Schema => {
    expect(ref, 'only local references').toMatch(/^#\//);
    let node: unknown = root;
    for (const token of ref.slice(2).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))) node = (node as Schema)[token];
    expect(isSchema(node), `reference ${ref} resolves`).toBe(true);
    return node as Schema;
  };

  function field(sub: unknown, schemaPath: string, dataPath: string | undefined, declaration: boolean, parent: Field | undefined): void {
    expect(isSchema(sub), `${schemaPath} is a schema object`).toBe(true);
    const node = sub as Schema;
    const created: Field = { schemaPath, dataPath, classification: node[CLASSIFICATION_KEYWORD], declaration, node, children: [] };
    fields.push(created);
    if (declaration) parent?.children.push(created);
    walk(node, schemaPath, dataPath, declaration, created);
  }

  function walk(node: Schema, schemaPath: string, dataPath: string | undefined, declaration: boolean, owner: Field | undefined): void {
    const at = (suffix: string): string | undefined => (dataPath === undefined ? undefined : `${dataPath}/${suffix}`);
    for (const [name, sub] of Object.entries((node.properties as Schema | undefined) ?? {})) {
      field(sub, `${schemaPath}/properties/${escape(name)}`, at(name), declaration, owner);
    }
    for (const [pattern, sub] of Object.entries((node.patternProperties as Schema | undefined) ?? {})) {
      field(sub, `${schemaPath}/patternProperties/${escape(pattern)}`, at(`{${pattern}}`), declaration, owner);
    }
    for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
      if (isSchema(node[keyword])) field(node[keyword], `${schemaPath}/${keyword}`, at('*'), declaration, owner);
    }
    for (const keyword of ['items', 'contains', 'unevaluatedItems'] as const) {
      if (isSchema(node[keyword])) field(node[keyword], `${schemaPath}/${keyword}`, at('[]'), declaration, owner);
    }
    ((node.prefixItems as unknown[] | undefined) ?? []).forEach((sub, i) => field(sub, `${schemaPath}/prefixItems/${i}`, at(String(i)), declaration, owner));
    // Applicators that stay on the same value: whatever they say about fields must be classified too.
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      ((node[keyword] as unknown[] | undefined) ?? []).forEach((sub, i) => walk(sub as Schema, `${schemaPath}/${keyword}/${i}`, dataPath, false, owner));
    }
    for (const keyword of ['not', 'if', 'then', 'else'] as const) {
      if (isSchema(node[keyword])) walk(node[keyword], `${schemaPath}/${keyword}`, dataPath, false, owner);
    }
    for (const [name, sub] of Object.entries((node.dependentSchemas as Schema | undefined) ?? {})) {
      walk(sub as Schema, `${schemaPath}/dependentSchemas/${escape(name)}`, dataPath, false, owner);
    }
    if (typeof node.$ref === 'string') {
      const key = `${node.$ref} ${dataPath}`;
      if (!resolving.has(key)) {
        resolving.add(key);
        walk(resolve(node.$ref), `${schemaPath}/$ref`, dataPath, false, owner);
        resolving.delete(key);
      }
    }
    for (const [name, sub] of Object.entries((node.$defs as Schema | undefined) ?? {})) {
      walk(sub as Schema, `${schemaPath}/$defs/${escape(name)}`, undefined, false, undefined);
    }
  }

  walk(root, '#', '', true, undefined);
  return fields;
}

const schemaDir = projectPath('schemas');
const canonicalFiles = readdirSync(schemaDir).filter((file) => file.endsWith('.v1.json') && file !== 'cloudevent.v1.json').sort();
const load = (file: string): Schema => JSON.parse(readFileSync(`${schemaDir}/${file}`, 'utf8')) as Schema;
const levelOf = (fields: Field[], dataPath: string): unknown => fields.find((f) => f.declaration && f.dataPath === dataPath)?.classification;

describe('canonical schemas: classification of every field', () => {
  it('finds the canonical schemas', () => {
    expect(canonicalFiles).toEqual(expect.arrayContaining([
      'penduduk.v1.json',
      'pengaduan.v1.json',
      'tindak-lanjut-pengaduan.v1.json',
      'verifikasi-penduduk-permintaan.v1.json',
      'verifikasi-penduduk.v1.json',
    ]));
  });

  describe.each(canonicalFiles)('%s', (file) => {
    const schema = load(file);
    const fields = collectFields(schema);

    it('is a 2020-12 schema with a matching urn and compiles with the shared ajv', () => {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`urn:penghubung:schema:${file.replace(/\.v1\.json$/, '')}:v1`);
      expect(typeof schema.description).toBe('string');
      expect(() => compileSchema(file)).not.toThrow();
    });

    it('classifies every property at every depth, objects and arrays included', () => {
      expect(fields.length).toBeGreaterThan(3);
      const unclassified = fields.filter((f) => !isClassification(f.classification)).map((f) => f.schemaPath);
      expect(unclassified).toEqual([]);
    });

    it('describes every declared field in English', () => {
      const undescribed = fields.filter((f) => f.declaration && typeof f.node.description !== 'string').map((f) => f.schemaPath);
      expect(undescribed).toEqual([]);
    });

    it('gives one classification per field wherever the field is mentioned', () => {
      const byPath = new Map<string, Set<unknown>>();
      for (const f of fields) {
        if (f.dataPath === undefined) continue;
        byPath.set(f.dataPath, (byPath.get(f.dataPath) ?? new Set()).add(f.classification));
      }
      const conflicting = [...byPath].filter(([, levels]) => levels.size > 1).map(([path, levels]) => `${path}: ${[...levels].join(', ')}`);
      expect(conflicting).toEqual([]);
    });

    it('classifies an object or array as the most restricted field inside it', () => {
      const wrong = fields
        .filter((f) => f.declaration && f.children.length > 0)
        .filter((f) => {
          const highest = Math.max(...f.children.map((c) => classificationRank(c.classification as Classification)));
          return classificationRank(f.classification as Classification) !== highest;
        })
        .map((f) => f.schemaPath);
      expect(wrong).toEqual([]);
    });

    it('closes every object it declares, but the rahasia extension object `tambahan` (docs: the per-record contract)', () => {
      const extension = (f: Field): boolean => f.dataPath === '/tambahan' && f.classification === 'rahasia' && f.node.additionalProperties === true;
      const declaredObjects = [schema, ...fields.filter((f) => f.declaration && !extension(f)).map((f) => f.node)].filter((node) => node.type === 'object');
      for (const node of declaredObjects) {
        const closedByNames = isSchema(node.propertyNames) && Array.isArray(node.propertyNames.enum) && isSchema(node.additionalProperties);
        expect(node.additionalProperties === false || closedByNames, JSON.stringify(node).slice(0, 120)).toBe(true);
      }
    });

    it('never marks personal data publik (but in reference data declaring x-personal-data: false)', () => {
      const personal = new Set(['nik', 'no_kk', 'nama', 'nama_lengkap', 'nama_ibu', 'tempat_lahir', 'tanggal_lahir', 'jenis_kelamin', 'golongan_darah', 'agama',
        'status_perkawinan', 'pendidikan_terakhir', 'pekerjaan', 'alamat', 'jalan', 'rt', 'rw', 'kelurahan', 'email', 'telepon', 'pelapor', 'petugas', 'lokasi']);
      const exposed = fields
        .filter((f) => schema['x-personal-data'] !== false && f.dataPath !== undefined && personal.has(f.dataPath.split('/').at(-1) ?? '') && f.classification === 'publik')
        .map((f) => f.dataPath);
      expect(exposed).toEqual([]);
    });
  });
});

describe('penduduk.v1: personal data is terbatas or higher', () => {
  const fields = collectFields(load('penduduk.v1.json')).filter((f) => f.declaration);
  const publik = ['/alamat/kecamatan', '/alamat/kabupaten', '/alamat/provinsi', '/sumber', '/sumber/sistem', '/sumber/diambil_pada'];

  it('is publik only for the address region and the provenance', () => {
    expect(fields.filter((f) => f.classification === 'publik').map((f) => f.dataPath).sort()).toEqual([...publik].sort());
  });

  it.each([
    '/nik', '/no_kk', '/nama_lengkap', '/tempat_lahir', '/tanggal_lahir', '/jenis_kelamin', '/golongan_darah', '/agama', '/status_perkawinan',
    '/pendidikan_terakhir', '/pekerjaan', '/nama_ibu', '/alamat', '/alamat/jalan', '/alamat/rt', '/alamat/rw', '/alamat/kelurahan',
  ])('%s is not publik', (dataPath) => {
    const level = levelOf(fields, dataPath);
    expect(isClassification(level)).toBe(true);
    expect(level).not.toBe('publik');
  });

  it('keeps the mother name and the blood type (health data) rahasia', () => {
    expect(levelOf(fields, '/nama_ibu')).toBe('rahasia');
    expect(levelOf(fields, '/golongan_darah')).toBe('rahasia');
  });
});

describe('other canonical schemas: the classifications the brief sets', () => {
  it('pengaduan: reporter rahasia throughout, location and attachments terbatas, provenance publik', () => {
    const fields = collectFields(load('pengaduan.v1.json')).filter((f) => f.declaration);
    for (const path of ['/pelapor', '/pelapor/nama', '/pelapor/email', '/pelapor/telepon', '/pelapor/nik']) expect(levelOf(fields, path), path).toBe('rahasia');
    for (const path of ['/lokasi', '/lampiran', '/lampiran/[]', '/lampiran/[]/nama', '/lampiran/[]/url', '/isi']) expect(levelOf(fields, path), path).toBe('terbatas');
    for (const path of ['/sumber', '/sumber/sistem', '/sumber/diterima_pada', '/status']) expect(levelOf(fields, path), path).toBe('publik');
  });

  it('tindak-lanjut-pengaduan: text and officer terbatas', () => {
    const fields = collectFields(load('tindak-lanjut-pengaduan.v1.json')).filter((f) => f.declaration);
    for (const path of ['/isi', '/petugas', '/petugas/nama', '/petugas/instansi', '/lampiran', '/lampiran/[]/url']) expect(levelOf(fields, path), path).toBe('terbatas');
  });

  it('verifikasi-penduduk: the elements asked and the results are not publik, the mother name rahasia', () => {
    const request = collectFields(load('verifikasi-penduduk-permintaan.v1.json')).filter((f) => f.declaration);
    expect(levelOf(request, '/nama_ibu')).toBe('rahasia');
    expect(request.filter((f) => f.classification === 'publik').map((f) => f.dataPath)).toEqual(['/ambang']);
    const answer = collectFields(load('verifikasi-penduduk.v1.json')).filter((f) => f.declaration);
    for (const path of ['/nik', '/hasil', '/hasil/*', '/hasil/*/sesuai', '/hasil/*/skor', '/sesuai_semua']) expect(levelOf(answer, path), path).toBe('terbatas');
  });
});
