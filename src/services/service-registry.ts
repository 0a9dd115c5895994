// Registered OPD services and the access requests to them, on the control-plane state layer:
// every instance reads them from memory (so a grant or a retirement holds on every hub once
// followed), writes resolve once durable. Tables: `services` (the current version of each),
// `service-versions` (every version, `<id>@<version>`), `access-requests`.
import type { StateLayer, StateTable } from '../state/state-layer.js';
import { serviceRight, type AccessRequest, type ServiceDefinition, type ServiceOperation } from './service-definition.js';

export type ServiceRegistryChange =
  | { kind: 'service'; id: string; service: ServiceDefinition | undefined }
  | { kind: 'access-request'; id: string; request: AccessRequest | undefined };

/** An operation matched by method and a concrete path, with its path parameters. */
export interface MatchedOperation {
  operation: ServiceOperation;
  params: Record<string, string>;
}

export class ServiceRegistry {
  private readonly services: StateTable<ServiceDefinition>;
  private readonly versions: StateTable<ServiceDefinition>;
  private readonly requests: StateTable<AccessRequest>;
  /** Approved requests by client, rebuilt after a change: consulted on every authenticated request. */
  private grantsByClient: Map<string, AccessRequest[]> | undefined;
  private readonly matchers = new Map<string, { version: number; routes: { operation: ServiceOperation; pattern: RegExp; names: string[] }[] }>();

  constructor(state: StateLayer, private readonly now: () => Date = () => new Date()) {
    this.services = state.table<ServiceDefinition>('services');
    this.versions = state.table<ServiceDefinition>('service-versions');
    this.requests = state.table<AccessRequest>('access-requests');
    this.requests.onChange(() => (this.grantsByClient = undefined));
  }

  get(id: string): ServiceDefinition | undefined {
    return this.services.get(id);
  }

  /** Every service, retired ones included, in id order. */
  list(): ServiceDefinition[] {
    return this.services.entries().map(([, service]) => service);
  }

  /** Every stored version of a service, oldest first. */
  versionsOf(id: string): ServiceDefinition[] {
    return this.versions.entries().filter(([, service]) => service.id === id).map(([, service]) => service).sort((a, b) => a.version - b.version);
  }

  /** The active service's operation for `method` and a concrete path (`/pegawai/1987`), if any. */
  operation(serviceId: string, method: string, path: string): ServiceOperation | undefined {
    return this.matchOperation(serviceId, method, path)?.operation;
  }

  matchOperation(serviceId: string, method: string, path: string): MatchedOperation | undefined {
    const service = this.services.get(serviceId);
    if (!service || service.status !== 'active') return undefined;
    let compiled = this.matchers.get(serviceId);
    if (!compiled || compiled.version !== service.version) {
      compiled = { version: service.version, routes: service.operations.map((operation) => ({ operation, ...templatePattern(operation.path) })) };
      this.matchers.set(serviceId, compiled);
    }
    const wanted = method.toUpperCase();
    // A literal segment wins over a parameter (`/pegawai/aktif` before `/pegawai/{nip}`), as in OpenAPI.
    const candidates = compiled.routes.filter((route) => route.operation.method === wanted).sort((a, b) => a.names.length - b.names.length);
    for (const route of candidates) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      try {
        return { operation: route.operation, params: Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)])) };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  accessRequest(id: string): AccessRequest | undefined {
    const request = this.requests.get(id);
    return request && this.current(request);
  }

  /** Every access request, with a lapsed grant shown as `expired`, oldest first. */
  accessRequests(): AccessRequest[] {
    return this.requests.entries().map(([, request]) => this.current(request)).sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0));
  }

  /** The rights the client's approved, unexpired grants to active services give it now. */
  grantedRights(clientId: string): string[] {
    const grants = this.grantIndex().get(clientId);
    if (!grants) return [];
    const now = this.now().getTime();
    const rights: string[] = [];
    for (const grant of grants) {
      if (grant.expiresAt && Date.parse(grant.expiresAt) <= now) continue;
      if (this.services.get(grant.service)?.status !== 'active') continue;
      if (grant.operations === '*') rights.push(serviceRight(grant.service, '*'));
      else for (const operation of grant.operations) rights.push(serviceRight(grant.service, operation));
    }
    return rights;
  }

  /** Stores a new current version (and keeps it among the versions). */
  async putService(service: ServiceDefinition): Promise<void> {
    await this.versions.put(`${service.id}@${service.version}`, service);
    await this.services.put(service.id, service);
  }

  async putAccessRequest(request: AccessRequest): Promise<void> {
    await this.requests.put(request.id, request);
  }

  /** Called after every change to a service or an access request, on this instance or another. */
  onChange(listener: (change: ServiceRegistryChange) => void): () => void {
    const stops = [
      this.services.onChange((change) => listener({ kind: 'service', id: change.key, service: change.value })),
      this.requests.onChange((change) => listener({ kind: 'access-request', id: change.key, request: change.value })),
    ];
    return () => stops.forEach((stop) => stop());
  }

  private current(request: AccessRequest): AccessRequest {
    if (request.status === 'approved' && request.expiresAt && Date.parse(request.expiresAt) <= this.now().getTime()) return { ...request, status: 'expired' };
    return request;
  }

  private grantIndex(): Map<string, AccessRequest[]> {
    if (!this.grantsByClient) {
      const index = new Map<string, AccessRequest[]>();
      for (const [, request] of this.requests.entries()) {
        if (request.status !== 'approved') continue;
        const list = index.get(request.client) ?? [];
        list.push(request);
        index.set(request.client, list);
      }
      this.grantsByClient = index;
    }
    return this.grantsByClient;
  }
}

/** `/pegawai/{nip}` → a pattern matching one path segment per parameter. */
function templatePattern(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}/]+\})/)
    .map((part) => {
      const parameter = /^\{([^}/]+)\}$/.exec(part);
      if (parameter) {
        names.push(parameter[1]!);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { pattern: new RegExp(`^${source}/?$`), names };
}
