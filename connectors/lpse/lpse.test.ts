// The LPSE connector against its simulator over real HTTP: a poll run reads the ISB list and
// then the tender and non-tender listing pages without reading a package twice, a listing row
// maps to what the ISB says of the same package as far as the listing carries it, both listing
// shapes read alike, status changes come through, and the failures SPSE shows end in the right
// error codes (a bad record alone is set aside).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { caught, caughtAsync, compileSchema, parseJson, pollRun, RecordRejected, simulatorUnderTest, stringifyJson, type ConnectorContext, type UpstreamResponse } from '../../src/connectors/sdk.js';
import { cellOf, dateOfCell, moneyOf, oneLine } from './fields.js';
import { layoutsOf } from './listing.js';
import connector, { JALUR_BAWAAN, PAGE_LENGTH, readDocument, subKegiatanOfCell, type PaketPengadaan } from './mapping.js';
import { initialTenders, isNonTender, SANDBOX_ISB_ID, SANDBOX_ISB_UUID, SANDBOX_KODE_LPSE, toDataTablesRow, toIsbRecord } from './sandbox-data.js';
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
const { send, change } = simulatorUnderTest(startSimulator, { beforeAll, afterAll, beforeEach });

interface Run {
  entities: PaketPengadaan[];
  /** The request path of each page, with its start for DataTables pages. */
  pages: string[];
  cursor: string | undefined | null;
}

/** One poll run (the SDK's pollRun): its entities, the listing of each page (`dt@<start>`, `pl@<start>`, `isb`) and the last nextCursor. */
async function pollFrom(cursor: string | undefined = undefined, ctx = context): Promise<Run> {
  const run = await pollRun(inbound, send, ctx, { cursor });
  const pageName = ({ path, query }: { path: string; query?: Record<string, unknown> }): string =>
    path === JALUR_BAWAAN.lelang ? `dt@${String(query?.start)}` : path === JALUR_BAWAAN.nonTender ? `pl@${String(query?.start)}` : 'isb';
  return { entities: run.entities as PaketPengadaan[], pages: run.pages.map((page) => pageName(page.request)), cursor: run.last };
}

/** Every page of both listings mapped as it is, without leaving out what the ISB listed. */
async function listing(ctx = context): Promise<PaketPengadaan[]> {
  const entities: PaketPengadaan[] = [];
  for (const path of [JALUR_BAWAAN.lelang, JALUR_BAWAAN.nonTender]) {
    for (let start = 0; ; ) {
      const upstream = await send({ method: 'GET', path, query: { tahun: 2026, draw: 1, start, length: PAGE_LENGTH } });
      const document = readDocument(upstream.body);
      if (document.shape !== 'rows') break;
      entities.push(...inbound.map(upstream.body, ctx));
      start += document.records.length;
    }
  }
  return entities;
}

const isbList = async (ctx = context): Promise<PaketPengadaan[]> => inbound.map((await send(poll.request(undefined, ctx))).body, ctx);

const tenders2026 = initialTenders().filter((t) => t.tahun === 2026);
const byId = (entities: PaketPengadaan[]): Map<string, PaketPengadaan> => new Map(entities.map((e) => [e.id, e]));

describe('poll requests', () => {
  it('asks the ISB first, with the key, service id, year and LPSE code in the path', () => {
    expect(poll.request(undefined, context)).toEqual({ method: 'GET', path: ISB_PATH, headers: { Accept: 'application/json' } });
  });

  it('asks the DataTables listing page by page, carrying the codes the ISB listed', () => {
    const request = poll.request('dt:10:10301279,10302279', context);
    expect(request.path).toBe('/eproc4/dt/lelang');
    expect(request.query).toEqual({ tahun: '2026', draw: 1, start: 10, length: PAGE_LENGTH });
  });

  it('asks the non-tender listing after the tender listing', () => {
    expect(poll.request('pl:0:10301279', context).path).toBe('/eproc4/dt/pl');
  });

  it('takes its paths from the manifest options, the spse.inaproc.id slug form and a reversed ISB parameter included', () => {
    const national = { ...context, options: { ...manifest.options, jalur: { lelang: '/pesawarankab/dt/lelang', isb: '/isb-2/api/{isbUuid}/json/{isbId}/SPSE-TenderPengumuman/tipe/4:4/parameter/{kodeLpse}:{tahun}' } } };
    expect(poll.request('dt:0:', national).path).toBe('/pesawarankab/dt/lelang');
    expect(poll.request(undefined, national).path).toBe(`/isb-2/api/${SANDBOX_ISB_UUID}/json/${SANDBOX_ISB_ID}/SPSE-TenderPengumuman/tipe/4:4/parameter/${SANDBOX_KODE_LPSE}:2026`);
  });

  it('polls the DataTables listing only when no ISB key is configured', () => {
    const request = poll.request(undefined, withSettings({ isbUuid: '' }));
    expect(request.path).toBe(JALUR_BAWAAN.lelang);
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
  it('reads the ISB list, then walks the listing pages without reading a package twice, and starts over', async () => {
    const run = await pollFrom();
    // 1 ISB list + the tender listing (10 rows of 2026) + the non-tender listing (4 rows).
    expect(run.pages).toEqual(['isb', 'dt@0', 'pl@0']);
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
    // From the older ISB Detail service: no sub-kegiatan (filled from SIPD by kode_rup) and the work unit by its code only.
    expect(all.get('lpse-10306279')).toMatchObject({ kode_rup: '40000006', jenis_pengadaan: 'jasa_konsultansi_badan_usaha', status: 'penetapan_pemenang', satuan_kerja: { kode: '184061' } });
    expect(all.get('lpse-10306279')?.kode_sub_kegiatan).toBeUndefined();
    expect(all.get('lpse-10306279')?.satuan_kerja?.nama).toBeUndefined();
    expect(all.get('lpse-10304279')?.tanggal).toEqual({ pengumuman: '2026-01-20', penetapan_pemenang: '2026-02-24', kontrak: '2026-03-05' });
    // RUP codes 40000001–40000012 are the ones the SIPD sandbox is asked to carry.
    expect(run.entities.map((e) => e.kode_rup).filter(Boolean).sort()).toEqual(Array.from({ length: 12 }, (_, i) => String(40000001 + i)));
  });

  it('reads only the DataTables listing when the ISB is not configured', async () => {
    const run = await pollFrom(undefined, withSettings({ isbUuid: '' }));
    expect(run.pages).toEqual(['dt@0', 'pl@0']);
    expect(run.entities).toHaveLength(14);
    // What the listings do not carry stays absent: no work unit, pagu of a tender or date.
    const jembatan = byId(run.entities).get('lpse-10302279')!;
    expect(jembatan).toMatchObject({ hps: { nilai: 4_800_000_000, perkiraan: true }, tahun: 2026, metode_pengadaan: 'tender' });
    expect(jembatan.satuan_kerja).toBeUndefined();
    expect(jembatan.pagu).toBeUndefined();
    expect(jembatan.tanggal).toBeUndefined();
    expect(run.cursor).toBeNull();
  });

  it('lists a new tender from the DataTables listing until the ISB has it, then from the ISB only', async () => {
    await change('POST', '/_simulator/tenders', { kdTender: '10320279', kdRup: '40000013', namaPaket: 'Pembangunan Talud Sungai Way Semah', pagu: 450_000_000, hps: 448_200_000 });
    const before = await pollFrom();
    expect(before.entities).toHaveLength(15);
    const fromListing = before.entities.filter((e) => e.id === 'lpse-10320279');
    expect(fromListing).toHaveLength(1);
    // The listing's abbreviated HPS; the ISB's RUP code, pagu and work unit are not known yet.
    expect(fromListing[0]).toMatchObject({ hps: { nilai: 448_200_000, perkiraan: true }, status: 'pengumuman' });
    expect(fromListing[0]!.kode_rup).toBeUndefined();

    await change('PATCH', '/_simulator/tenders/10320279', { diIsb: true });
    const after = await pollFrom();
    expect(after.entities.filter((e) => e.id === 'lpse-10320279')).toEqual([expect.objectContaining({ kode_rup: '40000013', pagu: { nilai: 450_000_000, perkiraan: false } })]);
    // Listed by the ISB now: the listing pages carry nothing the ISB already gave.
    expect(after.entities).toHaveLength(15);
  });

  it('publishes the ISB version of a tender: the listing row of a tender the ISB listed is left out', async () => {
    const run = await pollFrom();
    // The listing abbreviates the HPS; the ISB's exact one is what the run carries.
    expect(byId(run.entities).get('lpse-10305279')?.hps).toEqual({ nilai: 15_876_000_000, perkiraan: false });
    expect(run.entities).toHaveLength(14);
  });
});

describe('a listing row and the ISB record of one package', () => {
  it('agree as far as the listing carries the package (tender and non-tender listings, every ISB style)', async () => {
    const fromListing = byId(await listing());
    const fromIsb = byId(await isbList());
    expect(fromListing.size).toBe(14);
    expect(fromIsb.size).toBe(14);
    const styles = new Set<string>();
    for (const tender of tenders2026) {
      const id = `lpse-${tender.kdTender}`;
      const listed = fromListing.get(id)!;
      const isb = fromIsb.get(id)!;
      expect(validate(listed), JSON.stringify(validate.errors)).toBe(true);
      for (const field of ['kode_tender', 'nama_paket', 'instansi', 'jenis_pengadaan', 'tahun', 'status', 'lpse'] as const) expect(listed[field], `${id} ${field}`).toEqual(isb[field]);
      // The listings abbreviate money (HPS on the tender listing, pagu on the non-tender one).
      const money = isNonTender(tender) ? { listed: listed.pagu, isb: isb.pagu } : { listed: listed.hps, isb: isb.hps };
      if (money.isb) {
        expect(money.listed?.perkiraan, id).toBe(true);
        expect(Math.abs(money.listed!.nilai - money.isb.nilai) / money.isb.nilai, id).toBeLessThan(0.05);
      }
      // The tender listing says no method: Tender, or Seleksi for consultancy.
      if (isNonTender(tender) || ['tender', 'seleksi'].includes(isb.metode_pengadaan)) expect(listed.metode_pengadaan, id).toBe(isb.metode_pengadaan);
      expect(listed.satuan_kerja, id).toBeUndefined();
      expect(listed.tanggal, id).toBeUndefined();
      styles.add(tender.isb);
    }
    expect([...styles].sort()).toEqual(['camel', 'lama', 'snake', 'upper']);
  });

  it('read the same from the JSON listing and the displayed one (rendered name cell)', async () => {
    await change('POST', '/_simulator/version', { versi: 'tampilan' });
    const upstream = await send({ method: 'GET', path: JALUR_BAWAAN.lelang, query: { tahun: 2026, start: 0, length: 10 } });
    const document = readDocument(upstream.body);
    expect(document.shape === 'rows' && document.records.every((row) => (row as unknown[]).length === 5)).toBe(true);
    const shown = byId(await listing());
    await change('POST', '/_simulator/version', { versi: 'lelang' });
    const json = byId(await listing());
    expect(shown.size).toBe(14);
    for (const [id, entity] of json) {
      // The displayed listing adds the SPSE-version badge and the contract value once there is one.
      const { tambahan: _label, nilai_kontrak: nilaiKontrak, ...rest } = shown.get(id)!;
      const { tambahan: _jsonLabel, ...jsonRest } = entity;
      expect(rest, id).toEqual(jsonRest);
      const tender = tenders2026.find((t) => `lpse-${t.kdTender}` === id)!;
      if (!isNonTender(tender)) expect(nilaiKontrak, id).toEqual(tender.nilaiKontrak === undefined ? undefined : { nilai: tender.nilaiKontrak, perkiraan: false });
    }
  });

  it('recognises a row by its cells, and sets aside a row no declared layout reads', () => {
    const tender = tenders2026[0]!;
    const page = (versi: 'lelang' | 'tampilan'): unknown => parseJson(stringifyJson({ draw: 1, recordsTotal: 1, recordsFiltered: 1, data: [toDataTablesRow(tender, versi)] }));
    const preferShown = { ...context, options: { ...manifest.options, versiSpse: 'lelang-tampilan' } };
    expect(inbound.map(page('lelang'), preferShown)).toEqual(inbound.map(page('lelang'), context));
    expect(inbound.map(page('tampilan'), context)).toEqual(inbound.map(page('tampilan'), preferShown));
    const layouts = manifest.options.kolomDataTables as Record<string, unknown>;
    const onlyJson = { ...context, options: { versiSpse: 'lelang', kolomDataTables: { lelang: layouts.lelang } } };
    expect(caught(() => inbound.map(page('tampilan'), onlyJson), RecordRejected).reason).toBe('layout-unknown');
  });

  it('refuses a layout option the mapping cannot use, as a configuration error', () => {
    expect(() => layoutsOf({})).toThrow(/kolomDataTables/);
    expect(() => layoutsOf({ kolomDataTables: { baru: ['kd_tender', 'nama_paket'] } })).toThrow(/lacks/);
    expect(() => layoutsOf({ kolomDataTables: { baru: ['kd_tender', 'warna'] } })).toThrow(/among/);
    expect(() => layoutsOf({ kolomDataTables: { baru: { kolom: ['kd_tender', 'nama_paket', 'instansi', 'tahap'] } } })).toThrow(/metode/);
    expect(() => layoutsOf({ versiSpse: '9.9', kolomDataTables: manifest.options.kolomDataTables })).toThrow(/versiSpse/);
  });
});

describe('status changes', () => {
  it('come through three times as the simulator moves a tender from stage to stage', async () => {
    const statusOfTender = async (): Promise<PaketPengadaan> => byId((await pollFrom()).entities).get('lpse-10302279')!;
    expect((await statusOfTender()).status).toBe('berlangsung');
    await change('POST', '/_simulator/tenders/10302279/status', { status: 'evaluasi' });
    expect((await statusOfTender()).status).toBe('evaluasi');
    await change('POST', '/_simulator/tenders/10302279/status', { status: 'penetapan_pemenang', tanggal: '2026-11-20' });
    const awarded = await statusOfTender();
    expect(awarded.status).toBe('penetapan_pemenang');
    expect(awarded.tanggal?.penetapan_pemenang).toBe('2026-11-20');
    await change('POST', '/_simulator/tenders/10302279/status', { status: 'Tender Batal' });
    expect((await statusOfTender()).status).toBe('batal');
  });
});

describe('failures', () => {
  it('treats a maintenance page (HTTP 503) as unavailable and retryable', async () => {
    await change('POST', '/_simulator/faults', { path: '/eproc4/dt/lelang', failNext: 1, status: 503 });
    const error = await caughtAsync(() => pollFrom('dt:0:'));
    expect(error.code).toBe('upstream-unavailable');
    expect(error.retryable).toBe(true);
    expect((await pollFrom('dt:0:')).entities).toHaveLength(14);
  });

  it('reads an error inside HTTP 200 from DataTables and from the ISB', async () => {
    await change('POST', '/_simulator/faults', { path: '/eproc4/dt/lelang', failNext: 1, status: 200, message: 'Terjadi kesalahan pada server' });
    expect((await caughtAsync(() => pollFrom('dt:0:'))).code).toBe('upstream-bad-response');
    await change('POST', '/_simulator/faults', { path: '/isb-2/', failNext: 1, status: 200, message: 'Sistem ISB sedang dalam pemeliharaan' });
    const isb = await caughtAsync(() => pollFrom());
    expect(isb.code).toBe('upstream-unavailable');
    expect(isb.retryable).toBe(true);
  });

  it('refuses a wrong ISB key and a wrong service id', async () => {
    expect((await caughtAsync(() => pollFrom(undefined, withSettings({ isbUuid: 'bukan-kunci' })))).code).toBe('upstream-credentials-rejected');
    expect((await caughtAsync(() => pollFrom(undefined, withSettings({ isbId: '9999' })))).code).toBe('upstream-request-rejected');
  });

  it('finds no tender for another LPSE or year, and ends the run', async () => {
    const other = await pollFrom(undefined, withSettings({ kodeLpse: '123', tahun: '2024' }));
    expect(other.entities).toEqual([]);
    expect(other.pages).toEqual(['isb', 'dt@0', 'pl@0']);
    expect(other.cursor).toBeNull();
  });

  it('answers a shape mix-up with upstream-bad-response', () => {
    const rows = { draw: 1, recordsTotal: 1, recordsFiltered: 1, data: [toDataTablesRow(tenders2026[0]!, 'lelang')] };
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
    expect(caught(() => moneyOf('lima miliar', 'x'), RecordRejected).reason).toBe('money-unreadable');
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
    for (const [value, expected] of cases) expect(dateOfCell(cellOf(value), 'x'), String(value)).toBe(expected);
    for (const wrong of ['31-02-2026', '2026-13-01', '30 Februari 2026', 'besok', '2026-03-02 25:00']) expect(caught(() => dateOfCell(cellOf(wrong), 'x'), RecordRejected).reason, wrong).toBe('date-invalid');
  });

  it('strips HTML and decodes entities, twice-encoded ones included', () => {
    const cases: [html: string, text: string][] = [
      ['<a href="/x">Jalan &amp;amp; Jembatan</a>', 'Jalan & Jembatan'],
      ["<span class='label'>Tender<br/>Sedang Berjalan</span>", 'Tender Sedang Berjalan'],
      ['Jarak <5 km &copy;', 'Jarak <5 km ©'],
      ['a <b', 'a < b'],
      ['&amp;lt;script&amp;gt;x', 'x'],
    ];
    for (const [html, text] of cases) expect(oneLine(html), html).toBe(text);
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
    expect(jenisOf('Jasa Konsultansi')).toBe('jasa_konsultansi');
    expect(jenisOf('Jasa Konsultan Hukum')).toBeUndefined();
    expect(statusOf('Upload Berita Acara Hasil Pemilihan')).toBe('penetapan_pemenang');
    expect(statusOf('Paket Sedang Berjalan')).toBe('berlangsung');
    expect(metodeOf('e-Lelang Sederhana')).toBe('tender');
    expect(metodeOf('E-Purchasing')).toBe('e_purchasing');
    expect(metodeOf('Swakelola')).toBeUndefined();
  });

  it('keeps a sub-kegiatan code only in the form SIPD writes', () => {
    expect(subKegiatanOfCell(cellOf('1.03.10.2.01.0015'))).toBe('1.03.10.2.01.0015');
    expect(subKegiatanOfCell(cellOf(' 1.05.03.2.01.01 '))).toBe('1.05.03.2.01.01');
    expect(subKegiatanOfCell(cellOf('1.03.10.2.01.0000'))).toBeUndefined();
    expect(subKegiatanOfCell(cellOf('1.3.10.2.1.15'))).toBeUndefined();
    expect(subKegiatanOfCell(cellOf(''))).toBeUndefined();
  });
});
