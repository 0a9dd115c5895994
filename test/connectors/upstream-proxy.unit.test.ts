// An upstream client decides once, when it is built, whether it goes through a proxy: HTTP_PROXY
// (with its credentials) and NO_PROXY keep their meaning, and axios no longer reads them on every
// request. Real HTTP servers on 127.0.0.1: an upstream and a forward proxy that says it was used.
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { UpstreamClient } from '../../src/connectors/upstream-client.js';
import { proxyFor } from '../../src/connectors/upstream-proxy.js';

let upstream: Server;
let proxy: Server;
let upstreamUrl: string;
let proxyUrl: string;
/** What reached the proxy: the absolute URL asked for and its Proxy-Authorization. */
let proxied: { url: string; authorization: string | undefined }[] = [];

const listen = async (server: Server): Promise<string> => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  upstream = createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ path: req.url })));
  proxy = createServer((req, res) => {
    proxied.push({ url: req.url ?? '', authorization: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const forward = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, via: '1.1 test-proxy' });
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  upstreamUrl = await listen(upstream);
  proxyUrl = await listen(proxy);
});
afterAll(async () => {
  upstream.closeAllConnections();
  proxy.closeAllConnections();
  await Promise.all([new Promise((done) => upstream.close(done)), new Promise((done) => proxy.close(done))]);
});

const proxyVariables = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];
beforeEach(() => {
  proxied = [];
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
  expect(proxied).toEqual([]);
});

it('goes through HTTP_PROXY, with the credentials its URL carries', async () => {
  vi.stubEnv('HTTP_PROXY', proxyUrl.replace('http://', 'http://penghubung:rahasia%40proxy@'));
  const answer = await get(client());
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ path: '/penduduk?nik=1' });
  expect(answer.headers.via).toBe('1.1 test-proxy');
  expect(proxied).toEqual([{ url: `${upstreamUrl}/penduduk?nik=1`, authorization: `Basic ${Buffer.from('penghubung:rahasia@proxy').toString('base64')}` }]);
});

it('connects directly to a host NO_PROXY names, even with HTTP_PROXY set', async () => {
  vi.stubEnv('HTTP_PROXY', proxyUrl);
  vi.stubEnv('NO_PROXY', 'example.go.id,127.0.0.1');
  expect(proxyFor(upstreamUrl)).toBe(false);
  const answer = await get(client());
  expect(answer.status).toBe(200);
  expect(answer.headers.via).toBeUndefined();
  expect(proxied).toEqual([]);
  // Another upstream, not named there, still goes through the proxy.
  expect(proxyFor('http://siak.example.id/api')).toMatchObject({ protocol: 'http:', host: '127.0.0.1', port: Number(new URL(proxyUrl).port) });
});
