// The simulator kit over real HTTP on 127.0.0.1: listening and closing, request bodies, the
// shared fault API (error pages, the upstream's own HTTP-200 error, garbage, slow, dropped
// connections, flapping), the request record, and reset.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callSimulator, listen, serveSimulator, type Simulator, type SimulatorDefinition } from '../../src/connectors/sdk.js';

let resets = 0;
const notes: string[] = [];

/** A small upstream: echoes what it read, keeps notes, fails in its own JSON shape. */
const definition = (body: SimulatorDefinition['body'] = 'parsed'): SimulatorDefinition => ({
  name: 'uji',
  body,
  errorInOk: (_req, res, message) => void res.status(200).json({ status: false, message }),
  defaultMessage: 'Server sibuk',
  reset: () => {
    resets += 1;
    notes.length = 0;
  },
  control: (router) => {
    router.post('/notes', (req, res) => {
      notes.push(String((req.body as { note?: unknown }).note));
      res.status(201).json(notes);
    });
  },
  routes: (app) => {
    app.all('/api/echo', (req, res) => void res.json({ body: req.body ?? null, type: typeof req.body }));
    app.get('/api/records/:id', (req, res) => void res.json({ status: true, id: req.params.id }));
    app.use((_req, res) => void res.status(404).json({ status: false, message: 'tidak ditemukan' }));
    app.use((error: Error, _req: unknown, res: { status(code: number): { json(body: unknown): void } }, _next: unknown) => res.status(400).json({ status: false, message: error.message }));
  },
});

let simulator: Simulator & { requests(): unknown[] };
const url = (path: string): string => `${simulator.url}${path}`;
const json = (path: string, method = 'GET', body?: unknown) => callSimulator(simulator.url, method, path, body);
const fault = (spec: Record<string, unknown>) => json('/_simulator/faults', 'POST', spec);

beforeAll(async () => {
  simulator = await serveSimulator(definition());
  return () => simulator.close();
});
beforeEach(async () => {
  expect((await json('/_simulator/reset', 'POST')).status).toBe(204);
});

describe('listening', () => {
  it('listens on a free port of 127.0.0.1 by default and frees it on close', async () => {
    const other = await serveSimulator(definition());
    const { hostname, port } = new URL(other.url);
    expect(hostname).toBe('127.0.0.1');
    expect(Number(port)).toBeGreaterThan(0);
    // A keep-alive connection stays open until close() drops it.
    expect((await fetch(`${other.url}/api/records/1`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${other.url}/api/records/1`)).rejects.toThrow();
    const again = await listen((_req, res) => res.end('ok'), { port: Number(port) });
    expect(await (await fetch(again.url)).text()).toBe('ok');
    await again.close();
  });

  it('refuses a port that is taken', async () => {
    await expect(listen((_req, res) => res.end(), { port: Number(new URL(simulator.url).port) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('request bodies', () => {
  it('hands routes JSON as values, forms as objects and other bodies as text', async () => {
    expect((await json('/api/echo', 'POST', { nik: '3201', n: 2 })).body).toEqual({ body: { nik: '3201', n: 2 }, type: 'object' });
    const form = await fetch(url('/api/echo'), { method: 'POST', body: new URLSearchParams({ tahun: '2026', token: 'x' }) });
    expect(await form.json()).toEqual({ body: { tahun: '2026', token: 'x' }, type: 'object' });
    const xml = await fetch(url('/api/echo'), { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a>1</a>' });
    expect(await xml.json()).toEqual({ body: '<a>1</a>', type: 'string' });
    expect((await json('/api/echo')).body).toEqual({ body: null, type: 'undefined' });
  });

  it("passes malformed JSON to the simulator's own error answer", async () => {
    const response = await fetch(url('/api/echo'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: false, message: expect.stringContaining('invalid JSON') });
  });

  it('hands every body as its text in text mode', async () => {
    const textual = await serveSimulator(definition('text'));
    try {
      const response = await fetch(`${textual.url}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nik": 3201999999999999999}' });
      expect(await response.json()).toEqual({ body: '{"nik": 3201999999999999999}', type: 'string' });
    } finally {
      await textual.close();
    }
  });
});

describe('the control API', () => {
  it("serves the simulator's own control routes with JSON bodies, and refuses bad JSON there", async () => {
    expect(await json('/_simulator/notes', 'POST', { note: 'satu' })).toEqual({ status: 201, body: ['satu'] });
    const bad = await fetch(url('/_simulator/notes'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: expect.stringContaining('invalid JSON') });
  });

  it("answers an unknown control path with the simulator's 404", async () => {
    expect(await json('/_simulator/tidak-ada')).toEqual({ status: 404, body: { status: false, message: 'tidak ditemukan' } });
  });

  it('resets the simulator data, the faults and the record', async () => {
    await json('/_simulator/notes', 'POST', { note: 'satu' });
    await fault({ path: '/api/records', failNext: 5 });
    await json('/api/echo');
    const before = resets;
    expect((await json('/_simulator/reset', 'POST')).status).toBe(204);
    expect(resets).toBe(before + 1);
    expect(notes).toEqual([]);
    expect((await json('/_simulator/faults')).body).toEqual([]);
    expect((await json('/_simulator/requests')).body).toEqual([]);
    expect((await json('/_simulator/stats')).body).toEqual({ calls: 0, faulted: 0 });
  });
});

describe('faults', () => {
  it('fails the next n calls to a path with an error page, then answers again', async () => {
    const set = await fault({ path: '/api/records/7', failNext: 2, status: 503 });
    expect(set).toMatchObject({ status: 201, body: { path: '/api/records/7', kind: 'error', failNext: 2, every: 1, status: 503, message: 'Server sibuk' } });
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(url('/api/records/7'));
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('503');
    }
    expect(await json('/api/records/7')).toEqual({ status: 200, body: { status: true, id: '7' } });
    expect((await json('/_simulator/faults')).body).toEqual([]);
  });

  it("answers status 200 faults in the upstream's own error shape", async () => {
    await fault({ path: '/api/records/7', status: 200, message: 'Basis data sibuk' });
    expect(await json('/api/records/7')).toEqual({ status: 200, body: { status: false, message: 'Basis data sibuk' } });
  });

  it('matches a path exactly, and every path below one given with a trailing /', async () => {
    await fault({ path: '/api/records', failNext: 10 });
    expect((await json('/api/records/7')).status).toBe(200);
    await fault({ path: '/api/records/', failNext: 10 });
    expect((await json('/api/records/7')).status).toBe(503);
    expect((await json('/api/echo')).status).toBe(200);
    await fault({ path: '/', failNext: 1, status: 502 });
    expect((await json('/api/echo')).status).toBe(502);
  });

  it('answers garbage with the status and content type asked for', async () => {
    await fault({ path: '/api/records/7', kind: 'garbage', body: '<html>login</html>', contentType: 'text/html' });
    const response = await fetch(url('/api/records/7'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toBe('<html>login</html>');
    await fault({ path: '/api/records/7', kind: 'garbage' });
    const truncated = await fetch(url('/api/records/7'));
    expect(truncated.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(truncated.json()).rejects.toThrow();
  });

  it('answers a slow call late but right', async () => {
    await fault({ path: '/api/records/7', kind: 'slow', delayMs: 400 });
    const started = performance.now();
    expect(await json('/api/records/7')).toEqual({ status: 200, body: { status: true, id: '7' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect((await fault({ path: '/api/records/7', kind: 'slow' })).status).toBe(400);
  });

  it('drops the connection of a call when down', async () => {
    await fault({ path: '/api/records/7', kind: 'down', failNext: 1 });
    await expect(fetch(url('/api/records/7'))).rejects.toThrow();
    expect((await json('/api/records/7')).status).toBe(200);
  });

  it('flaps: with every 2, every other call fails until failNext have', async () => {
    await fault({ path: '/api/records/7', failNext: 3, every: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await json('/api/records/7')).status);
    expect(statuses).toEqual([503, 200, 503, 200, 503, 200, 200, 200]);
  });

  it('clears a path with failNext 0 and refuses a malformed fault', async () => {
    await fault({ path: '/api/records/7', failNext: 5 });
    expect((await fault({ path: '/api/records/7', failNext: 0 })).status).toBe(201);
    expect((await json('/api/records/7')).status).toBe(200);
    for (const bad of [{ path: 'api' }, { failNext: -1 }, { status: 99 }, { kind: 'meledak' }, { delayMs: 1e9 }, { sampai: 3 }]) {
      const answer = await fault(bad);
      expect({ bad, status: answer.status }).toEqual({ bad, status: 400 });
      expect((answer.body as { error: string }).error).toMatch(/^expected \{path/);
    }
  });
});

describe('the request record', () => {
  it('records each upstream call with its headers, body, status and fault, not the control calls', async () => {
    await fault({ path: '/api/records/9', status: 502 });
    await fetch(url('/api/echo?tahun=2026'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'rahasia', authorization: 'Bearer rahasia' }, body: '{"nik":"3201"}' });
    await fetch(url('/api/records/9'));
    const recorded = (await json('/_simulator/requests')).body as Record<string, unknown>[];
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({ seq: 1, method: 'POST', path: '/api/echo', query: { tahun: '2026' }, body: '{"nik":"3201"}', status: 200 });
    expect(recorded[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': '<redacted>', authorization: '<redacted>' });
    expect(recorded[1]).toMatchObject({ seq: 2, method: 'GET', path: '/api/records/9', body: '', status: 502, fault: 'error' });
    expect(simulator.requests()).toEqual(recorded);
    expect((await json('/_simulator/stats')).body).toEqual({ calls: 2, faulted: 1 });
  });

  it('filters by path, method and seq, and forgets on DELETE', async () => {
    for (const path of ['/api/records/1', '/api/records/2', '/api/echo']) await fetch(url(path));
    await fetch(url('/api/echo'), { method: 'POST' });
    const seqs = async (query: string): Promise<number[]> => ((await json(`/_simulator/requests${query}`)).body as { seq: number }[]).map((r) => r.seq);
    expect(await seqs('?path=/api/records/')).toEqual([1, 2]);
    expect(await seqs('?path=/api/echo&method=post')).toEqual([4]);
    expect(await seqs('?since=2')).toEqual([3, 4]);
    expect((await json('/_simulator/requests?since=dua')).status).toBe(400);
    expect((await json('/_simulator/requests', 'DELETE')).status).toBe(204);
    expect(await seqs('')).toEqual([]);
  });
});
