// The compiled hub validates with the validators the build generates (tools/validators.mjs,
// dist/schemas/validators.js); the sources compile the same schema files with ajv at run time.
// Both must judge every document alike: same verdict, same errors; and the OpenAPI schemas'
// validators (src/services/openapi-schema.ts) as swagger-parser's own check does. The generated
// module is written as the build writes it, one folder below the project root, and imported.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import * as vocabulary from '../../src/schema-vocabulary.js';
import * as openApi from '../../src/services/openapi-json-schemas.js';
import { assertOpenApiSchema, formatErrors } from '../../src/services/openapi-schema.js';
import { ekinerjaServiceInput } from '../../src/services/sandbox/ekinerja-service.js';
import { canonicalSchema, compileSchema, projectPath } from '../../src/schemas.js';
import { compileStartSchema, startSchemaPart } from '../../src/start-schemas.js';
import { schemaFiles, validatorsSource } from '../../tools/validators.mjs';

let folder: string;
let generated: Record<string, ValidateFunction>;

beforeAll(async () => {
  folder = mkdtempSync(projectPath('.tmp-validators-'));
  const file = join(folder, 'validators.js');
  writeFileSync(file, validatorsSource({ vocabulary, openApi, formatsSpecifier: '../src/schema-formats.js' }));
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
    expect(Object.keys(generated).sort()).toEqual([...ids, ...kinds, 'openapi-3.0', 'openapi-3.1'].sort());
  });

  it('judge every document as the validators compiled at run time do, errors included', () => {
    const documents = corpus();
    for (const [ref, validate] of Object.entries(generated).filter(([key]) => !key.startsWith('openapi-'))) {
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

// swagger-parser's own check, which compiles the OpenAPI schema anew at each call.
const swaggerParserSchemaCheck = createRequire(import.meta.url)('@apidevtools/swagger-parser/lib/validators/schema.js') as (api: unknown) => void;

/** The error message of `check(api)`, or null when it passes. */
function messageOf(check: (api: unknown) => void, api: unknown): string | null {
  try {
    check(api);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** OpenAPI documents: the sandbox's example in both lines, and each changed in small ways. */
function openApiDocuments(): Record<string, unknown>[] {
  const example = ekinerjaServiceInput('http://127.0.0.1:1').openapi as Record<string, unknown>;
  const documents: Record<string, unknown>[] = [example, { ...example, openapi: '3.0.3' }, { openapi: '3.1.0', info: { title: 'a', version: '1' }, paths: {} }, { openapi: '3.0.3', info: { title: 'a', version: '1' }, paths: {} }];
  const changes = (value: unknown, depth: number): ((copy: unknown) => unknown)[] => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || depth === 0) return [];
    // The version stays: operationsFromOpenApi refuses any other before this check.
    return Object.keys(value).filter((key) => key !== 'openapi').flatMap((key) => [
      (copy: unknown) => { delete (copy as Record<string, unknown>)[key]; return copy; },
      ...[null, 7, 'x', {}].map((wrong) => (copy: unknown) => { (copy as Record<string, unknown>)[key] = wrong; return copy; }),
      ...changes((value as Record<string, unknown>)[key], depth - 1).map((change) => (copy: unknown) => { change((copy as Record<string, unknown>)[key]); return copy; }),
    ]);
  };
  // swagger-parser compiles its schema at every check (≈ 0.1 s): a sample of the changes.
  for (const base of documents.slice(0, 2)) for (const [index, change] of changes(base, 4).entries()) if (index % 12 === 0) documents.push(change(structuredClone(base)) as Record<string, unknown>);
  return documents;
}

describe('the OpenAPI schema check', () => {
  it('judges every document as swagger-parser does, generated and compiled, message included', { timeout: 120_000 }, () => {
    const documents = openApiDocuments();
    const differing: string[] = [];
    let refused = 0;
    for (const [index, document] of documents.entries()) {
      const expected = messageOf(swaggerParserSchemaCheck, document);
      const line = String(document.openapi).startsWith('3.1') ? '3.1' : '3.0';
      const fromBuild = messageOf((api) => {
        const validate = generated[`openapi-${line}`]!;
        if (!validate(api)) throw new SyntaxError(`Swagger schema validation failed.\n${formatErrors(validate.errors ?? [])}`);
      }, document);
      const fromSources = messageOf((api) => assertOpenApiSchema(api as { openapi: string }), document);
      if (fromBuild !== expected || fromSources !== expected) differing.push(`document ${index}: ${expected} / generated ${fromBuild} / compiled ${fromSources}`);
      if (expected) refused++;
    }
    expect(differing.slice(0, 3)).toEqual([]);
    expect(refused).toBeGreaterThan(documents.length / 4);
    expect(refused).toBeLessThan(documents.length);
  });
});
