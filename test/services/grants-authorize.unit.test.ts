// A grant is a right like any other: authentication adds the client's granted rights to its own
// at every request, so the same rights check admits it once approved and refuses it again after
// revocation, with no restart and no new key.
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemHandler } from '../../src/http/problem.js';
import { authentication } from '../../src/security/authenticate.js';
import { requireRight } from '../../src/security/authorize.js';
import { ClientRegistry } from '../../src/security/clients.js';
import { RateLimiter } from '../../src/security/rate-limit.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { TokenKeySet } from '../../src/security/token-keys.js';
import { TokenIssuer } from '../../src/security/tokens.js';
import type { AccessRequest } from '../../src/services/service-definition.js';
import { ServiceRegistry } from '../../src/services/service-registry.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';
import { testKeys } from '../support/auth.js';

const dir = mkdtempSync(join(tmpdir(), 'phb-grants-'));
const state = new EmbeddedState(join(dir, 'control.db'));
const clients = new ClientRegistry(state, 'test/fixtures/clients.yaml');
let services: ServiceRegistry;
let server: ReturnType<express.Express['listen']>;
let base: string;

const grant: AccessRequest = { id: 'r1', service: 'ekinerja', operations: ['getPegawai'], client: 'uji-aplikasi-publik', purpose: 'verifikasi pegawai', status: 'approved', requestedAt: '2026-12-07T00:00:00Z' };
const status = async (): Promise<number> => (await fetch(`${base}/v1/layanan/ekinerja/pegawai/1`, { headers: { 'x-api-key': testKeys.publik } })).status;

beforeAll(async () => {
  await state.start();
  const tokenKeys = new TokenKeySet(state, SecretBox.ephemeral(), { keyFile: 'state.key', logger: pino({ level: 'silent' }) });
  await tokenKeys.start();
  services = new ServiceRegistry(state);
  await services.putService({ id: 'ekinerja', version: 1, owner: 'uji-operator', opd: 'BKPSDM', title: 'e-Kinerja', baseUrl: 'http://10.20.0.5', operations: [{ id: 'getPegawai', method: 'GET', path: '/pegawai/{nip}', idempotent: true, contentType: 'application/json' }], auth: { type: 'none' }, classification: {}, timeoutMs: 5000, status: 'active', createdAt: '2026-12-07T00:00:00Z', updatedAt: '2026-12-07T00:00:00Z' });
  const app = express();
  app.use(authentication({ registry: clients, tokens: new TokenIssuer(tokenKeys, 300), limiter: new RateLimiter(), isPublic: () => false, defaultRatePerMinute: 10_000, grantedRights: (id) => services.grantedRights(id) }));
  app.get('/v1/layanan/ekinerja/pegawai/:nip', requireRight('layanan:ekinerja:getPegawai'), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await new Promise((ready) => server.once('listening', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await state.close();
});

describe('grants honoured by the rights check', () => {
  it('refuses before approval, admits once approved, refuses after revocation', async () => {
    expect(await status()).toBe(403);
    await services.putAccessRequest({ ...grant, status: 'pending' });
    expect(await status()).toBe(403);
    await services.putAccessRequest(grant);
    expect(await status()).toBe(200);
    await services.putAccessRequest({ ...grant, status: 'revoked' });
    expect(await status()).toBe(403);
  });

  it('refuses an expired grant and one for another operation', async () => {
    await services.putAccessRequest({ ...grant, expiresAt: '2026-01-01T00:00:00Z' });
    expect(await status()).toBe(403);
    await services.putAccessRequest({ ...grant, operations: ['listAktif'] });
    expect(await status()).toBe(403);
  });
});
