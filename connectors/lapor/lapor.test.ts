// The LAPOR! connector against its simulator over real HTTP: polling page by page (cursors
// above 2^53), XML/JSON twins, follow-ups on the legacy stream, faults and HTTP-200 errors.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildXml, caught, parseJson, parseXml, pollRun, simulatorUnderTest, stringifyJson, type ConnectorContext, type UpstreamResponse } from '../../src/connectors/sdk.js';
import connector, { type Pengaduan, type TindakLanjutPengaduan } from './mapping.js';
import { initialComplaints, SANDBOX_INSTANSI_ID, SANDBOX_TOKEN, toNativeJson, type SandboxComplaint } from './sandbox-data.js';
import { startSimulator } from './simulator.js';

const here = dirname(fileURLToPath(import.meta.url));
const inbound = connector.inbound!['pengaduan-masuk']!;
const outbound = connector.outbound!['kirim-tindak-lanjut']!;
const poll = inbound.poll!;
const context: ConnectorContext = {
  settings: { token: SANDBOX_TOKEN, instansiId: SANDBOX_INSTANSI_ID },
  options: {},
  now: () => new Date('2026-11-28T01:00:00Z'),
};
const LISTING = `/api/v2/instansi/${SANDBOX_INSTANSI_ID}/laporan`;
const { send, control } = simulatorUnderTest(startSimulator, { beforeAll, afterAll, beforeEach });

/** One poll run on the listing (the SDK's pollRun): its entities, pages and the cursor the poller keeps. */
async function pollFrom(cursor: string | undefined): Promise<{ entities: Pengaduan[]; pages: number; cursor: string | undefined }> {
  const run = await pollRun(inbound, send, context, { cursor, maxPages: 20 });
  return { entities: run.entities as Pengaduan[], pages: run.pages.length, cursor: run.saved };
}

const sortedIds = initialComplaints().map((c) => BigInt(c.trackingId)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);

describe('polling the complaint listing', () => {
  it('reads every complaint through several pages, every digit of every tracking id kept', async () => {
    const run = await pollFrom(undefined);
    // The listing caps pages at 10 whatever limit asks: 10 + 10 + 5, then an empty page ends the run.
    expect(run.pages).toBe(4);
    expect(run.entities.map((e) => e.nomor_pelacakan)).toEqual(sortedIds);
    expect(new Set(run.entities.map((e) => inbound.identify(e))).size).toBe(25);
    // Two pairs a double cannot tell apart arrive as four distinct complaints.
    expect(run.entities.map((e) => e.id)).toEqual(expect.arrayContaining(['lapor-9007199254740993', 'lapor-9007199254740995', 'lapor-18014398509481985', 'lapor-18014398509481986']));
    expect(run.cursor).toBe('123456789012345678');
    for (const entity of run.entities) {
      expect(entity.tanggal_laporan).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      expect(entity.isi).not.toMatch(/<[a-z/]|&[a-z]+;/i);
      if (entity.anonim) expect(entity.pelapor).toBeUndefined();
      expect(entity.sumber).toEqual({ sistem: 'SP4N-LAPOR!', diterima_pada: '2026-11-28T01:00:00.000Z' });
    }
  });

  it('asks the current API with a Bearer token, since_id and limit', () => {
    expect(poll.request(undefined, context)).toEqual({
      method: 'GET',
      path: LISTING,
      query: { since_id: '0', limit: 50 },
      headers: { Authorization: `Bearer ${SANDBOX_TOKEN}`, Accept: 'application/json' },
    });
    expect(poll.request('18014398509481985', context).query).toEqual({ since_id: '18014398509481985', limit: 50 });
  });

  it('resumes exactly after a cursor above 2^53, and sees a complaint added later', async () => {
    const fromBig = await pollFrom('9007199254740993');
    expect(fromBig.entities.map((e) => e.nomor_pelacakan)).toEqual(['9007199254740995', '18014398509481985', '18014398509481986', '123456789012345678']);
    const fromAdjacent = await pollFrom('18014398509481985');
    expect(fromAdjacent.entities.map((e) => e.nomor_pelacakan)).toEqual(['18014398509481986', '123456789012345678']);

    const caughtUp = await pollFrom('123456789012345678');
    expect(caughtUp.entities).toEqual([]);
    expect(caughtUp.cursor).toBe('123456789012345678');

    const added = await control('POST', '/_simulator/complaints', {
      judul: 'PJU mati di Desa Negeri Sakti',
      isi: '<p>Tiga lampu PJU mati&nbsp;sejak Senin.</p>',
      kategori: 'Infrastruktur',
      tanggal: '28/11/2026 07:30',
      anonim: 1,
      disposisi: 'Dinas Perhubungan Kabupaten Pesawaran',
    });
    expect(added).toEqual({ status: 201, body: { trackingId: '123456789012345679' } });
    // As doubles the new id and the cursor are the same number: only BigInt tells them apart.
    expect(Number('123456789012345679')).toBe(Number('123456789012345678'));

    const next = await pollFrom(caughtUp.cursor);
    expect(next.entities).toHaveLength(1);
    expect(next.entities[0]).toMatchObject({
      id: 'lapor-123456789012345679',
      judul: 'PJU mati di Desa Negeri Sakti',
      isi: 'Tiga lampu PJU mati sejak Senin.',
      tanggal_laporan: '2026-11-28T07:30:00+07:00',
      status: 'baru',
      anonim: true,
    });
    expect(next.cursor).toBe('123456789012345679');
  });

  it('stops when the upstream ignores since_id and repeats an old page', () => {
    const stale: UpstreamResponse = { status: 200, headers: {}, body: parseJson('{"status":"success","data":[{"tracking_id":9007199254740993,"title":"t","content":"c","created_at":"2026-11-27 10:00:00","status":1}],"meta":{"has_more":true}}') };
    expect(poll.page(stale, '9007199254740993', context).nextCursor).toBeUndefined();
    expect(poll.page(stale, '9007199254740992', context).nextCursor).toBe('9007199254740993');
    const empty: UpstreamResponse = { status: 200, headers: {}, body: parseJson('{"status":"success","data":[],"meta":{"has_more":false}}') };
    expect(poll.page(empty, '123456789012345678', context).nextCursor).toBeUndefined();
  });

  it('maps a wrong token (HTTP 200 with status error) to credentials-rejected', async () => {
    const wrong = { ...context, settings: { ...context.settings, token: 'token-salah' } };
    const upstream = await send(poll.request(undefined, wrong));
    expect(upstream.status).toBe(200);
    expect(upstream.body).toEqual({ status: 'error', message: 'Token tidak valid' });
    expect(caught(() => poll.page(upstream, undefined, wrong)).code).toBe('upstream-credentials-rejected');
    expect(caught(() => inbound.map(upstream.body, wrong)).code).toBe('upstream-credentials-rejected');
  });
});

describe('faults', () => {
  it('fails the next n calls to a path, then answers again', async () => {
    const fault = await control('POST', '/_simulator/faults', { path: LISTING, failNext: 2, status: 503 });
    expect(fault.status).toBe(201);
    for (let i = 0; i < 2; i += 1) {
      const upstream = await send(poll.request(undefined, context));
      expect(upstream.status).toBe(503);
      const error = caught(() => poll.page(upstream, undefined, context));
      expect(error.code).toBe('upstream-unavailable');
      expect(error.retryable).toBe(true);
    }
    const run = await pollFrom(undefined);
    expect(run.entities).toHaveLength(25);
  });

  it('can fail LAPOR!-style, with HTTP 200 and an error inside', async () => {
    await control('POST', '/_simulator/faults', { path: '/api/stream/addstream', failNext: 1, status: 200, message: 'Sistem sedang sibuk' });
    const followUp = tindakLanjut('4512208', 'tl-fault-1');
    const upstream = await send(outbound.request(followUp, context));
    expect(upstream.status).toBe(200);
    expect(caught(() => outbound.response(upstream, followUp, context)).code).toBe('upstream-bad-response');
    // The retry goes through and is recorded once.
    expect(outbound.response(await send(outbound.request(followUp, context)), followUp, context)).toEqual({ upstreamId: '4512208' });
    expect((await control('GET', '/_simulator/followups')).body).toHaveLength(1);
  });

  it('reads a page LAPOR! sent as text: a maintenance page is a retryable upstream-unavailable, other text a bad response that repeats none of it', () => {
    const page = (body: string): UpstreamResponse => ({ status: 200, headers: { 'content-type': 'text/html' }, body });
    const busy = caught(() => poll.page(page('<!DOCTYPE html><html><body><h1>Sistem sedang dalam pemeliharaan</h1></body></html>'), undefined, context));
    expect([busy.code, busy.retryable]).toEqual(['upstream-unavailable', true]);
    const other = caught(() => poll.page(page('Laporan pelapor 3201234567890123 tidak dapat ditampilkan'), undefined, context));
    expect(other.code).toBe('upstream-bad-response');
    expect(other.message).not.toContain('3201234567890123');
  });

  it('maps HTTP 5xx on a delivery to a retryable upstream-unavailable', async () => {
    await control('POST', '/_simulator/faults', { path: '/api/stream/addstream', failNext: 1, status: 502 });
    const followUp = tindakLanjut('4512208', 'tl-fault-2');
    const upstream = await send(outbound.request(followUp, context));
    expect(upstream.status).toBe(502);
    const refused = caught(() => outbound.response(upstream, followUp, context));
    expect([refused.code, refused.retryable]).toEqual(['upstream-unavailable', true]);
  });
});

function tindakLanjut(nomor: string, id: string, overrides: Partial<TindakLanjutPengaduan> = {}): TindakLanjutPengaduan {
  return {
    id,
    pengaduan_id: `lapor-${nomor}`,
    nomor_pelacakan: nomor,
    isi: 'Laporan sedang ditindaklanjuti oleh tim lapangan.',
    status_baru: 'diproses',
    tanggal: '2026-11-28T02:00:00Z',
    petugas: { nama: 'Rahmat Hidayat', instansi: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran' },
    lampiran: [],
    ...overrides,
  };
}

describe('follow-ups to the legacy XML stream', () => {
  it('delivers follow-ups, recorded in order, a resent id only once', async () => {
    const first = tindakLanjut('4512208', 'tl-1');
    const second = tindakLanjut('18014398509481986', 'tl-2', {
      isi: 'Sampel air diambil & dikirim ke laboratorium.\nHasil < 7 hari.',
      status_baru: 'selesai',
      tanggal: '2026-11-28T09:15:00+07:00',
      petugas: { nama: 'Komang Ayu', instansi: 'Dinas Lingkungan Hidup Kabupaten Pesawaran' },
      lampiran: [{ nama: 'hasil-lab.pdf', url: 'https://pesawarankab.go.id/dlh/hasil-lab.pdf?a=1&b=2' }],
    });
    for (const followUp of [first, second, first]) {
      const request = outbound.request(followUp, context);
      expect([request.method, request.path]).toEqual(['POST', '/api/stream/addstream']);
      const upstream = await send(request);
      expect(upstream.body).toMatchObject({ response: { status: 'success', trackingid: followUp.nomor_pelacakan } });
      expect(outbound.response(upstream, followUp, context)).toEqual({ upstreamId: followUp.nomor_pelacakan });
    }
    const recorded = (await control('GET', '/_simulator/followups')).body as Record<string, unknown>[];
    expect(recorded.map(({ receivedAt: _receivedAt, ...rest }) => rest)).toEqual([
      {
        id: 'tl-1', trackingid: '4512208', isi: 'Laporan sedang ditindaklanjuti oleh tim lapangan.', status: 'Proses', tanggal: '2026-11-28 09:00:00',
        petugas: { nama: 'Rahmat Hidayat', instansi: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran' }, lampiran: [],
      },
      {
        id: 'tl-2', trackingid: '18014398509481986', isi: 'Sampel air diambil & dikirim ke laboratorium.\nHasil < 7 hari.', status: 'Selesai', tanggal: '2026-11-28 09:15:00',
        petugas: { nama: 'Komang Ayu', instansi: 'Dinas Lingkungan Hidup Kabupaten Pesawaran' },
        lampiran: [{ nama: 'hasil-lab.pdf', url: 'https://pesawarankab.go.id/dlh/hasil-lab.pdf?a=1&b=2' }],
      },
    ]);
  });

  it('maps LAPOR!\'s refusals: unknown tracking id, wrong token', async () => {
    const unknown = tindakLanjut('999', 'tl-x');
    const notFound = await send(outbound.request(unknown, context));
    expect(notFound.status).toBe(200);
    expect(caught(() => outbound.response(notFound, unknown, context)).code).toBe('upstream-record-not-found');

    const wrong = { ...context, settings: { ...context.settings, token: 'token-salah' } };
    const followUp = tindakLanjut('4512208', 'tl-y');
    const refused = await send(outbound.request(followUp, wrong));
    expect(caught(() => outbound.response(refused, followUp, wrong)).code).toBe('upstream-credentials-rejected');
    expect((await control('GET', '/_simulator/followups')).body).toEqual([]);
  });

  it('refuses a follow-up whose tracking ids disagree', () => {
    expect(caught(() => outbound.request(tindakLanjut('4512208', 'tl-z', { pengaduan_id: 'lapor-4512209' }), context)).code).toBe('event-data-invalid');
  });
});

describe('XML and JSON twins', () => {
  const fixtures = join(here, 'fixtures', 'pengaduan-masuk');

  it.each(['kembar-pelapor', 'kembar-anonim-html'])('%s: the JSON and the legacy XML form map to the identical entity', (twin) => {
    const fromJson = inbound.map(parseJson(readFileSync(join(fixtures, `${twin}-json.native.json`), 'utf8')), context);
    const fromXml = inbound.map(parseXml(readFileSync(join(fixtures, `${twin}-xml.native.xml`), 'utf8')), context);
    expect(fromXml).toEqual(fromJson);
    const expected = JSON.parse(readFileSync(join(fixtures, `${twin}-json.expected.json`), 'utf8')) as { canonical: unknown };
    expect(fromJson).toEqual(expected.canonical);
  });

  /** The legacy <lapor> push of a sandbox complaint (the legacy stream writes flags as 0/1). */
  function legacyXml(complaint: SandboxComplaint): string {
    const pelapor = complaint.pelapor ?? {};
    // buildXml would write the attribute value "true" as a bare boolean attribute (see README).
    const flag = (value: unknown): string => (value === true ? '1' : value === false ? '0' : String(value));
    return buildXml({
      lapor: {
        '@token': SANDBOX_TOKEN,
        pelapor: { nama: pelapor.nama ?? '', email: pelapor.email ?? '', telepon: pelapor.telepon ?? '', nik: pelapor.nik ?? '' },
        laporan: {
          '@rahasia': flag(complaint.rahasia),
          '@anonim': flag(complaint.anonim),
          trackingid: complaint.trackingId,
          judul: complaint.judul,
          isi: complaint.isi,
          kategori: complaint.kategori,
          tanggal: String(complaint.tanggal),
          status: String(complaint.status),
          lokasi: complaint.lokasi ?? '',
          disposisi: complaint.disposisi,
          lampiran: { file: complaint.lampiran.map((f) => ({ '@nama': f.nama, '@url': f.url })) },
        },
      },
    });
  }

  it('every sandbox complaint pushed as legacy XML equals its polled JSON form', () => {
    for (const complaint of initialComplaints()) {
      const fromJson = inbound.map(parseJson(stringifyJson(toNativeJson(complaint))), context);
      const fromXml = inbound.map(parseXml(legacyXml(complaint)), context);
      expect(fromXml, complaint.trackingId).toEqual(fromJson);
    }
  });
});

describe('the rest of the simulator', () => {
  it('lists topics on the legacy service', async () => {
    const upstream = await send({ method: 'POST', path: '/api/services/f01/gettopics', body: { form: { token: SANDBOX_TOKEN } } });
    expect(upstream.body).toMatchObject({ status: 'success', data: expect.arrayContaining([{ id: 1, topic: 'Infrastruktur' }]) });
    const refused = await send({ method: 'POST', path: '/api/services/f01/gettopics', body: { form: { token: 'salah' } } });
    expect([refused.status, refused.body]).toEqual([200, { status: 'error', message: 'Token tidak valid' }]);
  });

  it('accepts a new complaint on the legacy stream and lists it', async () => {
    const xml = buildXml({
      lapor: {
        '@token': SANDBOX_TOKEN,
        pelapor: { nama: 'Ketut Sudirga', telepon: '081279000111' },
        laporan: { '@rahasia': '0', '@anonim': '0', judul: 'Jalan ambles', isi: 'Jalan ambles di Desa Gunung Rejo.', kategori: 'Infrastruktur', tanggal: '2026-11-28 07:00:00' },
      },
    });
    const answer = await send({ method: 'POST', path: '/api/stream/addstream', body: { xml } });
    // Answered as the public client reads it (LuthfiFadillah/Lapor-Chatbot): <trackingid> and <transaksiid> under the root.
    expect(answer.body).toEqual({ response: { trackingid: '123456789012345679', transaksiid: 'TRX-123456789012345679' } });
    const recorded = (await control('GET', '/_simulator/addstream')).body as { trackingid: string; pelapor: Record<string, string>; isi: string; dokumen: string }[];
    expect(recorded).toMatchObject([{ trackingid: '123456789012345679', isi: 'Jalan ambles di Desa Gunung Rejo.' }]);
    expect(recorded[0]!.dokumen).toContain('<lapor token=');
    const run = await pollFrom('123456789012345678');
    expect(run.entities).toMatchObject([{ id: 'lapor-123456789012345679', pelapor: { nama: 'Ketut Sudirga', telepon: '081279000111' } }]);
  });

  it('forwards a local complaint as the public client does and reads the tracking id it gets back', async () => {
    const local = (JSON.parse(readFileSync(join(here, 'fixtures', 'pengaduan-masuk', 'lokal-chatbot-anonim-rahasia.expected.json'), 'utf8')) as { canonical: Pengaduan[] }).canonical[0]!;
    const forward = connector.outbound!['teruskan-pengaduan']!;
    const answer = forward.response(await send(forward.request(local, context)), local, context);
    expect(answer).toEqual({ upstreamId: '123456789012345679', entity: { ...local, nomor_pelacakan: '123456789012345679' } });
    const [received] = (await control('GET', '/_simulator/addstream')).body as { pelapor: Record<string, string>; rahasia: string; anonim: string }[];
    expect(received).toMatchObject({ pelapor: { namadepan: 'Siti', namabelakang: 'Rahmawati', telpon: '081277881234', email: 'siti.rahma@example.org' }, rahasia: '1', anonim: '1' });
    // LAPOR! now knows it: the listing carries it, with its reporter, as an ordinary complaint.
    const run = await pollFrom('123456789012345678');
    expect(run.entities).toMatchObject([{ id: 'lapor-123456789012345679', anonim: true }]);
  });

  it('reset restores the initial complaints and forgets follow-ups and faults', async () => {
    await control('POST', '/_simulator/complaints', { judul: 'x', isi: 'y' });
    await control('POST', '/_simulator/faults', { path: LISTING, failNext: 5, status: 503 });
    await control('POST', '/_simulator/reset');
    const run = await pollFrom(undefined);
    expect(run.entities).toHaveLength(25);
  });
});
