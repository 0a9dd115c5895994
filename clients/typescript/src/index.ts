// A typed client for the Penghubung canonical API: openapi-fetch over the types openapi-typescript
// generated from the hub's /openapi.json (./schema.d.ts). Paths, parameters, bodies and answers
// are checked by the compiler; errors come back as the hub's problem+json.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

/** The canonical records (`components['schemas']['penduduk.v1']`, …) by schema name. */
export type Schemas = components['schemas'];

/** RFC 9457 problem with the hub's stable `code` (docs/ERRORS.md). */
export type Problem = Schemas['Problem'];

export interface PenghubungOptions {
  /** The hub's address, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Your application's own API key (sent as X-API-Key); answers are masked to its clearance. */
  apiKey: string;
  /** A fetch of your own (proxies, tests); the global one otherwise. */
  fetch?: typeof globalThis.fetch;
}

export type PenghubungClient = Client<paths>;

export function createPenghubungClient(options: PenghubungOptions): PenghubungClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { 'X-API-Key': options.apiKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
