// An operation with a circuit of its own (manifest `circuit: operation`): its upstream failing
// opens that circuit alone, and the connector's other operations go on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UpstreamError } from '../../src/connectors/sdk.js';
import { HubError } from '../../src/errors/catalogue.js';
import { callQuery, queryRuntime } from '../support/query-runtime.js';

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

it('opens only the failing operation’s circuit', async () => {
  const connector = queryRuntime(baseUrl, { retries: 0, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } }, { rapuh: { circuit: 'operation' }, sehat: {} });
  const call = (operation: 'rapuh' | 'sehat'): Promise<unknown> => callQuery(connector, operation);
  for (let i = 0; i < 3; i++) await expect(call('rapuh')).rejects.toBeInstanceOf(UpstreamError);
  const refused = await call('rapuh').catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(HubError);
  expect((refused as HubError).code).toBe('circuit-open');
  expect(connector.operationCircuits.get('rapuh')!.state()).toBe('open');
  expect(connector.circuit.state()).toBe('closed');
  await expect(call('sehat')).resolves.toEqual({ ok: true });
  connector.shutdown();
});
