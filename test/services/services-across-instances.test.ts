// Two hubs on one Kafka, as behind a load balancer: a service registered on one is in the other's
// catalogue and /openapi.json without a restart, a request made on the second is decided on the
// first, and the grant (and its revocation) holds on both — the services and grants live on the
// control-plane state layer, shared through Kafka.
import { describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { clusterSettings, hubBeforeAll } from '../support/hub.js';
import { uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

async function post(hub: Hub, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await hubFetch(`${hub.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, testKeys.operator);
  const answer = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer;
}

const layananPaths = async (hub: Hub): Promise<string[]> => Object.keys(((await (await fetch(`${hub.url}/openapi.json`)).json()) as { paths: Record<string, unknown> }).paths).filter((path) => path.startsWith('/v1/layanan/'));

describe('OPD services across instances on Kafka', () => {
  const config = { ...clusterSettings(uniqueName('layanan').replace(/\./g, '-')), services: { allowedNetworks: ['10.20.0.0/16'] } };
  const hubA = hubBeforeAll(config);
  const hubB = hubBeforeAll(config);

  it('registers on one hub, requests on the other, and the grant and its revocation hold on both', async () => {
    const [a, b] = [hubA(), hubB()];
    await post(a, '/v1/services', { id: 'bansos', title: 'Data Bantuan Sosial', baseUrl: 'http://10.20.0.7', operations: [{ id: 'cariPenerima', method: 'GET', path: '/penerima/{nik}' }] });
    await waitFor(async () => (await layananPaths(b)).includes('/v1/layanan/bansos/penerima/{nik}'), 5000, 'the service in the second hub’s /openapi.json');
    const catalog = (await (await hubFetch(`${b.url}/v1/catalog`)).json()) as { services: { id: string }[] };
    expect(catalog.services.map((s) => s.id)).toEqual(['bansos']);

    const request = await post(b, '/v1/services/bansos/access-requests', { purpose: 'Verifikasi penerima bantuan untuk layanan kesehatan' });
    await waitFor(() => a.services.accessRequest(request.id as string)?.status === 'pending', 5000, 'the request on the first hub');
    await post(a, `/v1/services/bansos/access-requests/${request.id as string}/approve`, {});
    await waitFor(() => b.services.grantedRights('uji-operator').includes('layanan:bansos:*'), 5000, 'the grant on the second hub');

    await post(b, `/v1/services/bansos/access-requests/${request.id as string}/revoke`, { reason: 'Uji antar-instans' });
    await waitFor(() => a.services.grantedRights('uji-operator').length === 0, 5000, 'the revocation on the first hub');
    expect(b.services.grantedRights('uji-operator')).toEqual([]);
  });
});
