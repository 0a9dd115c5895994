// The module the build generates (tools/validators.mjs → dist/schemas/validators.js), loaded by the
// compiled hub (dist/) only; from the sources (tsx: `npm run dev`, tests) there is none and the
// schemas are compiled. generated-validators.ts decides when one of its validators may be used.
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { projectPath } from './project-path.js';

export interface BuiltValidators {
  /** By $id (or `$id#/$defs/<name>`, `openapi-3.0`, `openapi-3.1`). */
  validators: Record<string, ValidateFunction>;
  /** By the same keys: the SHA-256 of the text of each schema file the validator was generated from, by $id. */
  sources: Record<string, Record<string, string>>;
}

/** Where the build writes them, relative to the project root. */
const GENERATED_VALIDATORS = ['dist', 'schemas', 'validators.js'] as const;

const compiledHub = fileURLToPath(import.meta.url).startsWith(projectPath('dist') + sep);

export const builtValidators: BuiltValidators | undefined = compiledHub ? ((await import(pathToFileURL(projectPath(...GENERATED_VALIDATORS)).href)) as BuiltValidators) : undefined;
