// One ajv instance for every JSON Schema the hub validates against (2020-12 dialect).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ProblemDetail } from './errors/catalogue.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { CLASSIFICATION_KEYWORD, CLASSIFICATIONS } from './domain/classification.js';
import { checkNik } from './domain/nik.js';
import { checkNoKk } from './domain/no-kk.js';
import { checkKodeRekening, checkKodeSkpd, checkKodeSubKegiatan } from './domain/kode-anggaran.js';
import { checkKlasifikasiArsip } from './domain/klasifikasi-arsip.js';

/** The project root: the nearest folder with package.json above this file (src/ or dist/src/). */
const root = (() => {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
})();

/** A path inside the project, wherever it was started from. */
export const projectPath = (...parts: string[]): string => join(root, ...parts);

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

const ajvOptions = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

export const ajv = new Ajv2020(ajvOptions);
addFormats(ajv);

// Annotation only: the gateway masks fields by it; a value outside the enum fails compilation.
ajv.addKeyword({ keyword: CLASSIFICATION_KEYWORD, schemaType: 'string', metaSchema: { enum: [...CLASSIFICATIONS] } });
// A field that is rahasia (withheld whole below rahasia) when sibling fields hold these values: src/security/masking.ts.
ajv.addKeyword({ keyword: 'x-rahasia-when', schemaType: 'object', metaSchema: { type: 'object', minProperties: 1, additionalProperties: { type: ['boolean', 'string', 'number'] } } });
// A schema of reference data (codes and names of government programmes) that holds no personal data:
// its `nama` fields name things, not people (test/schemas/classification.unit.test.ts).
ajv.addKeyword({ keyword: 'x-personal-data', schemaType: 'boolean' });
// Identifier formats of the canonical model (src/domain/).
ajv.addFormat('nik', { type: 'string', validate: (value: string) => checkNik(value) === null });
ajv.addFormat('no-kk', { type: 'string', validate: (value: string) => checkNoKk(value) === null });
// Kode klasifikasi arsip (Permendagri 83/2022), e.g. `000.1.2.3`: naskah-dinas.v1.
ajv.addFormat('klasifikasi-arsip', { type: 'string', validate: (value: string) => checkKlasifikasiArsip(value) === null });
// Planning and budget codes (Permendagri 90/2019, SIPD): sub-kegiatan.v1, rincian-anggaran.v1.
ajv.addFormat('kode-sub-kegiatan', { type: 'string', validate: (value: string) => checkKodeSubKegiatan(value) === null });
ajv.addFormat('kode-rekening', { type: 'string', validate: (value: string) => checkKodeRekening(value) === null });
ajv.addFormat('kode-skpd', { type: 'string', validate: (value: string) => checkKodeSkpd(value) === null });

const compiled = new Map<string, ValidateFunction>();
const canonical = new Map<string, object>();
const registeredDirectories = new Set<string>();

/**
 * Adds every schema with an $id in `directory` to ajv, so schemas (and manifests' inline input
 * schemas) can $ref each other by id. schemas/ holds the shared canonical model; a connector
 * may bring entities only it produces in connectors/<id>/schemas/.
 */
export function registerSchemaDirectory(directory: string): void {
  if (registeredDirectories.has(directory) || !existsSync(directory)) return;
  registeredDirectories.add(directory);
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(directory, file), 'utf8')) as { $id?: string };
    if (!schema.$id || ajv.getSchema(schema.$id)) continue;
    ajv.addSchema(schema);
    const name = canonicalName(schema.$id);
    if (name) canonical.set(name, schema);
  }
}

/** schemas/ and every connectors/<id>/schemas/. */
export function registerSchemas(): void {
  registerSchemaDirectory(join(root, 'schemas'));
  const connectors = join(root, 'connectors');
  if (!existsSync(connectors)) return;
  for (const entry of readdirSync(connectors, { withFileTypes: true })) {
    if (entry.isDirectory()) registerSchemaDirectory(join(connectors, entry.name, 'schemas'));
  }
}

/** `urn:penghubung:schema:penduduk:v1` → `penduduk.v1` */
function canonicalName(id: string): string | undefined {
  const match = /^urn:penghubung:schema:([a-z0-9-]+):(v[0-9]+)$/.exec(id);
  return match ? `${match[1]}.${match[2]}` : undefined;
}

const resolvedCanonical = new Map<string, { schema: object; validate: ValidateFunction }>();

/** A canonical schema by name (e.g. `penduduk.v1`): its document and its validator. */
export function canonicalSchema(name: string): { schema: object; validate: ValidateFunction } {
  // On the hot path (every query answer and inbound entity is validated and masked by it): once
  // found, a schema is served from memory. Registered schemas are never removed or replaced, so
  // only a miss needs registerSchemas() to look in the folders again (it lists connectors/).
  const known = resolvedCanonical.get(name);
  if (known) return known;
  registerSchemas();
  const schema = canonical.get(name);
  const validate = schema ? ajv.getSchema(`urn:penghubung:schema:${name.replace('.', ':')}`) : undefined;
  if (!schema || !validate) throw new Error(`no canonical schema ${name} (schemas/${name}.json or connectors/<id>/schemas/${name}.json)`);
  const found = { schema, validate };
  resolvedCanonical.set(name, found);
  return found;
}

/** The validator of a schema file under schemas/, compiled once. */
export function compileSchema(file: string): ValidateFunction {
  registerSchemas();
  return compileOnce(ajv, compiled, file);
}

// The configuration and connector manifests are checked a few times per start: their own ajv,
// without ajv's code optimisation, which is ≈ 45% of a compile and pays back only on a validator
// run many times (a canonical schema's: 46% slower unoptimised). Both schemas are self-contained:
// no $ref outside themselves, no custom format or keyword.
const startAjv = new Ajv2020({ ...ajvOptions, code: { optimize: false } });
const startCompiled = new Map<string, ValidateFunction>();

/** The validator of a schemas/ file read at start only (config, manifests), compiled once. */
export function compileStartSchema(file: string): ValidateFunction {
  return compileOnce(startAjv, startCompiled, file);
}

/** A schemas/ file's validator from `instance`: the one registered under its $id, else compiled; kept in `cache`. */
function compileOnce(instance: Ajv2020, cache: Map<string, ValidateFunction>, file: string): ValidateFunction {
  let validate = cache.get(file);
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as { $id?: string };
    validate = (schema.$id ? instance.getSchema(schema.$id) : undefined) ?? instance.compile(schema);
    cache.set(file, validate);
  }
  return validate;
}

/** A part of a schema compiled by compileStartSchema, by `$id#pointer`. */
export function startSchemaPart(ref: string): ValidateFunction | undefined {
  return startAjv.getSchema(ref);
}

/** ajv's errors as problem+json details, each pointing below `pointer`. */
export function schemaErrors(pointer: string, errors: ErrorObject[] | null | undefined): ProblemDetail[] {
  return (errors ?? []).slice(0, 20).map((error) => ({
    pointer: `${pointer}${error.instancePath}`,
    message: error.keyword === 'additionalProperties' ? `unexpected attribute ${String(error.params.additionalProperty)}` : (error.message ?? 'is invalid'),
  }));
}
