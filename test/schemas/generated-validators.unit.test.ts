// The compiled hub validates with the validators the build generates (tools/validators.mjs,
// dist/schemas/validators.js); the sources compile the same schema files with ajv at run time.
// Both must judge every document alike: same verdict, same errors. The generated module is
// written as the build writes it, one folder below the project root, and imported from there.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import * as vocabulary from '../../src/schema-vocabulary.js';
import { canonicalSchema, compileSchema, projectPath } from '../../src/schemas.js';
import { compileStartSchema, startSchemaPart } from '../../src/start-schemas.js';
import { schemaFiles, validatorsSource } from '../../tools/validators.mjs';

let folder: string;
let generated: Record<string, ValidateFunction>;

beforeAll(async () => {
  folder = mkdtempSync(projectPath('.tmp-validators-'));
  const file = join(folder, 'validators.js');
  writeFileSync(file, validatorsSource({ vocabulary, formatsSpecifier: '../src/schema-formats.js' }));
  generated = ((await import(pathToFileURL(file).href)) as { validators: Record<string, ValidateFunction> }).validators;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The validator the sources compile for `ref`, the way the hub asks for it. */
function compiled(ref: string): ValidateFunction {
  const [id, pointer] = ref.split('#');
  if (pointer) {
    compileStartSchema('connector-manifest.schema.json');
    return startSchemaPart(ref)!;
  }
  if (id === 'urn:penghubung:schema:config') return compileStartSchema('config.schema.json');
  if (id === 'urn:penghubung:schema:connector-manifest') return compileStartSchema('connector-manifest.schema.json');
  const canonical = /^urn:penghubung:schema:([a-z0-9-]+):(v[0-9]+)$/.exec(id!);
  if (canonical) return canonicalSchema(`${canonical[1]}.${canonical[2]}`).validate;
  const file = schemaFiles().find((name) => (JSON.parse(readFileSync(projectPath(name), 'utf8')) as { $id?: string }).$id === id)!;
  return compileSchema(file.replace(/^schemas\//, ''));
}

const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const filesUnder = (folderPath: string, ending: string): string[] => readdirSync(folderPath, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith(ending)).map((name) => join(folderPath, name));

/** `value` and the objects and arrays inside it, down to `depth` levels. */
function nested(value: unknown, depth: number): unknown[] {
  if (!value || typeof value !== 'object') return [];
  const inner = depth === 0 ? [] : Object.values(value).flatMap((item) => nested(item, depth - 1));
  return [value, ...inner];
}

/** Documents of every kind the hub validates, valid ones first, then each changed in small ways. */
function corpus(): unknown[] {
  const manifests = filesUnder(projectPath('connectors'), 'manifest.yaml').map((file) => parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>);
  const base: unknown[] = [
    JSON.parse(JSON.stringify(loadConfig({}))),
    ...manifests,
    ...manifests.flatMap((manifest) => Object.values((manifest.operations ?? {}) as Record<string, unknown>)),
    ...((parseYaml(readFileSync(projectPath('config', 'clients.yaml'), 'utf8')) as { clients: unknown[] }).clients),
    ...filesUnder(projectPath('flows'), 'flow.yaml').map((file) => parseYaml(readFileSync(file, 'utf8'))),
    { id: 'sandbox-aplikasi-opd-demo', layanan: 'ekinerja', pemilik: 'aplikasi-bkpsdm', klien: 'aplikasi-opd-demo', operasi: ['*'], status: 'approved', tujuan: 'Memeriksa jabatan pegawai', diminta_pada: '2026-12-07T10:00:00Z', diputuskan_oleh: 'aplikasi-bkpsdm', diputuskan_pada: '2026-12-07T10:05:00Z' },
    { specversion: '1.0', id: 'uji-1', source: '/opd/diskominfo/uji', type: 'uji.dibuat', time: '2026-12-07T10:00:00Z', datacontenttype: 'application/json', data: { pesan: 'halo' } },
    ...schemaFiles().flatMap((file) => ((json(projectPath(file)) as { examples?: unknown[] }).examples ?? [])),
  ];
  // The connectors' fixtures hold canonical entities inside them (a case's input, its expected output).
  const inFixtures = filesUnder(projectPath('connectors'), '.json').filter((file) => file.includes('/fixtures/')).flatMap((file) => nested(json(file), 3));
  const changed: unknown[] = [];
  for (const document of [...base, ...inFixtures.filter((_, index) => index % 100 === 0)]) {
    if (!document || typeof document !== 'object' || Array.isArray(document)) continue;
    for (const key of Object.keys(document)) {
      const { [key]: _dropped, ...without } = document as Record<string, unknown>;
      changed.push(without);
      for (const wrong of [null, 7, 'x', {}]) changed.push({ ...document, [key]: wrong });
    }
    changed.push({ ...document, bukan_bidang: 1 });
  }
  const unique = new Map([...base, ...inFixtures, ...changed, null, 'teks', 3, [], {}].map((document) => [JSON.stringify(document), document]));
  return [...unique.values()];
}

describe('the generated validators', () => {
  it('cover every schema file and each operation kind of the connector manifest', () => {
    const ids = schemaFiles().map((file) => (json(projectPath(file)) as { $id: string }).$id);
    const kinds = ['query', 'inbound', 'outbound', 'view', 'command'].map((kind) => `urn:penghubung:schema:connector-manifest#/$defs/${kind}`);
    expect(Object.keys(generated).sort()).toEqual([...ids, ...kinds].sort());
  });

  it('judge every document as the validators compiled at run time do, errors included', () => {
    const documents = corpus();
    for (const [ref, validate] of Object.entries(generated)) {
      const reference = compiled(ref);
      let valid = 0;
      const differing: string[] = [];
      for (const [index, document] of documents.entries()) {
        const verdict = validate(document);
        const expected = reference(document);
        if (verdict !== expected || JSON.stringify(validate.errors ?? null) !== JSON.stringify(reference.errors ?? null)) differing.push(`document ${index}: ${verdict} ${JSON.stringify(validate.errors)} against ${expected} ${JSON.stringify(reference.errors)}`);
        if (verdict) valid++;
      }
      expect(differing.slice(0, 3), ref).toEqual([]);
      // Every schema met documents it accepts and documents it refuses, so both paths were compared.
      expect(valid, `${ref}: documents accepted`).toBeGreaterThan(0);
      expect(valid, `${ref}: documents refused`).toBeLessThan(documents.length);
    }
  });
});
