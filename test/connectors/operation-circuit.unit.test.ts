// An operation with a circuit of its own (manifest `circuit: operation`): its upstream failing
// opens that circuit alone, and the connector's other operations go on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectorRuntime } from '../../src/connectors/connector-runtime.js';
import type { LoadedConnector } from '../../src/connectors/discovery.js';
import type { ConnectorManifest } from '../../src/connectors/manifest.js';
import { UpstreamError, type QueryHandler } from '../../src/connectors/sdk.js';
import { HubError } from '../../src/errors/catalogue.js';

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // /rapuh always fails; /sehat always answers.
  server = createServer((req, res) => res.writeHead(req.url === '/rapuh' ? 503 : 200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

const handler = (path: string): QueryHandler => ({
  request: () => ({ method: 'GET', path }),
  response: (upstream) => {
    if (upstream.status >= 500) throw new UpstreamError('upstream-unavailable', `HTTP ${upstream.status}`, { retryable: true });
    return upstream.body;
  },
});

function runtime(): ConnectorRuntime {
  const query = { kind: 'query', summary: 's', http: { method: 'GET', path: '/v1/uji/x' }, input: {}, output: 'pengaduan.v1', classification: 'publik', idempotent: true } as const;
  const manifest = {
    id: 'uji', name: 'Uji', owner: 'Diskominfo', version: '1.0.0', description: 'd', formats: ['json'], quirks: [],
    upstream: { baseUrlEnv: 'UJI_BASE_URL', settings: {} },
    resilience: { retries: 0, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } },
    operations: { rapuh: { ...query, circuit: 'operation' }, sehat: query },
  } as unknown as ConnectorManifest;
  const loaded: LoadedConnector = { manifest, directory: '/tmp', definition: { queries: { rapuh: handler('/rapuh'), sehat: handler('/sehat') } } };
  return new ConnectorRuntime(loaded, baseUrl, {}, pino({ level: 'silent' }));
}

it('opens only the failing operation’s circuit', async () => {
  const connector = runtime();
  const call = (operation: 'rapuh' | 'sehat'): Promise<unknown> => connector.call(operation, connector.loaded.definition.queries![operation]!.request({}, connector.context), (r) => connector.loaded.definition.queries![operation]!.response(r, {}, connector.context), { idempotent: false });
  for (let i = 0; i < 3; i++) await expect(call('rapuh')).rejects.toBeInstanceOf(UpstreamError);
  const refused = await call('rapuh').catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(HubError);
  expect((refused as HubError).code).toBe('circuit-open');
  expect(connector.operationCircuits.get('rapuh')!.state()).toBe('open');
  expect(connector.circuit.state()).toBe('closed');
  await expect(call('sehat')).resolves.toEqual({ ok: true });
  connector.shutdown();
});
