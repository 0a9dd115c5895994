// A graceful stop (docs/OPERATIONS.md, Shutdown), against a real hub (embedded bus) whose SIAK is
// the real simulator behind a proxy that answers slowly (test/faults/fault-support.ts):
// - a request in flight when close() starts gets its 200 answer, and close() resolves after it;
// - a request longer than shutdown.graceMs is cut when the grace ends, and close() resolves soon after;
// - keep-alive clients (one idle, one whose answer comes during the stop) do not hold close() to
//   the grace or to the keep-alive timeout;
// - a request whose bytes arrive on an open connection during the stop gets 503 shutting-down.
import { once } from 'node:events';
import { Agent, get, type IncomingHttpHeaders } from 'node:http';
import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator as startSiakSimulator } from '../../connectors/siak/simulator.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import type { Hub } from '../../src/hub.js';
import { testKeys } from '../support/auth.js';
import { startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { startUpstreamProxy, type UpstreamProxy } from './fault-support.js';

const NIK = '1809011704780001';
/** SIAK's timeout is 5000 ms (connectors/siak/manifest.yaml): every delay here stays below it. */
const SLOW_MS = 1500;

let siak: Simulator | undefined;
let proxy: UpstreamProxy | undefined;
let hub: Hub | undefined;

async function hubWithSlowSiak(graceMs: number): Promise<{ hub: Hub; proxy: UpstreamProxy }> {
  siak = await startSiakSimulator({ host: '127.0.0.1', port: 0 });
  proxy = await startUpstreamProxy(siak.url, /^\/dukcapil\/get_json\/[^/]+\/CALL_NIK$/);
  hub = await startTestHub({ connectors: { polling: false }, shutdown: { graceMs } }, { SIAK_BASE_URL: proxy.url });
  return { hub, proxy };
}

afterEach(async () => {
  await hub?.close();
  await Promise.allSettled([proxy?.close(), siak?.close()]);
  if (hub) rmSync(hub.config.dataDir, { recursive: true, force: true });
  hub = undefined;
  proxy = undefined;
  siak = undefined;
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}

/** GET with the operator's key over `agent`'s connections; rejects when the connection is cut. */
function getJson(url: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { 'x-api-key': testKeys.operator } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, at: Date.now() }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Starts a lookup SIAK answers after `delayMs` and resolves once it waits at the upstream. */
async function slowLookup(hub: Hub, proxy: UpstreamProxy, agent: Agent, delayMs = SLOW_MS): Promise<{ answer: Promise<Answer> }> {
  proxy.mode = { kind: 'slow', delayMs };
  const callsBefore = proxy.calls;
  const answer = getJson(`${hub.url}/v1/penduduk/${NIK}`, agent);
  answer.catch(() => undefined);
  await waitFor(() => proxy.calls > callsBefore, 5_000, 'the lookup at the slow SIAK');
  // Wrapped: an async function returning the promise itself would wait for the answer.
  return { answer };
}

/** Resolves with the time close() resolved. */
const closing = (hub: Hub): Promise<number> => hub.close().then(() => Date.now());

describe('close() with requests in flight', () => {
  it('lets a request in flight finish: its client gets the 200 answer, and close() resolves after it', async () => {
    const { hub, proxy } = await hubWithSlowSiak(10_000);
    const agent = new Agent({ keepAlive: true });
    const { answer } = await slowLookup(hub, proxy, agent);
    const closed = closing(hub);
    const answered = await answer;
    expect(answered.status).toBe(200);
    expect(answered.body.nik).toBe(NIK);
    expect(await closed).toBeGreaterThanOrEqual(answered.at);
    agent.destroy();
  }, 30_000);

  it('cuts a request longer than the grace period when the grace ends, and close() resolves soon after', async () => {
    const graceMs = 1000;
    const { hub, proxy } = await hubWithSlowSiak(graceMs);
    const agent = new Agent({ keepAlive: true });
    const { answer } = await slowLookup(hub, proxy, agent, 4000);
    const cut = answer.then(
      () => ({ cutAt: undefined, error: undefined }),
      (error: unknown) => ({ cutAt: Date.now(), error }),
    );
    const started = Date.now();
    const closed = closing(hub);
    const { cutAt, error } = await cut;
    expect((error as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET');
    // Cut when the grace ended, not before (the timer fires no earlier than graceMs).
    expect(cutAt! - started).toBeGreaterThanOrEqual(graceMs - 20);
    const closedAfter = (await closed) - started;
    expect(closedAfter).toBeLessThan(graceMs + 2000);
    console.log(`[graceful-shutdown] grace ${graceMs} ms: the request cut after ${cutAt! - started} ms, close() resolved after ${closedAfter} ms`);
    agent.destroy();
  }, 30_000);
});

describe('close() with keep-alive clients', () => {
  it('closes an idle keep-alive connection and one whose answer comes during the stop, without waiting for the grace', async () => {
    const graceMs = 20_000;
    const { hub, proxy } = await hubWithSlowSiak(graceMs);
    const idleAgent = new Agent({ keepAlive: true });
    // Not a lookup: the hub would answer the slow one below from its cache.
    const idle = await getJson(`${hub.url}/health/live`, idleAgent);
    expect(idle.status).toBe(200);
    const idleSocket = Object.values(idleAgent.freeSockets).flat()[0] as Socket;
    expect(idleSocket).toBeDefined();
    const idleClosed = once(idleSocket, 'close');

    const busyAgent = new Agent({ keepAlive: true });
    const { answer } = await slowLookup(hub, proxy, busyAgent);
    const started = Date.now();
    const closed = closing(hub);
    await idleClosed;
    const answered = await answer;
    expect(answered.status).toBe(200);
    // The answer tells the client not to reuse the connection, and the hub closes it.
    expect(answered.headers.connection).toBe('close');
    const closedAfter = (await closed) - started;
    expect(closedAfter).toBeLessThan(SLOW_MS + 6000);
    console.log(`[graceful-shutdown] grace ${graceMs} ms, keep-alive clients: answered ${answered.at - started} ms and close() resolved ${closedAfter} ms after close() started`);
    idleAgent.destroy();
    busyAgent.destroy();
  }, 40_000);

  it('answers 503 shutting-down to a request whose bytes arrive on an open connection during the stop', async () => {
    const { hub } = await hubWithSlowSiak(20_000);
    const { hostname, port } = new URL(hub.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const socketClosed = once(socket, 'close');
    // Half the head before the stop: the connection is not idle, so the stop does not drop it.
    await new Promise<void>((done, fail) => socket.write(`GET /v1/penduduk/${NIK} HTTP/1.1\r\nHost: ${hostname}\r\n`, (error) => (error ? fail(error) : done())));
    // The hub reads ready connections in turn: once it has answered one opened after, it has read that half.
    expect((await fetch(`${hub.url}/health/live`)).status).toBe(200);
    const started = Date.now();
    const closed = closing(hub);
    socket.write(`x-api-key: ${testKeys.operator}\r\n\r\n`);
    await socketClosed;
    const text = Buffer.concat(received).toString('utf8');
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect(text).toContain('"code":"shutting-down"');
    expect((await closed) - started).toBeLessThan(5_000);
  }, 30_000);
});
