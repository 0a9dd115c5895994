// SP4N-LAPOR! end to end: pushes in XML and JSON, polling with restarts, follow-ups delivered
// back with retries and a dead-letter topic, and the complaint view, against the simulator the
// sandbox hub starts on a real port.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BusRecord } from '../../src/bus/event-bus.js';
import { projectPath } from '../../src/schemas.js';
import { hubBeforeAll, postJson, startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch, testKeys } from '../support/auth.js';

let simulator: string;
const fixture = (name: string): string => readFileSync(projectPath('connectors', 'lapor', 'fixtures', name), 'utf8');

const hub = hubBeforeAll({ connectors: { polling: false } });

beforeAll(async () => {
  simulator = hub().connectors.simulators.get('lapor')!.url;
});

beforeEach(async () => {
  await fetch(`${simulator}/_simulator/reset`, { method: 'POST' });
});

const push = async (body: string, contentType: string): Promise<{ status: number; body: { accepted?: number; events?: { id: string; subject: string; duplicate: boolean }[]; code?: string } }> => {
  const response = await hubFetch(`${hub().url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as never };
};
const complaintEvents = (): { subject: string; id: string }[] => hub().outbox.read(0, 100_000, 'pengaduan.diterima').map((stored) => ({ subject: stored.event.subject!, id: stored.event.id }));

describe('pushed complaints', () => {
  it('makes a complaint pushed as legacy XML the same canonical event as its JSON twin', async () => {
    const xml = await push(fixture('pengaduan-masuk/kembar-pelapor-xml.native.xml'), 'application/xml');
    expect(xml.status).toBe(202);
    expect(xml.body.events![0]!.duplicate).toBe(false);
    const json = await push(fixture('pengaduan-masuk/kembar-pelapor-json.native.json'), 'application/json');
    expect(json.status).toBe(202);
    expect(json.body.events![0]!.id).toBe(xml.body.events![0]!.id);
    expect(json.body.events![0]!.duplicate).toBe(true);

    const expected = (JSON.parse(fixture('pengaduan-masuk/kembar-pelapor-xml.expected.json')) as { canonical: { id: string }[] }).canonical[0]!;
    const stored = hub().outbox.read(0, 100_000, 'pengaduan.diterima').filter((s) => s.event.subject === expected.id);
    expect(stored).toHaveLength(1);
    const { sumber: _sumber, ...content } = stored[0]!.event.data as { sumber: unknown };
    const { sumber: _expectedSumber, ...expectedContent } = expected as { sumber?: unknown };
    expect(content).toEqual(expectedContent);

    await waitFor(async () => (await hubFetch(`${hub().url}/v1/pengaduan/${expected.id}`)).status === 200, 5000, 'the complaint in the view');
    const viewed = (await (await hubFetch(`${hub().url}/v1/pengaduan/${expected.id}`)).json()) as { id: string; isi: string };
    expect(viewed.id).toBe(expected.id);
  });

  it('refuses unreadable or hostile documents with coded problems and stores nothing', async () => {
    const before = hub().outbox.lastSeq();
    const cases: [string, string, number, string][] = [
      ['<lapor><laporan>', 'application/xml', 400, 'body-invalid-xml'],
      ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><lapor>&e;</lapor>', 'text/xml', 400, 'xml-forbidden'],
      ['{"tracking_id": 1, ', 'application/json', 400, 'body-invalid-json'],
      ['{"judul": "tanpa nomor pelacakan"}', 'application/json', 422, 'request-invalid'],
      ['tracking_id=1', 'application/x-www-form-urlencoded', 415, 'content-type-unsupported'],
    ];
    for (const [body, contentType, status, code] of cases) {
      const answer = await push(body, contentType);
      expect({ body, status: answer.status, code: answer.body.code }).toEqual({ body, status, code });
    }
    expect(hub().outbox.lastSeq()).toBe(before);
  });
});

describe('polled complaints', () => {
  it('publishes each complaint once, then only changes, and the view lists them', async () => {
    const poller = hub().connectors.pollers.get('lapor:pengaduan-masuk')!;
    const first = await poller.runOnce();
    expect(first.published).toBeGreaterThanOrEqual(20);
    const again = await poller.runOnce();
    expect(again.published).toBe(0);

    const added = (await (await fetch(`${simulator}/_simulator/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ judul: 'Lampu jalan mati di Gedong Tataan', isi: 'Sudah tiga malam PJU di depan pasar mati.' }) })).json()) as { trackingId: string };
    const third = await poller.runOnce();
    expect(third.published).toBe(1);

    const perSubject = new Map<string, number>();
    for (const event of complaintEvents()) perSubject.set(event.subject, (perSubject.get(event.subject) ?? 0) + 1);
    expect([...perSubject.values()].every((count) => count === 1)).toBe(true);

    await waitFor(async () => (await hubFetch(`${hub().url}/v1/pengaduan/lapor-${added.trackingId}`)).status === 200, 5000, 'the new complaint in the view');
    const page = (await (await hubFetch(`${hub().url}/v1/pengaduan?limit=500`)).json()) as { items: { id: string; status: string }[] };
    expect(page.items.length).toBeGreaterThanOrEqual(first.published + 1);
    const status = page.items[0]!.status;
    const filtered = (await (await hubFetch(`${hub().url}/v1/pengaduan?status=${status}&limit=500`)).json()) as { items: { status: string }[] };
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((item) => item.status === status)).toBe(true);
    expect((await hubFetch(`${hub().url}/v1/pengaduan?warna=merah`)).status).toBe(400);
    expect((await hubFetch(`${hub().url}/v1/pengaduan/lapor-1`)).status).toBe(404);
  });

  it('publishes no complaint twice when a restarted poller lost its cursor and memory mid-run', async () => {
    // A hub of its own, so the state file can be rewound while it is stopped.
    const own = await startTestHub({ connectors: { polling: false } });
    const dataDir = own.config.dataDir;
    const firstRun = await own.connectors.pollers.get('lapor:pengaduan-masuk')!.runOnce();
    const published = own.outbox.read(0, 100_000, 'pengaduan.diterima').length;
    expect(firstRun.published).toBe(published);
    await own.close();

    // The crash: events reached the outbox, but the poll cursor and fingerprints did not.
    const control = new Database(`${dataDir}/control.db`);
    const forgotten = control.prepare("DELETE FROM records WHERE tbl IN ('poll-cursors', 'seen-entities')").run().changes;
    control.close();
    expect(forgotten).toBeGreaterThan(published);

    const restarted = await startTestHub({ dataDir, connectors: { polling: false } });
    try {
      await restarted.connectors.pollers.get('lapor:pengaduan-masuk')!.runOnce();
      const events = restarted.outbox.read(0, 100_000, 'pengaduan.diterima');
      expect(events).toHaveLength(published);
      expect(new Set(events.map((e) => e.event.subject)).size).toBe(published);
    } finally {
      await restarted.close();
    }
  });
});

describe('follow-ups delivered back to LAPOR!', () => {
  let trackingId: string;
  beforeAll(async () => {
    // A complaint the simulator knows, so LAPOR! accepts follow-ups to it.
    const complaints = (await (await fetch(`${simulator}/_simulator/complaints`)).json()) as { tracking_id?: unknown; trackingId?: unknown; TrackingID?: unknown }[];
    const first = complaints[0]!;
    trackingId = String(first.tracking_id ?? first.trackingId ?? first.TrackingID);
    expect(trackingId).toMatch(/^[0-9]+$/);
  });
  const followUp = (id: string): Record<string, unknown> => {
    const canonical = (JSON.parse(fixture('kirim-tindak-lanjut/diproses.expected.json')) as { canonical: Record<string, unknown> }).canonical;
    const data = { ...canonical, id, pengaduan_id: `lapor-${trackingId}`, nomor_pelacakan: trackingId };
    return { specversion: '1.0', id, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: data.pengaduan_id, datacontenttype: 'application/json', data };
  };
  const delivered = async (): Promise<{ id?: string; trackingid: string }[]> => (await (await fetch(`${simulator}/_simulator/followups`)).json()) as never;

  it('delivers once a follow-up whose upstream fails twice and then succeeds', async () => {
    await fetch(`${simulator}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext: 2, status: 503 }) });
    const answer = await postJson(`${hub().url}/v1/events`, followUp('tl-uji-berhasil'));
    expect(answer.status).toBe(202);
    await waitFor(async () => (await delivered()).some((f) => f.id === 'tl-uji-berhasil'), 30_000, 'the follow-up at LAPOR!');
    // A follow-up of the same complaint (same key: same partition, same worker, in order) posted
    // after it: once it is delivered, a late second delivery of the first would have happened.
    expect((await postJson(`${hub().url}/v1/events`, followUp('tl-uji-berhasil-penanda'))).status).toBe(202);
    await waitFor(async () => (await delivered()).some((f) => f.id === 'tl-uji-berhasil-penanda'), 30_000, 'the follow-up posted after it at LAPOR!');
    expect((await delivered()).filter((f) => f.id === 'tl-uji-berhasil')).toHaveLength(1);
  });

  it('parks a follow-up that never succeeds in the dead-letter topic with its reason', async () => {
    await fetch(`${simulator}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext: 1000, status: 503 }) });
    const parked: BusRecord[] = [];
    const subscription = await hub().bus.subscribe({ groupId: 'uji-dlq', topic: 'penghubung.dlq.pengaduan.tindak-lanjut', handler: async (record) => void parked.push(record) });
    try {
      expect((await postJson(`${hub().url}/v1/events`, followUp('tl-uji-gagal'))).status).toBe(202);
      await waitFor(() => parked.some((r) => r.event.id === 'tl-uji-gagal'), 45_000, 'the follow-up in the dead-letter topic');
      const record = parked.find((r) => r.event.id === 'tl-uji-gagal')!;
      expect(record.headers['dlq-code']).toBe('upstream-unavailable');
      expect(record.headers['dlq-attempts']).toBe('5');
      expect(record.headers['dlq-connector']).toBe('lapor');
      expect(record.headers['dlq-reason']).toMatch(/503|unavailable|tidak/i);
      expect(record.event.data).toMatchObject({ id: 'tl-uji-gagal' });
      expect((await delivered()).some((f) => f.id === 'tl-uji-gagal')).toBe(false);
    } finally {
      await subscription.close();
      await fetch(`${simulator}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext: 0 }) });
    }
  }, 60_000);

  it('refuses a follow-up event whose data breaks its schema at the gateway', async () => {
    const answer = await postJson(`${hub().url}/v1/events`, { ...followUp('tl-uji-rusak'), data: { id: 'tl-uji-rusak' } });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('event-data-invalid');
  });
});

describe('a complaint filed in the regency', () => {
  it('is forwarded to LAPOR! at addstream and comes back numbered as an ordinary complaint', async () => {
    const answer = await push(fixture('pengaduan-masuk/lokal-chatbot-anonim-rahasia.native.xml'), 'application/xml');
    expect(answer.status).toBe(202);
    const local = (JSON.parse(fixture('pengaduan-masuk/lokal-chatbot-anonim-rahasia.expected.json')) as { canonical: { id: string }[] }).canonical[0]!;
    expect(answer.body.events).toEqual([expect.objectContaining({ subject: local.id })]);
    const numbered = (): { nomor_pelacakan?: string; pelapor?: { nama?: string } } | undefined =>
      hub().outbox.read(0, 100_000, 'pengaduan.diterima').map((stored) => stored.event).find((event) => event.subject === local.id)?.data as never;
    await waitFor(() => numbered()?.nomor_pelacakan !== undefined, 30_000, 'the complaint numbered by LAPOR!');
    expect(numbered()!.nomor_pelacakan).toMatch(/^[0-9]+$/);
    expect(numbered()!.pelapor?.nama).toBe('Siti Rahmawati');

    // Its JSON twin, pushed after LAPOR! numbered it, is the same complaint: nothing new, nothing forwarded again.
    const twin = await push(fixture('pengaduan-masuk/lokal-json-kembar.native.json'), 'application/json');
    expect(twin.status).toBe(202);
    expect(twin.body.events).toEqual([expect.objectContaining({ subject: local.id, duplicate: true })]);
    const forwarded = (await (await fetch(`${simulator}/_simulator/addstream`)).json()) as { isi: string }[];
    expect(forwarded.filter((r) => r.isi.startsWith('Lampu penerangan jalan di Desa Bernung'))).toHaveLength(1);
  });
});

describe('POST /v1/pengaduan: a complaint from the regency’s own channel', () => {
  const complaint = {
    id: 'lapor-lokal-5a1b2c3d4e5f60718293a4b5c6d7e8f9', isi: 'Lampu jalan di Desa Bernung mati sejak Senin.', kategori: 'Infrastruktur', tanggal_laporan: '2026-11-28T08:00:00+07:00',
    status: 'baru', instansi_tujuan: 'Pemerintah Kabupaten Pesawaran', asal: 'lokal', rahasia: false, anonim: false, pelapor: { nama: 'Rudi Hartono', telepon: '081200001111' },
    lampiran: [], sumber: { sistem: 'SP4N-LAPOR!', diterima_pada: '2026-11-28T01:00:00Z' },
  };
  let channel = '';

  beforeAll(async () => {
    const created = await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'loket-pengaduan', name: 'Loket pengaduan', opd: 'Diskominfo', role: 'app', clearance: 'terbatas', rights: ['lapor:kirim-pengaduan'] }) });
    expect(created.status).toBe(201);
    channel = ((await created.json()) as { api_key: string }).api_key;
  });

  const post = (body: unknown, key: string): Promise<{ status: number; body: Record<string, unknown> }> => postJson(`${hub().url}/v1/pengaduan`, body, 'application/json', { 'x-api-key': key });

  it('needs the right lapor:kirim-pengaduan', async () => {
    expect((await post(complaint, testKeys.terbatas)).status).toBe(403);
  });

  it.each([
    ['a tracking id (only LAPOR! numbers complaints)', { nomor_pelacakan: '4522010' }, '/nomor_pelacakan'],
    ['another origin', { asal: 'lapor' }, '/asal'],
    ['an id that is not a local one', { id: 'lapor-4522010' }, '/id'],
  ])('refuses a complaint with %s', async (_what, change, pointer) => {
    const answer = await post({ ...complaint, ...change }, channel);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'request-invalid' });
    expect(JSON.stringify(answer.body.errors)).toContain(pointer === '/nomor_pelacakan' ? '""' : pointer);
  });

  it('accepts a local complaint and forwards it to LAPOR!, which numbers it', async () => {
    const answer = await post(complaint, channel);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id: complaint.id, event: { type: 'pengaduan.lokal.diterima', duplicate: false } });
    const atLapor = async (): Promise<{ trackingid: string; isi: string; pelapor: Record<string, string> }[]> => (await (await fetch(`${simulator}/_simulator/addstream`)).json()) as never;
    await waitFor(async () => (await atLapor()).some((r) => r.isi === complaint.isi), 30_000, 'the complaint at addstream');
    const sent = (await atLapor()).find((r) => r.isi === complaint.isi)!;
    expect(sent.pelapor).toEqual({ namadepan: 'Rudi', namabelakang: 'Hartono', telpon: '081200001111' });
    await waitFor(() => hub().outbox.read(0, 100_000, 'pengaduan.diterima').some((s) => s.event.subject === complaint.id && (s.event.data as { nomor_pelacakan?: string }).nomor_pelacakan === sent.trackingid), 30_000, 'the numbered complaint');
  });
});
