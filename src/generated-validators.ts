// The validators the build generates (tools/validators.mjs → dist/schemas/validators.js) for every
// schema file (schemas/, connectors/<id>/schemas/), by $id. The compiled hub (dist/) loads them
// instead of compiling its schemas at each start (≈ 20% of a start's CPU); the build regenerates
// them whenever a schema changes, and test/schemas/generated-validators.unit.test.ts proves they
// judge as the compiled ones do. From the sources (tsx: `npm run dev`, tests) there are none and
// the schemas are compiled.
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { projectPath } from './project-path.js';

/** Where the build writes them, relative to the project root. */
export const GENERATED_VALIDATORS = ['dist', 'schemas', 'validators.js'] as const;

const compiledHub = fileURLToPath(import.meta.url).startsWith(projectPath('dist') + sep);
const generated: ReadonlyMap<string, ValidateFunction> = compiledHub
  ? new Map(Object.entries(((await import(pathToFileURL(projectPath(...GENERATED_VALIDATORS)).href)) as { validators: Record<string, ValidateFunction> }).validators))
  : new Map();

/** The generated validator of a schema's $id (or `$id#/$defs/<name>`), in the compiled hub. */
export function generatedValidator(ref: string): ValidateFunction | undefined {
  return generated.get(ref);
}
