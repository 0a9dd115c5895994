// One ajv instance for every JSON Schema the hub validates against (2020-12 dialect).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ProblemDetail } from './errors/catalogue.js';
import { addVocabulary, ajvOptions } from './schema-vocabulary.js';

const here = fileURLToPath(import.meta.url);

/** The project root: the nearest folder with package.json above this file (src/ or dist/src/). */
const root = (() => {
  let folder = dirname(here);
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
})();

/** A path inside the project, wherever it was started from. */
export const projectPath = (...parts: string[]): string => join(root, ...parts);

export const ajv = addVocabulary(new Ajv2020(ajvOptions));

/** Where the build writes the validators it generates (tools/validators.mjs), by schema $id. */
export const GENERATED_VALIDATORS = join('dist', 'schemas', 'validators.js');

// The compiled hub (dist/) loads the validators the build generated for every schema file
// (schemas/, connectors/<id>/schemas/) instead of compiling them at each start (≈ 20% of a
// start's CPU); the build regenerates them whenever a schema changes, and
// test/schemas/generated-validators.test.ts proves they judge as the compiled ones do. From the
// sources (tsx: `npm run dev`, tests) they are compiled.
const generated: ReadonlyMap<string, ValidateFunction> = here.startsWith(join(root, 'dist') + sep)
  ? new Map(Object.entries(((await import(pathToFileURL(projectPath(GENERATED_VALIDATORS)).href)) as { validators: Record<string, ValidateFunction> }).validators))
  : new Map();

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
  const id = `urn:penghubung:schema:${name.replace('.', ':')}`;
  const validate = schema ? (generated.get(id) ?? ajv.getSchema(id)) : undefined;
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

// From the sources, the configuration and connector manifests (checked a few times per start) are
// compiled by their own ajv, without ajv's code optimisation, which is ≈ 45% of a compile and pays
// back only on a validator run many times (a canonical schema's: 46% slower unoptimised). Both
// schemas are self-contained: no $ref outside themselves, no custom format or keyword.
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
    validate = (schema.$id ? (generated.get(schema.$id) ?? instance.getSchema(schema.$id)) : undefined) ?? instance.compile(schema);
    cache.set(file, validate);
  }
  return validate;
}

/** A part of a schema compiled by compileStartSchema, by `$id#pointer`. */
export function startSchemaPart(ref: string): ValidateFunction | undefined {
  return generated.get(ref) ?? startAjv.getSchema(ref);
}

/** ajv's errors as problem+json details, each pointing below `pointer`. */
export function schemaErrors(pointer: string, errors: ErrorObject[] | null | undefined): ProblemDetail[] {
  return (errors ?? []).slice(0, 20).map((error) => ({
    pointer: `${pointer}${error.instancePath}`,
    message: error.keyword === 'additionalProperties' ? `unexpected attribute ${String(error.params.additionalProperty)}` : (error.message ?? 'is invalid'),
  }));
}
