// How a registered service is shown: in the API (never a sealed secret), and in the catalogue
// next to the connectors (operations, the rights that call them, where they are called).
import type { ServiceAuth, ServiceDefinition } from './service-definition.js';
import { serviceRight } from './service-definition.js';

/** The hub's path of an operation: `/v1/layanan/ekinerja/pegawai/{nip}`. */
export const layananPath = (service: string, operationPath: string): string => `/v1/layanan/${service}${operationPath}`;

/** What the hub authenticates with, without the secret (not even sealed). */
function shownAuth(auth: ServiceAuth): Record<string, unknown> {
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'api-key':
      return { type: 'api-key', header: auth.header };
    case 'basic':
      return { type: 'basic', username: auth.username };
    case 'oauth-client-credentials':
      return { type: 'oauth-client-credentials', tokenUrl: auth.tokenUrl, clientId: auth.clientId, ...(auth.scope ? { scope: auth.scope } : {}) };
  }
}

/**
 * A service as the API answers it; `withDocument` adds the registered OpenAPI document. Where the
 * service lives on the intranet and how the hub signs in to it are the owner's and operators'
 * business only: consumers call it through the hub, as X-Road members never see a provider's address.
 */
export function shownService(service: ServiceDefinition, viewer: { id: string; role: string }, withDocument = false): Record<string, unknown> {
  const { openapi, auth, baseUrl, ...rest } = service;
  const internal = viewer.role === 'operator' || viewer.id === service.owner;
  return { ...rest, ...(internal ? { baseUrl, auth: shownAuth(auth) } : {}), ...(withDocument && openapi !== undefined ? { openapi } : {}) };
}

/** A service's entry in `GET /v1/catalog`. */
export function serviceCatalogEntry(service: ServiceDefinition): Record<string, unknown> {
  return {
    id: service.id,
    title: service.title,
    description: service.description ?? null,
    owner: service.owner,
    opd: service.opd,
    version: service.version,
    status: service.status,
    operations: service.operations.map((operation) => ({
      id: operation.id,
      summary: operation.summary ?? null,
      http: { method: operation.method, path: layananPath(service.id, operation.path) },
      right: serviceRight(service.id, operation.id),
      content_type: operation.contentType,
      idempotent: operation.idempotent,
      event_type: operation.emits ?? null,
    })),
    access: `POST /v1/services/${service.id}/access-requests`,
  };
}
