// Every documented operation's query is checked against the parameters /openapi.json declares for
// it, with ajv: an unknown parameter, a value outside its enum, a bad date or a limit out of range
// is a 400 query-invalid naming the parameter and what it allows, before any route runs. One
// schema says both what the document promises and what the gateway enforces.
import type { RequestHandler } from 'express';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { HubError, type ProblemDetail } from '../errors/catalogue.js';
import { OpenApiRouteTable, type DocumentedOperation } from './openapi-route-table.js';

// Query values arrive as text: coerced to the declared type (`limit=5` is an integer), never to an
// array, so a parameter given twice is refused.
const ajv = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true });
// ajv-formats is CommonJS; its default export arrives wrapped under ESM (as in src/schemas.ts).
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;
addFormats(ajv);

const validators = new WeakMap<DocumentedOperation, ValidateFunction>();

function validatorOf(operation: DocumentedOperation, components: object | undefined): ValidateFunction {
  let validate = validators.get(operation);
  if (validate) return validate;
  const query = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
  const properties = Object.fromEntries(query.map((parameter) => [parameter.name, parameter.schema ?? {}]));
  const schema = { type: 'object', properties, required: query.filter((p) => p.required).map((p) => p.name), additionalProperties: false };
  // A parameter schema may $ref the document's components: compiled with them as its root's.
  validate = ajv.compile(JSON.stringify(properties).includes('"$ref"') ? { ...schema, components } : schema);
  validators.set(operation, validate);
  return validate;
}

export function queryValidation(document: () => object): RequestHandler {
  return (req, _res, next) => {
    if (Object.keys(req.query).length === 0) return next();
    const table = OpenApiRouteTable.of(document());
    const found = table.match(req.method, req.path);
    if (!found || !('operation' in found) || found.operation['x-penghubung-open-query']) return next();
    const validate = validatorOf(found.operation, table.document.components);
    // A copy: coercion rewrites what it validates, and the routes read the query as it came.
    if (validate({ ...req.query })) return next();
    // One detail per parameter: a repeated one fails its type and its enum both.
    const errors = (validate.errors ?? []).map((error) => detailOf(error, found.operation, req.query)).filter((error, index, all) => all.findIndex((other) => other.pointer === error.pointer) === index);
    throw new HubError('query-invalid', errors.map((error) => `${error.pointer}: ${error.message}`).join('; '), { errors });
  };
}

function detailOf(error: ErrorObject, operation: DocumentedOperation, query: Record<string, unknown>): ProblemDetail {
  const documented = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
  const params = error.params as { additionalProperty?: string; missingProperty?: string; allowedValues?: unknown[]; type?: string; format?: string; comparison?: string; limit?: number };
  const name = params.additionalProperty ?? params.missingProperty ?? error.instancePath.slice(1).split('/')[0] ?? '';
  switch (error.keyword) {
    case 'additionalProperties':
      return { pointer: name, message: documented.length ? `not a parameter here; parameters: ${documented.join(', ')}` : 'not a parameter here; this operation takes none', allowed: documented };
    case 'required':
      return { pointer: name, message: 'must be given' };
    case 'enum':
      return { pointer: name, message: `must be one of: ${params.allowedValues!.join(', ')}`, allowed: params.allowedValues! };
    case 'type':
      return { pointer: name, message: Array.isArray(query[name]) ? 'must be given once' : `must be ${params.type === 'integer' ? 'an integer' : `of type ${params.type}`}` };
    case 'format':
      return { pointer: name, message: params.format === 'date-time' ? 'must be an RFC 3339 date-time, e.g. 2026-12-01T00:00:00Z' : `must be a ${params.format}` };
    case 'minimum':
    case 'maximum':
      return { pointer: name, message: `must be ${params.comparison} ${params.limit}` };
    default:
      return { pointer: name, message: error.message ?? 'invalid' };
  }
}
