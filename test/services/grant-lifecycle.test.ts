// The life of a grant at the call route (issue 17, "Must show"): with no grant a client gets 403
// and the service is not called; after the owner approves, the call succeeds; after revocation,
// 403 again; a grant that expires stops working at its time, checked at the call; retiring the
// service ends its grants. Against the example e-kinerja simulator on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialPegawai } from '../../src/services/sandbox/ekinerja-data.js';
import { ekinerjaServiceInput } from '../../src/services/sandbox/ekinerja-service.js';
import { startEkinerjaSimulator } from '../../src/services/sandbox/ekinerja-simulator.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

let simulator: Awaited<ReturnType<typeof startEkinerjaSimulator>>;
const keys: Record<string, string> = {};
const nip = initialPegawai[0]!.nip;
const path = `/api/v1/pegawai/${nip}`;

async function send(method: string, url: string, key: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await hubFetch(`${hub().url}${url}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) }, key);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const detail = async (): Promise<number> => (await send('GET', `/v1/layanan/ekinerja${path}`, keys['opd-dinkes']!)).status;
const upstreamCalls = (): number => simulator.requests({ path }).length;
const ask = async (): Promise<string> => {
  const asked = await send('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, { operations: ['detail-pegawai'], purpose: 'Verifikasi data pegawai untuk layanan kesehatan ASN' });
  expect(asked.status).toBe(201);
  return asked.body.id as string;
};
const decide = async (request: string, decision: string, body?: unknown): Promise<void> => {
  const answer = await send('POST', `/v1/services/ekinerja/access-requests/${request}/${decision}`, keys['opd-bkpsdm']!, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
};

beforeAll(async () => {
  simulator = await startEkinerjaSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

const hub = hubBeforeAll({ services: { allowLoopback: true } });

beforeAll(async () => {
  for (const client of [
    { id: 'opd-bkpsdm', opd: 'BKPSDM', rights: ['catalog:read', 'services:publish', 'services:request'] },
    { id: 'opd-dinkes', opd: 'Dinas Kesehatan', rights: ['catalog:read', 'services:request'] },
  ]) {
    const created = await send('POST', '/v1/clients', testKeys.operator, { ...client, name: client.opd, role: 'app', clearance: 'publik' });
    expect(created.status).toBe(201);
    keys[client.id] = created.body.api_key as string;
  }
  expect((await send('POST', '/v1/services', keys['opd-bkpsdm']!, ekinerjaServiceInput(simulator.url))).status).toBe(201);
});

describe('a grant from request to revocation, at the call', () => {
  it('refuses without a grant, calls once approved, refuses again after revocation', async () => {
    expect(await detail()).toBe(403);
    const request = await ask();
    expect(await detail()).toBe(403);
    expect(upstreamCalls()).toBe(0);
    await decide(request, 'approve');
    expect(await detail()).toBe(200);
    expect(upstreamCalls()).toBe(1);
    await decide(request, 'revoke', { reason: 'Kerja sama berakhir' });
    expect(await detail()).toBe(403);
    expect(upstreamCalls()).toBe(1);
  });

  it('stops a grant at its expiry, checked at the call', async () => {
    const request = await ask();
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    await decide(request, 'approve', { expiresAt });
    expect(await detail()).toBe(200);
    await waitFor(async () => (await detail()) === 403, 10_000, 'the call to be refused once the grant expired');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    expect((await send('GET', '/v1/access-requests', keys['opd-dinkes']!)).body.access_requests).toContainEqual(expect.objectContaining({ id: request, status: 'expired' }));
  });

  it('ends the grants of a retired service: publishing it again grants nothing', async () => {
    const request = await ask();
    await decide(request, 'approve');
    expect(await detail()).toBe(200);
    expect((await send('DELETE', '/v1/services/ekinerja', keys['opd-bkpsdm']!)).status).toBe(200);
    expect(await detail()).toBe(404);
    expect((await send('PUT', '/v1/services/ekinerja', keys['opd-bkpsdm']!, ekinerjaServiceInput(simulator.url))).body).toMatchObject({ status: 'active', version: 3 });
    expect(await detail()).toBe(403);
  });
});
