// CORS from the configured allowlist only: none by default; for a listed origin the preflight is
// answered (204, the methods and headers a browser app may use, no credentials) and the answers
// name the origin and expose the RateLimit fields; an origin not listed gets no CORS header.
import { expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { hubBeforeAll } from '../support/hub.js';
import { hubFetch } from '../support/auth.js';

const app = 'https://aplikasi.opd.example';
const stranger = 'https://lain.example';
const plain = hubBeforeAll();
const allowing = hubBeforeAll({ http: { cors: { allowedOrigins: [app] } } });

const preflight = (hub: Hub, origin: string): Promise<Response> =>
  fetch(`${hub.url}/v1/catalog`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' } });

it('adds no CORS header when no origin is configured', async () => {
  const answer = await hubFetch(`${plain().url}/v1/catalog`, { headers: { origin: app } });
  expect(answer.status).toBe(200);
  expect([...answer.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  const refused = await preflight(plain(), app);
  expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  expect(refused.status).toBe(401);
});

it('answers the preflight of a listed origin with what a browser app may send', async () => {
  const answer = await preflight(allowing(), app);
  expect(answer.status).toBe(204);
  expect(answer.headers.get('access-control-allow-origin')).toBe(app);
  expect(answer.headers.get('access-control-allow-methods')).toBe('GET,HEAD,POST,PUT,DELETE');
  expect(answer.headers.get('access-control-allow-headers')).toContain('X-API-Key');
  expect(answer.headers.get('access-control-max-age')).toBe('600');
  expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
});

it('names a listed origin on its answers and exposes the RateLimit fields to it', async () => {
  const answer = await hubFetch(`${allowing().url}/v1/catalog`, { headers: { origin: app } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('access-control-allow-origin')).toBe(app);
  expect(answer.headers.get('access-control-expose-headers')).toContain('RateLimit-Policy');
  expect(answer.headers.get('vary')).toContain('Origin');
  // A problem too: a browser app reads why it was refused.
  const problem = await hubFetch(`${allowing().url}/v1/dead-letters?status=xyz`, { headers: { origin: app } });
  expect(problem.status).toBe(400);
  expect(problem.headers.get('access-control-allow-origin')).toBe(app);
});

it('gives an origin not listed no CORS header, its preflight no answer of its own', async () => {
  const answer = await hubFetch(`${allowing().url}/v1/catalog`, { headers: { origin: stranger } });
  expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  const refused = await preflight(allowing(), stranger);
  expect(refused.status).toBe(401);
  expect([...refused.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
});
