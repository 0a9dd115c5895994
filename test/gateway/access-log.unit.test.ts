// The gateway's access log: one completion line per request at the level its status calls for,
// with the correlation id the answer echoes; below all those levels, no line and no pino-http,
// but the id is still echoed and the request and answer metrics still counted.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors/catalogue.js';
import { createApp } from '../../src/gateway/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { HubMetrics } from '../../src/observability/metrics.js';
import { waitFor } from '../support/wait.js';

const servers: ReturnType<express.Express['listen']>[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function gateway(level: string): Promise<{ base: string; lines: Record<string, unknown>[]; metrics: HubMetrics }> {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const metrics = new HubMetrics({ backlog: () => ({ count: 0, oldestAcceptedAt: null }) });
  const router = express.Router();
  router.get('/v1/uji/:id', (req, res) => {
    if (req.params.id === 'tidak-ada') throw new HubError('entity-not-found', 'no such thing');
    if (req.params.id === 'rusak') throw new Error('the route broke');
    res.json({ ok: true });
  });
  const app = createApp({
    logger: createLogger(level, stream),
    metrics,
    authenticate: (_req, _res, next) => next(),
    audit: (_req, _res, next) => next(),
    routers: [router],
    openApi: {},
    isShuttingDown: () => false,
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((ready) => server.once('listening', ready));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines, metrics };
}

const completions = (lines: Record<string, unknown>[]): Record<string, unknown>[] => lines.filter((line) => line.msg === 'request completed' || line.msg === 'request errored');

describe('the access log', () => {
  it('writes a 4xx completion line at info, with the echoed correlation id, and no 2xx line', async () => {
    const { base, lines } = await gateway('info');
    const found = await fetch(`${base}/v1/uji/ada`, { headers: { 'x-correlation-id': 'uji-ada' } });
    expect(found.headers.get('x-correlation-id')).toBe('uji-ada');
    const missing = await fetch(`${base}/v1/uji/tidak-ada`, { headers: { 'x-correlation-id': 'uji-tidak-ada' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-correlation-id')).toBe('uji-tidak-ada');
    const logged = completions(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 30, correlation_id: 'uji-tidak-ada', req: { method: 'GET', url: '/v1/uji/tidak-ada' }, res: { statusCode: 404 } });
  });

  it('writes the 2xx completion line at debug', async () => {
    const { base, lines } = await gateway('debug');
    await fetch(`${base}/v1/uji/ada`, { headers: { 'x-correlation-id': 'uji-debug' } });
    expect(completions(lines)).toMatchObject([{ level: 20, correlation_id: 'uji-debug', res: { statusCode: 200 } }]);
  });

  // At info pino-http no longer runs (it built its line for every 2xx answer, then dropped it):
  // the lines written there must be the very lines pino-http writes at debug.
  it('writes at info the same 4xx and 5xx lines, and unhandled-error lines, as pino-http does', async () => {
    const linesAt = async (level: string): Promise<Record<string, unknown>[]> => {
      const { base, lines } = await gateway(level);
      for (const id of ['ada', 'tidak-ada', 'rusak']) await fetch(`${base}/v1/uji/${id}`, { headers: { 'x-correlation-id': `uji-${id}` } });
      await waitFor(() => completions(lines).length >= (level === 'debug' ? 3 : 2), 5_000, `the completion lines at ${level}`);
      // A stack names the function that made the error: for the 500 line's own error, pino-http's or ours.
      const firstLine = (err: unknown): unknown => (err && typeof err === 'object' && 'stack' in err ? { ...err, stack: String(err.stack).split('\n')[0] } : err);
      return lines.filter((line) => line.level !== 20).map(({ time: _time, responseTime, err, ...line }) => ({ ...line, err: firstLine(err), responseTime: typeof responseTime }));
    };
    const lean = await linesAt('info');
    expect(lean.map((line) => [line.level, line.msg, line.correlation_id])).toEqual([
      [30, 'request completed', 'uji-tidak-ada'],
      [50, 'unhandled error', 'uji-rusak'],
      [50, 'request errored', 'uji-rusak'],
    ]);
    expect(lean).toEqual(await linesAt('debug'));
    // The error itself, not what pino's serializer made of it (which loggableError took for a non-error).
    expect(lean.filter((line) => line.level === 50).map((line) => line.err)).toMatchObject([
      { type: 'Error', message: 'the route broke', stack: 'Error: the route broke' },
      { type: 'Error', message: 'failed with status code 500' },
    ]);
  });

  it('writes nothing when silent, yet echoes a correlation id and counts the requests', async () => {
    const { base, lines, metrics } = await gateway('silent');
    const missing = await fetch(`${base}/v1/uji/tidak-ada`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([]);
    const counted = (await metrics.httpRequests.get()).values.find((value) => value.labels.route === '/v1/uji/:id');
    expect(counted).toMatchObject({ value: 1, labels: { method: 'GET', status: '404', client: 'anonymous' } });
  });
});
