// OPD services as data (issue 17): an OPD publishes its API from an OpenAPI document with no
// restart, it shows in the catalogue and /openapi.json; access is asked for with a purpose and
// decided by the owner; grants become rights (and stop at revocation or expiry); base URLs on
// loopback or a metadata address are refused; every step is in the audit chain, which verifies.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/cli/audit.js';
import { canonicalSchema } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const keys: Record<string, string> = {};

/** A small e-Kinerja API as its OPD would publish it. */
const ekinerja = {
  openapi: '3.1.0',
  info: { title: 'e-Kinerja BKPSDM', version: '2.3.0' },
  paths: {
    '/pegawai/{nip}': {
      get: {
        operationId: 'getPegawai',
        summary: 'Data pegawai menurut NIP',
        parameters: [{ name: 'nip', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'Pegawai', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pegawai' } } } }, '404': { description: 'Tidak ada' } },
      },
    },
    '/laporan-kinerja': {
      post: {
        operationId: 'kirimLaporan',
        'x-penghubung-emits': 'kinerja.laporan.dibuat',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['nip', 'periode'], properties: { nip: { type: 'string' }, periode: { type: 'string' } } } } } },
        responses: { '201': { description: 'Diterima', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
  components: { schemas: { Pegawai: { type: 'object', properties: { nip: { type: 'string' }, nama: { type: 'string' }, jabatan: { type: 'string' } } } } },
};

const registration = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'ekinerja',
  title: 'e-Kinerja',
  description: 'Kinerja pegawai Kabupaten',
  baseUrl: 'http://10.20.0.5:8080/api',
  openapi: ekinerja,
  auth: { type: 'api-key', header: 'X-Api-Key', value: 'rahasia-bkpsdm-123' },
  classification: { '/nip': 'terbatas', '/jabatan': 'publik' },
  ...overrides,
});

async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await hubFetch(`${hub().url}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) }, key);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const hub = hubBeforeAll({ services: { allowedNetworks: ['10.20.0.0/16'] } });

beforeAll(async () => {
  const clients = [
    { id: 'opd-bkpsdm', opd: 'BKPSDM', rights: ['catalog:read', 'services:publish', 'services:request'] },
    { id: 'opd-dinkes', opd: 'Dinas Kesehatan', rights: ['catalog:read', 'services:request'] },
    { id: 'opd-lain', opd: 'Dinas Sosial', rights: ['catalog:read', 'services:publish', 'services:request'] },
    { id: 'operator-helpdesk', opd: 'Diskominfo', rights: [], role: 'operator' },
    { id: 'pemantau-akses', opd: 'Inspektorat', rights: ['events:subscribe:layanan.akses.*'] },
  ];
  for (const client of clients) {
    const created = await call('POST', '/v1/clients', 'uji-kunci-operator-rahasia', { role: 'app', ...client, name: client.opd, clearance: 'publik' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    keys[client.id] = created.body.api_key as string;
  }
});

describe('OPD services through the API', () => {
  let requestId: string;

  it('registers a service from its OpenAPI document, live in the catalogue and /openapi.json without a restart', async () => {
    const before = (await (await fetch(`${hub().url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(before.paths['/v1/layanan/ekinerja/pegawai/{nip}']).toBeUndefined();

    const created = await call('POST', '/v1/services', keys['opd-bkpsdm']!, registration());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ id: 'ekinerja', version: 1, owner: 'opd-bkpsdm', opd: 'BKPSDM', status: 'active', baseUrl: 'http://10.20.0.5:8080/api', auth: { type: 'api-key', header: 'X-Api-Key' } });
    expect(JSON.stringify(created.body)).not.toContain('rahasia-bkpsdm-123');
    expect(JSON.stringify(created.body)).not.toContain('sealed');
    // The secret is kept sealed, never readable in the stored record.
    const stored = hub().services.get('ekinerja')!;
    expect(stored.auth).toMatchObject({ type: 'api-key', sealedValue: expect.stringMatching(/^aes256gcm:v1:/) });
    expect(JSON.stringify(stored)).not.toContain('rahasia-bkpsdm-123');
    expect(stored.operations).toEqual([
      expect.objectContaining({ id: 'getPegawai', method: 'GET', path: '/pegawai/{nip}', idempotent: true, contentType: 'application/json', responseSchema: { type: 'object', properties: { nip: { type: 'string' }, nama: { type: 'string' }, jabatan: { type: 'string' } } } }),
      expect.objectContaining({ id: 'kirimLaporan', method: 'POST', path: '/laporan-kinerja', idempotent: false, emits: 'kinerja.laporan.dibuat' }),
    ]);

    const catalog = await call('GET', '/v1/catalog', keys['opd-dinkes']!);
    expect(catalog.body.services).toEqual([expect.objectContaining({
      id: 'ekinerja', owner: 'opd-bkpsdm', version: 1,
      operations: [
        expect.objectContaining({ id: 'getPegawai', http: { method: 'GET', path: '/v1/layanan/ekinerja/pegawai/{nip}' }, right: 'layanan:ekinerja:getPegawai' }),
        expect.objectContaining({ id: 'kirimLaporan', http: { method: 'POST', path: '/v1/layanan/ekinerja/laporan-kinerja' }, event_type: 'kinerja.laporan.dibuat' }),
      ],
    })]);
    expect((await call('GET', '/v1/catalog/ekinerja', keys['opd-dinkes']!)).body).toMatchObject({ id: 'ekinerja', access: 'POST /v1/services/ekinerja/access-requests' });
    const after = (await (await fetch(`${hub().url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string; 'x-right': string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };
    const operation = after.paths['/v1/layanan/ekinerja/pegawai/{nip}']!.get!;
    expect(operation).toMatchObject({ operationId: 'layanan.ekinerja.getPegawai', 'x-right': 'layanan:ekinerja:getPegawai' });
    expect(operation.responses['200']!.content!['application/json']!.schema).toMatchObject({ properties: { nama: { type: 'string' } } });
    expect(after.paths['/v1/layanan/ekinerja/laporan-kinerja']!.post!.operationId).toBe('layanan.ekinerja.kirimLaporan');
    // Its operations are scopes a token can be narrowed to, in discovery at once.
    const discovery = (await (await fetch(`${hub().url}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['layanan:ekinerja:getPegawai', 'layanan:ekinerja:kirimLaporan']));
  });

  it('lets only the owner or an operator change a service, and keeps every version', async () => {
    expect((await call('PUT', '/v1/services/ekinerja', keys['opd-lain']!, registration({ title: 'Diambil alih' }))).status).toBe(403);
    expect((await call('DELETE', '/v1/services/ekinerja', keys['opd-lain']!)).status).toBe(403);
    expect((await call('POST', '/v1/services', keys['opd-dinkes']!, registration({ id: 'lain' }))).body.code).toBe('forbidden');
    expect((await call('POST', '/v1/services', keys['opd-lain']!, registration())).body.code).toBe('service-exists');

    const { auth: _auth, ...withoutAuth } = registration({ title: 'e-Kinerja (v2)' });
    const updated = await call('PUT', '/v1/services/ekinerja', keys['opd-bkpsdm']!, withoutAuth);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, title: 'e-Kinerja (v2)', owner: 'opd-bkpsdm', auth: { type: 'api-key', header: 'X-Api-Key' } });
    // Credentials left out of an update are kept.
    expect(hub().services.get('ekinerja')!.auth).toMatchObject({ type: 'api-key', sealedValue: expect.stringMatching(/^aes256gcm:v1:/) });
    const one = await call('GET', '/v1/services/ekinerja', keys['opd-dinkes']!);
    expect((one.body.versions as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
    expect(one.body.openapi).toMatchObject({ info: { title: 'e-Kinerja BKPSDM' } });
    // A consumer calls through the hub: the service's intranet address and credentials are not its business.
    expect(one.body.baseUrl).toBeUndefined();
    expect(one.body.auth).toBeUndefined();
    expect((await call('GET', '/v1/services', keys['opd-bkpsdm']!)).body.services).toEqual([expect.objectContaining({ id: 'ekinerja', baseUrl: 'http://10.20.0.5:8080/api', auth: { type: 'api-key', header: 'X-Api-Key' } })]);
  });

  it('refuses a base URL on loopback, a metadata address or a private range not allowed, and references outside the document', async () => {
    const refused = async (overrides: Record<string, unknown>, pointer: string): Promise<void> => {
      const answer = await call('POST', '/v1/services', keys['opd-bkpsdm']!, registration({ id: 'ssrf-uji', ...overrides }));
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body).toMatchObject({ code: 'service-target-refused', errors: [{ pointer }] });
    };
    await refused({ baseUrl: 'http://127.0.0.1:8080' }, '/baseUrl');
    await refused({ baseUrl: 'http://localhost:8080' }, '/baseUrl');
    await refused({ baseUrl: 'http://169.254.169.254/latest/meta-data' }, '/baseUrl');
    await refused({ baseUrl: 'http://metadata.google.internal/' }, '/baseUrl');
    await refused({ baseUrl: 'http://192.168.1.10/' }, '/baseUrl');
    await refused({ auth: { type: 'oauth-client-credentials', tokenUrl: 'http://169.254.169.254/token', clientId: 'hub', secret: 'x' } }, '/auth/tokenUrl');
    const external = await call('POST', '/v1/services', keys['opd-bkpsdm']!, registration({ id: 'ref-luar', openapi: { ...ekinerja, components: { schemas: { Pegawai: { $ref: 'http://169.254.169.254/skema.json' } } } } }));
    expect(external).toMatchObject({ status: 422, body: { code: 'request-invalid', errors: [{ pointer: '/openapi/components/schemas/Pegawai/$ref' }] } });
    const swagger2 = await call('POST', '/v1/services', keys['opd-bkpsdm']!, registration({ id: 'swagger-lama', openapi: { swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} } }));
    expect(swagger2).toMatchObject({ status: 422, body: { code: 'request-invalid' } });
    const unknownField = await call('POST', '/v1/services', keys['opd-bkpsdm']!, registration({ id: 'lebih', owner: 'opd-lain' }));
    expect(unknownField).toMatchObject({ status: 422, body: { code: 'request-invalid' } });
    const twice = await call('POST', '/v1/services', keys['opd-bkpsdm']!, registration({ id: 'ganda', openapi: undefined, operations: [{ id: 'a', method: 'GET', path: '/izin/{nomor}' }, { id: 'b', method: 'GET', path: '/izin/{id}' }] }));
    expect(twice).toMatchObject({ status: 422, body: { code: 'request-invalid', errors: [{ pointer: '/operations', message: 'GET /izin/{id} is declared twice' }] } });
    expect(hub().services.list().map((s) => s.id)).toEqual(['ekinerja']);
  });

  it('gives no right before approval; only the owner approves; approval grants, revocation takes it away', async () => {
    expect(hub().services.grantedRights('opd-dinkes')).toEqual([]);
    expect((await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, { operations: ['getPegawai'] })).body).toMatchObject({ code: 'request-invalid' });
    expect((await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, { operations: ['tidakAda'], purpose: 'Verifikasi status pegawai untuk layanan kesehatan' })).status).toBe(422);
    const asked = await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, { operations: ['getPegawai'], purpose: 'Verifikasi status pegawai untuk layanan kesehatan' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ service: 'ekinerja', client: 'opd-dinkes', status: 'pending', operations: ['getPegawai'] });
    requestId = asked.body.id as string;
    expect(hub().services.grantedRights('opd-dinkes')).toEqual([]);

    // Who sees the request: the owner and the requester; another publisher does not.
    expect(((await call('GET', '/v1/access-requests?status=pending', keys['opd-bkpsdm']!)).body.access_requests as { id: string }[]).map((r) => r.id)).toEqual([requestId]);
    expect(((await call('GET', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!)).body.access_requests as { id: string }[]).map((r) => r.id)).toEqual([requestId]);
    expect((await call('GET', '/v1/access-requests', keys['opd-lain']!)).body.access_requests).toEqual([]);

    // Neither another publisher nor the requester itself decides.
    expect((await call('POST', `/v1/services/ekinerja/access-requests/${requestId}/approve`, keys['opd-lain']!)).body.code).toBe('access-request-not-found');
    expect((await call('POST', `/v1/services/ekinerja/access-requests/${requestId}/approve`, keys['opd-dinkes']!)).body.code).toBe('forbidden');
    expect(hub().services.accessRequest(requestId)!.status).toBe('pending');
    expect(hub().services.grantedRights('opd-dinkes')).toEqual([]);

    const approved = await call('POST', `/v1/services/ekinerja/access-requests/${requestId}/approve`, keys['opd-bkpsdm']!);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'opd-bkpsdm' });
    expect(hub().services.grantedRights('opd-dinkes')).toEqual(['layanan:ekinerja:getPegawai']);
    expect((await call('POST', `/v1/services/ekinerja/access-requests/${requestId}/approve`, keys['opd-bkpsdm']!)).body.code).toBe('access-request-decided');

    const revoked = await call('POST', `/v1/services/ekinerja/access-requests/${requestId}/revoke`, keys['opd-bkpsdm']!, { reason: 'Kerja sama berakhir' });
    expect(revoked.body).toMatchObject({ status: 'revoked', reason: 'Kerja sama berakhir' });
    expect(hub().services.grantedRights('opd-dinkes')).toEqual([]);
  });

  it('refuses with a reason, and lets a grant expire at its time', async () => {
    const ask = async (): Promise<string> => (await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, { purpose: 'Rekap kinerja untuk tunjangan tenaga kesehatan' })).body.id as string;
    const refusedId = await ask();
    expect((await call('POST', `/v1/services/ekinerja/access-requests/${refusedId}/refuse`, keys['opd-bkpsdm']!, {})).status).toBe(422);
    // An operator decides by its role, with no right of its own.
    expect(((await call('GET', '/v1/access-requests?status=pending', keys['operator-helpdesk']!)).body.access_requests as { id: string }[]).map((r) => r.id)).toEqual([refusedId]);
    expect((await call('POST', `/v1/services/ekinerja/access-requests/${refusedId}/refuse`, keys['operator-helpdesk']!, { reason: 'Tujuan tidak sesuai' })).body).toMatchObject({ status: 'refused', reason: 'Tujuan tidak sesuai', decidedBy: 'operator-helpdesk' });
    expect(hub().services.grantedRights('opd-dinkes')).toEqual([]);

    const expiringId = await ask();
    expect((await call('POST', `/v1/services/ekinerja/access-requests/${expiringId}/approve`, keys['opd-bkpsdm']!, { expiresAt: '2020-01-01T00:00:00Z' })).status).toBe(422);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    expect((await call('POST', `/v1/services/ekinerja/access-requests/${expiringId}/approve`, keys['opd-bkpsdm']!, { expiresAt })).body).toMatchObject({ status: 'approved', expiresAt });
    expect(hub().services.grantedRights('opd-dinkes')).toEqual(['layanan:ekinerja:*']);
    await waitFor(() => hub().services.grantedRights('opd-dinkes').length === 0, 10_000, 'the grant to expire');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    expect((await call('GET', `/v1/services/ekinerja/access-requests/${expiringId}`, keys['opd-dinkes']!)).body.status).toBe('expired');
  });

  it('retires a service: gone from the catalogue and /openapi.json, its grants give nothing', async () => {
    const asked = await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, { purpose: 'Verifikasi status pegawai untuk layanan kesehatan' });
    await call('POST', `/v1/services/ekinerja/access-requests/${asked.body.id as string}/approve`, 'uji-kunci-operator-rahasia');
    expect(hub().services.grantedRights('opd-dinkes')).toEqual(['layanan:ekinerja:*']);
    const retired = await call('DELETE', '/v1/services/ekinerja', keys['opd-bkpsdm']!);
    expect(retired.body).toMatchObject({ status: 'retired', version: 3 });
    expect(hub().services.grantedRights('opd-dinkes')).toEqual([]);
    expect(hub().services.accessRequest(asked.body.id as string)).toMatchObject({ status: 'revoked', decidedBy: 'opd-bkpsdm', reason: 'service ekinerja retired' });
    expect((await call('GET', '/v1/catalog', keys['opd-dinkes']!)).body.services).toEqual([]);
    const spec = (await (await fetch(`${hub().url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths).filter((path) => path.startsWith('/v1/layanan/'))).toEqual([]);
    const discovery = (await (await fetch(`${hub().url}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    expect(discovery.scopes_supported.filter((scope) => scope.startsWith('layanan:ekinerja:'))).toEqual([]);
    expect((await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, { purpose: 'Verifikasi status pegawai untuk layanan kesehatan' })).body.code).toBe('service-not-found');
  });

  it('publishes each request and decision as a layanan.akses.* event, masked to the subscriber', async () => {
    type Pulled = { source: string; subject: string; type: string; penghubungclient: string; data: Record<string, unknown> };
    const pulled = async (type: string, key = 'uji-kunci-operator-rahasia'): Promise<Pulled[]> => ((await (await hubFetch(`${hub().url}/v1/events?type=${type}&limit=1000`, {}, key)).json()) as { events: Pulled[] }).events;
    await waitFor(async () => (await pulled('layanan.akses.dicabut')).length === 2, 10_000, 'the revocations as events (one by the owner, one by the retirement)');
    const asked = await pulled('layanan.akses.diminta');
    expect(asked).toHaveLength(4);
    const first = asked.find((event) => event.data.id === requestId)!;
    expect(first).toMatchObject({ source: '/layanan/ekinerja', subject: 'ekinerja', penghubungclient: 'opd-dinkes', data: { layanan: 'ekinerja', pemilik: 'opd-bkpsdm', klien: 'opd-dinkes', operasi: ['getPegawai'], status: 'pending', tujuan: 'Verifikasi status pegawai untuk layanan kesehatan' } });
    const { validate } = canonicalSchema('akses-layanan.v1');
    for (const event of [...asked, ...(await pulled('layanan.akses.disetujui')), ...(await pulled('layanan.akses.ditolak')), ...(await pulled('layanan.akses.dicabut'))]) expect(validate(event.data), JSON.stringify(validate.errors)).toBe(true);
    expect((await pulled('layanan.akses.ditolak')).map((event) => event.data)).toEqual([expect.objectContaining({ status: 'refused', diputuskan_oleh: 'operator-helpdesk', alasan: 'Tujuan tidak sesuai' })]);
    expect((await pulled('layanan.akses.dicabut')).map((event) => event.data.alasan)).toEqual(['Kerja sama berakhir', 'service ekinerja retired']);
    // A subscriber cleared publik learns who asked for what, not the free-text purpose.
    const seenByPublik = (await pulled('layanan.akses.diminta', keys['pemantau-akses'])).find((event) => event.data.id === requestId)!;
    expect(seenByPublik.data).toMatchObject({ klien: 'opd-dinkes', layanan: 'ekinerja' });
    expect(seenByPublik.data.tujuan).not.toBe('Verifikasi status pegawai untuk layanan kesehatan');
  });

  it('has every registration, request and decision in the audit chain, which verifies', async () => {
    await hub().audit.flush();
    const entries = hub().audit.recent(1000).filter((entry) => entry.operation.startsWith('services:'));
    const seen = (operation: string, client: string, status: number): boolean => entries.some((e) => e.operation === operation && e.client === client && e.status === status && e.connector === 'layanan:ekinerja' && e.response_digest !== null);
    expect(seen('services:register', 'opd-bkpsdm', 201)).toBe(true);
    expect(seen('services:update', 'opd-bkpsdm', 200)).toBe(true);
    expect(seen('services:update', 'opd-lain', 403)).toBe(true);
    expect(seen('services:retire', 'opd-bkpsdm', 200)).toBe(true);
    expect(seen('services:request-access', 'opd-dinkes', 201)).toBe(true);
    expect(seen('services:approve', 'opd-bkpsdm', 200)).toBe(true);
    expect(seen('services:approve', 'opd-dinkes', 403)).toBe(true);
    expect(seen('services:approve', 'uji-operator', 200)).toBe(true);
    expect(seen('services:refuse', 'operator-helpdesk', 200)).toBe(true);
    expect(seen('services:revoke', 'opd-bkpsdm', 200)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('rahasia-bkpsdm-123');

    const lines: string[] = [];
    const code = await audit(['verify', '--file', join(hub().config.dataDir, 'audit.db'), '--json'], { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(code, lines.join('\n')).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ ok: true });
  });
});
