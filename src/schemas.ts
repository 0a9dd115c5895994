// One ajv instance for every JSON Schema the hub validates against (2020-12 dialect).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A path inside the project, wherever it was started from. */
export const projectPath = (...parts: string[]): string => join(root, ...parts);

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

export const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);

const compiled = new Map<string, ValidateFunction>();

/** Compiles a schema file under schemas/ once and reuses it. */
export function compileSchema(file: string): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as object);
    compiled.set(file, validate);
  }
  return validate;
}
