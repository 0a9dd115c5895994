// The connectors' part of /openapi.json: a path per query, push and view operation, and the
// canonical schemas they use as components (their urn $refs rewritten to component refs).
import { canonicalSchema } from '../schemas.js';
import { inboundEvent } from './canonical.js';
import { catalogEntry } from './catalog.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import { fixtureExamples } from './openapi-examples.js';

const problem = { $ref: '#/components/responses/Problem' };
const urnPattern = /^urn:penghubung:schema:([a-z0-9-]+):(v[0-9]+)$/;

export function connectorOpenApi(runtimes: ConnectorRuntime[]): { paths: Record<string, Record<string, unknown>>; schemas: Record<string, unknown> } {
  const paths: Record<string, Record<string, unknown>> = {};
  const used = new Set<string>();
  const ref = (name: string): object => {
    used.add(name);
    return { $ref: `#/components/schemas/${name}` };
  };
  for (const runtime of runtimes) {
    const { manifest, directory } = runtime.loaded;
    const examples = fixtureExamples(manifest, directory);
    for (const [operationId, operation] of Object.entries(manifest.operations)) {
      const tags = [manifest.id];
      // The right the route asks for, and the classification its answers are masked by.
      const access = { 'x-penghubung-right': `${manifest.id}:${operationId}`, 'x-classification': operation.classification };
      if (operation.kind === 'query') {
        const input = rewriteRefs(operation.input, used) as { properties?: Record<string, unknown>; required?: string[] };
        const pathParams = [...operation.http.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!);
        const sample = examples.inputs.get(operationId);
        const parameters: object[] = pathParams.map((name) => ({ name, in: 'path', required: true, description: `the canonical \`${name}\``, schema: input.properties?.[name] ?? { type: 'string' }, ...(sample?.[name] !== undefined ? { example: sample[name] } : {}) }));
        const output = examples.bySchema.get(operation.output);
        const hasBody = operation.http.method !== 'GET' && operation.http.method !== 'DELETE';
        // Without a body, the input's other fields come as query parameters (query-routes.ts).
        if (!hasBody) {
          for (const [name, schema] of Object.entries(input.properties ?? {})) {
            if (!pathParams.includes(name)) parameters.push({ name, in: 'query', required: input.required?.includes(name) ?? false, description: `the canonical \`${name}\``, schema, ...(sample?.[name] !== undefined ? { example: sample[name] } : {}) });
          }
        }
        (paths[operation.http.path] ??= {})[operation.http.method.toLowerCase()] = {
          operationId: `${manifest.id}.${operationId}`,
          tags,
          summary: operation.summary,
          ...(parameters.length ? { parameters } : {}),
          ...(hasBody ? { requestBody: { required: true, content: { 'application/json': { schema: input, ...(sample ? { example: sample } : {}) } } } } : {}),
          responses: {
            '200': { description: `Canonical ${operation.output}, masked to the caller's clearance`, content: { 'application/json': { schema: ref(operation.output), ...(output !== undefined ? { example: output } : {}) } } },
            '400': problem, '404': problem, '409': problem, '410': problem, '415': problem, '422': problem, '429': problem, '502': problem, '503': problem, '504': problem,
          },
          ...access,
        };
      } else if (operation.kind === 'inbound' && operation.modes.includes('push')) {
        const pushCount = Object.values(manifest.operations).filter((o) => o.kind === 'inbound' && o.modes.includes('push')).length;
        const path = pushCount === 1 ? `/v1/connectors/${manifest.id}/inbound` : `/v1/connectors/${manifest.id}/inbound/${operationId}`;
        const content: Record<string, unknown> = {};
        const native = examples.natives.get(operationId) ?? {};
        if (manifest.formats.includes('json')) content['application/json'] = { schema: { description: `${manifest.name} native JSON` }, ...(native.json !== undefined ? { example: native.json } : {}) };
        if (manifest.formats.includes('xml')) content['application/xml'] = { schema: { type: 'string', description: `${manifest.name} native XML` }, ...(native.xml !== undefined ? { example: native.xml } : {}) };
        (paths[path] ??= {}).post = {
          operationId: `${manifest.id}.${operationId}`,
          tags,
          summary: `${operation.summary} (native records become ${operation.eventType} events)`,
          requestBody: { required: true, content },
          responses: {
            '202': { description: 'The good records stored in the outbox as events; the records that could not be mapped listed under rejected (422 when every record is)', content: { 'application/json': { schema: { type: 'object', required: ['accepted', 'events'], properties: { accepted: { type: 'integer' }, events: { type: 'array', items: { type: 'object' } }, rejected: { type: 'array', items: { type: 'object', required: ['index', 'reason', 'detail'], properties: { index: { type: 'integer' }, reason: { type: 'string' }, detail: { type: 'string' } } } } } }, ...withExample(acceptedExample(runtime, operationId, examples.bySchema.get(operation.schema), ({ identity, event }) => ({ accepted: 1, events: [{ id: event.id, subject: identity, type: event.type, duplicate: false }] }))) } } },
            '400': problem, '413': problem, '415': problem, '422': problem, '503': problem,
          },
          ...access,
        };
      } else if (operation.kind === 'command') {
        (paths[operation.http.path] ??= {}).post = {
          operationId: `${manifest.id}.${operationId}`,
          tags,
          summary: `${operation.summary} (published as ${operation.eventType})`,
          requestBody: { required: true, content: { 'application/json': { schema: ref(operation.schema), ...(examples.bySchema.has(operation.schema) ? { example: examples.bySchema.get(operation.schema) } : {}) } } },
          responses: {
            '202': { description: 'Stored in the outbox as an event', content: { 'application/json': { schema: { type: 'object', required: ['id', 'event'], properties: { id: { type: 'string' }, event: { type: 'object' } } }, ...withExample(acceptedExample(runtime, operationId, examples.bySchema.get(operation.schema), ({ identity, event }) => ({ id: identity, event: { id: event.id, type: event.type, duplicate: false } }))) } } },
            '400': problem, '413': problem, '415': problem, '422': problem, '503': problem,
          },
          ...access,
        };
      } else if (operation.kind === 'view') {
        const fields = (canonicalSchema(operation.schema).schema as { properties?: Record<string, { enum?: unknown[] }> }).properties ?? {};
        const filters = (operation.filters ?? []).map((filter) => {
          const [name, field] = typeof filter === 'string' ? [filter, filter] : [filter.param, filter.field];
          const values = fields[field]?.enum;
          return { name, in: 'query', description: `only items whose \`${field}\` equals this value`, schema: values ? { type: 'string', enum: values } : { type: 'string' } };
        });
        const pathParams = Object.entries(operation.pathFilters ?? {}).map(([name, field]) => ({ name, in: 'path', required: true, description: `items whose \`${field}\` equals this value`, schema: { type: 'string' } }));
        const item = examples.bySchema.get(operation.schema) ?? viewExample(runtimes, operation.schema);
        (paths[operation.path] ??= {}).get = {
          operationId: `${manifest.id}.${operationId}.list`,
          tags,
          summary: operation.summary,
          parameters: [...pathParams, ...filters, { name: 'limit', in: 'query', description: 'items per page', schema: { type: 'integer', minimum: 1, maximum: 500 } }, { name: 'after', in: 'query', description: 'the `next` of the previous page', schema: { type: 'string' } }],
          responses: {
            '200': { description: 'A page, each item masked to the caller\'s clearance', content: { 'application/json': { schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: ref(operation.schema) }, next: { type: ['string', 'null'] } } }, ...(item !== undefined ? { example: { items: [item], next: null } } : {}) } } },
            '400': problem,
          },
          ...access,
        };
        if (pathParams.length > 0) continue;
        (paths[`${operation.path}/{id}`] ??= {}).get = {
          operationId: `${manifest.id}.${operationId}.get`,
          tags,
          summary: `${operation.summary} (one)`,
          parameters: [{ name: 'id', in: 'path', required: true, description: `the item's \`${operation.idField}\``, schema: { type: 'string' } }],
          responses: { '200': { description: 'The latest version seen, masked to the caller\'s clearance', content: { 'application/json': { schema: ref(operation.schema), ...(item !== undefined ? { example: item } : {}) } } }, '404': problem },
          ...access,
        };
      }
    }
  }
  // The catalogue's examples are what it answers for the first connector.
  const entry = runtimes[0] ? catalogEntry(runtimes[0]) : undefined;
  const catalogExample = (example: unknown): object => (entry ? { example } : {});
  paths['/v1/catalog'] = { get: { 'x-penghubung-right': 'catalog:read', 'x-classification': 'publik', operationId: 'catalog', summary: 'Every connector, its operations, schemas, owner and classification', responses: { '200': { description: 'The catalogue', content: { 'application/json': { schema: { type: 'object' }, ...catalogExample({ connectors: [entry], services: [] }) } } } } } };
  paths['/v1/catalog/{id}'] = { get: { 'x-penghubung-right': 'catalog:read', 'x-classification': 'publik', operationId: 'catalogEntry', summary: 'One connector or registered OPD service: its operations, schemas, owner and classification', parameters: [{ name: 'id', in: 'path', required: true, description: 'a connector id (`siak`) or an OPD service id', schema: { type: 'string' }, ...(runtimes[0] ? { example: runtimes[0].id } : {}) }], responses: { '200': { description: 'One connector, or one registered OPD service', content: { 'application/json': { schema: { type: 'object' }, ...catalogExample(entry) } } }, '404': problem } } };

  const schemas: Record<string, unknown> = {};
  for (let pending = [...used]; pending.length > 0; pending = [...used].filter((name) => !(name in schemas))) {
    for (const name of pending) {
      const { $schema: _dialect, $id: _id, ...schema } = canonicalSchema(name).schema as Record<string, unknown>;
      schemas[name] = rewriteRefs(schema, used, name);
    }
  }
  return { paths, schemas };
}

const withExample = (example: unknown): object => (example === undefined ? {} : { example });

/**
 * A 202's example for an entity of the fixtures: its identity and the event it becomes, made the
 * way publishEntities makes them (inbound.ts), so the ids are the ones the hub would answer.
 */
function acceptedExample(runtime: ConnectorRuntime, operationId: string, entity: unknown, answer: (published: { identity: string; event: { id: string; type: string } }) => unknown): unknown {
  const operation = runtime.loaded.manifest.operations[operationId];
  if (entity === undefined || !operation || (operation.kind !== 'command' && operation.kind !== 'inbound')) return undefined;
  const identity = operation.kind === 'command' ? String((entity as Record<string, unknown>)[operation.idField]) : runtime.loaded.definition.inbound?.[operationId]?.identify(entity);
  if (identity === undefined) return undefined;
  const event = inboundEvent({ connector: runtime.id, operation: operationId, type: operation.eventType, schema: operation.schema, classification: operation.classification, identity, entity, previous: undefined, now: new Date() });
  return answer({ identity, event });
}

/**
 * A view's example when no fixture of its own connector maps to its schema: another connector's,
 * else the canonical schema's own first `examples` (records the hub makes itself, like a flow's).
 */
function viewExample(runtimes: ConnectorRuntime[], schema: string): unknown {
  for (const runtime of runtimes) {
    const found = fixtureExamples(runtime.loaded.manifest, runtime.loaded.directory).bySchema.get(schema);
    if (found !== undefined) return found;
  }
  return (canonicalSchema(schema).schema as { examples?: unknown[] }).examples?.[0];
}

/**
 * urn:penghubung:schema:<name>:<v> → #/components/schemas/<name>.<v>, remembering which are used;
 * a canonical schema's own `#/$defs/…` become paths inside its component.
 */
function rewriteRefs(value: unknown, used: Set<string>, component?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, used, component));
  if (!value || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const match = key === '$ref' && typeof inner === 'string' ? urnPattern.exec(inner) : null;
    if (match) {
      used.add(`${match[1]}.${match[2]}`);
      result.$ref = `#/components/schemas/${match[1]}.${match[2]}`;
    } else if (key === '$ref' && component && typeof inner === 'string' && inner.startsWith('#/')) {
      result.$ref = `#/components/schemas/${component}${inner.slice(1)}`;
    } else {
      result[key] = rewriteRefs(inner, used, component);
    }
  }
  return result;
}
