// Access to a service by request and approval (X-Road style): a client asks with a purpose (UU
// PDP purpose limitation), the owner OPD or an operator approves (optionally until a date),
// refuses with a reason, or later revokes. An approved request is a grant: rights
// `layanan:<service>:<operation>` the authorisation checks honour from memory, no restart.
import { ulid } from 'ulid';
import { HubError } from '../errors/catalogue.js';
import { schemaErrors } from '../schemas.js';
import type { Client } from '../security/clients.js';
import { refuseUnknownRights } from '../security/right-names.js';
import { serviceRight, validateAccessRequestInput, type AccessRequest, type AccessRequestStatus, type ServiceDefinition } from './service-definition.js';
import type { AccessEvents } from './access-events.js';
import type { ServiceRegistry } from './service-registry.js';

const reasonLength = 2000;

export class ServiceAccess {
  private readonly now: () => Date;

  /** `events`: each request and decision is also published (after it is stored) as a layanan.akses.* event. */
  constructor(private readonly registry: ServiceRegistry, private readonly options: { events?: AccessEvents; now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async request(client: Client, serviceId: string, body: unknown): Promise<AccessRequest> {
    const service = this.registry.get(serviceId);
    if (!service || service.status !== 'active') throw new HubError('service-not-found', `no active service ${serviceId}; see GET /v1/services`);
    if (!validateAccessRequestInput(body)) throw new HubError('request-invalid', 'an access request needs a purpose (10 characters or more) and may name operations', { errors: schemaErrors('', validateAccessRequestInput.errors) });
    const operations = body.operations ?? '*';
    // The grant is the rights layanan:<service>:<operation>: each must name an operation of the service.
    if (operations !== '*') refuseUnknownRights(operations.map((id) => serviceRight(serviceId, id)), service.operations.map((operation) => serviceRight(serviceId, operation.id)), (index) => `/operations/${index}`);
    const request: AccessRequest = { id: ulid(), service: serviceId, operations, client: client.id, purpose: body.purpose, status: 'pending', requestedAt: this.now().toISOString() };
    await this.registry.putAccessRequest(request);
    await this.options.events?.published(request, service, client.id);
    return request;
  }

  /** Requests the client may see: to services it owns, its own; an operator's, all. Optionally of one service. */
  visible(client: Client, serviceId?: string): AccessRequest[] {
    return this.registry.accessRequests().filter((request) => (serviceId === undefined || request.service === serviceId) && this.canSee(client, request));
  }

  one(client: Client, serviceId: string, requestId: string): AccessRequest {
    const request = this.registry.accessRequest(requestId);
    if (!request || request.service !== serviceId || !this.canSee(client, request)) throw new HubError('access-request-not-found', `no access request ${requestId} to ${serviceId} visible to you`);
    return request;
  }

  async approve(client: Client, serviceId: string, requestId: string, body: unknown): Promise<AccessRequest> {
    const { expiresAt } = decisionBody(body, ['expiresAt']);
    if (expiresAt !== undefined) {
      if (typeof expiresAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(expiresAt) || Number.isNaN(Date.parse(expiresAt))) {
        throw new HubError('request-invalid', 'expiresAt: an ISO 8601 date-time with its zone', { errors: [{ pointer: '/expiresAt', message: 'e.g. 2027-06-30T16:59:59Z' }] });
      }
      if (Date.parse(expiresAt) <= this.now().getTime()) throw new HubError('request-invalid', 'expiresAt is in the past', { errors: [{ pointer: '/expiresAt', message: 'must be later than now' }] });
    }
    return this.decide(client, serviceId, requestId, 'pending', 'approved', { ...(typeof expiresAt === 'string' ? { expiresAt: new Date(expiresAt).toISOString() } : {}) });
  }

  async refuse(client: Client, serviceId: string, requestId: string, body: unknown): Promise<AccessRequest> {
    const { reason } = decisionBody(body, ['reason']);
    if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > reasonLength) throw new HubError('request-invalid', 'reason: why the request is refused', { errors: [{ pointer: '/reason', message: `required, 1 to ${reasonLength} characters` }] });
    return this.decide(client, serviceId, requestId, 'pending', 'refused', { reason });
  }

  async revoke(client: Client, serviceId: string, requestId: string, body: unknown): Promise<AccessRequest> {
    const { reason } = decisionBody(body, ['reason']);
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > reasonLength)) throw new HubError('request-invalid', 'reason: text', { errors: [{ pointer: '/reason', message: `up to ${reasonLength} characters` }] });
    return this.decide(client, serviceId, requestId, 'approved', 'revoked', typeof reason === 'string' ? { reason } : {});
  }

  private async decide(client: Client, serviceId: string, requestId: string, from: AccessRequestStatus, to: AccessRequestStatus, extra: Partial<AccessRequest>): Promise<AccessRequest> {
    const request = this.one(client, serviceId, requestId);
    const service = this.registry.get(serviceId) as ServiceDefinition;
    if (service.owner !== client.id && client.role !== 'operator') throw new HubError('forbidden', `only the owner of ${serviceId} (${service.owner}) or an operator decides on its access requests`);
    if (request.status !== from) throw new HubError('access-request-decided', `access request ${requestId} is ${request.status}, not ${from}`);
    const decided: AccessRequest = { ...request, ...extra, status: to, decidedBy: client.id, decidedAt: this.now().toISOString() };
    await this.registry.putAccessRequest(decided);
    await this.options.events?.published(decided, service, client.id);
    return decided;
  }

  private canSee(client: Client, request: AccessRequest): boolean {
    return client.role === 'operator' || request.client === client.id || this.registry.get(request.service)?.owner === client.id;
  }
}

/** A decision's body: an object with only the named members (or none at all). */
function decisionBody(body: unknown, allowed: string[]): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new HubError('request-invalid', 'the body must be a JSON object');
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length) throw new HubError('request-invalid', `unexpected attribute ${extra.join(', ')}`, { errors: extra.map((key) => ({ pointer: `/${key}`, message: `unexpected attribute ${key}` })) });
  return body as Record<string, unknown>;
}
