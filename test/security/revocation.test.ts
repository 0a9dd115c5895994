// Revocation at once: rotating a client's keys, deleting it, logging out and re-creating its id
// each void the dashboard sessions and OAuth tokens issued before; a session is accepted only
// from its cookie (never as a bearer token, which would skip the CSRF header), a token never
// from the cookie.
import { describe, expect, it } from 'vitest';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';


const hub = hubBeforeAll();

interface Credentials {
  session: string;
  token: string;
}

async function createOperator(id: string): Promise<string> {
  const response = await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, name: `Operator ${id}`, opd: 'Diskominfo', role: 'operator', clearance: 'rahasia', rights: ['catalog:read'] }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { api_key: string }).api_key;
}

async function signIn(id: string, key: string): Promise<Credentials> {
  const login = await fetch(`${hub().url}/dashboard/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: key }), redirect: 'manual' });
  expect(login.status).toBe(303);
  const session = /penghubung_sesi=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
  const issued = await fetch(`${hub().url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: key }) });
  expect(issued.status).toBe(200);
  return { session, token: ((await issued.json()) as { access_token: string }).access_token };
}

/** The status of an operator-only read with the session cookie, and with the token. */
async function statuses(credentials: Credentials): Promise<{ session: number; token: number }> {
  const withCookie = await fetch(`${hub().url}/v1/clients`, { headers: { cookie: `penghubung_sesi=${credentials.session}` } });
  const withToken = await fetch(`${hub().url}/v1/clients`, { headers: { authorization: `Bearer ${credentials.token}` } });
  return { session: withCookie.status, token: withToken.status };
}

const live = { session: 200, token: 200 };
const ended = { session: 401, token: 401 };

describe('sessions and tokens end with their keys', () => {
  it('ends them when the keys are rotated', async () => {
    const key = await createOperator('cabut-rotasi');
    const old = await signIn('cabut-rotasi', key);
    expect(await statuses(old)).toEqual(live);
    const rotated = await hubFetch(`${hub().url}/v1/clients/cabut-rotasi/keys`, { method: 'POST' });
    expect(rotated.status).toBe(201);
    expect(await statuses(old)).toEqual(ended);
    expect(await statuses(await signIn('cabut-rotasi', ((await rotated.json()) as { api_key: string }).api_key))).toEqual(live);
  });

  it('ends them when the client is deleted', async () => {
    const old = await signIn('cabut-hapus', await createOperator('cabut-hapus'));
    expect(await statuses(old)).toEqual(live);
    expect((await hubFetch(`${hub().url}/v1/clients/cabut-hapus`, { method: 'DELETE' })).status).toBe(204);
    expect(await statuses(old)).toEqual(ended);
  });

  it('ends the session at logout, on the server, whoever kept a copy of the cookie', async () => {
    const key = await createOperator('cabut-keluar');
    const first = await signIn('cabut-keluar', key);
    const second = await signIn('cabut-keluar', key);
    const logout = await fetch(`${hub().url}/dashboard/logout`, { method: 'POST', headers: { cookie: `penghubung_sesi=${first.session}` }, redirect: 'manual' });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await statuses(first)).session).toBe(401);
    // Another sign-in of the same operator (another browser) and its tokens are not this session.
    expect(await statuses(second)).toEqual(live);
  });

  it('gives a re-created client id nothing of its former self', async () => {
    const old = await signIn('cabut-ulang', await createOperator('cabut-ulang'));
    expect((await hubFetch(`${hub().url}/v1/clients/cabut-ulang`, { method: 'DELETE' })).status).toBe(204);
    const fresh = await signIn('cabut-ulang', await createOperator('cabut-ulang'));
    expect(await statuses(old)).toEqual(ended);
    expect(await statuses(fresh)).toEqual(live);
    // Replacing a live client's definition starts it afresh too.
    const replaced = await createOperator('cabut-ulang');
    expect(await statuses(fresh)).toEqual(ended);
    expect(await statuses(await signIn('cabut-ulang', replaced))).toEqual(live);
  });

  it('gives a client from the clients file, deleted and re-created through the API, none of its file keys', async () => {
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, testKeys.noRights)).status).toBe(403);
    expect((await hubFetch(`${hub().url}/v1/clients/uji-tanpa-hak`, { method: 'DELETE' })).status).toBe(204);
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, testKeys.noRights)).status).toBe(401);
    const fresh = await createOperator('uji-tanpa-hak');
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, testKeys.noRights)).status).toBe(401);
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, fresh)).status).toBe(200);
  });

  it('accepts a session only from its cookie and a token only as a bearer', async () => {
    const { session, token } = await signIn('cabut-jenis', await createOperator('cabut-jenis'));
    const rotate = (headers: Record<string, string>): Promise<Response> => fetch(`${hub().url}/v1/clients/uji-aplikasi-publik/keys?keep_previous=true`, { method: 'POST', headers });
    // The session as a bearer token would skip the CSRF header: refused, for reads and changes.
    expect((await fetch(`${hub().url}/v1/clients`, { headers: { authorization: `Bearer ${session}` } })).status).toBe(401);
    expect((await rotate({ authorization: `Bearer ${session}` })).status).toBe(401);
    expect((await rotate({ cookie: `penghubung_sesi=${session}` })).status).toBe(403);
    expect((await rotate({ cookie: `penghubung_sesi=${session}`, 'x-requested-by': 'penghubung-dashboard' })).status).toBe(201);
    // A token or an API key in the cookie is not a session.
    expect((await fetch(`${hub().url}/v1/clients`, { headers: { cookie: `penghubung_sesi=${token}` } })).status).toBe(401);
    expect((await fetch(`${hub().url}/v1/clients`, { headers: { cookie: 'penghubung_sesi=uji-kunci-operator-rahasia' } })).status).toBe(401);
    expect((await fetch(`${hub().url}/v1/clients`, { headers: { cookie: 'penghubung_sesi=%E0%A4%A' } })).status).toBe(401);
  });
});
