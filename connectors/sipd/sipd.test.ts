// The SIPD connector against its simulator over real HTTP: full scans SKPD by SKPD and page by
// page, change detection as the runtime does it (one event for one change), the encoded budget
// lines, kode RUP for LPSE, errors with HTTP 200, faults, cursors.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  parseJson,
  stringifyJson,
  UpstreamError,
  type ConnectorContext,
  type Simulator,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../src/connectors/sdk.js';
import { decodeSipdPayload, encodeSipdPayload, PayloadDecodeError } from './codec.js';
import connector, { PAGE_LENGTH, PATHS, type RincianAnggaran, type SubKegiatan } from './mapping.js';
import { initialRincian, initialSubKegiatan, SANDBOX_ID_DAERAH, SANDBOX_TOKEN } from './sandbox-data.js';
import { startSimulator } from './simulator.js';

const subKegiatanMasuk = connector.inbound!['sub-kegiatan-masuk']!;
const rincianMasuk = connector.inbound!['rincian-anggaran-masuk']!;
const settings = { token: SANDBOX_TOKEN, kodePemda: '18.09', idDaerah: SANDBOX_ID_DAERAH, tahun: '2026' };
const context: ConnectorContext = { settings, options: {}, now: () => new Date('2026-11-28T01:00:00Z') };
const withSettings = (changes: Record<string, string>): ConnectorContext => ({ ...context, settings: { ...settings, ...changes } });

let simulator: Simulator;

/** What the runtime's upstream client does with an UpstreamRequest, in miniature (JSON labelled text/html stays text). */
async function send(request: UpstreamRequest): Promise<UpstreamResponse> {
  const url = new URL(request.path, simulator.url);
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.body && 'form' in request.body) {
    body = new URLSearchParams(Object.entries(request.body.form).map(([k, v]) => [k, String(v)])).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (request.body && 'json' in request.body) {
    body = stringifyJson(request.body.json);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, { method: request.method, headers, body });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: Object.fromEntries(response.headers), body: type.includes('json') ? parseJson(text) : text };
}

type Handler = typeof subKegiatanMasuk;

interface Run<E> {
  entities: E[];
  pages: number;
  /** The last nextCursor: null at the end of a full scan. */
  last: string | null | undefined;
  cursors: (string | undefined)[];
}

/** One poll run as src/connectors/poller.ts does it. */
async function pollRun<E>(handler: Handler, cursor: string | undefined = undefined, ctx = context, maxPages = 50): Promise<Run<E>> {
  const poll = handler.poll!;
  const run: Run<E> = { entities: [], pages: 0, last: undefined, cursors: [] };
  let saved = cursor;
  while (run.pages < maxPages) {
    const pageCursor = saved;
    run.cursors.push(pageCursor);
    const { native, nextCursor } = poll.page(await send(poll.request(pageCursor, ctx)), pageCursor, ctx);
    run.entities.push(...(handler.map(native, ctx) as E[]));
    run.pages += 1;
    run.last = nextCursor;
    if (nextCursor === undefined || nextCursor === null || nextCursor === pageCursor) break;
    saved = nextCursor;
  }
  return run;
}

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

async function control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, simulator.url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

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

beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(async () => {
  await control('POST', '/_simulator/reset');
});

describe('sub-kegiatan: a full scan, SKPD by SKPD', () => {
  it('reads the SKPD listing, then every SKPD page by page, and ends with a null cursor', async () => {
    const run = await pollRun<SubKegiatan>(subKegiatanMasuk);
    // The listing, then 4 SKPD × 3 sub-kegiatan at 2 rows a page: 1 + 4 × 2 pages.
    expect(run.pages).toBe(9);
    expect(run.last).toBeNull();
    expect(run.entities).toHaveLength(12);
    expect(new Set(run.entities.map((e) => subKegiatanMasuk.identify(e))).size).toBe(12);
    expect(run.entities.map((e) => e.kode_skpd).filter((k, i, all) => all.indexOf(k) === i)).toEqual([
      '1.01.2.22.0.00.01.0000', '1.02.0.00.0.00.01.0000', '1.03.0.00.0.00.01.0000', '2.16.2.20.2.21.01.0000',
    ]);
    for (const entity of run.entities) {
      expect(entity.id).toBe(`2026:${entity.kode_skpd}:${entity.kode_sub_kegiatan}`);
      expect(entity.sub_kegiatan.kode).toBe(entity.kode_sub_kegiatan);
      expect(entity.kegiatan.kode).toBe(entity.kode_sub_kegiatan.split('.').slice(0, 5).join('.'));
      expect(entity.sub_kegiatan.nama).not.toMatch(/^[0-9.]+ /);
      expect(entity.pagu.perkiraan).toBe(false);
      expect(entity.sumber_dana.length).toBeGreaterThan(0);
      expect(entity.sumber).toEqual({ sistem: 'SIPD', diambil_pada: '2026-11-28T01:00:00.000Z' });
    }
    // Ids above 2^53 keep every digit; upper-case rows (Diskominfo) read like snake_case ones.
    expect(run.entities.map((e) => e.id_sipd)).toEqual(expect.arrayContaining(['9007199254741011', '9007199254741013', '18014398509481985', '18014398509481986', '18014398509481987']));
    const jalan = run.entities.find((e) => e.kode_sub_kegiatan === '1.03.10.2.01.0015')!;
    expect(jalan).toMatchObject({ skpd: { nama: 'Dinas Pekerjaan Umum dan Penataan Ruang' }, sub_kegiatan: { nama: 'Pembangunan Jalan' }, pagu: { nilai: 16_250_000_000 } });
    const bos = run.entities.find((e) => e.kode_sub_kegiatan === '1.01.02.2.01.0025')!;
    expect(bos.pagu).toEqual({ nilai: 38_456_120_000, perkiraan: false });
  });

  it('asks as SIPD client code does: the listing by kodepemda without the dot, then forms with id_skpd, start and length', async () => {
    expect(subKegiatanMasuk.poll!.request(undefined, context)).toEqual({
      method: 'GET',
      path: PATHS.skpd,
      query: { kodepemda: '1809', tahun: '2026' },
      headers: { Authorization: `Bearer ${SANDBOX_TOKEN}`, Accept: 'application/json' },
    });
    expect(subKegiatanMasuk.poll!.request(undefined, withSettings({ kodePemda: '1809' })).query).toEqual({ kodepemda: '1809', tahun: '2026' });
    const run = await pollRun<SubKegiatan>(subKegiatanMasuk, undefined, context, 3);
    const third = subKegiatanMasuk.poll!.request(run.cursors[2], context);
    expect(third).toMatchObject({ method: 'POST', path: PATHS.subKegiatan, headers: { Authorization: `Bearer ${SANDBOX_TOKEN}` } });
    // The second page of the first SKPD: start where the first page ended (the simulator gave 2 rows).
    expect(third.body).toEqual({ form: { tahun: '2026', id_daerah: SANDBOX_ID_DAERAH, id_skpd: '1687', kode_skpd: '1.01.2.22.0.00.01.0000', start: 2, length: PAGE_LENGTH } });
  });

  it('publishes each sub-kegiatan once, then nothing, then exactly the one whose pagu or name changed', async () => {
    const seen = new Map<string, string>();
    expect(changed(seen, (await pollRun<SubKegiatan>(subKegiatanMasuk)).entities)).toHaveLength(12);
    expect(changed(seen, (await pollRun<SubKegiatan>(subKegiatanMasuk, undefined, { ...context, now: () => new Date('2026-11-28T02:00:00Z') })).entities)).toEqual([]);

    const update = await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '1.03.10.2.01.0018', pagu: 'Rp. 2.475.000.000,00' });
    expect(update.status).toBe(200);
    const afterPagu = changed(seen, (await pollRun<SubKegiatan>(subKegiatanMasuk)).entities);
    expect(afterPagu.map((e) => [e.id, e.pagu])).toEqual([['2026:1.03.0.00.0.00.01.0000:1.03.10.2.01.0018', { nilai: 2_475_000_000, perkiraan: false }]]);

    await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.02.0.00.0.00.01.0000', kode_sub_kegiatan: '1.02.02.2.02.0001', nama: 'Pengelolaan Pelayanan Kesehatan Ibu Hamil dan Nifas' });
    const afterName = changed(seen, (await pollRun<SubKegiatan>(subKegiatanMasuk)).entities);
    expect(afterName.map((e) => [e.id, e.sub_kegiatan.nama])).toEqual([['2026:1.02.0.00.0.00.01.0000:1.02.02.2.02.0001', 'Pengelolaan Pelayanan Kesehatan Ibu Hamil dan Nifas']]);
  });

  it('resumes from a saved cursor and finishes the scan', async () => {
    const partial = await pollRun<SubKegiatan>(subKegiatanMasuk, undefined, context, 4);
    expect(partial.last).toEqual(expect.any(String));
    const rest = await pollRun<SubKegiatan>(subKegiatanMasuk, partial.last as string);
    expect(rest.last).toBeNull();
    expect([...partial.entities, ...rest.entities].map((e) => e.id).sort()).toEqual((await pollRun<SubKegiatan>(subKegiatanMasuk)).entities.map((e) => e.id).sort());
  });

  it('starts over when the cursor belongs to another budget year, and refuses a cursor it did not write', async () => {
    const partial = await pollRun<SubKegiatan>(subKegiatanMasuk, undefined, context, 2);
    const other = withSettings({ tahun: '2027' });
    expect(subKegiatanMasuk.poll!.request(partial.last as string, other)).toMatchObject({ method: 'GET', path: PATHS.skpd, query: { tahun: '2027' } });
    // 2027 has no SKPD yet in the sandbox: the scan ends at once.
    const run = await pollRun<SubKegiatan>(subKegiatanMasuk, partial.last as string, other);
    expect([run.pages, run.entities.length, run.last]).toEqual([1, 0, null]);
    for (const bad of ['42', 'not json', '{"tahun":"2026","skpd":[],"i":0,"start":0}', '{"tahun":"2026","skpd":[{"kode":"1.02"}],"i":0,"start":0}']) {
      expect(caught(() => subKegiatanMasuk.poll!.request(bad, context)).code, bad).toBe('cursor-invalid');
    }
  });

  it('treats "Data tidak ditemukan" for an SKPD as an empty page and moves on to the next SKPD', async () => {
    const cursor = JSON.stringify({ tahun: '2026', skpd: [{ id: '9999', kode: '1.05.0.00.0.00.01.0000' }, { id: '1690', kode: '1.03.0.00.0.00.01.0000' }], i: 0, start: 0 });
    const run = await pollRun<SubKegiatan>(subKegiatanMasuk, cursor);
    expect(run.entities.map((e) => e.kode_skpd)).toEqual(['1.03.0.00.0.00.01.0000', '1.03.0.00.0.00.01.0000', '1.03.0.00.0.00.01.0000']);
    expect(run.last).toBeNull();
  });
});

describe('rincian anggaran: the encoded list', () => {
  it('decodes every page, keeps ids above 2^53, and ends with a null cursor', async () => {
    const run = await pollRun<RincianAnggaran>(rincianMasuk);
    expect(run.pages).toBe(3);
    expect(run.last).toBeNull();
    expect(run.entities).toHaveLength(initialRincian().length);
    expect(run.entities.map((e) => e.id_sipd)).toEqual(expect.arrayContaining(['9007199254750001', '9007199254750003', '9007199254750005']));
    const known = new Set(initialSubKegiatan().map((s) => s.kode));
    for (const line of run.entities) {
      expect(line.id).toBe(`2026:${line.kode_skpd}:${line.kode_sub_kegiatan}:${line.id_sipd}`);
      expect(known.has(line.kode_sub_kegiatan)).toBe(true);
      expect(line.kode_rekening.tingkat).toBe('sub-rincian-objek');
      expect(line.kode_rup ?? '').not.toBe('0');
    }
    expect(run.entities.find((e) => e.id_sipd === '60003')).toMatchObject({ volume: 12.5, satuan: 'Ton', harga_satuan: { nilai: 9_800_000 }, total: { nilai: 122_500_000 } });
    expect(run.entities.find((e) => e.id_sipd === '60002')).toMatchObject({ volume: 1440 });
  });

  it('asks with a form of tahun, id_daerah, start and length', async () => {
    expect(rincianMasuk.poll!.request(undefined, context)).toEqual({
      method: 'POST',
      path: PATHS.rincian,
      headers: { Authorization: `Bearer ${SANDBOX_TOKEN}`, Accept: 'application/json' },
      body: { form: { tahun: '2026', id_daerah: SANDBOX_ID_DAERAH, start: 0, length: PAGE_LENGTH } },
    });
    const run = await pollRun<RincianAnggaran>(rincianMasuk, undefined, context, 1);
    expect(rincianMasuk.poll!.request(run.last as string, context).body).toEqual({ form: { tahun: '2026', id_daerah: SANDBOX_ID_DAERAH, start: 10, length: PAGE_LENGTH } });
  });

  it('links the lines LPSE tenders point at through their kode RUP (the rup-anggaran view)', async () => {
    const run = await pollRun<RincianAnggaran>(rincianMasuk);
    const byRup = new Map(run.entities.filter((e) => e.kode_rup !== undefined).map((e) => [e.kode_rup!, e]));
    expect(byRup.get('40000001')).toMatchObject({ kode_sub_kegiatan: '1.03.10.2.01.0015', kode_skpd: '1.03.0.00.0.00.01.0000' });
    expect(byRup.get('40000004')).toMatchObject({ kode_sub_kegiatan: '1.02.02.2.01.0014' });
    expect(byRup.get('40000011')).toMatchObject({ kode_sub_kegiatan: '2.16.03.2.02.0004' });
    expect(byRup.get('40000012')).toMatchObject({ kode_sub_kegiatan: '1.01.02.2.01.0009' });
    // Lines without a package (SIPD writes 0 or nothing) are not in the view.
    expect(run.entities.filter((e) => e.kode_rup === undefined).map((e) => e.id_sipd)).toEqual(expect.arrayContaining(['60001', '60002']));
  });

  it('publishes only the line that changed', async () => {
    const seen = new Map<string, string>();
    expect(changed(seen, (await pollRun<RincianAnggaran>(rincianMasuk)).entities)).toHaveLength(initialRincian().length);
    expect(changed(seen, (await pollRun<RincianAnggaran>(rincianMasuk)).entities)).toEqual([]);
    expect((await control('POST', '/_simulator/rincian', { id: '60001', kode_rup: 52810099 })).status).toBe(200);
    const after = changed(seen, (await pollRun<RincianAnggaran>(rincianMasuk)).entities);
    expect(after.map((e) => [e.id_sipd, e.kode_rup])).toEqual([['60001', '52810099']]);
  });
});

describe('errors SIPD answers with HTTP 200, and failures', () => {
  it('refuses a wrong token on every endpoint with upstream-credentials-rejected', async () => {
    const wrong = withSettings({ token: 'salah' });
    const cursor = JSON.stringify({ tahun: '2026', skpd: [{ id: '1690', kode: '1.03.0.00.0.00.01.0000' }], i: 0, start: 0 });
    for (const [handler, at] of [[subKegiatanMasuk, undefined], [subKegiatanMasuk, cursor], [rincianMasuk, undefined]] as const) {
      const upstream = await send(handler.poll!.request(at, wrong));
      expect(upstream.status).toBe(200);
      expect(upstream.body).toMatchObject({ status: false, message: 'Token tidak valid' });
      expect(caught(() => handler.poll!.page(upstream, at, wrong)).code).toBe('upstream-credentials-rejected');
    }
    expect(caught(() => subKegiatanMasuk.poll!.request(undefined, withSettings({ token: '' }))).code).toBe('upstream-credentials-rejected');
  });

  it('refuses a wrong region with upstream-request-rejected', async () => {
    const listing = await send(subKegiatanMasuk.poll!.request(undefined, withSettings({ kodePemda: '18.10' })));
    expect(caught(() => subKegiatanMasuk.poll!.page(listing, undefined, context)).code).toBe('upstream-request-rejected');
    const lines = await send(rincianMasuk.poll!.request(undefined, withSettings({ idDaerah: '1' })));
    expect(caught(() => rincianMasuk.poll!.page(lines, undefined, context)).code).toBe('upstream-request-rejected');
    expect(caught(() => rincianMasuk.poll!.request(undefined, withSettings({ tahun: 'dua ribu' }))).code).toBe('upstream-request-rejected');
    expect(caught(() => subKegiatanMasuk.poll!.request(undefined, withSettings({ kodePemda: 'Pesawaran' }))).code).toBe('upstream-request-rejected');
  });

  it('turns a 503 page, a busy answer with HTTP 200 and a 401 into the right codes', async () => {
    await control('POST', '/_simulator/faults', { path: PATHS.rincian, failNext: 1, status: 503 });
    const down = await caughtAsync(() => pollRun(rincianMasuk));
    expect([down.code, down.retryable]).toEqual(['upstream-unavailable', true]);
    await control('POST', '/_simulator/faults', { path: PATHS.skpd, failNext: 1, status: 200 });
    const busy = await caughtAsync(() => pollRun(subKegiatanMasuk));
    expect([busy.code, busy.retryable]).toEqual(['upstream-unavailable', true]);
    await control('POST', '/_simulator/faults', { path: PATHS.subKegiatan, failNext: 1, status: 401 });
    expect((await caughtAsync(() => pollRun(subKegiatanMasuk))).code).toBe('upstream-credentials-rejected');
    // The faults are spent: the next scan goes through.
    expect((await pollRun(subKegiatanMasuk)).entities).toHaveLength(12);
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
  it('labels the RKPD listing text/html, as the PHP service does, and the mapping still reads it', async () => {
    const upstream = await send(subKegiatanMasuk.poll!.request(undefined, context));
    expect(upstream.headers['content-type']).toMatch(/^text\/html/);
    expect(typeof upstream.body).toBe('string');
    expect(subKegiatanMasuk.poll!.page(upstream, undefined, context).nextCursor).toEqual(expect.any(String));
  });

  it('accepts SIPD-RI\'s X-ACCESS-TOKEN header as well as Bearer', async () => {
    const request = rincianMasuk.poll!.request(undefined, context);
    const upstream = await send({ ...request, headers: { 'X-ACCESS-TOKEN': SANDBOX_TOKEN } });
    expect(upstream.body).toMatchObject({ status: true, recordsTotal: initialRincian().length });
  });

  it('refuses unknown records and empty changes on the control API, and reset restores everything', async () => {
    expect((await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '9.99.99.9.99.9999', pagu: 1 })).status).toBe(404);
    expect((await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '1.03.10.2.01.0015' })).status).toBe(400);
    expect((await control('POST', '/_simulator/rincian', { id: '1' })).status).toBe(404);
    await control('POST', '/_simulator/sub-kegiatan', { kode_skpd: '1.03.0.00.0.00.01.0000', kode_sub_kegiatan: '1.03.10.2.01.0015', pagu: 1 });
    await control('POST', '/_simulator/faults', { path: PATHS.skpd, failNext: 5, status: 503 });
    await control('POST', '/_simulator/reset');
    const run = await pollRun<SubKegiatan>(subKegiatanMasuk);
    expect(run.entities.find((e) => e.kode_sub_kegiatan === '1.03.10.2.01.0015')!.pagu.nilai).toBe(16_250_000_000);
    const listed = await control('GET', '/_simulator/sub-kegiatan');
    expect(listed.body).toHaveLength(12);
  });
});
