// A connector runtime with bare query operations against a test HTTP server: for tests of what
// the runtime wraps around every upstream call (circuits, deadlines, retries, bulkheads).
import { pino } from 'pino';
import { ConnectorRuntime } from '../../src/connectors/connector-runtime.js';
import type { LoadedConnector } from '../../src/connectors/discovery.js';
import type { ConnectorManifest, ResilienceSettings } from '../../src/connectors/manifest.js';
import { UpstreamError, type QueryHandler } from '../../src/connectors/sdk.js';

/** GET `path`; a 5xx is a retryable upstream failure, anything else the answer's body. */
const queryOf = (path: string): QueryHandler => ({
  request: () => ({ method: 'GET', path }),
  response: (upstream) => {
    if (upstream.status >= 500) throw new UpstreamError('upstream-unavailable', `HTTP ${upstream.status}`, { retryable: true });
    return upstream.body;
  },
});

/**
 * A runtime of connector `uji` whose operations are named after the upstream paths they GET
 * (`{rapuh: {circuit: 'operation'}}` → operation `rapuh` calling `/rapuh`).
 */
export function queryRuntime(baseUrl: string, resilience: ResilienceSettings, operations: Record<string, { circuit?: 'operation' }>): ConnectorRuntime {
  const query = { kind: 'query', summary: 's', http: { method: 'GET', path: '/v1/uji/x' }, input: {}, output: 'pengaduan.v1', classification: 'publik', idempotent: true } as const;
  const manifest = {
    id: 'uji', name: 'Uji', owner: 'Diskominfo', version: '1.0.0', description: 'd', formats: ['json'], quirks: [],
    upstream: { baseUrlEnv: 'UJI_BASE_URL', settings: {} },
    resilience,
    operations: Object.fromEntries(Object.entries(operations).map(([id, extra]) => [id, { ...query, ...extra }])),
  } as unknown as ConnectorManifest;
  const queries = Object.fromEntries(Object.keys(operations).map((id) => [id, queryOf(`/${id}`)]));
  const loaded: LoadedConnector = { manifest, directory: '/tmp', definition: { queries } };
  return new ConnectorRuntime(loaded, baseUrl, {}, pino({ level: 'silent' }));
}

/** Calls a query operation of a queryRuntime through the runtime, as the gateway does. */
export function callQuery(connector: ConnectorRuntime, operation: string, idempotent = false): Promise<unknown> {
  const query = connector.loaded.definition.queries![operation]!;
  return connector.call(operation, query.request({}, connector.context), (r) => query.response(r, {}, connector.context), { idempotent });
}
