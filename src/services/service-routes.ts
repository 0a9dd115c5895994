// The services API: publishing (right services:publish; only the owner or an operator changes a
// service), the list of services (catalog:read), access by request (services:request) and the
// owner's decisions. Each exchange goes into the signed audit chain through the gateway's audit
// middleware, under the operation named here (`services:register`, `services:approve`, …) with
// the service as connector `layanan:<id>`; the answer's digest ties the entry to the record.
import { Router, type Request, type RequestHandler } from 'express';
import { HubError } from '../errors/catalogue.js';
import { jsonBody } from '../http/json-body.js';
import { assertRight, clientOf } from '../security/authorize.js';
import type { Client } from '../security/clients.js';
import { holds } from '../security/rights.js';
import { serviceIdPattern, type AccessRequestStatus } from './service-definition.js';
import type { ServiceAccess } from './service-access.js';
import { shownService } from './service-catalog.js';
import type { ServicePublisher } from './service-publisher.js';
import type { ServiceRegistry } from './service-registry.js';

export interface ServiceRouteDeps {
  registry: ServiceRegistry;
  publisher: ServicePublisher;
  access: ServiceAccess;
  bodyLimitBytes: number;
}

/**
 * Names the audited operation (and the service, as connector `layanan:<id>`), then checks the
 * right: before any body is read, so a client without it learns nothing about its input.
 * Operators administer services and decide on requests by their role, as they do the admin API.
 */
function guard(operation: string, right: string | ((client: Client) => string)): RequestHandler {
  return (req, res, next) => {
    res.locals.auditOperation = `services:${operation}`;
    const service = req.params.id;
    if (typeof service === 'string' && serviceIdPattern.test(service)) res.locals.auditConnector = `layanan:${service}`;
    const client = clientOf(res);
    if (client.role !== 'operator') assertRight(res, typeof right === 'string' ? right : right(client));
    next();
  };
}

/** Access requests are listed to publishers (those to their services) and requesters (their own). */
const listerRight = (client: Client): string => (holds(client, 'services:publish') ? 'services:publish' : 'services:request');

/** A JSON body when one is sent; none at all is fine too (approve without expiry, revoke without reason). */
function optionalJsonBody(limitBytes: number): RequestHandler[] {
  const [read, parse] = jsonBody(limitBytes, ['application/json']);
  const sent = (req: Request): boolean => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  return [(req, res, next) => (sent(req) ? read!(req, res, next) : next()), (req, res, next) => (sent(req) ? parse!(req, res, next) : next())];
}

export function serviceRoutes(deps: ServiceRouteDeps): Router {
  const router = Router();
  const body = jsonBody(deps.bodyLimitBytes, ['application/json']);
  const optionalBody = optionalJsonBody(deps.bodyLimitBytes);
  const id = (req: Request): string => req.params.id as string;
  const found = (serviceId: string) => {
    const service = deps.registry.get(serviceId);
    if (!service) throw new HubError('service-not-found', `no service ${serviceId}; see GET /v1/services`);
    return service;
  };

  router.get('/v1/services', guard('list', 'catalog:read'), (_req, res) => {
    res.json({ services: deps.registry.list().map((service) => shownService(service, clientOf(res))) });
  });
  router.post('/v1/services', guard('register', 'services:publish'), ...body, async (req, res) => {
    const service = await deps.publisher.register(clientOf(res), req.body);
    res.locals.auditConnector = `layanan:${service.id}`;
    res.status(201).location(`/v1/services/${service.id}`).json(shownService(service, clientOf(res), true));
  });
  router.get('/v1/services/:id', guard('read', 'catalog:read'), (req, res) => {
    const service = found(id(req));
    const versions = deps.registry.versionsOf(service.id).map(({ version, status, updatedAt }) => ({ version, status, updatedAt }));
    res.json({ ...shownService(service, clientOf(res), true), versions });
  });
  router.put('/v1/services/:id', guard('update', 'services:publish'), ...body, async (req, res) => {
    res.json(shownService(await deps.publisher.update(clientOf(res), id(req), req.body), clientOf(res), true));
  });
  router.delete('/v1/services/:id', guard('retire', 'services:publish'), async (req, res) => {
    res.json(shownService(await deps.publisher.retire(clientOf(res), id(req)), clientOf(res)));
  });

  router.get('/v1/access-requests', guard('access-requests', listerRight), (req, res) => {
    // One of the documented states, given once (gateway/query-validation.ts).
    const status = req.query.status as AccessRequestStatus | undefined;
    res.json({ access_requests: deps.access.visible(clientOf(res)).filter((request) => status === undefined || request.status === status) });
  });
  router.get('/v1/services/:id/access-requests', guard('access-requests', listerRight), (req, res) => {
    found(id(req));
    res.json({ access_requests: deps.access.visible(clientOf(res), id(req)) });
  });
  router.post('/v1/services/:id/access-requests', guard('request-access', 'services:request'), ...body, async (req, res) => {
    const request = await deps.access.request(clientOf(res), id(req), req.body);
    res.status(201).location(`/v1/services/${request.service}/access-requests/${request.id}`).json(request);
  });
  router.get('/v1/services/:id/access-requests/:request', guard('access-request', listerRight), (req, res) => {
    res.json(deps.access.one(clientOf(res), id(req), req.params.request as string));
  });
  // Decisions: the owner (a publisher) or an operator.
  router.post('/v1/services/:id/access-requests/:request/approve', guard('approve', 'services:publish'), ...optionalBody, async (req, res) => {
    res.json(await deps.access.approve(clientOf(res), id(req), req.params.request as string, req.body));
  });
  router.post('/v1/services/:id/access-requests/:request/refuse', guard('refuse', 'services:publish'), ...body, async (req, res) => {
    res.json(await deps.access.refuse(clientOf(res), id(req), req.params.request as string, req.body));
  });
  router.post('/v1/services/:id/access-requests/:request/revoke', guard('revoke', 'services:publish'), ...optionalBody, async (req, res) => {
    res.json(await deps.access.revoke(clientOf(res), id(req), req.params.request as string, req.body));
  });
  return router;
}
