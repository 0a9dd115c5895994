// The SIPD connector against its simulator over real HTTP: the national nomenclature as
// reference data, full scans SKPD by SKPD (list_skpd's encoded units, then each SKPD's
// sub-kegiatan, then each sub-kegiatan's budget lines), change detection as the runtime does it
// (one event for one change), kode RUP for LPSE, errors with HTTP 200, faults, cursors.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caught, caughtAsync, pollRun, simulatorUnderTest, stringifyJson, type ConnectorContext, type PollRunResult } from '../../src/connectors/sdk.js';
import { decodeSipdPayload, encodeSipdPayload, PayloadDecodeError } from './codec.js';
import connector, { PAGE_LENGTH, PATHS, type Nomenklatur, type RincianAnggaran, type SubKegiatan } from './mapping.js';
import { initialRincian, initialSubKegiatan, SANDBOX_ID_DAERAH, SANDBOX_TOKEN, SKPD } from './sandbox-data.js';
import { startSimulator } from './simulator.js';

const subKegiatanMasuk = connector.inbound!['sub-kegiatan-masuk']!;
const rincianMasuk = connector.inbound!['rincian-anggaran-masuk']!;
const nomenklaturMasuk = connector.inbound!['nomenklatur-masuk']!;
const settings = { token: SANDBOX_TOKEN, idDaerah: SANDBOX_ID_DAERAH, tahun: '2026' };
const context: ConnectorContext = { settings, options: {}, now: () => new Date('2026-11-28T01:00:00Z') };
const withSettings = (changes: Record<string, string>): ConnectorContext => ({ ...context, settings: { ...settings, ...changes } });
const { send, control, change } = simulatorUnderTest(startSimulator, { beforeAll, afterAll, beforeEach });

type Handler = typeof subKegiatanMasuk;

/** One poll run of `handler` (the SDK's pollRun), its entities typed as E. */
const pollOf = async <E>(handler: Handler, maxPages = 50): Promise<PollRunResult<E>> => (await pollRun(handler, send, context, { maxPages })) as PollRunResult<E>;

/** The runtime's change detection: a fingerprint of the entity without `sumber`, per identity. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const fingerprint = (entity: object): string => createHash('sha256').update(stable({ ...entity, sumber: undefined })).digest('hex');

/** Published events of one scan, given what was seen before (updated in place). */
function changed<E extends { id: string }>(seen: Map<string, string>, entities: E[]): E[] {
  return entities.filter((entity) => {
    const print = fingerprint(entity);
    if (seen.get(entity.id) === print) return false;
    seen.set(entity.id, print);
    return true;
  });
}

describe('the national nomenclature: reference data', () => {
  it('reads list_table page by page into nomenklatur entries, with no SKPD and no money', async () => {
    const run = await pollOf<Nomenklatur>(nomenklaturMasuk);
    const codes = [...new Set(initialSubKegiatan().map((s) => s.kode))].sort();
    expect(run.entities.map((e) => e.kode)).toEqual(codes);
    expect(run.pages.length).toBe(Math.ceil(codes.length / 5));
    expect(run.last).toBeNull();
    const jalan = run.entities.find((e) => e.kode === '1.03.10.2.01.0015')!;
    expect(jalan).toMatchObject({ id: '1.03.10.2.01.0015', level: 'sub-kegiatan', nama: 'Pembangunan Jalan', tahun: 2026, program: { kode: '1.03.10' }, kegiatan: { kode: '1.03.10.2.01' } });
    expect(jalan.id_sipd).toMatch(/^[0-9]+$/);
    expect(Object.keys(jalan)).not.toContain('pagu');
  });

  it('writes a pre-2022 two-digit code in its current form and keeps SIPD\'s spelling', () => {
    const page = { data: { data: [{ id_sub_giat: 5012, kode_sub_giat: '2.18.01.2.01.02', nama_sub_giat: 'Koordinasi dan Penyusunan Dokumen RKA-SKPD', tahun: 2021 }], recordsTotal: 1 } };
    expect(nomenklaturMasuk.map(page, context)).toEqual([expect.objectContaining({ id: '2.18.01.2.01.0002', kode: '2.18.01.2.01.0002', kode_sipd: '2.18.01.2.01.02', tahun: 2021 })]);
  });

  it('is not read as a budget: the sub-kegiatan scan skips nomenclature rows', () => {
    const page = { data: { data: [{ id_sub_giat: 1, kode_sub_giat: '1.03.10.2.01.0015', nama_sub_giat: 'Pembangunan Jalan', tahun: 2026 }], recordsTotal: 1 } };
    expect(subKegiatanMasuk.map(page, context)).toEqual([]);
  });
});

describe('sub-kegiatan: a full scan, SKPD by SKPD', () => {
  it('reads the encoded SKPD list, then every SKPD\'s sub-kegiatan with pagu, and ends with a null cursor', async () => {
    const run = await pollOf<SubKegiatan>(subKegiatanMasuk);
    // list_skpd in pages of 3 (2 pages for 4 SKPD), then one list_belanja per SKPD.
    expect(run.pages.map((page) => page.request.path)).toEqual([PATHS.skpd, PATHS.skpd, ...SKPD.map(() => PATHS.subKegiatan)]);
    expect(run.last).toBeNull();
    expect(run.entities).toHaveLength(initialSubKegiatan().length);
    for (const entity of run.entities) {
      expect(entity.id).toBe(`2026:${entity.kode_skpd}:${entity.kode_sub_kegiatan}`);
      expect(entity.kegiatan.kode).toBe(entity.kode_sub_kegiatan.split('.').slice(0, 5).join('.'));
      expect(Number.isInteger(entity.pagu.nilai)).toBe(true);
      // The name comes without the code SIPD writes before it in list_belanja.
      expect(entity.skpd.nama).not.toMatch(/^[0-9]/);
    }
    const jalan = run.entities.find((e) => e.kode_sub_kegiatan === '1.03.10.2.01.0015')!;
    expect(jalan).toMatchObject({ skpd: { nama: 'Dinas Pekerjaan Umum dan Penataan Ruang' }, sub_kegiatan: { nama: 'Pembangunan Jalan' }, pagu: { nilai: 16_250_000_000 } });
    // What SIPD sends beyond the canonical fields is kept.
    expect(jalan.tambahan).toMatchObject({ kode_sbl: expect.any(String), pagumurni: 'Rp. 16.250.000.000,00' });
    // Ids above 2^53 keep every digit.
    expect(run.entities.map((e) => e.id_sipd)).toContain('9007199254741013');
  });

  it('asks as SIPD-RI client code does: list_skpd by offset and limit, list_belanja by id_unit', async () => {
    const first = subKegiatanMasuk.poll!.request(undefined, context);
    expect(first).toMatchObject({ method: 'POST', path: PATHS.skpd, body: { form: { tahun: '2026', id_daerah: SANDBOX_ID_DAERAH, id_unit: 0, limit: PAGE_LENGTH, offset: 0, is_anggaran: 1 } } });
    expect(first.headers).toMatchObject({ 'X-Access-Token': SANDBOX_TOKEN });
    const cursor = JSON.stringify({ tahun: '2026', phase: 'belanja', units: [{ id: '1690', kode: '1.03.0.00.0.00.01.0000' }], i: 0 });
    expect(subKegiatanMasuk.poll!.request(cursor, context)).toMatchObject({ path: PATHS.subKegiatan, body: { form: { id_unit: '1690', is_prop: 0 } } });
  });

  it('publishes each sub-kegiatan once, then nothing, then exactly the one whose pagu or name changed', async () => {
    const seen = new Map<string, string>();
    expect(changed(seen, (await pollOf<SubKegiatan>(subKegiatanMasuk)).entities)).toHaveLength(12);
    expect(changed(seen, (await pollOf<SubKegiatan>(subKegiatanMasuk)).entities)).toHaveLength(0);
    await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '1.03.10.2.01.0015', pagu: 'Rp. 15.602.948.688,00' });
    const after = changed(seen, (await pollOf<SubKegiatan>(subKegiatanMasuk)).entities);
    expect(after.map((e) => [e.kode_sub_kegiatan, e.pagu])).toEqual([['1.03.10.2.01.0015', { nilai: 15_602_948_688, perkiraan: false }]]);
  });

  it('starts over when the cursor belongs to another budget year, and refuses a cursor it did not write', async () => {
    const old = JSON.stringify({ tahun: '2025', phase: 'belanja', units: [{ id: '1690', kode: '1.03.0.00.0.00.01.0000' }], i: 0 });
    expect(subKegiatanMasuk.poll!.request(old, context).path).toBe(PATHS.skpd);
    expect(caught(() => subKegiatanMasuk.poll!.request('{"halaman":3}', context)).code).toBe('cursor-invalid');
    expect(caught(() => subKegiatanMasuk.poll!.request('bukan json', context)).code).toBe('cursor-invalid');
  });
});

describe('rincian anggaran: the lines of each sub-kegiatan', () => {
  it('walks SKPD → sub-kegiatan → lines, naming each line\'s sub-kegiatan and SKPD, and ends with a null cursor', async () => {
    const run = await pollOf<RincianAnggaran>(rincianMasuk, 100);
    expect(run.last).toBeNull();
    expect(run.entities).toHaveLength(initialRincian().length);
    expect(new Set(run.pages.map((page) => page.request.path))).toEqual(new Set([PATHS.skpd, PATHS.subKegiatan, PATHS.rincian]));
    const sandbox = new Map(initialRincian().map((line) => [line.id, line]));
    for (const line of run.entities) {
      const source = sandbox.get(line.id_sipd)!;
      expect([line.kode_skpd, line.kode_sub_kegiatan, line.kode_rekening.kode], line.id).toEqual([source.kodeSkpd, source.kodeSub, source.kodeAkun]);
      expect(line.kode_rekening.nama).not.toMatch(/^[0-9]/);
    }
    const aspal = run.entities.find((line) => line.uraian === 'Aspal Curah')!;
    expect(aspal).toMatchObject({ volume: 12.5, satuan: 'Ton', harga_satuan: { nilai: 9_800_000 }, total: { nilai: 122_500_000 }, kode_rup: '52810004' });
    expect(run.entities.map((line) => line.id_sipd)).toContain('9007199254750001');
  });

  it('links the lines LPSE tenders point at through their kode RUP', async () => {
    const run = await pollOf<RincianAnggaran>(rincianMasuk, 100);
    const byRup = new Map(run.entities.filter((line) => line.kode_rup).map((line) => [line.kode_rup!, line]));
    expect(byRup.get('40000001')).toMatchObject({ kode_sub_kegiatan: '1.03.10.2.01.0015', kode_skpd: '1.03.0.00.0.00.01.0000' });
  });

  it('publishes only the line that changed', async () => {
    const seen = new Map<string, string>();
    changed(seen, (await pollOf<RincianAnggaran>(rincianMasuk, 100)).entities);
    await control('POST', '/_simulator/rincian', { id: '60003', harga_satuan: 'Rp 9.900.000', total: 'Rp 123.750.000' });
    const after = changed(seen, (await pollOf<RincianAnggaran>(rincianMasuk, 100)).entities);
    expect(after.map((line) => [line.id_sipd, line.total.nilai])).toEqual([['60003', 123_750_000]]);
  });
});

describe('errors SIPD answers with HTTP 200, and failures', () => {
  it('refuses a wrong token on every endpoint with upstream-credentials-rejected', async () => {
    const wrong = withSettings({ token: 'salah' });
    const cursor = JSON.stringify({ tahun: '2026', phase: 'belanja', units: [{ id: '1690', kode: '1.03.0.00.0.00.01.0000' }], i: 0 });
    for (const [handler, at] of [[subKegiatanMasuk, undefined], [subKegiatanMasuk, cursor], [rincianMasuk, undefined], [nomenklaturMasuk, undefined]] as const) {
      const upstream = await send(handler.poll!.request(at, wrong));
      expect(upstream.status).toBe(200);
      expect(upstream.body).toMatchObject({ status: false, message: 'Token tidak valid' });
      expect(caught(() => handler.poll!.page(upstream, at, wrong)).code).toBe('upstream-credentials-rejected');
    }
    expect(caught(() => subKegiatanMasuk.poll!.request(undefined, withSettings({ token: '' }))).code).toBe('upstream-credentials-rejected');
  });

  it('refuses a wrong region with upstream-request-rejected', async () => {
    const units = await send(subKegiatanMasuk.poll!.request(undefined, withSettings({ idDaerah: '1' })));
    expect(caught(() => subKegiatanMasuk.poll!.page(units, undefined, context)).code).toBe('upstream-request-rejected');
    expect(caught(() => rincianMasuk.poll!.request(undefined, withSettings({ tahun: 'dua ribu' }))).code).toBe('upstream-request-rejected');
    expect(caught(() => nomenklaturMasuk.poll!.request(undefined, withSettings({ idDaerah: 'Pesawaran' }))).code).toBe('upstream-request-rejected');
  });

  it('turns a 503 page, a busy answer with HTTP 200 and a 401 into the right codes', async () => {
    await control('POST', '/_simulator/faults', { path: PATHS.skpd, failNext: 1, status: 503 });
    const down = await caughtAsync(() => pollOf(rincianMasuk));
    expect([down.code, down.retryable]).toEqual(['upstream-unavailable', true]);
    await control('POST', '/_simulator/faults', { path: PATHS.skpd, failNext: 1, status: 200 });
    const busy = await caughtAsync(() => pollOf(subKegiatanMasuk));
    expect([busy.code, busy.retryable]).toEqual(['upstream-unavailable', true]);
    await control('POST', '/_simulator/faults', { path: PATHS.subKegiatan, failNext: 1, status: 401 });
    expect((await caughtAsync(() => pollOf(subKegiatanMasuk))).code).toBe('upstream-credentials-rejected');
    // The faults are spent: the next scan goes through.
    expect((await pollOf(subKegiatanMasuk)).entities).toHaveLength(12);
  });
});

describe('the encoding', () => {
  it('round-trips any JSON text, non-ASCII included, and refuses what is not SIPD\'s encoding', () => {
    for (const text of ['[]', '{"a":1}', stringifyJson([{ uraian: 'Belanja “Alat” Kesehatan — Puskesmas Gedong Tataan, é ñ 中' }])]) {
      expect(decodeSipdPayload(encodeSipdPayload(text))).toBe(text);
    }
    expect(encodeSipdPayload('[]')).not.toContain('[');
    for (const bad of ['', 'not base64!', Buffer.from('[]').toString('base64'), 'YWJj']) {
      expect(() => decodeSipdPayload(bad), bad).toThrow(PayloadDecodeError);
    }
  });
});

describe('the rest of the simulator', () => {
  it('accepts SIPD-RI\'s X-ACCESS-TOKEN header as well as Bearer', async () => {
    const request = nomenklaturMasuk.poll!.request(undefined, context);
    const upstream = await send({ ...request, headers: { 'X-ACCESS-TOKEN': SANDBOX_TOKEN } });
    expect(upstream.body).toMatchObject({ status: true, data: { recordsTotal: new Set(initialSubKegiatan().map((s) => s.kode)).size } });
  });

  it('refuses unknown records and empty changes on the control API, and reset restores everything', async () => {
    expect((await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '9.99.99.9.99.9999', pagu: 1 })).status).toBe(404);
    expect((await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '1.03.10.2.01.0015' })).status).toBe(400);
    expect((await control('POST', '/_simulator/rincian', { id: '1' })).status).toBe(404);
    await change('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '1.03.10.2.01.0015', pagu: 1 });
    await change('POST', '/_simulator/faults', { path: PATHS.skpd, failNext: 5, status: 503 });
    // Both took: the reset below has something to undo.
    expect(((await control('GET', '/_simulator/sub-kegiatan')).body as { kode_sub_kegiatan: string; pagu: number }[]).find((s) => s.kode_sub_kegiatan === '1.03.10.2.01.0015')?.pagu).toBe(1);
    expect(((await control('GET', '/_simulator/faults')).body as unknown[]).length).toBeGreaterThan(0);
    await change('POST', '/_simulator/reset');
    const run = await pollOf<SubKegiatan>(subKegiatanMasuk);
    expect(run.entities.find((e) => e.kode_sub_kegiatan === '1.03.10.2.01.0015')!.pagu.nilai).toBe(16_250_000_000);
    const listed = await control('GET', '/_simulator/sub-kegiatan');
    expect(listed.body).toHaveLength(12);
  });
});
