// What every ajv instance of the hub knows beyond JSON Schema 2020-12: its options, the formats
// (schema-formats.ts) and the annotation keywords. One module so that the validators the build
// generates (tools/validators.mjs) are compiled with exactly what the hub compiles with.
import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { FormatsPlugin } from 'ajv-formats';
import { CLASSIFICATION_KEYWORD, CLASSIFICATIONS } from './domain/classification.js';
import { canonicalFormats } from './schema-formats.js';

export const ajvOptions = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

/** `instance` with the hub's formats and keywords. */
export function addVocabulary<T extends Ajv2020>(instance: T): T {
  // Required here: the options above are imported on the way to forking the simulators
  // (start-schemas.ts), where loading ajv-formats would load ajv's compiler too.
  (createRequire(import.meta.url)('ajv-formats') as FormatsPlugin)(instance);
  // Annotation only: the gateway masks fields by it; a value outside the enum fails compilation.
  instance.addKeyword({ keyword: CLASSIFICATION_KEYWORD, schemaType: 'string', metaSchema: { enum: [...CLASSIFICATIONS] } });
  // A field that is rahasia (withheld whole below rahasia) when sibling fields hold these values: src/security/masking.ts.
  instance.addKeyword({ keyword: 'x-rahasia-when', schemaType: 'object', metaSchema: { type: 'object', minProperties: 1, additionalProperties: { type: ['boolean', 'string', 'number'] } } });
  // A schema of reference data (codes and names of government programmes) that holds no personal data:
  // its `nama` fields name things, not people (test/schemas/classification.unit.test.ts).
  instance.addKeyword({ keyword: 'x-personal-data', schemaType: 'boolean' });
  for (const [name, format] of Object.entries(canonicalFormats)) instance.addFormat(name, format);
  return instance;
}
