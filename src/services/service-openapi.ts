// The services' part of /openapi.json: the management API (/v1/services, access requests) and a
// path per operation of every active registered service under /v1/layanan/{service}/..., with
// the request and response schemas of its registered OpenAPI document. Rebuilt on every change.
import { layananPath } from './service-catalog.js';
import { serviceInputSchema, serviceRight, type ServiceDefinition } from './service-definition.js';

const problem = { $ref: '#/components/responses/Problem' };
const json = (description: string): object => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const param = (name: string): object => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const body = (schema: object, required = true): object => ({ required, content: { 'application/json': { schema } } });
const tags = ['services'];

export function serviceOpenApiPaths(services: ServiceDefinition[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = { ...managementPaths() };
  for (const service of services) {
    if (service.status !== 'active') continue;
    for (const operation of service.operations) {
      const parameters = [...operation.path.matchAll(/\{([^}/]+)\}/g)].map((match) => param(match[1]!));
      const hasBody = operation.method !== 'GET' && operation.method !== 'DELETE';
      (paths[layananPath(service.id, operation.path)] ??= {})[operation.method.toLowerCase()] = {
        operationId: `layanan.${service.id}.${operation.id}`,
        tags: [`layanan:${service.id}`],
        summary: operation.summary ?? `${service.title}: ${operation.id}`,
        description: `OPD service ${service.id} v${service.version} of ${service.opd}, called through the hub. Needs the right ${serviceRight(service.id, operation.id)} (granted by request and approval: POST /v1/services/${service.id}/access-requests).`,
        ...(parameters.length ? { parameters } : {}),
        ...(hasBody ? { requestBody: { required: true, content: { [operation.contentType]: { schema: operation.requestSchema ?? {} } } } } : {}),
        responses: {
          '200': { description: 'The service answer, masked to the caller’s clearance by the declared classification', content: { [operation.contentType]: { schema: operation.responseSchema ?? {} } } },
          '400': problem, '403': problem, '404': problem, '422': problem, '429': problem, '502': problem, '503': problem, '504': problem,
        },
        'x-right': serviceRight(service.id, operation.id),
        // The query goes to the service as it came; its own document says what it takes.
        'x-penghubung-open-query': true,
        ...(operation.emits ? { 'x-event-type': operation.emits } : {}),
      };
    }
  }
  return paths;
}

function managementPaths(): Record<string, Record<string, unknown>> {
  const definition = { ...serviceInputSchema, description: 'An OpenAPI 3.0/3.1 document (openapi) or a list of operations; auth secrets are sealed and never shown back; classification maps JSON pointers to publik/terbatas/rahasia (unlisted fields are rahasia). In a PUT, id may be left out and auth left out keeps the current credentials. See docs/SERVICES.md.' };
  const decision = (operationId: string, summary: string, schema: object, required: boolean): Record<string, unknown> => ({ post: { tags, operationId, summary, parameters: [param('id'), param('request')], requestBody: body(schema, required), responses: { '200': json('The access request after the decision'), '401': problem, '403': problem, '404': problem, '409': problem, '422': problem } } });
  return {
    '/v1/services': {
      get: { tags, operationId: 'listServices', summary: 'Registered OPD services (secrets never shown)', responses: { '200': json('{services}'), '401': problem, '403': problem } },
      post: { tags, operationId: 'registerService', summary: 'Publish an OPD service (right services:publish); live at once, no restart', requestBody: body(definition), responses: { '201': json('The service, version 1'), '401': problem, '403': problem, '409': problem, '422': problem } },
    },
    '/v1/services/{id}': {
      get: { tags, operationId: 'getService', parameters: [param('id')], responses: { '200': json('The service with its OpenAPI document and its versions'), '401': problem, '403': problem, '404': problem } },
      put: { tags, operationId: 'updateService', summary: 'A new version (owner or operator); auth left out keeps the current credentials', parameters: [param('id')], requestBody: body(definition), responses: { '200': json('The new version'), '401': problem, '403': problem, '404': problem, '422': problem } },
      delete: { tags, operationId: 'retireService', summary: 'Retire the service (owner or operator); grants to it give nothing from now on', parameters: [param('id')], responses: { '200': json('The retired version'), '401': problem, '403': problem, '404': problem } },
    },
    '/v1/services/{id}/access-requests': {
      get: { tags, operationId: 'listServiceAccessRequests', parameters: [param('id')], responses: { '200': json('{access_requests}: to your service, or yours; operators all'), '401': problem, '403': problem, '404': problem } },
      post: { tags, operationId: 'requestServiceAccess', summary: 'Ask for access with a purpose (UU PDP); the owner or an operator decides', parameters: [param('id')], requestBody: body({ type: 'object', required: ['purpose'], properties: { purpose: { type: 'string', minLength: 10 }, operations: { oneOf: [{ const: '*' }, { type: 'array', items: { type: 'string' } }] } } }), responses: { '201': json('The pending request'), '401': problem, '403': problem, '404': problem, '422': problem } },
    },
    '/v1/services/{id}/access-requests/{request}': { get: { tags, operationId: 'getServiceAccessRequest', parameters: [param('id'), param('request')], responses: { '200': json('The access request'), '401': problem, '403': problem, '404': problem } } },
    '/v1/services/{id}/access-requests/{request}/approve': decision('approveServiceAccess', 'Approve (owner or operator): the grant becomes rights layanan:<service>:<operation>, until expiresAt if given', { type: 'object', properties: { expiresAt: { type: 'string', format: 'date-time' } } }, false),
    '/v1/services/{id}/access-requests/{request}/refuse': decision('refuseServiceAccess', 'Refuse (owner or operator), with a reason', { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }, true),
    '/v1/services/{id}/access-requests/{request}/revoke': decision('revokeServiceAccess', 'Revoke (owner or operator): the rights are gone at once', { type: 'object', properties: { reason: { type: 'string' } } }, false),
    '/v1/access-requests': { get: { tags, operationId: 'listAccessRequests', parameters: [{ name: 'status', in: 'query', schema: { enum: ['pending', 'approved', 'refused', 'revoked', 'expired'] } }], responses: { '200': json('{access_requests}: to your services and yours; operators all'), '401': problem, '403': problem } } },
  };
}
