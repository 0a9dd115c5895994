// An upstream client's sockets are asked for one TCP keep-alive delay only. axios sets 60 s on
// every request's socket and Node's agent sets its keepAliveMsecs when the socket is freed;
// Node skips the setsockopt when the value is unchanged, so differing values cost two system
// calls per request (Socket.setKeepAlive, 1.7% of the hub's CPU in the query profile).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { UpstreamClient } from '../../src/connectors/upstream-client.js';

let upstream: Server;
let baseUrl: string;

beforeAll(async () => {
  upstream = createServer((_req, res) => res.setHeader('content-type', 'application/json').end('{"ok":true}'));
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((done) => upstream.close(done));
});

it('asks its kept-alive sockets for one keep-alive delay, request after request', async () => {
  const client = new UpstreamClient({ baseUrl, timeoutMs: 5000, concurrency: 1 });
  // Calls through to Node's setKeepAlive, recording each call and its socket.
  const setKeepAlive = vi.spyOn(Socket.prototype, 'setKeepAlive');
  let recorded: { calls: Parameters<Socket['setKeepAlive']>[]; sockets: unknown[] };
  try {
    for (let i = 0; i < 5; i++) expect((await client.send({ method: 'GET', path: '/ok' })).status).toBe(200);
    // Copied: restoring the spy clears what it recorded.
    recorded = { calls: [...setKeepAlive.mock.calls], sockets: [...setKeepAlive.mock.contexts] };
  } finally {
    setKeepAlive.mockRestore();
  }
  const { calls, sockets } = recorded;
  const asked = new Map<unknown, Set<number | undefined>>();
  calls.forEach(([enable, delayMs], i) => {
    if (enable) asked.set(sockets[i], (asked.get(sockets[i]) ?? new Set()).add(delayMs));
  });
  // One socket (concurrency 1, kept alive), asked on every request, always for the same delay.
  expect(calls.length).toBeGreaterThanOrEqual(5);
  expect(asked.size).toBe(1);
  expect([...asked.values()].map((delays) => [...delays])).toEqual([[60_000]]);
});
