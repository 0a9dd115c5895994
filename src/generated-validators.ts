// The validators the build generates (tools/validators.mjs → dist/schemas/validators.js) for every
// schema file (schemas/, connectors/<id>/schemas/), by $id. The compiled hub (dist/) uses them
// instead of compiling its schemas at each start (≈ 20% of a start's CPU), but only while the hub
// registered the very texts they were generated from: a connector folder outside the project
// (`connectors.directory`) may bring its own schema under a project's $id, and schemas/ may be
// edited or mounted after the build. Otherwise the registered schema is compiled, as from the
// sources. test/schemas/generated-validators.unit.test.ts proves they judge as the compiled ones
// do; test/schemas/registered-schema-wins.unit.test.ts that a differing text is not theirs.
import type { ValidateFunction } from 'ajv';
import { builtValidators } from './built-validators.js';

/**
 * The generated validator of `ref` (a schema's $id, `$id#/$defs/<name>`, `openapi-<line>`), in
 * the compiled hub, when `digestOf(id)` (the digest of the text the hub registered under `id`)
 * matches the build's for each schema file it was generated from; else undefined.
 */
export function generatedValidator(ref: string, digestOf: (id: string) => string | undefined = () => undefined): ValidateFunction | undefined {
  if (!builtValidators || !Object.hasOwn(builtValidators.validators, ref) || !Object.hasOwn(builtValidators.sources, ref)) return undefined;
  const sources = builtValidators.sources[ref]!;
  return Object.entries(sources).every(([id, digest]) => digestOf(id) === digest) ? builtValidators.validators[ref] : undefined;
}
