// SIAK end to end: the hub in sandbox mode starts the Dukcapil simulator on a real port, and OPD
// requests go through the gateway, the connector and the simulator.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callSimulator, parseJson, type Simulator } from '../../src/connectors/sdk.js';
import { SANDBOX_ACCOUNT } from '../../connectors/siak/simulator.js';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { hubBeforeAll } from '../support/hub.js';
import { hubFetch } from '../support/auth.js';

let simulator: Simulator;

const hub = hubBeforeAll();

beforeAll(async () => {
  simulator = hub().connectors.simulators.get('siak')!;
});

beforeEach(async () => {
  expect((await callSimulator(simulator.url, 'POST', '/_simulator/reset')).status).toBe(204);
});

const resident = (status: string) => RESIDENTS.find((r) => r.status === status && !r.nik.startsWith('92'))!;
const get = async (path: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
  const response = await hubFetch(`${hub().url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
};
/** What the hub sent SIAK since the last reset (the simulator kit records it). */
const siakCalls = () => simulator.requests!({ path: `/dukcapil/get_json/${SANDBOX_ACCOUNT.consumer}/CALL_NIK` });

describe('GET /v1/penduduk/{nik}', () => {
  it('answers a canonical resident, asking SIAK once with the sandbox account', async () => {
    const someone = resident('aktif');
    const answer = await get(`/v1/penduduk/${someone.nik}`);
    expect(answer.status).toBe(200);
    const sent = siakCalls();
    expect(sent).toHaveLength(1);
    expect(parseJson(sent[0]!.body)).toEqual({ nik: someone.nik, user_id: SANDBOX_ACCOUNT.userId, password: SANDBOX_ACCOUNT.password, ip_user: SANDBOX_ACCOUNT.ipUser });
    expect(answer.body).toMatchObject({ nik: someone.nik, no_kk: someone.noKk, nama_lengkap: someone.nama, tanggal_lahir: someone.tanggalLahir, jenis_kelamin: someone.jenisKelamin, alamat: { kabupaten: 'PESAWARAN', provinsi: 'LAMPUNG' }, sumber: { sistem: 'SIAK' } });
  });

  it('keeps all 16 digits of a NIK the upstream sends as a bare JSON number above 2^53', async () => {
    const answer = await get('/v1/penduduk/9271015501900001');
    expect(answer.status).toBe(200);
    expect(answer.body.nik).toBe('9271015501900001');
    expect(Number('9271015501900001')).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
  });

  it('turns SIAK response codes, sent with HTTP 200, into coded problems', async () => {
    const cases: [string, number, string][] = [
      [resident('meninggal').nik, 410, 'upstream-subject-deceased'],
      [resident('nonaktif').nik, 410, 'upstream-record-inactive'],
      [resident('ganda').nik, 409, 'upstream-record-ambiguous'],
      ['1809015501900001', 404, 'upstream-record-not-found'],
    ];
    for (const [nik, status, code] of cases) {
      const answer = await get(`/v1/penduduk/${nik}`);
      expect({ nik, status: answer.status, code: answer.body.code }).toEqual({ nik, status, code });
    }
  });

  it('refuses a malformed NIK before calling the upstream', async () => {
    for (const nik of ['123', '1809015513900001', '1809010101900000']) {
      const answer = await get(`/v1/penduduk/${nik}`);
      expect(answer.status).toBe(422);
      expect(answer.body.code).toBe('request-invalid');
    }
    expect(siakCalls()).toEqual([]);
  });

  it('stops calling once the daily quota is used up, and says until when', async () => {
    expect((await callSimulator(simulator.url, 'POST', '/_simulator/quota', { limit: 1, used: 1 })).status).toBe(200);
    const nik = resident('aktif').nik;
    const first = await get(`/v1/penduduk/${nik}`);
    expect(first.status).toBe(429);
    expect(first.body.code).toBe('upstream-quota-exhausted');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
    const callsAfterRefusal = siakCalls().length;

    const second = await get(`/v1/penduduk/${nik}`);
    expect(second.status).toBe(429);
    expect(siakCalls()).toHaveLength(callsAfterRefusal);

    const status = await get('/v1/connectors/siak');
    const quota = status.body.quota as { status: string; resetsAt: string };
    expect(quota.status).toBe('exhausted');
    // Midnight WIB is 17:00 UTC.
    expect(quota.resetsAt).toMatch(/T17:00:00\.000Z$/);
    expect(new Date(quota.resetsAt).getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    hub().connectors.runtimes.find((r) => r.id === 'siak')!.quota!.reopen();
  });
});

describe('POST /v1/penduduk/verifikasi', () => {
  it('answers per element whether it matches, without disclosing the record', async () => {
    const someone = resident('aktif');
    const response = await hubFetch(`${hub().url}/v1/penduduk/verifikasi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nik: someone.nik, nama_lengkap: someone.nama, tanggal_lahir: '1900-01-01' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { nik: string; hasil: Record<string, { sesuai: boolean }>; sesuai_semua: boolean };
    expect(body.nik).toBe(someone.nik);
    expect(Object.keys(body.hasil).sort()).toEqual(['nama_lengkap', 'tanggal_lahir']);
    expect(body.hasil.nama_lengkap!.sesuai).toBe(true);
    expect(body.hasil.tanggal_lahir!.sesuai).toBe(false);
    expect(body.sesuai_semua).toBe(false);
    const text = JSON.stringify(body);
    for (const secret of [someone.alamat.jalan, someone.namaIbu, someone.tanggalLahir, someone.noKk]) expect(text).not.toContain(secret);
  });

  it('refuses a request that asks to verify nothing', async () => {
    const response = await hubFetch(`${hub().url}/v1/penduduk/verifikasi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nik: resident('aktif').nik }) });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { code: string }).code).toBe('request-invalid');
  });
});

describe('catalogue and OpenAPI', () => {
  it('lists SIAK with its owner, operations, schemas and classification', async () => {
    const { body } = await get('/v1/catalog/siak');
    expect(body).toMatchObject({ id: 'siak', owner: expect.stringContaining('Kependudukan'), classification: 'terbatas' });
    const operations = body.operations as { id: string; kind: string; schemas: Record<string, string> }[];
    expect(operations.map((o) => `${o.kind}:${o.id}`).sort()).toEqual(['query:cari-penduduk', 'query:verifikasi-penduduk']);
    expect(operations.find((o) => o.id === 'cari-penduduk')!.schemas.output).toBe('penduduk.v1');
  });

  it('documents every connector operation in /openapi.json', async () => {
    const spec = (await get('/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string }>>; components: { schemas: Record<string, unknown> } };
    expect(spec.paths['/v1/penduduk/{nik}']!.get!.operationId).toBe('siak.cari-penduduk');
    expect(spec.paths['/v1/penduduk/verifikasi']!.post!.operationId).toBe('siak.verifikasi-penduduk');
    expect(spec.paths['/v1/connectors/lapor/inbound']!.post!.operationId).toBe('lapor.pengaduan-masuk');
    expect(spec.paths['/v1/pengaduan/{id}']!.get).toBeDefined();
    expect(Object.keys(spec.components.schemas)).toEqual(expect.arrayContaining(['penduduk.v1', 'verifikasi-penduduk.v1', 'verifikasi-penduduk-permintaan.v1', 'pengaduan.v1']));
    expect(JSON.stringify(spec)).not.toContain('urn:penghubung:schema');
  });
});
