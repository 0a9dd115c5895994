// The resilience kit as every upstream call uses it, against real HTTP servers on 127.0.0.1:
// a slow upstream answers 504 within the call's deadline (not after every retry timed out),
// a flapping one is retried within it, and the bulkhead bounds calls in flight and waiting.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorRuntime } from '../../src/connectors/connector-runtime.js';
import type { ResilienceSettings } from '../../src/connectors/manifest.js';
import { UpstreamError } from '../../src/connectors/sdk.js';
import { errorCatalogue, HubError } from '../../src/errors/catalogue.js';
import { retrying, withDeadline, DeadlineExceeded } from '../../src/resilience/index.js';
import { callQuery, queryRuntime } from '../support/query-runtime.js';

let server: Server;
let baseUrl: string;
const calls = { slow: 0, flaky: 0 };

beforeAll(async () => {
  // /lambat never answers within a test's patience; /goyah fails twice, then answers.
  server = createServer((req, res) => {
    if (req.url === '/lambat') {
      calls.slow++;
      const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 10_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (req.url === '/goyah') {
      calls.flaky++;
      res.writeHead(calls.flaky % 3 === 0 ? 200 : 503, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

function runtime(resilience: ResilienceSettings): ConnectorRuntime {
  return queryRuntime(baseUrl, { breaker: { volumeThreshold: 100 }, ...resilience }, { lambat: {}, goyah: {} });
}

const call = (connector: ConnectorRuntime, operation: 'lambat' | 'goyah'): Promise<unknown> => callQuery(connector, operation, true);

describe('an upstream call', () => {
  it('answers upstream-timeout (504) within its deadline from a slow upstream, not after three timeouts', async () => {
    const connector = runtime({ timeoutMs: 600, retries: 2, deadlineMs: 900 });
    const before = calls.slow;
    const started = performance.now();
    const error = await call(connector, 'lambat').catch((e: unknown) => e);
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('upstream-timeout');
    expect(errorCatalogue[(error as UpstreamError).code].status).toBe(504);
    // Without the deadline: 3 attempts × 600 ms + pauses, about 1.9 s or more.
    expect(ms).toBeGreaterThanOrEqual(880);
    expect(ms).toBeLessThan(900 + 250);
    // The first attempt timed out at 600 ms, a retry went out and was cut at the deadline.
    expect(calls.slow - before).toBe(2);
    connector.shutdown();
  });

  it('without a configured deadline, is bounded by its timeout', async () => {
    const connector = runtime({ timeoutMs: 500, retries: 2 });
    const started = performance.now();
    const error = await call(connector, 'lambat').catch((e: unknown) => e);
    expect((error as UpstreamError).code).toBe('upstream-timeout');
    expect(performance.now() - started).toBeLessThan(500 + 250);
    connector.shutdown();
  });

  it('retries an idempotent call that fails fast, with jitter, within the deadline', async () => {
    const connector = runtime({ timeoutMs: 1000, retries: 2, deadlineMs: 5000 });
    calls.flaky = 0;
    await expect(call(connector, 'goyah')).resolves.toEqual({ ok: true });
    expect(calls.flaky).toBe(3);
    connector.shutdown();
  });

  it('refuses at once with upstream-busy beyond its concurrency and queue, and reports the load', async () => {
    const connector = runtime({ timeoutMs: 2000, retries: 0, deadlineMs: 2000, concurrency: 1, maxQueue: 1 });
    const inFlight = call(connector, 'lambat').catch((e: unknown) => e);
    const queued = call(connector, 'lambat').catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    expect(connector.load()).toEqual({ active: 1, waiting: 1 });
    const refused = await call(connector, 'lambat').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HubError);
    expect((refused as HubError).code).toBe('upstream-busy');
    expect(((await inFlight) as UpstreamError).code).toBe('upstream-timeout');
    // The queued call's deadline ran while it waited: it times out too, never reaching the upstream late.
    expect(((await queued) as UpstreamError).code).toBe('upstream-timeout');
    connector.shutdown();
  });
});

describe('a call once its connector has shut down (a retry of a request in flight when the hub stops)', () => {
  it('answers shutting-down (503) without calling the upstream, not an error the gateway can only call unexpected', async () => {
    const connector = runtime({ timeoutMs: 1000, retries: 2, deadlineMs: 5000 });
    connector.shutdown();
    calls.flaky = 0;
    const error = await call(connector, 'goyah').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('shutting-down');
    expect(errorCatalogue['shutting-down'].status).toBe(503);
    expect(calls.flaky).toBe(0);
  });
});

describe('the kit', () => {
  it('stops retrying when its signal aborts, mid-pause', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = performance.now();
    const run = retrying(async () => {
      attempts++;
      if (attempts === 2) setTimeout(() => controller.abort(), 20);
      throw new Error('nope');
    }, { attempts: Infinity, baseMs: 5000, capMs: 5000 }, controller.signal);
    // The first pause is drawn from [0, 5 s): abort as soon as it starts.
    setTimeout(() => controller.abort(), 30);
    await expect(run).rejects.toBeDefined();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(attempts).toBeLessThanOrEqual(2);
  });

  it('cuts work at its deadline and aborts the work’s signal', async () => {
    let aborted = false;
    const error = await withDeadline(50, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => {
      aborted = true;
      reject(new Error('cancelled'));
    }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(aborted).toBe(true);
  });
});
