// The gateway holds requests to what /openapi.json says: a query parameter outside its documented
// schema (unknown, not in its enum, a bad date, a limit out of range) is a 400 query-invalid
// naming the parameter and what it allows, on every kind of list; a method a documented path
// does not take is a 405 with Allow from the same document; an unknown path stays a 404. Every
// answer to an identified client carries the IETF RateLimit fields, the 429 Retry-After too.
import { describe, expect, it } from 'vitest';
import { hubBeforeAll } from '../support/hub.js';
import { hubFetch, testKeys } from '../support/auth.js';

interface Problem {
  code: string;
  detail: string;
  errors: { pointer: string; message: string; allowed?: unknown[] }[];
}

const hub = hubBeforeAll();

async function problemOf(path: string, init: RequestInit = {}): Promise<{ status: number; contentType: string | null; allow: string | null; body: Problem }> {
  const response = await hubFetch(`${hub().url}${path}`, init);
  return { status: response.status, contentType: response.headers.get('content-type'), allow: response.headers.get('allow'), body: (await response.json()) as Problem };
}

describe('query parameters', () => {
  it('refuses a value outside the enum of a connector view’s filter, listing the allowed values', async () => {
    // The case: GET /v1/pengaduan?status=xyz answered an empty 200.
    const answer = await problemOf('/v1/pengaduan?status=xyz');
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('query-invalid');
    const document = (await (await fetch(`${hub().url}/openapi.json`)).json()) as { paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }> };
    const documented = document.paths['/v1/pengaduan']!.get.parameters.find((p) => p.name === 'status')!.schema.enum!;
    expect(documented.length).toBeGreaterThan(1);
    expect(answer.body.errors).toEqual([{ pointer: 'status', message: `must be one of: ${documented.join(', ')}`, allowed: documented }]);
    expect(answer.body.detail).toContain('status');
    // A documented value passes.
    expect((await hubFetch(`${hub().url}/v1/pengaduan?status=${documented[0]}`)).status).toBe(200);
  });

  it('refuses the fixed routes’ bad enums, dates and limits from their documented schemas', async () => {
    const status = await problemOf('/v1/dead-letters?status=lost');
    expect(status.status).toBe(400);
    expect(status.body.errors).toEqual([{ pointer: 'status', message: 'must be one of: parked, replayed, discarded', allowed: ['parked', 'replayed', 'discarded'] }]);

    const date = await problemOf('/v1/dead-letters?from=kemarin');
    expect(date.status).toBe(400);
    expect(date.body.errors[0]).toMatchObject({ pointer: 'from', message: expect.stringContaining('RFC 3339 date-time') });

    for (const path of ['/v1/dead-letters?limit=-1', '/v1/events?limit=-5', '/v1/flows/pengaduan-disposisi/instances?limit=0', '/v1/audit/recent?limit=201', '/v1/me/dead-letters?limit=-1']) {
      const limit = await problemOf(path);
      expect(limit.status, path).toBe(400);
      expect(limit.body.code, path).toBe('query-invalid');
      expect(limit.body.errors[0]!.pointer, path).toBe('limit');
      expect(limit.body.errors[0]!.message, path).toMatch(/^must be (>=|<=) \d+$/);
    }
    const notANumber = await problemOf('/v1/dead-letters?limit=banyak');
    expect(notANumber.body.errors).toEqual([{ pointer: 'limit', message: 'must be an integer' }]);

    const access = await problemOf('/v1/access-requests?status=maybe');
    expect(access.status).toBe(400);
    expect(access.body.errors[0]!.allowed).toEqual(['pending', 'approved', 'refused', 'revoked', 'expired']);

    // In range, the same routes answer.
    for (const path of ['/v1/dead-letters?status=parked&from=2026-12-01T00:00:00Z&limit=5', '/v1/events?limit=5', '/v1/audit/recent?limit=200']) {
      expect((await hubFetch(`${hub().url}${path}`)).status, path).toBe(200);
    }
  });

  it('refuses a parameter the operation does not document, naming the ones it takes', async () => {
    const unknown = await problemOf('/v1/dead-letters?colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ pointer: 'colour', message: 'not a parameter here; parameters: connector, operation, type, status, from, to, limit', allowed: ['connector', 'operation', 'type', 'status', 'from', 'to', 'limit'] }]);
    const none = await problemOf('/v1/catalog?verbose=1');
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([{ pointer: 'verbose', message: 'not a parameter here; this operation takes none', allowed: [] }]);
  });

  it('refuses a parameter given twice', async () => {
    const twice = await problemOf('/v1/dead-letters?status=parked&status=replayed');
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([{ pointer: 'status', message: 'must be given once' }]);
  });
});

describe('methods', () => {
  it('answers a method a documented path does not take with 405 and the Allow the document gives', async () => {
    const answer = await problemOf('/v1/events', { method: 'DELETE' });
    expect(answer.status).toBe(405);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('method-not-allowed');
    expect(answer.allow!.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);

    // A templated path, and a path whose literal sibling takes another method.
    const item = await problemOf('/v1/subscriptions/sub-1', { method: 'PUT' });
    expect(item.status).toBe(405);
    expect(item.allow!.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD']);
    const verify = await problemOf('/v1/penduduk/verifikasi', { method: 'DELETE' });
    expect(verify.status).toBe(405);
    expect(verify.allow!.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('keeps 404 for a path the hub does not have', async () => {
    const answer = await problemOf('/v1/tidak-ada', { method: 'DELETE' });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('route-not-found');
    expect(answer.allow).toBeNull();
  });
});

describe('RateLimit header fields', () => {
  const policy = /^"default";q=(\d+);w=60$/;
  const state = /^"default";r=(\d+);t=(\d+)$/;

  it('are on every answer to an identified client, problems included, and on no public answer', async () => {
    for (const [path, status] of [['/v1/catalog', 200], ['/v1/dead-letters?status=lost', 400], ['/v1/tidak-ada', 404], ['/v1/connectors', 403]] as const) {
      const response = await hubFetch(`${hub().url}${path}`, {}, path === '/v1/connectors' ? testKeys.publik : testKeys.operator);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('ratelimit-policy'), path).toMatch(policy);
      expect(response.headers.get('ratelimit'), path).toMatch(state);
    }
    // The quota is the client's limit on a single instance.
    const first = await hubFetch(`${hub().url}/v1/catalog`, {}, testKeys.terbatas);
    const me = (await (await hubFetch(`${hub().url}/v1/me`, {}, testKeys.terbatas)).json()) as { rate_limit: { per_minute: number } };
    expect(Number(policy.exec(first.headers.get('ratelimit-policy')!)![1])).toBe(me.rate_limit.per_minute);

    const health = await fetch(`${hub().url}/health/live`);
    expect(health.headers.get('ratelimit')).toBeNull();
    expect(health.headers.get('ratelimit-policy')).toBeNull();
  });

  it('say r=0 on the 429, with Retry-After', async () => {
    const created = (await (await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'aplikasi-tiga', name: 'Aplikasi tiga', opd: 'Diskominfo', role: 'app', clearance: 'publik', rights: ['catalog:read'], rateLimitPerMinute: 3 }) })).json()) as { api_key: string };
    const answers: Response[] = [];
    for (let i = 0; i < 4; i++) answers.push(await hubFetch(`${hub().url}/v1/catalog`, {}, created.api_key));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get('ratelimit-policy'))).toEqual(Array(4).fill('"default";q=3;w=60'));
    expect(answers.slice(0, 3).map((a) => state.exec(a.headers.get('ratelimit')!)![1])).toEqual(['2', '1', '0']);
    const limited = answers[3]!;
    expect(limited.headers.get('ratelimit')).toMatch(/^"default";r=0;t=(\d+)$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as Problem).code).toBe('rate-limited');
  });

  it('are documented as response headers of the operations that need a client', async () => {
    const document = (await (await fetch(`${hub().url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { headers?: Record<string, unknown>; $ref?: string }> }>>; components: { headers: Record<string, unknown>; responses: { Problem: { headers: Record<string, unknown> } } } };
    expect(Object.keys(document.components.headers)).toEqual(expect.arrayContaining(['RateLimit-Policy', 'RateLimit', 'Retry-After']));
    expect(Object.keys(document.components.responses.Problem.headers)).toEqual(['RateLimit-Policy', 'RateLimit', 'Retry-After']);
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
        for (const [status, response] of Object.entries(operation.responses)) {
          if (response.$ref) continue;
          expect(Object.keys(response.headers ?? {}), `${method} ${path} ${status}`).toEqual(isPublic ? [] : ['RateLimit-Policy', 'RateLimit']);
        }
      }
    }
  });
});
