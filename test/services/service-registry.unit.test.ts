import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedState } from '../../src/state/embedded-state.js';
import type { AccessRequest, ServiceDefinition } from '../../src/services/service-definition.js';
import { validateServiceInput } from '../../src/services/service-definition.js';
import { ServiceRegistry } from '../../src/services/service-registry.js';

const service = (version: number, status: ServiceDefinition['status'] = 'active'): ServiceDefinition => ({
  id: 'ekinerja', version, owner: 'app-bkpsdm', opd: 'BKPSDM', title: 'e-Kinerja', baseUrl: 'http://10.20.0.5:8080',
  operations: [
    { id: 'getPegawai', method: 'GET', path: '/pegawai/{nip}', idempotent: true, contentType: 'application/json' },
    { id: 'listAktif', method: 'GET', path: '/pegawai/aktif', idempotent: true, contentType: 'application/json' },
  ],
  auth: { type: 'none' }, classification: {}, timeoutMs: 5000, status, createdAt: '2026-12-07T00:00:00Z', updatedAt: '2026-12-07T00:00:00Z',
});

const grant = (overrides: Partial<AccessRequest>): AccessRequest => ({
  id: 'r1', service: 'ekinerja', operations: ['getPegawai'], client: 'app-dinkes', purpose: 'verifikasi pegawai', status: 'approved', requestedAt: '2026-12-07T00:00:00Z', ...overrides,
});

const opened: EmbeddedState[] = [];
async function registry(now?: () => Date): Promise<{ registry: ServiceRegistry; file: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'phb-services-')), 'control.db');
  const state = new EmbeddedState(file);
  await state.start();
  opened.push(state);
  return { registry: new ServiceRegistry(state, now), file };
}
afterEach(async () => {
  for (const state of opened.splice(0)) await state.close();
});

describe('service registry on the state layer', () => {
  it('keeps the current version and every earlier one, across a restart', async () => {
    const { registry: first, file } = await registry();
    await first.putService(service(1));
    await first.putService(service(2));
    const state = new EmbeddedState(file);
    await opened.splice(0)[0]!.close();
    await state.start();
    opened.push(state);
    const again = new ServiceRegistry(state);
    expect(again.get('ekinerja')?.version).toBe(2);
    expect(again.versionsOf('ekinerja').map((s) => s.version)).toEqual([1, 2]);
  });

  it('matches operations by method and path template, literal segments first, parameters decoded', async () => {
    const { registry: services } = await registry();
    await services.putService(service(1));
    expect(services.matchOperation('ekinerja', 'get', '/pegawai/aktif')?.operation.id).toBe('listAktif');
    expect(services.matchOperation('ekinerja', 'GET', '/pegawai/1987%2001')).toEqual({ operation: expect.objectContaining({ id: 'getPegawai' }), params: { nip: '1987 01' } });
    expect(services.operation('ekinerja', 'POST', '/pegawai/1')).toBeUndefined();
    expect(services.operation('ekinerja', 'GET', '/pegawai/1/x')).toBeUndefined();
    await services.putService(service(2, 'retired'));
    expect(services.operation('ekinerja', 'GET', '/pegawai/1')).toBeUndefined();
  });

  it('gives rights only for approved, unexpired grants to active services', async () => {
    let now = new Date('2026-12-07T10:00:00Z');
    const { registry: services } = await registry(() => now);
    await services.putService(service(1));
    await services.putAccessRequest(grant({ expiresAt: '2026-12-07T11:00:00Z' }));
    await services.putAccessRequest(grant({ id: 'r2', operations: '*', status: 'pending' }));
    expect(services.grantedRights('app-dinkes')).toEqual(['layanan:ekinerja:getPegawai']);
    expect(services.grantedRights('app-other')).toEqual([]);
    await services.putAccessRequest(grant({ id: 'r2', operations: '*', status: 'approved' }));
    expect(services.grantedRights('app-dinkes')).toEqual(['layanan:ekinerja:getPegawai', 'layanan:ekinerja:*']);
    now = new Date('2026-12-07T11:00:01Z');
    expect(services.grantedRights('app-dinkes')).toEqual(['layanan:ekinerja:*']);
    expect(services.accessRequest('r1')?.status).toBe('expired');
    await services.putAccessRequest(grant({ id: 'r2', operations: '*', status: 'revoked' }));
    expect(services.grantedRights('app-dinkes')).toEqual([]);
  });

  it('refuses a definition with unknown attributes, both or neither of openapi and operations', () => {
    const base = { id: 'ekinerja', title: 'e-Kinerja', baseUrl: 'http://10.20.0.5' };
    expect(validateServiceInput({ ...base, operations: [{ id: 'a', method: 'GET', path: '/a' }] })).toBe(true);
    expect(validateServiceInput(base)).toBe(false);
    expect(validateServiceInput({ ...base, openapi: {}, operations: [{ id: 'a', method: 'GET', path: '/a' }] })).toBe(false);
    expect(validateServiceInput({ ...base, openapi: {}, owner: 'someone' })).toBe(false);
    expect(validateServiceInput({ ...base, id: 'X', openapi: {} })).toBe(false);
    expect(validateServiceInput({ ...base, baseUrl: 'ftp://x', openapi: {} })).toBe(false);
  });
});
