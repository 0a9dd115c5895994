// The request and response schemas an owner registered (from its OpenAPI document, $refs already
// resolved), compiled once per service version. Not the hub's strict ajv: an OpenAPI schema
// carries keywords JSON Schema does not know (example, xml, discriminator), and 3.0's
// `nullable: true` means "or null", which is what it is read as here.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { HubError } from '../errors/catalogue.js';
import type { ServiceDefinition, ServiceOperation } from './service-definition.js';

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
// ajv-formats is CommonJS; its default export arrives wrapped under ESM (as in src/schemas.ts).
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;
addFormats(ajv);

const compiled = new Map<string, { version: number; validate: ValidateFunction | undefined }>();

/** The validator of the operation's request or response body, or undefined when it has no schema. */
export function serviceValidator(service: ServiceDefinition, operation: ServiceOperation, which: 'request' | 'response'): ValidateFunction | undefined {
  const key = `${service.id}\u0000${operation.id}\u0000${which}`;
  const cached = compiled.get(key);
  if (cached?.version === service.version) return cached.validate;
  const schema = which === 'request' ? operation.requestSchema : operation.responseSchema;
  let validate: ValidateFunction | undefined;
  if (schema && typeof schema === 'object') {
    try {
      validate = ajv.compile(nullableAsNull(schema) as object);
    } catch (error) {
      throw new HubError('internal-error', `the registered ${which} schema of ${service.id}:${operation.id} does not compile: ${(error as Error).message}`);
    }
  }
  compiled.set(key, { version: service.version, validate });
  return validate;
}

/** OpenAPI 3.0 `nullable: true` → the type also admits null (a copy; the stored schema stays). */
function nullableAsNull(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsNull);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions' ? mapValues(value) : nullableAsNull(value);
  if (copy.nullable === true && typeof copy.type === 'string') copy.type = [copy.type, 'null'];
  return copy;
}

function mapValues(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, nullableAsNull(sub)]));
}
