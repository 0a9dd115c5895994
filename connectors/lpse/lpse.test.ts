// The LPSE connector against its simulator over real HTTP: a poll run reads the ISB list and
// then the DataTables pages without reading a tender twice, both shapes map a tender to the same
// entity, the SPSE version switch changes the columns, status changes come through, and the
// failures SPSE shows end in the right error codes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseJson, stringifyJson, UpstreamError, type ConnectorContext, type Simulator, type UpstreamRequest, type UpstreamResponse } from '../../src/connectors/sdk.js';
import { compileSchema } from '../../src/schemas.js';
import { dateOf, moneyOf, oneLine } from './fields.js';
import connector, { DATATABLES_PATH, layoutsOf, PAGE_LENGTH, readDocument, subKegiatanOf, type PaketPengadaan } from './mapping.js';
import { initialTenders, SANDBOX_ISB_ID, SANDBOX_ISB_UUID, SANDBOX_KODE_LPSE, toDataTablesRow, toIsbRecord } from './sandbox-data.js';
import { startSimulator } from './simulator.js';
import { jenisOf, metodeOf, statusOf } from './vocabulary.js';

const here = dirname(fileURLToPath(import.meta.url));
const manifest = parse(readFileSync(join(here, 'manifest.yaml'), 'utf8')) as {
  options: Record<string, unknown>;
  upstream: { settings: Record<string, { sandbox?: string }> };
};
const inbound = connector.inbound!['paket-masuk']!;
const poll = inbound.poll!;
const settings = Object.fromEntries(Object.entries(manifest.upstream.settings).map(([name, s]) => [name, s.sandbox ?? '']));
const context: ConnectorContext = { settings, options: manifest.options, now: () => new Date('2026-11-28T01:00:00Z') };
const withSettings = (changes: Record<string, string>): ConnectorContext => ({ ...context, settings: { ...settings, ...changes } });
const validate = compileSchema('paket-pengadaan.v1.json');
const ISB_PATH = `/isb-2/api/${SANDBOX_ISB_UUID}/json/${SANDBOX_ISB_ID}/SPSE-TenderPengumuman/tipe/4:4/parameter/2026:${SANDBOX_KODE_LPSE}`;

let simulator: Simulator;

/** What the runtime does with an UpstreamRequest, in miniature. */
async function send(request: UpstreamRequest): Promise<UpstreamResponse> {
  const url = new URL(request.path, simulator.url);
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  const response = await fetch(url, { method: request.method, headers: request.headers });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: Object.fromEntries(response.headers), body: type.includes('json') ? parseJson(text) : text };
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(path, simulator.url), { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status >= 400) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

interface Run {
  entities: PaketPengadaan[];
  /** The request path of each page, with its start for DataTables pages. */
  pages: string[];
  cursor: string | undefined | null;
}

/** One poll run as src/connectors/poller.ts does it: a string is saved, null or undefined ends the run. */
async function pollRun(cursor: string | undefined = undefined, ctx = context, maxPages = 50): Promise<Run> {
  const run: Run = { entities: [], pages: [], cursor };
  let saved = cursor;
  while (run.pages.length < maxPages) {
    const request = poll.request(saved, ctx);
    const { native, nextCursor } = poll.page(await send(request), saved, ctx);
    run.entities.push(...inbound.map(native, ctx));
    run.pages.push(request.path === DATATABLES_PATH ? `dt@${String(request.query?.start)}` : 'isb');
    run.cursor = nextCursor;
    if (nextCursor === null || nextCursor === undefined || nextCursor === saved) break;
    saved = nextCursor;
  }
  return run;
}

/** Every DataTables page mapped as it is, without leaving out what the ISB listed. */
async function listing(ctx = context): Promise<PaketPengadaan[]> {
  const entities: PaketPengadaan[] = [];
  for (let start = 0; ; ) {
    const upstream = await send({ method: 'GET', path: DATATABLES_PATH, query: { tahun: 2026, draw: 1, start, length: PAGE_LENGTH } });
    const document = readDocument(upstream.body);
    if (document.kind !== 'datatables' || document.rows.length === 0) break;
    entities.push(...inbound.map(upstream.body, ctx));
    start += document.rows.length;
  }
  return entities;
}

const isbList = async (ctx = context): Promise<PaketPengadaan[]> => inbound.map((await send(poll.request(undefined, ctx))).body, ctx);

function caught(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

async function caughtAsync(run: () => Promise<unknown>): Promise<UpstreamError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

const tenders2026 = initialTenders().filter((t) => t.tahun === 2026);
const byId = (entities: PaketPengadaan[]): Map<string, PaketPengadaan> => new Map(entities.map((e) => [e.id, e]));

beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(async () => {
  await control('POST', '/_simulator/reset');
});

describe('poll requests', () => {
  it('asks the ISB first, with the key, service id, year and LPSE code in the path', () => {
    expect(poll.request(undefined, context)).toEqual({ method: 'GET', path: ISB_PATH, headers: { Accept: 'application/json' } });
  });

  it('asks the DataTables listing page by page, carrying the codes the ISB listed', () => {
    const request = poll.request('dt:10:10301279,10302279', context);
    expect(request.path).toBe('/eproc4/dt/lelang');
    expect(request.query).toEqual({ tahun: '2026', draw: 1, start: 10, length: PAGE_LENGTH });
  });

  it('polls the DataTables listing only when no ISB key is configured', () => {
    const request = poll.request(undefined, withSettings({ isbUuid: '' }));
    expect(request.path).toBe(DATATABLES_PATH);
    expect(request.query?.start).toBe(0);
  });

  it('lists the current year in WIB when LPSE_TAHUN is empty', () => {
    const newYearsEve = { ...withSettings({ tahun: '' }), now: () => new Date('2026-12-31T17:30:00Z') };
    expect(poll.request('dt:0:', newYearsEve).query?.tahun).toBe('2027');
  });

  it('refuses a cursor it did not issue and settings that are not codes', () => {
    expect(caught(() => poll.request('halaman-3', context)).code).toBe('cursor-invalid');
    expect(caught(() => poll.request(undefined, withSettings({ tahun: '26' }))).code).toBe('upstream-request-rejected');
    expect(caught(() => poll.request(undefined, withSettings({ kodeLpse: '' }))).code).toBe('upstream-request-rejected');
    expect(caught(() => poll.request(undefined, withSettings({ isbId: '' }))).code).toBe('upstream-request-rejected');
  });
});

describe('a poll run against the simulator', () => {
  it('reads the ISB list, then walks the DataTables pages without reading a tender twice, and starts over', async () => {
    const run = await pollRun();
    // 1 ISB list + 14 listing rows of 2026 in pages capped at 10 rows.
    expect(run.pages).toEqual(['isb', 'dt@0', 'dt@10']);
    expect(run.cursor).toBeNull();
    expect(run.entities.map((e) => e.kode_tender).sort()).toEqual(tenders2026.map((t) => t.kdTender).sort());
    for (const entity of run.entities) {
      expect(validate(entity), JSON.stringify(validate.errors)).toBe(true);
      expect(entity.sumber).toEqual({ sistem: 'LPSE', diambil_pada: '2026-11-28T01:00:00.000Z' });
      expect(entity.lpse).toEqual({ kode: '279', nama: 'LPSE Kabupaten Pesawaran' });
      expect(entity.nama_paket).not.toMatch(/<|&[a-z]+;/);
    }
    const all = byId(run.entities);
    // Every digit of a kd_tender beyond 2^53, sent as a bare JSON number.
    expect(all.get('lpse-20260279000000017')?.kode_tender).toBe('20260279000000017');
    expect(all.get('lpse-10301279')).toMatchObject({ kode_rup: '40000001', hps: { nilai: 15_602_948_688, perkiraan: false }, kode_sub_kegiatan: '1.03.10.2.01.0015', status: 'pengumuman' });
    expect(all.get('lpse-10306279')).toMatchObject({ kode_sub_kegiatan: '1.03.10.2.01.0001', jenis_pengadaan: 'jasa_konsultansi_badan_usaha', status: 'penetapan_pemenang' });
    expect(all.get('lpse-10304279')?.tanggal).toEqual({ pengumuman: '2026-01-20', penetapan_pemenang: '2026-02-24', kontrak: '2026-03-05' });
    // RUP codes 40000001–40000012 are the ones the SIPD sandbox is asked to carry.
    expect(run.entities.map((e) => e.kode_rup).filter(Boolean).sort()).toEqual(Array.from({ length: 12 }, (_, i) => String(40000001 + i)));
  });

  it('reads only the DataTables listing when the ISB is not configured', async () => {
    const run = await pollRun(undefined, withSettings({ isbUuid: '' }));
    expect(run.pages).toEqual(['dt@0', 'dt@10']);
    expect(run.entities).toHaveLength(14);
    expect(run.cursor).toBeNull();
  });

  it('lists a new tender from the DataTables listing until the ISB has it, then from the ISB only', async () => {
    await control('POST', '/_simulator/tenders', { kdTender: '10320279', kdRup: '40000013', namaPaket: 'Pembangunan Talud Sungai Way Semah', pagu: 450_000_000, hps: 448_200_000 });
    const before = await pollRun();
    expect(before.entities).toHaveLength(15);
    const fromListing = before.entities.filter((e) => e.id === 'lpse-10320279');
    expect(fromListing).toHaveLength(1);
    expect(fromListing[0]).toMatchObject({ kode_rup: '40000013', hps: { nilai: 448_200_000, perkiraan: false }, status: 'pengumuman' });

    await control('PATCH', '/_simulator/tenders/10320279', { diIsb: true });
    const after = await pollRun();
    expect(after.entities.filter((e) => e.id === 'lpse-10320279')).toHaveLength(1);
    // Listed by the ISB now: the listing pages carry nothing the ISB already gave.
    expect(after.entities).toHaveLength(15);
  });

  it('publishes the ISB version of a tender: the listing row of a tender the ISB listed is left out', async () => {
    await control('POST', '/_simulator/version', { versi: '4.4' });
    const run = await pollRun();
    // The 4.4 listing abbreviates the HPS; the ISB's exact one is what the run carries.
    expect(byId(run.entities).get('lpse-10305279')?.hps).toEqual({ nilai: 15_876_000_000, perkiraan: false });
    expect(run.entities).toHaveLength(14);
  });
});

describe('the two shapes of one tender', () => {
  it('map to the identical entity where the data agrees (SPSE 4.5 listing and every ISB style)', async () => {
    const fromListing = byId(await listing());
    const fromIsb = byId(await isbList());
    expect(fromListing.size).toBe(14);
    expect(fromIsb.size).toBe(14);
    const styles = new Set<string>();
    for (const tender of tenders2026) {
      const id = `lpse-${tender.kdTender}`;
      const listed = fromListing.get(id)!;
      const isb = structuredClone(fromIsb.get(id)!);
      // What the 4.5 listing does not carry: the sub-kegiatan and the contract date.
      delete isb.kode_sub_kegiatan;
      delete isb.tanggal.kontrak;
      expect(listed, id).toEqual(isb);
      styles.add(tender.isb);
    }
    expect([...styles].sort()).toEqual(['camel', 'lama', 'snake', 'upper']);
  });

  it('read the SPSE 4.4 column order after the version switch, with abbreviated HPS as approximate', async () => {
    await control('POST', '/_simulator/version', { versi: '4.4' });
    const upstream = await send({ method: 'GET', path: DATATABLES_PATH, query: { tahun: 2026, start: 0, length: 10 } });
    const document = readDocument(upstream.body);
    expect(document.kind === 'datatables' && document.rows.every((row) => row.length === 12)).toBe(true);

    const old = byId(await listing());
    await control('POST', '/_simulator/version', { versi: '4.5' });
    const current = byId(await listing());
    expect(old.size).toBe(14);
    expect(old.get('lpse-10305279')?.hps).toEqual({ nilai: 15_900_000_000, perkiraan: true });
    expect(old.get('lpse-10306279')?.hps).toEqual({ nilai: 745_000_000, perkiraan: true });
    for (const [id, entity] of current) {
      // 4.4 lacks the RUP code, the contract value and the award date; the rest agrees.
      const { hps: _hps, kode_rup: _rup, nilai_kontrak: _nilai, tanggal, ...rest } = entity;
      const { hps: _oldHps, kode_rup: oldRup, nilai_kontrak: oldNilai, tanggal: oldTanggal, ...oldRest } = old.get(id)!;
      expect(oldRest, id).toEqual(rest);
      expect(oldTanggal.pengumuman).toBe(tanggal.pengumuman);
      expect(oldRup).toBeUndefined();
      expect(oldNilai).toBeUndefined();
    }
  });

  it('keeps the configured version first but recognises the other by its number of columns', () => {
    const tender = tenders2026[0]!;
    const page = (versi: '4.4' | '4.5'): unknown => parseJson(stringifyJson({ draw: 1, recordsTotal: 1, recordsFiltered: 1, data: [toDataTablesRow(tender, versi)] }));
    const as44 = { ...context, options: { ...manifest.options, versiSpse: '4.4' } };
    expect(inbound.map(page('4.5'), as44)).toEqual(inbound.map(page('4.5'), context));
    expect(inbound.map(page('4.4'), context)).toEqual(inbound.map(page('4.4'), as44));
    // A row of a layout the manifest does not declare is refused.
    const only45 = { ...context, options: { versiSpse: '4.5', kolomDataTables: { '4.5': (manifest.options.kolomDataTables as Record<string, unknown>)['4.5'] } } };
    expect(caught(() => inbound.map(page('4.4'), only45)).code).toBe('upstream-bad-response');
  });

  it('refuses a layout option the mapping cannot use, as a configuration error', () => {
    expect(() => layoutsOf({})).toThrow(/kolomDataTables/);
    expect(() => layoutsOf({ kolomDataTables: { '4.6': ['kd_tender', 'nama_paket'] } })).toThrow(/lacks/);
    expect(() => layoutsOf({ kolomDataTables: { '4.6': ['kd_tender', 'warna'] } })).toThrow(/among/);
    expect(() => layoutsOf({ versiSpse: '9.9', kolomDataTables: manifest.options.kolomDataTables })).toThrow(/versiSpse/);
  });
});

describe('status changes', () => {
  it('come through three times as the simulator moves a tender from stage to stage', async () => {
    const statusOfTender = async (): Promise<PaketPengadaan> => byId((await pollRun()).entities).get('lpse-10302279')!;
    expect((await statusOfTender()).status).toBe('berlangsung');
    await control('POST', '/_simulator/tenders/10302279/status', { status: 'evaluasi' });
    expect((await statusOfTender()).status).toBe('evaluasi');
    await control('POST', '/_simulator/tenders/10302279/status', { status: 'penetapan_pemenang', tanggal: '2026-11-20' });
    const awarded = await statusOfTender();
    expect(awarded.status).toBe('penetapan_pemenang');
    expect(awarded.tanggal.penetapan_pemenang).toBe('2026-11-20');
    await control('POST', '/_simulator/tenders/10302279/status', { status: 'Tender Batal' });
    expect((await statusOfTender()).status).toBe('batal');
  });
});

describe('failures', () => {
  it('treats a maintenance page (HTTP 503) as unavailable and retryable', async () => {
    await control('POST', '/_simulator/faults', { path: '/eproc4/dt/lelang', failNext: 1, status: 503 });
    const error = await caughtAsync(() => pollRun('dt:0:'));
    expect(error.code).toBe('upstream-unavailable');
    expect(error.retryable).toBe(true);
    expect((await pollRun('dt:0:')).entities).toHaveLength(14);
  });

  it('reads an error inside HTTP 200 from DataTables and from the ISB', async () => {
    await control('POST', '/_simulator/faults', { path: '/eproc4/dt/lelang', failNext: 1, status: 200, message: 'Terjadi kesalahan pada server' });
    expect((await caughtAsync(() => pollRun('dt:0:'))).code).toBe('upstream-bad-response');
    await control('POST', '/_simulator/faults', { path: '/isb-2/', failNext: 1, status: 200, message: 'Sistem ISB sedang dalam pemeliharaan' });
    const isb = await caughtAsync(() => pollRun());
    expect(isb.code).toBe('upstream-unavailable');
    expect(isb.retryable).toBe(true);
  });

  it('refuses a wrong ISB key and a wrong service id', async () => {
    expect((await caughtAsync(() => pollRun(undefined, withSettings({ isbUuid: 'bukan-kunci' })))).code).toBe('upstream-credentials-rejected');
    expect((await caughtAsync(() => pollRun(undefined, withSettings({ isbId: '9999' })))).code).toBe('upstream-request-rejected');
  });

  it('finds no tender for another LPSE or year, and ends the run', async () => {
    const other = await pollRun(undefined, withSettings({ kodeLpse: '123', tahun: '2024' }));
    expect(other.entities).toEqual([]);
    expect(other.pages).toEqual(['isb', 'dt@0']);
    expect(other.cursor).toBeNull();
  });

  it('answers a shape mix-up with upstream-bad-response', () => {
    const rows = { draw: 1, recordsTotal: 1, recordsFiltered: 1, data: [toDataTablesRow(tenders2026[0]!, '4.5')] };
    const upstream = (body: unknown): UpstreamResponse => ({ status: 200, headers: {}, body: parseJson(stringifyJson(body)) });
    expect(caught(() => poll.page(upstream(rows), undefined, context)).code).toBe('upstream-bad-response');
    expect(caught(() => poll.page(upstream([toIsbRecord(tenders2026[1]!)]), 'dt:0:', context)).code).toBe('upstream-bad-response');
    expect(caught(() => poll.page({ status: 404, headers: {}, body: 'Not Found' }, 'dt:0:', context)).code).toBe('upstream-request-rejected');
    expect(caught(() => poll.page({ status: 403, headers: {}, body: '' }, undefined, context)).code).toBe('upstream-credentials-rejected');
  });
});

describe('values', () => {
  it('reads money exactly, and abbreviations as approximate', () => {
    expect(moneyOf('Rp. 15.602.948.688,00', 'x')).toEqual({ nilai: 15_602_948_688, perkiraan: false });
    expect(moneyOf('15,9 M', 'x')).toEqual({ nilai: 15_900_000_000, perkiraan: true });
    expect(moneyOf('750 Jt', 'x')).toEqual({ nilai: 750_000_000, perkiraan: true });
    expect(moneyOf(parseJson('15602948688.00'), 'x')).toEqual({ nilai: 15_602_948_688, perkiraan: false });
    expect(moneyOf(parseJson('1.5602948688E10'), 'x')).toEqual({ nilai: 15_602_948_688, perkiraan: false });
    expect(moneyOf('-', 'x')).toBeUndefined();
    expect(() => moneyOf('lima miliar', 'x')).toThrow(UpstreamError);
  });

  it('reads the date formats of SPSE and the ISB as WIB calendar dates', () => {
    const cases: [unknown, string][] = [
      ['2026-03-02', '2026-03-02'],
      ['2026-03-02 10:15:00', '2026-03-02'],
      ['2026-03-01T17:00:00.000Z', '2026-03-02'],
      ['2026-03-02T23:30:00+08:00', '2026-03-02'],
      ['02-03-2026', '2026-03-02'],
      ['02/03/2026 10:15', '2026-03-02'],
      ['2 Maret 2026', '2026-03-02'],
      ['Senin, 02 Mar 2026 10:15 WIB', '2026-03-02'],
      ['2 Agt 2026', '2026-08-02'],
      ['1 Nopember 2026', '2026-11-01'],
      [1772421300, '2026-03-02'],
      [1772421300000, '2026-03-02'],
    ];
    for (const [value, expected] of cases) expect(dateOf(value, 'x'), String(value)).toBe(expected);
    for (const wrong of ['31-02-2026', '2026-13-01', '30 Februari 2026', 'besok', '2026-03-02 25:00']) expect(() => dateOf(wrong, 'x'), wrong).toThrow(UpstreamError);
  });

  it('strips HTML and decodes entities, twice-encoded ones included', () => {
    expect(oneLine('<a href="/x">Jalan &amp;amp; Jembatan</a>')).toBe('Jalan & Jembatan');
    expect(oneLine("<span class='label'>Tender<br/>Sedang Berjalan</span>")).toBe('Tender Sedang Berjalan');
    expect(oneLine('Jarak <5 km &copy;')).toBe('Jarak <5 km ©');
    expect(oneLine('a <b')).toBe('a < b');
    expect(oneLine('&amp;lt;script&amp;gt;x')).toBe('x');
  });

  it('maps SPSE wordings to the canonical enums and refuses the unknown', () => {
    expect(statusOf("<span class='label label-info'>Tender Sedang Berjalan</span>")).toBe('berlangsung');
    expect(statusOf('Tender Sudah Selesai')).toBe('selesai');
    expect(statusOf('Pengumuman Pascakualifikasi')).toBe('pengumuman');
    expect(statusOf('Tender Batal')).toBe('batal');
    expect(statusOf('Gagal/Batal')).toBe('gagal');
    expect(statusOf('Penandatanganan Kontrak')).toBe('kontrak');
    expect(statusOf('Belum Ada Jadwal')).toBeUndefined();
    expect(jenisOf('Jasa Konsultansi Perorangan Non Konstruksi')).toBe('jasa_konsultansi_perorangan');
    expect(jenisOf('Jasa Konsultansi')).toBeUndefined();
    expect(metodeOf('e-Lelang Sederhana')).toBe('tender');
    expect(metodeOf('E-Purchasing')).toBe('e_purchasing');
    expect(metodeOf('Swakelola')).toBeUndefined();
  });

  it('keeps a sub-kegiatan code only in the form SIPD writes', () => {
    expect(subKegiatanOf('1.03.10.2.01.0015')).toBe('1.03.10.2.01.0015');
    expect(subKegiatanOf(' 1.05.03.2.01.01 ')).toBe('1.05.03.2.01.01');
    expect(subKegiatanOf('1.03.10.2.01.0000')).toBeUndefined();
    expect(subKegiatanOf('1.3.10.2.1.15')).toBeUndefined();
    expect(subKegiatanOf('')).toBeUndefined();
  });
});
