// The JSON Schema check of a registered OpenAPI document, as swagger-parser makes it
// (@apidevtools/swagger-parser lib/validators/schema.js, v13; the schemas and ajv options in
// openapi-json-schemas.ts), with the same message on a failure. swagger-parser builds a new ajv
// and compiles the schema at every call (≈ 150 ms of CPU, the larger part of publishing a
// service, the sandbox's example at every start included); here the compiled hub uses validators
// generated at build time (tools/validators.mjs) and the sources compile each schema once.
// test/schemas/generated-validators.unit.test.ts proves both judge as swagger-parser does.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { generatedValidator } from '../generated-validators.js';
import { openApiAjv, openApiSchema, type OpenApiLine } from './openapi-json-schemas.js';

const compiled = new Map<OpenApiLine, ValidateFunction>();

function validatorOf(line: OpenApiLine): ValidateFunction {
  let validate = compiled.get(line) ?? generatedValidator(`openapi-${line}`);
  if (!validate) {
    validate = openApiAjv(line).compile(openApiSchema(line));
    compiled.set(line, validate);
  }
  return validate;
}

/** Throws swagger-parser's SyntaxError when `api` (an OpenAPI 3.x document, dereferenced) breaks its line's schema. */
export function assertOpenApiSchema(api: { openapi: string }): void {
  const validate = validatorOf(api.openapi.startsWith('3.1') ? '3.1' : '3.0');
  if (!validate(api)) {
    const error = new SyntaxError(`Swagger schema validation failed.\n${formatErrors(validate.errors ?? [])}`) as SyntaxError & { details?: ErrorObject[] };
    error.details = validate.errors ?? [];
    throw error;
  }
}

/** ajv's errors as swagger-parser lists them under its message. */
export function formatErrors(errors: ErrorObject[]): string {
  return errors.map((error) => `  #${error.instancePath.length ? error.instancePath : '/'} ${error.message}\n`).join('');
}
