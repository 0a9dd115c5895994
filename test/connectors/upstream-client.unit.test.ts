// What an upstream receives from the runtime's client: the headers built once per body kind are
// the ones axios's defaults used to produce (names and values on the wire), a header a mapping
// names replaces the default whatever its case, and bodies arrive as encoded. An answer that
// never comes ends at the client's timeout, or at the caller's signal when that bounds it.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../src/connectors/upstream-client.js';
import { UpstreamError } from '../../src/connectors/upstream-error.js';
import type { UpstreamRequest } from '../../src/connectors/sdk.js';

let upstream: Server;
let client: UpstreamClient;
const received: { method: string; url: string; headers: string[]; body: string }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    // Never answered: the client's timeout or the caller's signal must end the call.
    if (req.url === '/stall') return;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      // Names as written and values, without Host (its port changes) and the transport's own.
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) if (!/^(host|connection|user-agent|accept-encoding|content-length)$/i.test(req.rawHeaders[i]!)) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      received.push({ method: req.method!, url: req.url!, headers, body });
      res.setHeader('content-type', 'application/json').end('{"ok":true}');
    });
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  client = new UpstreamClient({ baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`, timeoutMs: 5000, concurrency: 1 });
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((done) => upstream.close(done));
});

const accept = 'Accept: application/json, application/xml;q=0.9, */*;q=0.1';

it.each<[string, UpstreamRequest, { url: string; headers: string[]; body: string }]>([
  ['a GET with a query', { method: 'GET', path: '/a', query: { x: 1, y: undefined, z: 'a b' } }, { url: '/a?x=1&z=a+b', headers: [accept], body: '' }],
  ['a JSON body', { method: 'POST', path: '/b', body: { json: { nik: '3201010101010001' } } }, { url: '/b', headers: [accept, 'Content-Type: application/json'], body: '{"nik":"3201010101010001"}' }],
  ['an XML body', { method: 'POST', path: '/c', body: { xml: '<a/>' } }, { url: '/c', headers: [accept, 'Content-Type: text/xml; charset=utf-8'], body: '<a/>' }],
  ['a form body', { method: 'PUT', path: '/d', body: { form: { a: 1, b: 'x y' } } }, { url: '/d', headers: [accept, 'Content-Type: application/x-www-form-urlencoded'], body: 'a=1&b=x+y' }],
  ['headers a mapping names, in lower case', { method: 'POST', path: '/e', headers: { 'content-type': 'application/xml', accept: 'application/xml', 'X-Api-Key': 'k' }, body: { xml: '<a/>' } }, { url: '/e', headers: ['Accept: application/xml', 'Content-Type: application/xml', 'X-Api-Key: k'], body: '<a/>' }],
  ['headers a mapping names, capitalised', { method: 'GET', path: '/f', headers: { Authorization: 'Bearer t', Accept: 'application/json' } }, { url: '/f', headers: ['Accept: application/json', 'Authorization: Bearer t'], body: '' }],
])('sends %s as before', async (_, request, expected) => {
  const answer = await client.send(request);
  expect(answer).toMatchObject({ status: 200, body: { ok: true } });
  expect(received.at(-1)).toEqual({ method: request.method, ...expected });
});

it('leaves the headers built once unchanged by a request', async () => {
  await client.send({ method: 'POST', path: '/g', body: { json: [1] } });
  await client.send({ method: 'POST', path: '/h', headers: { 'Content-Type': 'application/vnd.api+json' }, body: { json: [2] } });
  await client.send({ method: 'POST', path: '/i', body: { json: [3] } });
  expect(received.slice(-3).map((r) => r.headers)).toEqual([
    [accept, 'Content-Type: application/json'],
    [accept, 'Content-Type: application/vnd.api+json'],
    [accept, 'Content-Type: application/json'],
  ]);
});

describe('an answer that never comes', () => {
  const stalled = { method: 'GET', path: '/stall' } as const;
  const clientWith = (options: { timeoutMs: number; deadlineMs?: number }): UpstreamClient =>
    new UpstreamClient({ baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, concurrency: 1, ...options });
  const failure = async (call: Promise<unknown>): Promise<{ code: string; message: string; ms: number }> => {
    const started = performance.now();
    const error = await call.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    return { code: (error as UpstreamError).code, message: (error as UpstreamError).message, ms: performance.now() - started };
  };

  it('ends at timeoutMs without a signal', async () => {
    const ended = await failure(clientWith({ timeoutMs: 150, deadlineMs: 150 }).send(stalled));
    expect(ended).toMatchObject({ code: 'upstream-timeout', message: 'no answer within 150 ms' });
    expect(ended.ms).toBeGreaterThanOrEqual(140);
  });

  it('ends when the signal aborts, when that deadline is no longer than timeoutMs', async () => {
    const ended = await failure(clientWith({ timeoutMs: 150, deadlineMs: 150 }).send(stalled, AbortSignal.timeout(150)));
    expect(ended).toMatchObject({ code: 'upstream-timeout', message: "no answer within the call's deadline" });
    expect(ended.ms).toBeGreaterThanOrEqual(140);
  });

  it('still ends at timeoutMs under a longer deadline (one attempt of several)', async () => {
    const deadline = new AbortController();
    const ended = await failure(clientWith({ timeoutMs: 150, deadlineMs: 5000 }).send(stalled, deadline.signal));
    expect(ended).toMatchObject({ code: 'upstream-timeout', message: 'no answer within 150 ms' });
    expect(ended.ms).toBeLessThan(4000);
  });
});
