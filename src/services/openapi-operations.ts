// A registered OpenAPI 3.0/3.1 document read into the operations the hub exposes: validated as
// swagger-parser's validate() does for OpenAPI 3.x (the OpenAPI schema; its spec rules apply to
// Swagger 2.0 only, and the hub checks unique operation ids and routes itself,
// assertUniqueOperations), `$ref`s resolved inside the document only — a document that points
// outside itself (a URL, a file) is refused before anything is resolved, so registration never
// makes the hub fetch or read what a client named.
import type SwaggerParser from '@apidevtools/swagger-parser';
import { HubError, type ProblemDetail } from '../errors/catalogue.js';
import { assertOpenApiSchema } from './openapi-schema.js';
import { SERVICE_METHODS, operationIdPattern, type ServiceContentType, type ServiceOperation } from './service-definition.js';

/** The extension an owner marks an operation with to publish an event after each success. */
export const EMITS_EXTENSION = 'x-penghubung-emits';
const eventType = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  [EMITS_EXTENSION]?: unknown;
}

export async function operationsFromOpenApi(document: Record<string, unknown>): Promise<ServiceOperation[]> {
  const version = typeof document.openapi === 'string' ? document.openapi : '';
  if (!/^3\.[01]\.\d+$/.test(version)) throw invalid('/openapi/openapi', 'an OpenAPI 3.0 or 3.1 document (openapi: 3.0.x or 3.1.x); Swagger 2.0 is not accepted');
  const outside = externalRef(document, '/openapi');
  if (outside) throw invalid(outside, 'only references inside the document (#/...) are followed');
  let resolved: { paths?: Record<string, Record<string, OpenApiOperation>> };
  // Loaded with the first document published, not at start: swagger-parser and what it requires
  // (its own ajv and OpenAPI schemas among them) are ≈ 80 ms of CPU to load.
  const { default: Parser } = await import('@apidevtools/swagger-parser');
  try {
    // swagger-parser's validate() step by step, with the schema check of openapi-schema.ts (its
    // own compiles the OpenAPI schema anew at every call): dereference the copy (the stored document
    // keeps its $refs), check it against the schema, refuse circular references. (Its last step,
    // lib/validators/spec.js, returns at once for an OpenAPI 3.x document.)
    const parser = new Parser();
    await parser.dereference(structuredClone(document) as never, { resolve: { external: false }, dereference: { circular: 'ignore' } } as SwaggerParser.Options);
    assertOpenApiSchema(parser.api as { openapi: string });
    if (parser.$refs.circular) throw new ReferenceError('The API contains circular references');
    resolved = parser.api as typeof resolved;
  } catch (error) {
    const message = (error as Error).message.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, 6).join('; ');
    throw invalid('/openapi', `not a valid OpenAPI document: ${message}`);
  }
  const operations: ServiceOperation[] = [];
  for (const [path, item] of Object.entries(resolved.paths ?? {})) {
    for (const method of SERVICE_METHODS) {
      const operation = item[method.toLowerCase()];
      if (!operation) continue;
      const pointer = `/openapi/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}`;
      const id = operation.operationId ?? slug(method, path);
      if (!operationIdPattern.test(id)) throw invalid(`${pointer}/operationId`, `operationId ${JSON.stringify(id.slice(0, 80))} must be letters, digits, _ . - (up to 80)`);
      const emits = operation[EMITS_EXTENSION];
      if (emits !== undefined && (typeof emits !== 'string' || !eventType.test(emits))) throw invalid(`${pointer}/${EMITS_EXTENSION}`, 'an event type like kinerja.laporan.dibuat');
      const request = pick(operation.requestBody?.content);
      const response = pick(successContent(operation.responses));
      operations.push({
        id,
        method,
        path,
        ...(operation.summary ? { summary: operation.summary.slice(0, 400) } : {}),
        idempotent: method !== 'POST' && method !== 'PATCH',
        contentType: request?.type ?? response?.type ?? 'application/json',
        ...(request?.schema !== undefined ? { requestSchema: request.schema } : {}),
        ...(response?.schema !== undefined ? { responseSchema: response.schema } : {}),
        ...(typeof emits === 'string' ? { emits } : {}),
      });
    }
  }
  if (operations.length === 0) throw invalid('/openapi/paths', 'the document declares no operation (GET, POST, PUT, PATCH or DELETE)');
  return operations;
}

/** Operation ids are unique within a service (they name the rights granted on it), and so are method and path. */
export function assertUniqueOperations(operations: ServiceOperation[], pointer: string): void {
  const ids = new Set<string>();
  const routes = new Set<string>();
  for (const operation of operations) {
    if (ids.has(operation.id)) throw invalid(pointer, `operation id ${operation.id} is used twice`);
    const route = `${operation.method} ${operation.path.replace(/\{[^}/]+\}/g, '{}')}`;
    if (routes.has(route)) throw invalid(pointer, `${operation.method} ${operation.path} is declared twice`);
    ids.add(operation.id);
    routes.add(route);
  }
}

function successContent(responses: OpenApiOperation['responses']): Record<string, { schema?: unknown }> | undefined {
  const codes = Object.keys(responses ?? {}).filter((code) => /^2(\d\d|XX)$/.test(code)).sort();
  return codes.length ? responses![codes[0]!]!.content : undefined;
}

/** JSON first, then XML: the media types the hub passes through. */
function pick(content: Record<string, { schema?: unknown }> | undefined): { type: ServiceContentType; schema: unknown } | undefined {
  if (!content) return undefined;
  for (const type of ['application/json', 'application/xml', 'text/xml'] as const) {
    const media = Object.keys(content).find((key) => key.split(';')[0]!.trim().toLowerCase() === type);
    if (media) return { type, schema: content[media]!.schema };
  }
  return undefined;
}

/** `GET /pegawai/{nip}` → `get-pegawai-nip` */
function slug(method: string, path: string): string {
  return `${method.toLowerCase()}-${path.replace(/[{}]/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean).join('-')}`.slice(0, 80);
}

/** The pointer of the first `$ref` that leaves the document, if any. */
function externalRef(value: unknown, pointer: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = externalRef(item, `${pointer}/${index}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const here = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === '$ref' && (typeof item !== 'string' || !item.startsWith('#'))) return here;
      const found = externalRef(item, here);
      if (found) return found;
    }
  }
  return undefined;
}

function invalid(pointer: string, message: string): HubError {
  const errors: ProblemDetail[] = [{ pointer, message }];
  return new HubError('request-invalid', `${pointer.split('/')[1]}: ${message}`, { errors });
}
