// Masking fails closed: events reach a subscriber masked by the schema the hub registered for
// their type, whatever `dataschema` or `classification` their publisher wrote; a type without a
// schema reaches only clients cleared for its declared classification (rahasia by default).
// Shown for pulls (GET /v1/events) and for webhooks to a real receiver on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll, postJson } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { subscribeReceiver, WebhookReceiver } from '../support/webhook-receiver.js';

type Delivered = { id: string; masked?: string; data?: Record<string, unknown> };

const receiver = new WebhookReceiver();
/** The events as delivered (each verified against the subscription's secret in beforeAll). */
const received = (): Delivered[] => receiver.received.map((delivery) => delivery.event as Delivered);

const nik = '1809064203880002';
const complaint = {
  id: 'lapor-7700001',
  nomor_pelacakan: '7700001',
  judul: 'Pelayanan KTP-el lambat',
  isi: `Saya Siti Aminah, NIK ${nik}, tinggal di Jalan Melati 5 RT 002.`,
  kategori: 'Kependudukan',
  tanggal_laporan: '2026-11-25T09:15:00+07:00',
  status: 'baru',
  instansi_tujuan: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Pesawaran',
  rahasia: false,
  anonim: false,
  pelapor: { nama: 'Siti Aminah', email: 'siti.aminah@contoh.id', telepon: '081369445566', nik },
  lokasi: 'Jalan Melati 5, Gedong Tataan',
  lampiran: [],
  sumber: { sistem: 'SP4N-LAPOR!', diterima_pada: '2026-11-28T01:00:00.000Z' },
};

const event = (id: string, type: string, data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ specversion: '1.0', id, source: '/opd/diskominfo/uji', type, subject: id, datacontenttype: 'application/json', data, ...extra });

const hub = hubBeforeAll({ events: { strictTypes: false, schemaDir: 'test/fixtures/event-types', classifications: { 'uji.terbuka': 'publik' } } });

beforeAll(async () => {
  await receiver.start();
  await subscribeReceiver(hub().url, receiver, ['pengaduan.diterima', 'uji.tanpa-skema', 'uji.terbuka'], (url, init) => hubFetch(url, init, testKeys.publik));
  // The publisher labels everything publik and points the complaint at another type's schema.
  const posted = await postJson(`${hub().url}/v1/events`, [
    event('mask-1', 'pengaduan.diterima', complaint, { dataschema: 'urn:penghubung:schema:paket-pengadaan:v1', classification: 'publik' }),
    event('mask-2', 'uji.tanpa-skema', { isi: `NIK ${nik}` }, { classification: 'publik' }),
    event('mask-3', 'uji.terbuka', { pengumuman: 'Jadwal layanan keliling' }),
  ], 'application/cloudevents-batch+json');
  expect(posted.status).toBe(202);
  await waitFor(() => receiver.received.length >= 3, 15_000, () => `three deliveries, got ${receiver.received.map((r) => r.id).join(', ')}`);
  expect(receiver.deliveries.every((delivery) => delivery.verified)).toBe(true);
});

afterAll(async () => {
  await receiver.stop();
});

const pulled = async (key: string): Promise<Delivered[]> => {
  const events: Delivered[] = [];
  for (const type of ['pengaduan.diterima', 'uji.tanpa-skema', 'uji.terbuka']) {
    const answer = (await (await hubFetch(`${hub().url}/v1/events?type=${type}&limit=100`, {}, key)).json()) as { events: Delivered[] };
    events.push(...answer.events);
  }
  return events;
};

describe.each([
  ['pulled', (): Promise<Delivered[]> => pulled(testKeys.publik)],
  ['received by webhook', (): Promise<Delivered[]> => Promise.resolve(received())],
])('a publik subscriber, %s', (_how, events) => {
  it('gets a complaint with a wrong dataschema masked by the schema registered for pengaduan.diterima', async () => {
    const got = (await events()).find((e) => e.id === 'mask-1')!;
    const data = got.data as typeof complaint;
    expect(data.isi).toBe('••••');
    expect(data.lokasi).toBe('••••');
    expect(data.pelapor).toEqual({ nama: 'S. A.', email: 's•••@contoh.id', telepon: '0813••••••66', nik: '1809••••••••0002' });
    expect(data.kategori).toBe('Kependudukan');
    expect(JSON.stringify(got)).not.toContain(nik);
    expect(JSON.stringify(got)).not.toContain('Siti Aminah');
    // The publisher's labels are not passed on as if the hub vouched for them.
    expect(got).toMatchObject({ dataschema: 'urn:penghubung:schema:pengaduan:v1' });
    expect(got).not.toHaveProperty('classification');
  });

  it('gets an event of a type without a schema, labelled publik by its publisher, without its data', async () => {
    const got = (await events()).find((e) => e.id === 'mask-2')!;
    expect(got.masked).toBe('withheld');
    expect(got.data).toBeUndefined();
    expect(JSON.stringify(got)).not.toContain(nik);
  });

  it('gets a type the hub declares publik whole', async () => {
    expect((await events()).find((e) => e.id === 'mask-3')!.data).toEqual({ pengumuman: 'Jadwal layanan keliling' });
  });
});

describe('a rahasia subscriber', () => {
  it('pulls the same events whole', async () => {
    const events = await pulled(testKeys.operator);
    expect((events.find((e) => e.id === 'mask-1')!.data as typeof complaint).pelapor.nik).toBe(nik);
    expect(events.find((e) => e.id === 'mask-2')!.data).toEqual({ isi: `NIK ${nik}` });
  });
});

describe('a terbatas subscriber', () => {
  it('reads the complaint text but not the reporter, and no data of a rahasia type', async () => {
    const events = await pulled(testKeys.terbatas);
    const data = events.find((e) => e.id === 'mask-1')!.data as typeof complaint;
    expect(data.isi).toBe(complaint.isi);
    expect(data.pelapor.nik).toBe('1809••••••••0002');
    expect(events.find((e) => e.id === 'mask-2')!.masked).toBe('withheld');
  });
});
