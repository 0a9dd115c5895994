// Must show (issue 14): a client and key made through the admin API work on every instance
// within 2 s; a token from one instance is accepted by all; a key rotation ends old keys (and
// the tokens issued for them) everywhere; so does deleting the client. The instances share no
// key file: clients, key hashes, epochs and the token-signing key travel through Kafka.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFetch } from '../support/auth.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';

let cluster: TestCluster;
const figures: Record<string, number> = {};

beforeAll(async () => {
  cluster = await startTestCluster({ label: 'clients' });
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
  console.log(`[cluster clients] measured: ${JSON.stringify(figures)}`);
});

/** Status of GET /v1/catalog with these credentials at every instance (directly, not through nginx). */
async function statusEverywhere(headers: Record<string, string>): Promise<number[]> {
  return Promise.all(cluster.hubs.map(async (hub) => (await fetch(`${hub.url}/v1/catalog`, { headers })).status));
}

/** Waits until every instance answers `status`; returns the time it took. */
async function everywhere(headers: Record<string, string>, status: number, what: string): Promise<number> {
  const started = Date.now();
  let last: number[] = [];
  await waitFor(async () => (last = await statusEverywhere(headers)).every((s) => s === status), 2000, () => `${what} on every instance within 2 s (statuses: ${last.join(', ')})`, 50);
  return Date.now() - started;
}

async function token(url: string, clientId: string, key: string): Promise<{ status: number; token: string }> {
  const response = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: key }) });
  return { status: response.status, token: response.status === 200 ? ((await response.json()) as { access_token: string }).access_token : '' };
}

describe('clients and keys across instances', () => {
  const clientId = 'aplikasi-klaster';
  let key = '';

  it('a client made through the balancer works on every instance within 2 s', async () => {
    const created = await hubFetch(`${cluster.url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: clientId, name: 'Aplikasi uji klaster', opd: 'Diskominfo (uji)', role: 'app', clearance: 'terbatas', rights: ['catalog:read'] }) });
    expect(created.status).toBe(201);
    key = ((await created.json()) as { api_key: string }).api_key;
    figures['new key accepted everywhere after ms'] = await everywhere({ 'x-api-key': key }, 200, 'the new key');
  });

  it('a token from one instance is accepted by all', async () => {
    for (const issuer of cluster.hubs) {
      const issued = await token(issuer.url, clientId, key);
      expect(issued.status).toBe(200);
      expect(await statusEverywhere({ authorization: `Bearer ${issued.token}` })).toEqual([200, 200, 200]);
    }
  });

  it('a key rotation ends the old key and its tokens everywhere', async () => {
    const before = await token(cluster.hubs[2]!.url, clientId, key);
    expect(before.status).toBe(200);
    const rotated = await hubFetch(`${cluster.url}/v1/clients/${clientId}/keys`, { method: 'POST' });
    expect(rotated.status).toBe(201);
    const newKey = ((await rotated.json()) as { api_key: string }).api_key;
    figures['old key refused everywhere after ms'] = await everywhere({ 'x-api-key': key }, 401, 'the old key refused');
    await everywhere({ authorization: `Bearer ${before.token}` }, 401, 'the token of the old epoch refused');
    await everywhere({ 'x-api-key': newKey }, 200, 'the new key');
    expect((await token(cluster.hubs[1]!.url, clientId, key)).status).toBe(401);
    key = newKey;
  });

  it('a deleted client is refused everywhere', async () => {
    const deleted = await hubFetch(`${cluster.url}/v1/clients/${clientId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    figures['deleted client refused everywhere after ms'] = await everywhere({ 'x-api-key': key }, 401, 'the deleted client refused');
  });
});
