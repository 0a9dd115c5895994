// An upstream client decides once, when it is built, whether it goes through a proxy: HTTP_PROXY
// (with its credentials) and NO_PROXY keep their meaning, and axios no longer reads them on every
// request. Real HTTP servers on 127.0.0.1: an upstream and a forward proxy that says it was used.
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { UpstreamClient } from '../../src/connectors/upstream-client.js';
import { proxyFor } from '../../src/connectors/upstream-proxy.js';
import { closeServer, listen, proxyVariables, startForwardProxy, type ForwardProxy } from '../support/http-servers.js';

let upstream: Server;
let proxy: ForwardProxy;
let upstreamUrl: string;
let proxyUrl: string;

beforeAll(async () => {
  upstream = createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ path: req.url })));
  upstreamUrl = await listen(upstream);
  proxy = await startForwardProxy();
  proxyUrl = proxy.url;
});
afterAll(async () => {
  await Promise.all([closeServer(upstream), proxy.close()]);
});

beforeEach(() => {
  proxy.proxied.length = 0;
  for (const name of proxyVariables) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const client = (): UpstreamClient => new UpstreamClient({ baseUrl: upstreamUrl, timeoutMs: 5000, concurrency: 2 });
const get = (c: UpstreamClient) => c.send({ method: 'GET', path: '/penduduk', query: { nik: '1' }, headers: {} });

it('connects directly when no proxy is set, and stays direct when one is set after it was built', async () => {
  expect(proxyFor(upstreamUrl)).toBe(false);
  const direct = client();
  vi.stubEnv('HTTP_PROXY', proxyUrl);
  const answer = await get(direct);
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ path: '/penduduk?nik=1' });
  expect(answer.headers.via).toBeUndefined();
  expect(proxy.proxied).toEqual([]);
});

it('goes through HTTP_PROXY, with the credentials its URL carries', async () => {
  vi.stubEnv('HTTP_PROXY', proxyUrl.replace('http://', 'http://penghubung:rahasia%40proxy@'));
  const answer = await get(client());
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ path: '/penduduk?nik=1' });
  expect(answer.headers.via).toBe('1.1 test-proxy');
  expect(proxy.proxied).toEqual([{ url: `${upstreamUrl}/penduduk?nik=1`, authorization: `Basic ${Buffer.from('penghubung:rahasia@proxy').toString('base64')}` }]);
});

it('connects directly to a host NO_PROXY names, even with HTTP_PROXY set', async () => {
  vi.stubEnv('HTTP_PROXY', proxyUrl);
  vi.stubEnv('NO_PROXY', 'example.go.id,127.0.0.1');
  expect(proxyFor(upstreamUrl)).toBe(false);
  const answer = await get(client());
  expect(answer.status).toBe(200);
  expect(answer.headers.via).toBeUndefined();
  expect(proxy.proxied).toEqual([]);
  // Another upstream, not named there, still goes through the proxy.
  expect(proxyFor('http://siak.example.id/api')).toMatchObject({ protocol: 'http:', host: '127.0.0.1', port: Number(new URL(proxyUrl).port) });
});
