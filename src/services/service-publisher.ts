// Publishing a service: a client's definition checked (schema, OpenAPI, SSRF policy), its
// secrets sealed, stored as a new version. Only the owner or an operator changes a service.
import { stringify } from 'lossless-json';
import { HubError } from '../errors/catalogue.js';
import { schemaErrors } from '../schemas.js';
import type { Client } from '../security/clients.js';
import type { SecretBox } from '../security/secret-box.js';
import type { TargetGuard } from '../subscriptions/target-guard.js';
import { assertUniqueOperations, operationsFromOpenApi } from './openapi-operations.js';
import {
  DEFAULT_SERVICE_TIMEOUT_MS,
  type AccessRequest,
  serviceSecretOwner,
  validateServiceInput,
  type AuthInput,
  type ServiceAuth,
  type ServiceDefinition,
  type ServiceInput,
  type ServiceOperation,
} from './service-definition.js';
import type { AccessEvents } from './access-events.js';
import type { ServiceRegistry } from './service-registry.js';

export interface ServicePublisherDeps {
  registry: ServiceRegistry;
  secrets: SecretBox;
  /** The SSRF policy for service base URLs and token URLs (`services.allowedNetworks`). */
  guard: TargetGuard;
  /** The grants a retirement ends are published as layanan.akses.* events. */
  events?: AccessEvents;
  now?: () => Date;
}

export class ServicePublisher {
  private readonly now: () => Date;

  constructor(private readonly deps: ServicePublisherDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async register(client: Client, body: unknown): Promise<ServiceDefinition> {
    const input = await this.checked(body, undefined);
    const known = this.deps.registry.get(input.id);
    if (known) throw new HubError('service-exists', `a service ${input.id} exists already (owner ${known.owner}); PUT /v1/services/${input.id} makes a new version of your own`);
    const time = this.now().toISOString();
    const service = await this.definition(input, { version: 1, owner: client.id, opd: client.opd, createdAt: time, auth: undefined });
    await this.deps.registry.putService(service);
    return service;
  }

  /** A new version; `auth` left out keeps the current credentials (they are never shown back). */
  async update(client: Client, id: string, body: unknown): Promise<ServiceDefinition> {
    const current = this.owned(client, id);
    const input = await this.checked(body, id);
    const service = await this.definition(input, { version: current.version + 1, owner: current.owner, opd: current.opd, createdAt: current.createdAt, auth: current.auth });
    await this.deps.registry.putService(service);
    return service;
  }

  /**
   * Retired: no longer called nor listed as callable, kept with its versions (its id stays
   * taken). Its grants are revoked with it, so publishing it again grants nothing by itself.
   */
  async retire(client: Client, id: string): Promise<ServiceDefinition> {
    const current = this.owned(client, id);
    if (current.status === 'retired') return current;
    const time = this.now().toISOString();
    const service: ServiceDefinition = { ...current, version: current.version + 1, status: 'retired', updatedAt: time };
    await this.deps.registry.putService(service);
    for (const request of this.deps.registry.accessRequests()) {
      if (request.service !== id || (request.status !== 'approved' && request.status !== 'pending')) continue;
      const ended: AccessRequest = { ...request, status: request.status === 'approved' ? 'revoked' : 'refused', decidedBy: client.id, decidedAt: time, reason: `service ${id} retired` };
      await this.deps.registry.putAccessRequest(ended);
      await this.deps.events?.published(ended, service, client.id);
    }
    return service;
  }

  /** The service, if the client owns it or is an operator; 404 when unknown, 403 when another's. */
  owned(client: Client, id: string): ServiceDefinition {
    const service = this.deps.registry.get(id);
    if (!service) throw new HubError('service-not-found', `no service ${id}; see GET /v1/services`);
    if (service.owner !== client.id && client.role !== 'operator') throw new HubError('forbidden', `service ${id} belongs to ${service.owner}; only its owner or an operator changes it`);
    return service;
  }

  private async checked(received: unknown, pathId: string | undefined): Promise<ServiceInput> {
    // Stored as plain JSON: a number beyond 2^53 in a schema (an example, a bound) is kept as the nearest double.
    const body = received === undefined ? undefined : (JSON.parse(stringify(received) ?? 'null') as unknown);
    const input = pathId !== undefined && body && typeof body === 'object' && !('id' in body) ? { ...body, id: pathId } : body;
    if (!validateServiceInput(input)) throw new HubError('request-invalid', 'the service definition does not conform (see errors)', { errors: schemaErrors('', validateServiceInput.errors) });
    if (pathId !== undefined && input.id !== pathId) throw new HubError('request-invalid', `the body names service ${input.id}, the path ${pathId}`, { errors: [{ pointer: '/id', message: 'must equal the id in the path' }] });
    await this.assertTarget(input.baseUrl, '/baseUrl');
    if (input.auth?.type === 'oauth-client-credentials') await this.assertTarget(input.auth.tokenUrl, '/auth/tokenUrl');
    return input;
  }

  private async assertTarget(url: string, pointer: string): Promise<void> {
    try {
      await this.deps.guard.assertTarget(url);
    } catch (error) {
      if (!(error instanceof HubError) || error.code !== 'webhook-target-refused') throw error;
      const reason = error.errors?.[0]?.message ?? error.message;
      throw new HubError('service-target-refused', `${pointer.slice(1)}: ${reason}`, { errors: [{ pointer, message: reason }] });
    }
  }

  private async definition(input: ServiceInput, base: { version: number; owner: string; opd: string; createdAt: string; auth: ServiceAuth | undefined }): Promise<ServiceDefinition> {
    const operations = input.openapi ? await operationsFromOpenApi(input.openapi) : (input.operations ?? []).map(declared);
    assertUniqueOperations(operations, input.openapi ? '/openapi/paths' : '/operations');
    return {
      id: input.id,
      version: base.version,
      owner: base.owner,
      opd: base.opd,
      title: input.title,
      ...(input.description !== undefined ? { description: input.description } : {}),
      baseUrl: input.baseUrl.replace(/\/+$/, ''),
      ...(input.openapi ? { openapi: input.openapi } : {}),
      operations,
      auth: input.auth ? this.sealed(input.id, input.auth) : (base.auth ?? { type: 'none' }),
      classification: input.classification ?? {},
      timeoutMs: input.timeoutMs ?? DEFAULT_SERVICE_TIMEOUT_MS,
      ...(input.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
      ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
      status: 'active',
      createdAt: base.createdAt,
      updatedAt: this.now().toISOString(),
    };
  }

  private sealed(id: string, auth: AuthInput): ServiceAuth {
    const seal = (secret: string): string => this.deps.secrets.seal(secret, serviceSecretOwner(id));
    switch (auth.type) {
      case 'none':
        return auth;
      case 'api-key':
        return { type: 'api-key', header: auth.header, sealedValue: seal(auth.value) };
      case 'basic':
        return { type: 'basic', username: auth.username, sealedPassword: seal(auth.password) };
      case 'oauth-client-credentials':
        return { type: 'oauth-client-credentials', tokenUrl: auth.tokenUrl, clientId: auth.clientId, sealedSecret: seal(auth.secret), ...(auth.scope ? { scope: auth.scope } : {}) };
    }
  }
}

/** An operation declared without OpenAPI (XML/SOAP-style): idempotent and JSON unless told. */
function declared(operation: NonNullable<ServiceInput['operations']>[number]): ServiceOperation {
  return {
    ...operation,
    idempotent: operation.idempotent ?? (operation.method !== 'POST' && operation.method !== 'PATCH'),
    contentType: operation.contentType ?? 'application/json',
  };
}
