// Calls to an OPD service through the hub: `/v1/layanan/{service}/{operation path}`. The operation
// is found by method and path template; the caller needs `layanan:<service>:<operation>` (its own
// rights or an approved grant); the body is checked against the registered schema; the service
// is called through its connector runtime (deadline, retries when idempotent, circuit, bulkhead,
// metrics) with the credentials its owner declared; its answer is checked against the registered
// schema, masked by the declared classification to the caller's clearance, and returned as JSON
// or XML as it came. An operation that declares `emits` publishes its answer as an event.
import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { HubError } from '../errors/catalogue.js';
import { mediaTypeOf, parseJsonBody } from '../http/json-body.js';
import { sendJson } from '../http/send-json.js';
import { schemaErrors } from '../schemas.js';
import { assertRight } from '../security/authorize.js';
import { maskBySchema } from '../security/masking.js';
import { enforce, RateLimiter } from '../security/rate-limit.js';
import { assertHttpOk } from '../connectors/upstream-answers.js';
import { UpstreamError } from '../connectors/upstream-error.js';
import type { UpstreamRequest, UpstreamResponse } from '../connectors/upstream-exchange.js';
import { toHubError } from '../connectors/problems.js';
import { buildXml, parseXml } from '../connectors/xml.js';
import { classificationSchema } from './classification-schema.js';
import type { ServiceEvents } from './service-events.js';
import type { ServiceRegistry } from './service-registry.js';
import { runtimeIdOf, type ServiceRuntimes } from './service-runtime.js';
import { serviceValidator } from './service-schemas.js';
import { serviceRight, type ServiceDefinition, type ServiceOperation } from './service-definition.js';

export interface ServiceCallDeps {
  registry: ServiceRegistry;
  runtimes: ServiceRuntimes;
  events: ServiceEvents;
  bodyLimitBytes: number;
  logger: Logger;
}

const xmlTypes = ['application/xml', 'text/xml'];
const prefix = '/v1/layanan/';

export function serviceCallRoutes(deps: ServiceCallDeps): Router {
  const router = Router();
  const limiter = new RateLimiter();
  const masks = new Map<string, { version: number; schema: object }>();
  const maskSchemaOf = (service: ServiceDefinition): object => {
    let mask = masks.get(service.id);
    if (mask?.version !== service.version) {
      mask = { version: service.version, schema: classificationSchema(service.classification) };
      masks.set(service.id, mask);
    }
    return mask.schema;
  };
  const readText = express.text({ type: () => true, limit: deps.bodyLimitBytes });

  router.all('/v1/layanan/:service{/*path}', async (req, res) => {
    const serviceId = req.params.service as string;
    const service = deps.registry.get(serviceId);
    if (!service || service.status !== 'active') throw new HubError('service-not-found', `no active OPD service ${serviceId}; see /v1/services`);
    // The path after the service's segment, as sent (still percent-encoded): the registry decodes the parameters it matches.
    const afterPrefix = req.path.slice(prefix.length);
    const path = afterPrefix.includes('/') ? afterPrefix.slice(afterPrefix.indexOf('/')) : '/';
    const matched = deps.registry.matchOperation(serviceId, req.method, path);
    if (!matched) throw new HubError('service-operation-not-found', `${service.id} has no operation ${req.method} ${path.length > 80 ? `${path.slice(0, 77)}...` : path}`);
    const { operation } = matched;
    const upstreamPath = pathFor(operation, matched.params);
    res.locals.auditOperation = serviceRight(service.id, operation.id);
    res.locals.auditConnector = runtimeIdOf(service.id);
    // The client's own rights and its approved grants (authentication adds those) must cover the operation.
    const client = assertRight(res, serviceRight(service.id, operation.id));
    if (service.rateLimitPerMinute) enforce(limiter.take(service.id, service.rateLimitPerMinute), service.rateLimitPerMinute);
    await new Promise<void>((done, fail) => readText(req, res, (error?: unknown) => (error ? fail(error) : done())));
    const body = requestBody(req, service, operation);

    const { runtime, credentials } = deps.runtimes.of(service);
    const query = req.originalUrl.indexOf('?');
    const request: UpstreamRequest = {
      method: operation.method,
      path: query < 0 ? upstreamPath : `${upstreamPath}${req.originalUrl.slice(query)}`,
      headers: {
        ...(await credentials.headers()),
        // The member calling, as X-Road tells a provider its client: the service may keep its own log.
        'x-penghubung-client': client.id,
        'x-correlation-id': String(res.locals.correlationId),
        // XML goes on as the client labelled it (application/xml or text/xml), as the service declared it.
        ...(body && 'xml' in body ? { 'content-type': `${mediaTypeOf(req.headers['content-type'])}; charset=utf-8` } : {}),
      },
      ...(body ? { body } : {}),
    };
    let answer: UpstreamResponse;
    try {
      answer = await runtime.call(operation.id, request, (response) => checked(response, service, () => credentials.rejected()), { idempotent: operation.idempotent });
    } catch (error) {
      throw toHubError(error);
    }
    const validate = serviceValidator(service, operation, 'response');
    if (validate && answer.body !== '' && !validate(answer.body)) {
      deps.logger.warn({ service: service.id, operation: operation.id, errors: validate.errors?.length ?? 0, correlation_id: res.locals.correlationId }, 'an OPD service answered outside its registered response schema');
      throw new HubError('service-response-invalid', `the answer of ${service.id}:${operation.id} does not match its registered response schema`, { errors: schemaErrors('', validate.errors) });
    }
    if (operation.emits && answer.body !== '') await deps.events.publish(service, operation, answer.body, { client: client.id, correlationId: String(res.locals.correlationId) });
    respond(res, answer, maskBySchema(maskSchemaOf(service), answer.body, client.clearance));
  });
  return router;
}

/**
 * The path the service is called at: the operation's template with each parameter encoded again
 * as one segment. A parameter that is a dot segment would make the service's URL climb to a path
 * nobody was granted (`/pegawai/..`), so it is refused.
 */
function pathFor(operation: ServiceOperation, params: Record<string, string>): string {
  return operation.path.replace(/\{([^}/]+)\}/g, (_whole, name: string) => {
    const value = params[name] ?? '';
    if (value === '' || value === '.' || value === '..') throw new HubError('request-invalid', `the path parameter ${name} must be a value, not "${value}"`, { errors: [{ pointer: name, message: 'not a path segment value' }] });
    return encodeURIComponent(value);
  });
}

/** The body to forward, checked: JSON parsed losslessly, XML through the hardened parser, both against the registered schema. */
function requestBody(req: Request, service: ServiceDefinition, operation: ServiceOperation): UpstreamRequest['body'] | undefined {
  const text = typeof req.body === 'string' ? req.body : '';
  if (text === '') {
    const validate = serviceValidator(service, operation, 'request');
    if (validate && req.method !== 'GET' && req.method !== 'DELETE') throw new HubError('request-invalid', `${service.id}:${operation.id} needs a body`, { errors: [{ pointer: '', message: 'required' }] });
    return undefined;
  }
  const mediaType = mediaTypeOf(req.headers['content-type']);
  const accepted = operation.contentType === 'application/json' ? ['application/json'] : xmlTypes;
  if (!accepted.includes(mediaType)) throw new HubError('content-type-unsupported', `send ${accepted.join(' or ')}, not ${mediaType || 'no content type'}`);
  const document = mediaType === 'application/json' ? parseJsonBody(text) : parseXml(text);
  const validate = serviceValidator(service, operation, 'request');
  if (validate && !validate(document)) throw new HubError('request-invalid', `the body of ${service.id}:${operation.id} does not match its registered schema`, { errors: schemaErrors('', validate.errors) });
  return mediaType === 'application/json' ? { json: document } : { xml: text };
}

/** The service's answer as the runtime counts it: 5xx, 408 and 429 are failures (retried, opening the circuit); 4xx are refusals. */
function checked(response: UpstreamResponse, service: ServiceDefinition, credentialsRejected: () => void): UpstreamResponse {
  if (response.status === 404) throw new UpstreamError('upstream-record-not-found', `${service.title} has no such record`);
  if (response.status === 401 || response.status === 403) credentialsRejected();
  assertHttpOk(response, service.title);
  if (typeof response.body === 'string' && response.body.trim() !== '') throw new UpstreamError('upstream-bad-response', `${service.title} answered text that is neither JSON nor XML`);
  return typeof response.body === 'string' ? { ...response, body: '' } : response;
}

function respond(res: Response, answer: UpstreamResponse, masked: unknown): void {
  if (answer.body === '') {
    res.status(answer.status).end();
    return;
  }
  if (/xml/i.test(answer.headers['content-type'] ?? '')) {
    res.status(answer.status).type(mediaTypeOf(answer.headers['content-type'])).send(buildXml(masked as Record<string, unknown>));
    return;
  }
  sendJson(res, answer.status, masked);
}
