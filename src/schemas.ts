// One ajv instance for every JSON Schema the hub validates against (2020-12 dialect).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ProblemDetail } from './errors/catalogue.js';
import { generatedValidator } from './generated-validators.js';
import { projectRoot as root } from './project-path.js';
import { sha256Hex } from './security/sha256.js';
import { addVocabulary, ajvOptions } from './schema-vocabulary.js';

export { projectPath } from './project-path.js';

export const ajv = addVocabulary(new Ajv2020(ajvOptions));

const compiled = new Map<string, ValidateFunction>();
const canonical = new Map<string, object>();
/** The digest of the text registered under each $id (the first registered wins). */
const registeredDigests = new Map<string, string>();
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
    const text = readFileSync(join(directory, file), 'utf8');
    const schema = JSON.parse(text) as { $id?: string };
    if (!schema.$id || ajv.getSchema(schema.$id)) continue;
    ajv.addSchema(schema);
    registeredDigests.set(schema.$id, sha256Hex(text));
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

/** The validator of a registered $id: the build's when generated from the registered text, else ajv's. */
function registeredValidator(id: string): ValidateFunction | undefined {
  return generatedValidator(id, (source) => registeredDigests.get(source)) ?? ajv.getSchema(id);
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
  const validate = schema ? registeredValidator(id) : undefined;
  if (!schema || !validate) throw new Error(`no canonical schema ${name} (schemas/${name}.json or connectors/<id>/schemas/${name}.json)`);
  const found = { schema, validate };
  resolvedCanonical.set(name, found);
  return found;
}

/** The validator of a schema file under schemas/: generated, else compiled once. */
export function compileSchema(file: string): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    registerSchemas();
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as { $id?: string };
    validate = (schema.$id ? registeredValidator(schema.$id) : undefined) ?? ajv.compile(schema);
    compiled.set(file, validate);
  }
  return validate;
}

/** ajv's errors as problem+json details, each pointing below `pointer`. */
export function schemaErrors(pointer: string, errors: ErrorObject[] | null | undefined): ProblemDetail[] {
  return (errors ?? []).slice(0, 20).map((error) => ({
    pointer: `${pointer}${error.instancePath}`,
    message: error.keyword === 'additionalProperties' ? `unexpected attribute ${String(error.params.additionalProperty)}` : (error.message ?? 'is invalid'),
  }));
}
