// The OpenAPI 3.1 document served at /openapi.json. JSON Schema 2020-12 is OpenAPI 3.1's own
// dialect, so the canonical schemas are embedded as they are.
import { readFileSync } from 'node:fs';
import { errorCatalogue } from '../errors/catalogue.js';
import { projectPath } from '../schemas.js';
import { withLinks } from './openapi-links.js';
import { withFixedExamples } from './openapi-fixed-examples.js';
import { meExamples } from './openapi-me-examples.js';
import { withOperationDocs } from './openapi-operations.js';
import { problemHeaders, rateLimitHeaders, withRateLimitHeaders } from './openapi-rate-limit.js';

const problem = { $ref: '#/components/responses/Problem' };

/** `extra` adds the connectors' paths and the canonical schemas they use. */
export function buildOpenApi(version: string, extra: { paths: Record<string, unknown>; schemas: Record<string, unknown> } = { paths: {}, schemas: {} }): object {
  return withLinks(withRateLimitHeaders(withProblemDefault(withFixedExamples(withOperationDocs(buildDocument(version, extra))))));
}

function buildDocument(version: string, extra: { paths: Record<string, unknown>; schemas: Record<string, unknown> }): object {
  const { $schema: _dialect, $id: _id, ...cloudEvent } = JSON.parse(readFileSync(projectPath('schemas', 'cloudevent.v1.json'), 'utf8')) as Record<string, unknown>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Penghubung — canonical interoperability API',
      version,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
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
              'application/cloudevents+json': { schema: { $ref: '#/components/schemas/CloudEvent' }, example: eventExample },
              'application/cloudevents-batch+json': { schema: { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' } } },
              'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/CloudEvent' }, { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' } }] } },
            },
          },
          responses: {
            '202': { description: 'Stored in the outbox; it will be published', content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Accepted' }, { $ref: '#/components/schemas/AcceptedBatch' }] } } } },
            '400': problem, '413': problem, '415': problem, '409': problem, '422': problem, '503': problem,
          },
        },
        get: {
          operationId: 'pullEvents',
          summary: 'Events on the hub’s topics after a cursor, in order per key (partitions merged by time); the cursor is valid on every instance',
          parameters: [
            { name: 'type', in: 'query', description: 'only events of this type (e.g. `pengaduan.diterima`); without it, every type your rights cover', schema: { type: 'string' } },
            { name: 'after', in: 'query', description: 'the `next` of an earlier answer (from any instance); 400 cursor-invalid or cursor-expired when no instance can continue from it', schema: { type: 'string' } },
            { name: 'limit', in: 'query', description: 'events per page', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
            { name: 'consumer', in: 'query', description: 'a durable pull consumer: without `after`, continue from its committed cursor (PUT /v1/events/cursors/{consumer})', schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } },
          ],
          responses: {
            '200': {
              description: 'A page of events',
              content: { 'application/json': { schema: { type: 'object', required: ['events', 'next'], properties: { events: { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' } }, next: { type: 'string' } } } } },
            },
            '400': problem, '503': problem,
          },
        },
      },
      ...adminPaths(),
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
    security: [{ apiKey: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (EdDSA) from /oauth/token, or an API key' },
        oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } },
      },
      schemas: {
        ...extra.schemas,
        CloudEvent: cloudEvent,
        Accepted: { type: 'object', required: ['id', 'source', 'topic', 'duplicate'], properties: { id: { type: 'string' }, source: { type: 'string' }, topic: { type: 'string' }, duplicate: { type: 'boolean', description: 'true when this event id was accepted before; it is not published again' } } },
        AcceptedBatch: { type: 'object', required: ['accepted', 'events'], properties: { accepted: { type: 'integer' }, events: { type: 'array', items: { $ref: '#/components/schemas/Accepted' } } } },
        Readiness: { type: 'object', required: ['status', 'checks'], properties: { status: { enum: ['up', 'degraded', 'down', 'starting'] }, checks: { type: 'object' } } },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' },
            code: { enum: Object.keys(errorCatalogue) },
            correlation_id: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', required: ['pointer', 'message'], properties: { pointer: { type: 'string', description: 'the body field (JSON pointer), header or query parameter' }, message: { type: 'string' }, allowed: { type: 'array', description: 'the values it allows, or for an unknown query parameter the parameters the operation takes' } } } },
          },
        },
      },
      headers: rateLimitHeaders,
      responses: {
        Problem: { description: 'RFC 9457 problem with a stable code', headers: problemHeaders, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    },
  };
}

const eventExample = { specversion: '1.0', id: 'contoh-1', source: '/opd/diskominfo', type: 'uji.dibuat', subject: 'contoh', datacontenttype: 'application/json', data: { pesan: 'halo' } };
const json = (description: string): object => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const jsonExample = (description: string, example: unknown): object => ({ description, content: { 'application/json': { schema: { type: 'object' }, example } } });
const idParam = (name = 'id'): object => ({ name, in: 'path', required: true, schema: { type: 'string' } });
/** A pull consumer's name, as the events routes check it. */
const consumerParam = { name: 'consumer', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } };
const limitParam = (maximum: number): object => ({ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum } });
const jsonBodyOf = (schema: object): object => ({ required: true, content: { 'application/json': { schema } } });

/** Operator and security endpoints: the admin API (operator role), OAuth and public keys. */
function adminPaths(): Record<string, object> {
  const operator = { tags: ['operator'], 'x-role': 'operator' };
  return {
    '/v1/connectors': { get: { ...operator, operationId: 'connectorStatuses', summary: 'Status of every connector', responses: { '200': json('Statuses'), '401': problem, '403': problem } } },
    '/v1/connectors/{id}': { get: { ...operator, operationId: 'connectorStatus', parameters: [idParam()], responses: { '200': json('Status'), '401': problem, '403': problem, '404': problem } } },
    '/v1/connectors/{id}/circuit': { post: { ...operator, operationId: 'forceCircuit', parameters: [idParam()], requestBody: jsonBodyOf({ type: 'object', required: ['state', 'reason'], properties: { state: { enum: ['open', 'closed', 'auto'] }, reason: { type: 'string' } } }), responses: { '200': json('Status'), '401': problem, '403': problem, '404': problem, '422': problem } } },
    '/v1/connectors/{id}/rejected': { get: { ...operator, operationId: 'listRejectedRecords', summary: 'Records the connector quarantined, newest first (the native record only for operators cleared rahasia)', parameters: [idParam(), ...['operation', 'reason', 'after'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })), limitParam(500)], responses: { '200': json('Rejected records'), '400': problem, '401': problem, '403': problem, '404': problem } } },
    '/v1/connectors/{id}/operations/{operation}/poll': { post: { ...operator, operationId: 'pollNow', summary: 'Run one poll of the operation now and answer its outcome', parameters: [idParam(), idParam('operation')], responses: { '200': json('The poll outcome'), '401': problem, '403': problem, '404': problem, '409': problem } } },
    '/v1/dead-letters': { get: { ...operator, operationId: 'listDeadLetters', parameters: [...['connector', 'operation', 'type', 'status'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })), ...['from', 'to'].map((name) => ({ name, in: 'query', schema: { type: 'string', format: 'date-time' } })), limitParam(1000)], responses: { '200': json('Dead letters'), '400': problem, '401': problem, '403': problem } } },
    '/v1/dead-letters/replay': { post: { ...operator, operationId: 'replayDeadLetters', requestBody: jsonBodyOf({ type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } }, connector: { type: 'string' }, type: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } }), responses: { '200': json('Outcomes'), '401': problem, '403': problem, '422': problem } } },
    '/v1/dead-letters/{id}': { get: { ...operator, operationId: 'getDeadLetter', parameters: [idParam()], responses: { '200': json('A dead letter with its event'), '401': problem, '403': problem, '404': problem } } },
    '/v1/dead-letters/{id}/replay': { post: { ...operator, operationId: 'replayDeadLetter', parameters: [idParam()], responses: { '200': json('Outcome'), '401': problem, '403': problem, '404': problem } } },
    '/v1/dead-letters/{id}/discard': { post: { ...operator, operationId: 'discardDeadLetter', parameters: [idParam()], requestBody: jsonBodyOf({ type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }), responses: { '200': json('The dead letter'), '401': problem, '403': problem, '404': problem, '422': problem } } },
    '/v1/me': { get: { tags: ['me'], operationId: 'whoAmI', responses: { '200': jsonExample('Who you are: id, name, opd, role, clearance, your rights and those granted by approved access to OPD services, your rate limit and what remains of it on this instance, your sources and units', meExamples.me), '401': problem } } },
    '/v1/me/subscriptions': { get: { tags: ['me'], operationId: 'mySubscriptions', responses: { '200': jsonExample('Your webhook subscriptions, each with its health: active, failing or paused, last attempt, last error, dead letters waiting', meExamples.subscriptions), '401': problem } } },
    '/v1/me/dead-letters': { get: { tags: ['me'], operationId: 'myDeadLetters', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, { name: 'after', in: 'query', description: 'the `next` of an earlier page', schema: { type: 'string' } }], responses: { '200': jsonExample('{items, next}: events you published that a connector could not deliver upstream, newest first, with the reason; bodies masked to your clearance', meExamples.deadLetters), '400': problem, '401': problem } } },
    '/v1/me/deliveries': { get: { tags: ['me'], operationId: 'myDeliveries', parameters: [
      { name: 'status', in: 'query', description: 'only events in this state: accepted (in the outbox of the instance that took it, not yet on the bus; shown by that instance only), published (on the bus, no target has answered yet), retrying (a target failed and is tried again), delivered (every target took it), dead-lettered (a target gave up: see the reason, and GET /v1/me/dead-letters)', schema: { type: 'string', enum: ['accepted', 'published', 'retrying', 'delivered', 'dead-lettered'] } },
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
      { name: 'after', in: 'query', description: 'the `next` of an earlier page (any instance continues it)', schema: { type: 'string' } },
    ], responses: { '200': jsonExample('{items, next}: what became of the events you published, newest accepted first: when each was accepted and published to the bus, and per target (an upstream through a connector, a webhook subscription) its status, attempts, error code and reason; each event masked to your clearance. Kept for retention.deliveriesHours after its last news', meExamples.deliveries), '400': problem, '401': problem } } },
    '/v1/audit/recent': { get: { ...operator, operationId: 'recentAudit', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } }], responses: { '200': json('The newest audit entries (digests, never bodies) and the log\'s state'), '401': problem, '403': problem } } },
    '/v1/clients': {
      get: { ...operator, operationId: 'listClients', responses: { '200': json('Clients (never keys)'), '401': problem, '403': problem } },
      post: { ...operator, operationId: 'createClient', requestBody: jsonBodyOf({ type: 'object' }), responses: { '201': json('The client and its API key, shown once, once every instance can follow the change'), '401': problem, '403': problem, '422': problem, '503': problem } },
    },
    '/v1/clients/{id}': { delete: { ...operator, operationId: 'revokeClient', parameters: [idParam()], responses: { '204': { description: 'Revoked, on every instance' }, '401': problem, '403': problem, '404': problem, '503': problem } } },
    '/v1/clients/{id}/keys': { post: { ...operator, operationId: 'rotateClientKey', parameters: [idParam(), { name: 'keep_previous', in: 'query', description: '`true` keeps the earlier keys valid (tokens still end); without it they are revoked', schema: { type: 'boolean', default: false } }], responses: { '201': json('A new API key, shown once; the earlier keys and tokens end on every instance'), '401': problem, '403': problem, '404': problem, '503': problem } } },
    '/v1/flows': { get: { ...operator, operationId: 'listFlows', responses: { '200': json('Every flow with its recent instances'), '401': problem, '403': problem } } },
    '/v1/flows/{id}/instances': { get: { ...operator, operationId: 'flowInstances', parameters: [idParam(), limitParam(500)], responses: { '200': json('Instances, newest first'), '401': problem, '403': problem, '404': problem } } },
    '/v1/flows/{id}/instances/{instance}': { get: { ...operator, operationId: 'flowInstance', parameters: [idParam(), idParam('instance')], responses: { '200': json('One instance with each step: time, attempts, outcome, result'), '401': problem, '403': problem, '404': problem } } },
    '/v1/subscriptions': {
      get: { tags: ['subscriptions'], operationId: 'listSubscriptions', responses: { '200': json('Your webhook subscriptions (operators: all)'), '401': problem, '403': problem } },
      post: { tags: ['subscriptions'], operationId: 'subscribe', summary: 'Webhooks signed per Standard Webhooks, ordered per key, retried; an event not delivered after the configured attempts is parked in the subscription’s dead letters', requestBody: jsonBodyOf({ type: 'object', required: ['types', 'url'], properties: { types: { type: 'array', items: { type: 'string' } }, url: { type: 'string', format: 'uri' }, filter: { type: 'object', properties: { subject: { type: 'string' }, connector: { type: 'string' } } }, secret: { type: 'string' } } }), responses: { '201': json('The subscription and its signing secret, shown once'), '401': problem, '403': problem, '422': problem } },
    },
    '/v1/subscriptions/{id}': {
      get: { tags: ['subscriptions'], operationId: 'getSubscription', parameters: [idParam()], responses: { '200': json('The subscription'), '401': problem, '403': problem, '404': problem } },
      delete: { tags: ['subscriptions'], operationId: 'unsubscribe', parameters: [idParam()], responses: { '204': { description: 'Removed' }, '401': problem, '403': problem, '404': problem } },
    },
    '/v1/subscriptions/{id}/pause': { post: { tags: ['subscriptions'], operationId: 'pauseSubscription', parameters: [idParam()], responses: { '200': json('Paused: events wait in the bus until it resumes'), '401': problem, '403': problem, '404': problem } } },
    '/v1/subscriptions/{id}/dead-letters': { get: { tags: ['subscriptions'], operationId: 'subscriptionDeadLetters', parameters: [idParam(), limitParam(500)], responses: { '200': json('Events the subscription could not deliver (refused, or every attempt failed), parked so it went on with the next; newest first'), '401': problem, '403': problem, '404': problem } } },
    '/v1/subscriptions/{id}/dead-letters/{letter}/replay': { post: { tags: ['subscriptions'], operationId: 'replaySubscriptionDeadLetter', parameters: [idParam(), { name: 'letter', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }], responses: { '200': json('{delivered, error}: whether the receiver took the dead letter this time'), '401': problem, '403': problem, '404': problem } } },
    '/v1/subscriptions/{id}/resume': { post: { tags: ['subscriptions'], operationId: 'resumeSubscription', parameters: [idParam()], responses: { '200': json('Active again, from the first event it had not delivered'), '401': problem, '403': problem, '404': problem } } },
    '/v1/subscriptions/{id}/deliveries': { get: { tags: ['subscriptions'], operationId: 'subscriptionDeliveries', parameters: [idParam(), limitParam(500)], responses: { '200': json('Every delivery attempt, newest first'), '401': problem, '403': problem, '404': problem } } },
    '/v1/events/cursors/{consumer}': { get: { tags: ['events'], operationId: 'readPullCursor', parameters: [consumerParam], responses: { '200': json('The committed cursor: { consumer, cursor }'), '401': problem, '403': problem, '404': problem, '503': problem } }, put: { tags: ['events'], operationId: 'commitPullCursor', parameters: [consumerParam], requestBody: jsonBodyOf({ type: 'object', required: ['cursor'], properties: { cursor: { type: 'string' } } }), responses: { '200': json('Committed; GET /v1/events?consumer=<name> continues after it'), '400': problem, '401': problem, '403': problem, '422': problem } } },
    '/oauth/token': { post: { operationId: 'token', security: [], summary: 'OAuth 2.0 client credentials: client_id and client_secret (the API key)', requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['grant_type'], properties: { grant_type: { const: 'client_credentials' }, client_id: { type: 'string' }, client_secret: { type: 'string', description: "the client's API key" }, scope: { type: 'string', description: 'optional, space-separated rights the client holds (`sipd:daftar-sub-kegiatan catalog:read`): the token carries only those; a right the client lacks is `400 invalid_scope`' } } } } } }, responses: { '200': json('A short-lived token (with `scope` when narrowed)'), '400': json('Unsupported grant, or a scope naming a right the client lacks (invalid_scope)'), '401': json('Invalid client') } } },
    '/.well-known/openid-configuration': { get: { operationId: 'openidConfiguration', summary: 'OpenID discovery: the token endpoint, jwks_uri and the grant types the hub supports', responses: { '200': json('The discovery document (RFC 8414 fields)') } } },
    '/openapi.json': { get: { operationId: 'openApiDocument', summary: 'This OpenAPI 3.1 document', responses: { '200': json('The document') } } },
    '/.well-known/jwks.json': { get: { operationId: 'jwks', security: [], responses: { '200': json('The public key tokens are verified with') } } },
  };
}

/**
 * Any status an operation does not list explicitly is an RFC 9457 problem: every operation gets
 * a `default` response, so a 401, 429 or 503 from the security and resilience layers is still
 * described by the document.
 */
function withProblemDefault(document: object): object {
  const paths = (document as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> }).paths;
  for (const methods of Object.values(paths)) {
    for (const operation of Object.values(methods)) operation.responses = { ...operation.responses, default: problem };
  }
  return document;
}
