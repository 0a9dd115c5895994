// Two hubs on one Kafka (same topic prefix, own data directories, one state key file) share
// their clients and token keys through the control-plane state: a client and key made on A work
// on B within 2 s; a token or dashboard session from A is accepted by B; rotating or deleting on
// A ends the old key, tokens and sessions on B within 2 s; logging out on A ends the session on
// B; a restarted instance keeps all of it. Two instances starting at once on an empty state each
// make a token key and converge on one; an instance with another state key refuses to start.
// Needs Kafka (fails without it).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

/** The bound for a change to be seen on every instance. */
const visibleWithinMs = 2000;
const stateKeyFile = join(mkdtempSync(join(tmpdir(), 'penghubung-state-key-')), 'state.key');
const dataDirs = { a: mkdtempSync(join(tmpdir(), 'penghubung-bersama-a-')), b: mkdtempSync(join(tmpdir(), 'penghubung-bersama-b-')) };
const prefix = uniqueName('bersama').replace(/\./g, '-');
const hubs: { a?: Hub; b?: Hub } = {};

const start = (dataDir: string, topicPrefix = prefix): Promise<Hub> => startTestHub({ dataDir, bus: { kind: 'kafka', topicPrefix, kafka: { brokers: kafkaBrokers() } }, security: { stateKeyFile } });

beforeAll(async () => {
  hubs.a = await start(dataDirs.a);
  hubs.b = await start(dataDirs.b);
}, 60_000);
afterAll(async () => {
  await Promise.all([hubs.a?.close(), hubs.b?.close()]);
});

const a = (): Hub => hubs.a!;
const b = (): Hub => hubs.b!;

async function createClient(hub: Hub, id: string): Promise<string> {
  const response = await hubFetch(`${hub.url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, name: `Operator ${id}`, opd: 'Diskominfo', role: 'operator', clearance: 'rahasia', rights: ['catalog:read'] }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { api_key: string }).api_key;
}

async function tokenFrom(hub: Hub, id: string, key: string): Promise<string> {
  const issued = await fetch(`${hub.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: key }) });
  expect(issued.status).toBe(200);
  return ((await issued.json()) as { access_token: string }).access_token;
}

async function sessionFrom(hub: Hub, key: string): Promise<string> {
  const login = await fetch(`${hub.url}/dashboard/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: key }), redirect: 'manual' });
  expect(login.status).toBe(303);
  return /penghubung_sesi=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
}

/** The status of a read needing `catalog:read` with each credential. */
async function statusOn(hub: Hub, credential: { key?: string; token?: string; session?: string }): Promise<number> {
  const headers: Record<string, string> = credential.key ? { 'x-api-key': credential.key } : credential.token ? { authorization: `Bearer ${credential.token}` } : { cookie: `penghubung_sesi=${credential.session}` };
  return (await fetch(`${hub.url}/v1/catalog`, { headers })).status;
}

/** Waits until `hub` answers `status` for the credential, within the 2 s bound; returns how long it took. */
async function within2s(hub: Hub, credential: Parameters<typeof statusOn>[1], status: number, what: string): Promise<number> {
  const started = Date.now();
  let last = 0;
  await waitFor(async () => (last = await statusOn(hub, credential)) === status, visibleWithinMs, () => `${what} (last status ${last})`);
  return Date.now() - started;
}

describe('clients and tokens shared by two instances', () => {
  it('runs both instances on the Kafka state with one token key set', async () => {
    expect([a().state.kind, b().state.kind]).toEqual(['kafka', 'kafka']);
    const jwks = async (hub: Hub): Promise<unknown> => (await fetch(`${hub.url}/.well-known/jwks.json`)).json();
    const [fromA, fromB] = [await jwks(a()), await jwks(b())];
    expect((fromA as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    expect(fromB).toEqual(fromA);
  });

  it('makes a client and key on A that work on B within 2 s, with A\'s tokens and sessions', async () => {
    const key = await createClient(a(), 'operator-bersama');
    const tookMs = await within2s(b(), { key }, 200, 'the key made on A to work on B');
    console.info(`a client made on A authenticated on B after ${tookMs} ms`);
    const token = await tokenFrom(a(), 'operator-bersama', key);
    const session = await sessionFrom(a(), key);
    expect(await statusOn(b(), { token })).toBe(200);
    expect(await statusOn(b(), { session })).toBe(200);
    // And the other way round: a token from B on A.
    expect(await statusOn(a(), { token: await tokenFrom(b(), 'operator-bersama', key) })).toBe(200);
  });

  it('ends the old key, tokens and sessions on B within 2 s when the key is rotated on A', async () => {
    const key = await createClient(a(), 'operator-rotasi');
    await within2s(b(), { key }, 200, 'the key made on A to work on B');
    const token = await tokenFrom(b(), 'operator-rotasi', key);
    const session = await sessionFrom(b(), key);

    const rotated = await hubFetch(`${a().url}/v1/clients/operator-rotasi/keys`, { method: 'POST' });
    expect(rotated.status).toBe(201);
    const newKey = ((await rotated.json()) as { api_key: string }).api_key;
    const tookMs = await within2s(b(), { key }, 401, 'the rotated key to be refused on B');
    console.info(`a key rotated on A was refused on B after ${tookMs} ms`);
    expect(await statusOn(b(), { token })).toBe(401);
    expect(await statusOn(b(), { session })).toBe(401);
    expect(await statusOn(b(), { key: newKey })).toBe(200);
  });

  it('ends everything of a client deleted on A, on B within 2 s', async () => {
    const key = await createClient(a(), 'operator-dihapus');
    await within2s(b(), { key }, 200, 'the key made on A to work on B');
    const token = await tokenFrom(b(), 'operator-dihapus', key);
    expect((await hubFetch(`${a().url}/v1/clients/operator-dihapus`, { method: 'DELETE' })).status).toBe(204);
    await within2s(b(), { key }, 401, 'the deleted client\'s key to be refused on B');
    expect(await statusOn(b(), { token })).toBe(401);
    const listed = (await (await hubFetch(`${b().url}/v1/clients`)).json()) as { clients: { id: string; revoked: boolean }[] };
    expect(listed.clients.find((client) => client.id === 'operator-dihapus')).toMatchObject({ revoked: true });
  });

  it('ends on B a dashboard session logged out on A', async () => {
    const key = await createClient(a(), 'operator-keluar');
    const session = await sessionFrom(a(), key);
    await within2s(b(), { session }, 200, 'A\'s session to work on B');
    const logout = await fetch(`${a().url}/dashboard/logout`, { method: 'POST', headers: { cookie: `penghubung_sesi=${session}` }, redirect: 'manual' });
    expect(logout.status).toBe(303);
    await within2s(b(), { session }, 401, 'the session ended on A to be refused on B');
  });

  it('keeps clients, keys and token keys across a restart of an instance', async () => {
    const key = await createClient(a(), 'operator-tetap');
    const token = await tokenFrom(a(), 'operator-tetap', key);
    const jwksBefore = await (await fetch(`${a().url}/.well-known/jwks.json`)).json();
    await hubs.b!.close();
    hubs.b = await start(dataDirs.b);
    expect(await statusOn(b(), { key })).toBe(200);
    expect(await statusOn(b(), { token })).toBe(200);
    expect(await (await fetch(`${b().url}/.well-known/jwks.json`)).json()).toEqual(jwksBefore);
    // A client deleted earlier stays deleted after the restart.
    const listed = (await (await hubFetch(`${b().url}/v1/clients`)).json()) as { clients: { id: string; revoked: boolean }[] };
    expect(listed.clients.find((client) => client.id === 'operator-dihapus')).toMatchObject({ revoked: true });
  }, 60_000);

  it('converges on one signing key when two instances start at once on an empty state', async () => {
    const fresh = uniqueName('serentak').replace(/\./g, '-');
    const [c, d] = await Promise.all([start(mkdtempSync(join(tmpdir(), 'penghubung-serentak-c-')), fresh), start(mkdtempSync(join(tmpdir(), 'penghubung-serentak-d-')), fresh)]);
    try {
      const kids = async (hub: Hub): Promise<string> => ((await (await fetch(`${hub.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid).join(',');
      let seen = '';
      await waitFor(async () => {
        const [onC, onD] = [await kids(c), await kids(d)];
        seen = `C lists ${onC}, D lists ${onD}`;
        return onC === onD;
      }, visibleWithinMs, () => seen);
      console.info(`two instances started at once: ${seen.split(',').length > 1 ? 'both made a key' : 'one key made'} (${seen})`);
      // Both sign with the newest key of the set, and each accepts the other's tokens.
      const operatorToken = async (hub: Hub): Promise<string> => tokenFrom(hub, 'uji-operator', testKeys.operator);
      const [fromC, fromD] = [await operatorToken(c), await operatorToken(d)];
      const kidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;
      expect(kidOf(fromC)).toBe(kidOf(fromD));
      expect(await statusOn(d, { token: fromC })).toBe(200);
      expect(await statusOn(c, { token: fromD })).toBe(200);
    } finally {
      await Promise.all([c.close(), d.close()]);
    }
  }, 60_000);

  it('refuses, in one line, to start an instance whose state key does not open the shared keys', async () => {
    const otherKey = join(mkdtempSync(join(tmpdir(), 'penghubung-kunci-lain-')), 'lain.key');
    // A child process, so the hubs in this process keep running while it starts and stops.
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('src', 'main.ts')], {
      cwd: projectPath(),
      env: { PATH: process.env.PATH, PENGHUBUNG_DATA_DIR: mkdtempSync(join(tmpdir(), 'penghubung-kunci-lain-data-')), PENGHUBUNG_HTTP__PORT: '0', PENGHUBUNG_LOG__LEVEL: 'silent', PENGHUBUNG_CONNECTORS__POLLING: 'false', PENGHUBUNG_SECURITY__CLIENTS_FILE: 'test/fixtures/clients.yaml', KAFKA_BROKERS: kafkaBrokers().join(','), PENGHUBUNG_BUS__KIND: 'kafka', PENGHUBUNG_BUS__TOPIC_PREFIX: prefix, PENGHUBUNG_SECURITY__STATE_KEY_FILE: otherKey },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((exited) => child.once('exit', (status) => exited(status)));
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^penghubung: the token-signing keys \S+ in the shared state do not open with security\.stateKeyFile \S+lain\.key: every instance needs the same key file/)]);
  }, 70_000);
});
