// The OpenAPI 3.1 document served at /openapi.json. JSON Schema 2020-12 is OpenAPI 3.1's own
// dialect, so the canonical schemas are embedded as they are.
import { readFileSync } from 'node:fs';
import { errorCatalogue } from '../errors/catalogue.js';
import { projectPath } from '../schemas.js';

const problem = { $ref: '#/components/responses/Problem' };

/** `extra` adds the connectors' paths and the canonical schemas they use. */
export function buildOpenApi(version: string, extra: { paths: Record<string, unknown>; schemas: Record<string, unknown> } = { paths: {}, schemas: {} }): object {
  const { $schema: _dialect, $id: _id, ...cloudEvent } = JSON.parse(readFileSync(projectPath('schemas', 'cloudevent.v1.json'), 'utf8')) as Record<string, unknown>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Penghubung — canonical interoperability API',
      version,
      description: 'Sistem Penghubung Layanan. Errors are RFC 9457 problem+json with a stable `code` (see components.schemas.Problem).',
    },
    servers: [{ url: '/' }],
    paths: {
      ...extra.paths,
      '/v1/events': {
        post: {
          operationId: 'publishEvents',
          summary: 'Accept one CloudEvent or a batch; 202 once durably stored',
          requestBody: {
            required: true,
            content: {
              'application/cloudevents+json': { schema: { $ref: '#/components/schemas/CloudEvent' } },
              'application/cloudevents-batch+json': { schema: { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' } } },
              'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/CloudEvent' }, { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' } }] } },
            },
          },
          responses: {
            '202': { description: 'Stored in the outbox; it will be published', content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Accepted' }, { $ref: '#/components/schemas/AcceptedBatch' }] } } } },
            '400': problem, '413': problem, '415': problem, '422': problem, '503': problem,
          },
        },
        get: {
          operationId: 'pullEvents',
          summary: 'Events the hub accepted, oldest first, after a cursor',
          parameters: [
            { name: 'type', in: 'query', schema: { type: 'string' } },
            { name: 'after', in: 'query', description: 'the `next` of an earlier answer', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: {
            '200': {
              description: 'A page of events',
              content: { 'application/json': { schema: { type: 'object', required: ['events', 'next'], properties: { events: { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' } }, next: { type: 'string' } } } } },
            },
            '400': problem,
          },
        },
      },
      '/health/live': { get: { operationId: 'live', responses: { '200': { description: 'The process answers', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/health/ready': {
        get: {
          operationId: 'ready',
          responses: {
            '200': { description: 'Accepting events', content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } },
            '503': { description: 'Not accepting events', content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        ...extra.schemas,
        CloudEvent: cloudEvent,
        Accepted: { type: 'object', required: ['id', 'source', 'topic', 'duplicate'], properties: { id: { type: 'string' }, source: { type: 'string' }, topic: { type: 'string' }, duplicate: { type: 'boolean', description: 'true when this event id was accepted before; it is not published again' } } },
        AcceptedBatch: { type: 'object', required: ['accepted', 'events'], properties: { accepted: { type: 'integer' }, events: { type: 'array', items: { $ref: '#/components/schemas/Accepted' } } } },
        Readiness: { type: 'object', required: ['status', 'checks'], properties: { status: { enum: ['up', 'degraded', 'down'] }, checks: { type: 'object' } } },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' },
            code: { enum: Object.keys(errorCatalogue) },
            correlation_id: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', required: ['pointer', 'message'], properties: { pointer: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
      responses: {
        Problem: { description: 'RFC 9457 problem with a stable code', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    },
  };
}
