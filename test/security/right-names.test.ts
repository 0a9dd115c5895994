// Rights that name no operation are refused when written (issue 16 item 6): a client given one
// through the admin API, or an access request naming an operation the service lacks, is answered
// 422 right-unknown naming the right and the nearest one there is; nothing is stored. Patterns
// must match some right; rights of services registered later count once they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ekinerjaServiceInput } from '../../src/services/sandbox/ekinerja-service.js';
import { startEkinerjaSimulator } from '../../src/services/sandbox/ekinerja-simulator.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';

let simulator: Awaited<ReturnType<typeof startEkinerjaSimulator>>;

interface Problem { code?: string; detail?: string; errors?: { pointer: string; message: string }[] }

async function send(method: string, path: string, body: unknown, key: string = testKeys.operator): Promise<{ status: number; type: string; body: Problem & Record<string, unknown> }> {
  const response = await hubFetch(`${hub().url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, key);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Problem & Record<string, unknown> };
}
const client = (id: string, rights: string[]): Record<string, unknown> => ({ id, name: id, opd: 'Dinas Uji', role: 'app', clearance: 'publik', rights });
const listedIds = async (): Promise<string[]> => ((await (await hubFetch(`${hub().url}/v1/clients`)).json()) as { clients: { id: string }[] }).clients.map((c) => c.id);

beforeAll(async () => {
  simulator = await startEkinerjaSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

const hub = hubBeforeAll({ services: { allowLoopback: true } });

describe('the clients admin API', () => {
  it('refuses a misspelled right, naming it and the nearest right, and stores nothing', async () => {
    const answer = await send('POST', '/v1/clients', client('salah-ketik', ['catalog:read', 'siak:cari-pendudk', 'sipd:daftar-subkegiatan']));
    expect(answer.status).toBe(422);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.code).toBe('right-unknown');
    expect(answer.body.errors).toEqual([
      { pointer: '/rights/1', message: 'siak:cari-pendudk names no operation; the nearest right is siak:cari-penduduk' },
      { pointer: '/rights/2', message: 'sipd:daftar-subkegiatan names no operation; the nearest right is sipd:daftar-sub-kegiatan' },
    ]);
    expect(answer.body.detail).toContain('siak:cari-pendudk names no operation; the nearest right is siak:cari-penduduk');
    expect(await listedIds()).not.toContain('salah-ketik');
  });

  it('refuses a pattern that matches no right, and an event type the hub does not know', async () => {
    const pattern = await send('POST', '/v1/clients', client('pola-kosong', ['sipd:dafter-*']));
    expect(pattern.status).toBe(422);
    expect(pattern.body.errors).toEqual([{ pointer: '/rights/0', message: 'sipd:dafter-* names no operation; the nearest right is sipd:daftar-*' }]);
    const type = await send('POST', '/v1/clients', client('tipe-asing', ['events:publish:pengaduan.tindak-lanjut.dibuta']));
    expect(type.status).toBe(422);
    expect(type.body.errors).toEqual([{ pointer: '/rights/0', message: 'events:publish:pengaduan.tindak-lanjut.dibuta names no operation; the nearest right is events:publish:pengaduan.tindak-lanjut.dibuat' }]);
    expect(await listedIds()).not.toContain('pola-kosong');
  });

  it('accepts exact rights, patterns that match some, metrics:read and every right of an operation', async () => {
    const rights = ['*', 'sipd:*', 'events:subscribe:pengaduan.*', 'events:publish:pengaduan.tindak-lanjut.dibuat', 'metrics:read', 'referensi:read', 'subscriptions:manage', 'lapor:pengaduan-masuk', 'lapor:kirim-pengaduan', 'sitampan:daftar-naskah'];
    const answer = await send('POST', '/v1/clients', client('hak-benar', rights));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(await listedIds()).toContain('hak-benar');
  });

  it('knows the rights of an OPD service once it is registered', async () => {
    const right = 'layanan:ekinerja:detail-pegawai';
    expect((await send('POST', '/v1/clients', client('sebelum-layanan', [right]))).body.code).toBe('right-unknown');
    const owner = await send('POST', '/v1/clients', client('pemilik-layanan', ['services:publish']));
    expect(owner.status).toBe(201);
    expect((await send('POST', '/v1/services', ekinerjaServiceInput(simulator.url), owner.body.api_key as string)).status).toBe(201);
    expect((await send('POST', '/v1/clients', client('sesudah-layanan', [right]))).status).toBe(201);
  });
});

describe('access requests (the grants to OPD services)', () => {
  it('refuses an operation the service lacks, naming the nearest, and accepts the real one', async () => {
    const applicant = await send('POST', '/v1/clients', client('pemohon', ['services:request']));
    expect(applicant.status).toBe(201);
    const key = applicant.body.api_key as string;
    const wrong = await send('POST', '/v1/services/ekinerja/access-requests', { operations: ['detail-pegawai', 'kinerja-pegawaii'], purpose: 'Verifikasi kinerja pegawai untuk tunjangan' }, key);
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('right-unknown');
    expect(wrong.body.errors).toEqual([{ pointer: '/operations/1', message: 'layanan:ekinerja:kinerja-pegawaii names no operation; the nearest right is layanan:ekinerja:kinerja-pegawai' }]);
    const mine = (await (await hubFetch(`${hub().url}/v1/access-requests`, {}, key)).json()) as { access_requests: unknown[] };
    expect(mine.access_requests).toEqual([]);
    expect((await send('POST', '/v1/services/ekinerja/access-requests', { operations: ['detail-pegawai', 'kinerja-pegawai'], purpose: 'Verifikasi kinerja pegawai untuk tunjangan' }, key)).status).toBe(201);
  });
});
