// The sandbox shows the OPD-services flow on first start: the example e-kinerja simulator runs,
// its owner has published it, the demo app holds an approved grant and calls it at once, the
// public portal's request waits for the owner; each step is in the audit chain as the hub acting
// for that client.
import { describe, expect, it } from 'vitest';
import { initialPegawai } from '../../src/services/sandbox/ekinerja-data.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';

const demoKey = 'uji-kunci-opd-demo';
const [rudi] = initialPegawai;

const hub = hubBeforeAll({ mode: 'sandbox', security: { clientsFile: 'test/fixtures/clients-sandbox-service.yaml' } });

describe('the sandbox example OPD service', () => {
  it('is published by its owner, on the simulator this hub started', () => {
    const service = hub().services.get('ekinerja');
    expect(service).toMatchObject({ owner: 'aplikasi-bkpsdm', status: 'active', version: 1, auth: { type: 'api-key', header: 'X-Api-Key' } });
    expect(service!.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service!.operations.map((o) => o.id).sort()).toEqual(['ajukan-sasaran-kinerja', 'daftar-pegawai', 'detail-pegawai', 'kinerja-pegawai', 'rekap-kehadiran']);
  });

  it('has one approved grant and one request waiting for the owner', () => {
    const requests = hub().services.accessRequests().filter((r) => r.service === 'ekinerja');
    expect(requests.map((r) => [r.client, r.status, r.operations])).toEqual([
      ['aplikasi-opd-demo', 'approved', '*'],
      ['portal-publik', 'pending', ['daftar-pegawai']],
    ]);
    expect(requests[0]!.decidedBy).toBe('aplikasi-bkpsdm');
  });

  it('lets the demo app call it at once, masked to its clearance, and shows it in the status API', async () => {
    const response = await hubFetch(`${hub().url}/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}`, {}, demoKey);
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ nip: rudi!.nip, nama: rudi!.nama, jabatan: rudi!.jabatan });
    expect(body.nik).not.toBe(rudi!.nik);
    const status = (await (await hubFetch(`${hub().url}/v1/connectors/layanan:ekinerja`, {}, testKeys.operator)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ id: 'layanan:ekinerja', state: 'up', circuit: { state: 'closed' }, calls_5m: 1 });
  });

  it('audits the publication, the requests and the decision as the hub acting for each client', async () => {
    await hub().audit.flush();
    const entries = hub().audit.recent(100).filter((e) => e.actor === 'hub' && e.connector === 'layanan:ekinerja').map((e) => [e.operation, e.on_behalf_of]);
    expect(entries).toEqual(expect.arrayContaining([
      ['services:register', 'aplikasi-bkpsdm'],
      ['services:request-access', 'aplikasi-opd-demo'],
      ['services:approve', 'aplikasi-bkpsdm'],
      ['services:request-access', 'portal-publik'],
    ]));
  });
});
