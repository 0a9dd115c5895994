// The schemas read at start only: the configuration and the connector manifests, each checked a
// few times per start. The compiled hub has their generated validators (generated-validators.ts,
// used while the files are those the build read) and loads no ajv for them, so `npm start` forks the sandbox's simulators before ajv's compiler is
// loaded. From the sources they are compiled by an ajv of their own, without ajv's code
// optimisation, which is ≈ 45% of a compile and pays back only on a validator run many times.
// Both schemas are self-contained: no $ref outside themselves, no custom format or keyword.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { generatedValidator } from './generated-validators.js';
import { projectPath } from './project-path.js';
import { sha256Hex } from './security/sha256.js';
import { ajvOptions } from './schema-vocabulary.js';

let startAjv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();
/** The digest of each compiled file's text, by $id: the build's validators are used only for the same text. */
const digests = new Map<string, string>();
const digestOf = (id: string): string | undefined => digests.get(id);

/** The ajv compiling them from the sources, loaded on first use. */
function ajvForStart(): Ajv2020 {
  if (!startAjv) {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    startAjv = new Ajv({ ...ajvOptions, code: { optimize: false } });
  }
  return startAjv;
}

/** The validator of a schemas/ file read at start only (config, manifests): generated, else compiled once. */
export function compileStartSchema(file: string): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    const text = readFileSync(projectPath('schemas', file), 'utf8');
    const schema = JSON.parse(text) as { $id?: string };
    if (schema.$id) digests.set(schema.$id, sha256Hex(text));
    validate = (schema.$id ? generatedValidator(schema.$id, digestOf) : undefined) ?? ajvForStart().compile(schema);
    compiled.set(file, validate);
  }
  return validate;
}

/** A part of a schema compiled by compileStartSchema, by `$id#pointer`. */
export function startSchemaPart(ref: string): ValidateFunction | undefined {
  return generatedValidator(ref, digestOf) ?? ajvForStart().getSchema(ref);
}
