// The reference-code API through a real hub: for each kind of code, a valid one (200 with its
// name and level), a pre-2022 or unpadded spelling (200, normalised), a malformed one (422
// code-invalid saying what is wrong) and a well-formed unknown one (404 code-unknown).
import { describe, expect, it } from 'vitest';
import { hubBeforeAll } from '../support/hub.js';
import { hubFetch, testKeys } from '../support/auth.js';

const hub = hubBeforeAll();

interface Answer { status: number; type: string; body: Record<string, unknown> }

async function ask(jenis: string, kode: string, key: string = testKeys.publik): Promise<Answer> {
  const response = await hubFetch(`${hub().url}/v1/referensi/${jenis}/${encodeURIComponent(kode)}`, {}, key);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
}

describe('GET /v1/referensi/sub-kegiatan/{kode}', () => {
  it('names a current code with its level and the levels above it', async () => {
    const answer = await ask('sub-kegiatan', '1.02.01.2.01.0002');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kode: '1.02.01.2.01.0002', kode_normal: '1.02.01.2.01.0002', level: 'sub-kegiatan', nama: 'Koordinasi dan Penyusunan Dokumen RKA-SKPD', sumber: 'Kepmendagri 050-5889/2021' });
    expect(answer.body.induk).toEqual([
      { kode: '1', level: 'urusan', nama: 'URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR' },
      { kode: '1.02', level: 'bidang-urusan', nama: 'URUSAN PEMERINTAHAN BIDANG KESEHATAN' },
      { kode: '1.02.01', level: 'program', nama: 'PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA' },
      { kode: '1.02.01.2.01', level: 'kegiatan', nama: 'Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah' },
    ]);
  });

  it('reads the pre-2022 two-digit form as the current four-digit one', async () => {
    const answer = await ask('sub-kegiatan', '2.18.01.2.01.02');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kode: '2.18.01.2.01.02', kode_normal: '2.18.01.2.01.0002', level: 'sub-kegiatan', nama: 'Koordinasi dan Penyusunan Dokumen RKA-SKPD' });
  });

  it('answers a program-level code at its level', async () => {
    const answer = await ask('sub-kegiatan', '1.03.10');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ level: 'program', nama: 'PROGRAM PENYELENGGARAAN JALAN' });
  });

  it('refuses a malformed code with 422 saying what is wrong', async () => {
    const answer = await ask('sub-kegiatan', '1.2.02.2.01.0001');
    expect(answer.status).toBe(422);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.code).toBe('code-invalid');
    expect(String(answer.body.detail)).toContain('bidang urusan "2" must have 2 digits');
    const half = await ask('sub-kegiatan', '1.02.02.2');
    expect(half.status).toBe(422);
    expect(String(half.body.detail)).toContain('not 4');
  });

  it('answers 404 for a well-formed code nobody knows', async () => {
    const answer = await ask('sub-kegiatan', '1.02.02.2.01.0999');
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('code-unknown');
  });
});

describe('GET /v1/referensi/kode-rekening/{kode}', () => {
  it('names a sub rincian objek', async () => {
    const answer = await ask('kode-rekening', '5.1.02.01.01.0024');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kode_normal: '5.1.02.01.01.0024', level: 'sub-rincian-objek', nama: 'Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor' });
    expect((answer.body.induk as { kode: string }[]).map((i) => i.kode)).toEqual(['5', '5.1', '5.1.02', '5.1.02.01', '5.1.02.01.01']);
  });

  it('reads an unpadded export spelling back to the padded code', async () => {
    const answer = await ask('kode-rekening', '5.1.2.1.1.24');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kode: '5.1.2.1.1.24', kode_normal: '5.1.02.01.01.0024', level: 'sub-rincian-objek' });
  });

  it('refuses a malformed code with 422', async () => {
    const answer = await ask('kode-rekening', '5.1.02.01.01.0001.7');
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('code-invalid');
    expect(String(answer.body.detail)).toContain('at most 6');
    expect((await ask('kode-rekening', '5.1.x')).status).toBe(422);
  });

  it('answers 404 for a well-formed unknown code', async () => {
    const answer = await ask('kode-rekening', '5.1.02.99.99.9999');
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('code-unknown');
  });
});

describe('GET /v1/referensi/klasifikasi-arsip/{kode}', () => {
  it('answers a code below a primary class with its class named', async () => {
    const answer = await ask('klasifikasi-arsip', '000.1.2.3');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kode_normal: '000.1.2.3', level: 'sub-3' });
    expect((answer.body.induk as unknown[])[0]).toEqual({ kode: '000', level: 'kelas', nama: 'Umum' });
    const kelas = await ask('klasifikasi-arsip', '900');
    expect(kelas.body).toMatchObject({ level: 'kelas', nama: 'Keuangan', sumber: 'Permendagri 83/2022' });
  });

  it('reads sub-levels written with leading zeros', async () => {
    const answer = await ask('klasifikasi-arsip', '000.01.02');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kode: '000.01.02', kode_normal: '000.1.2', level: 'sub-2' });
  });

  it('refuses a malformed code with 422', async () => {
    const answer = await ask('klasifikasi-arsip', '000.1.2.3.4.5');
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('code-invalid');
    expect(String(answer.body.detail)).toContain('at most 4');
  });

  it('answers 404 for a well-formed class Permendagri 83/2022 does not have', async () => {
    const answer = await ask('klasifikasi-arsip', '050.1');
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('code-unknown');
    expect(String(answer.body.detail)).toContain('not a primary class');
  });
});

describe('who may ask', () => {
  it('needs referensi:read and an existing kind', async () => {
    const forbidden = await ask('sub-kegiatan', '1.02.01.2.01.0002', testKeys.noRights);
    expect(forbidden.status).toBe(403);
    expect((await ask('skpd', '1.02.0.00.0.00.01.0000')).status).toBe(404);
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await (await fetch(`${hub().url}/openapi.json`)).json()) as { paths: Record<string, { get?: { responses: Record<string, unknown> } }> };
    expect(Object.keys(document.paths['/v1/referensi/{jenis}/{kode}']!.get!.responses)).toEqual(expect.arrayContaining(['200', '404', '422']));
  });
});
