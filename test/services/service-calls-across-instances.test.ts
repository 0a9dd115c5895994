// Calls to an OPD service on two hubs sharing Kafka, as behind a load balancer: registered and
// granted on one hub, the service is called through the other (its runtime made there, the
// secrets opened there), its emitted event type is known there, and a new version published on
// the first re-points the second's calls with no restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { initialPegawai } from '../../src/services/sandbox/ekinerja-data.js';
import { ekinerjaServiceInput } from '../../src/services/sandbox/ekinerja-service.js';
import { startEkinerjaSimulator, type EkinerjaSimulator } from '../../src/services/sandbox/ekinerja-simulator.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { clusterSettings, hubBeforeAll } from '../support/hub.js';
import { uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

let first: EkinerjaSimulator;
let second: EkinerjaSimulator;
const [rudi] = initialPegawai;

async function send(hub: Hub, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await hubFetch(`${hub.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) }, key);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  first = await startEkinerjaSimulator();
  second = await startEkinerjaSimulator();
});
// Registered before the hubs' own hooks, so it runs after they have closed (hooks run as a stack).
afterAll(async () => {
  await Promise.all([first, second].filter(Boolean).map((simulator) => simulator.close()));
});
const config = { ...clusterSettings(uniqueName('layanan-calls').replace(/\./g, '-')), services: { allowLoopback: true } };
const hubA = hubBeforeAll(config);
const hubB = hubBeforeAll(config);

describe('calls to an OPD service across instances on Kafka', () => {
  it('is called through the other hub, emits there, and follows a new version published on the first', async () => {
    const [a, b] = [hubA(), hubB()];
    const created = await send(a, 'POST', '/v1/clients', testKeys.operator, { id: 'opd-dinkes', name: 'Dinas Kesehatan', opd: 'Dinas Kesehatan', role: 'app', clearance: 'publik', rights: ['services:request'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const key = created.body.api_key as string;
    expect((await send(a, 'POST', '/v1/services', testKeys.operator, ekinerjaServiceInput(first.url))).status).toBe(201);
    const asked = await send(a, 'POST', '/v1/services/ekinerja/access-requests', key, { purpose: 'Verifikasi data pegawai lintas instans' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await send(a, 'POST', `/v1/services/ekinerja/access-requests/${String(asked.body.id)}/approve`, testKeys.operator)).status).toBe(200);
    await waitFor(() => b.services.grantedRights('opd-dinkes').includes('layanan:ekinerja:*'), 5000, 'the grant on the second hub');

    const answer = await send(b, 'GET', `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}`, key);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ nip: rudi!.nip, nama: 'R. H.' });
    expect(first.requests({ path: `/api/v1/pegawai/${rudi!.nip}` })).toHaveLength(1);

    const posted = await send(b, 'POST', '/v1/layanan/ekinerja/api/v1/sasaran-kinerja', key, { nip: rudi!.nip, sasaran: 'Menyusun peta jabatan', target: 1 });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    // On Kafka the pull API reads the topic: the event is there once the outbox relay has published it.
    let pulled: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
    await waitFor(async () => {
      pulled = await send(b, 'GET', '/v1/events?type=kinerja.sasaran.diajukan', testKeys.operator);
      return pulled.status === 200 && (pulled.body.events as unknown[]).length > 0;
    }, 10_000, () => `the emitted event in the pull API (last answer ${pulled.status} ${JSON.stringify(pulled.body).slice(0, 300)})`, 200);
    expect((pulled.body.events as Record<string, unknown>[]).map((e) => [e.source, (e.data as Record<string, unknown>).sasaran])).toEqual([['/layanan/ekinerja', 'Menyusun peta jabatan']]);

    expect((await send(a, 'PUT', '/v1/services/ekinerja', testKeys.operator, ekinerjaServiceInput(second.url))).status).toBe(200);
    await waitFor(() => b.services.get('ekinerja')?.version === 2, 5000, 'the new version on the second hub');
    expect((await send(b, 'GET', '/v1/layanan/ekinerja/api/v1/pegawai', key)).status).toBe(200);
    expect(second.requests({ path: '/api/v1/pegawai' })).toHaveLength(1);
    expect(first.requests({ path: '/api/v1/pegawai' })).toHaveLength(0);
  });
});
