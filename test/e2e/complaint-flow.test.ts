// The complaint flow end to end with the sandbox simulators: one complaint in from LAPOR!, its
// reporter checked against SIAK, one disposition letter out at SITAMPAN, a signed
// pengaduan.didisposisikan verified by an OPD's webhook receiver, and the OPD's follow-up at
// LAPOR!. With SITAMPAN down during the flow, the letter arrives once it is back, and once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { audit } from '../../src/cli/audit.js';
import { topicForType } from '../../src/events/cloudevent.js';
import { startSimulator as startSitampan } from '../../connectors/sitampan/simulator.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import { eventDigest, type StoredAuditEntry } from '../../src/security/audit/index.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll, postJson } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { subscribeReceiver, WebhookReceiver } from '../support/webhook-receiver.js';

let lapor: string;
let sitampan: string;
const receiver = new WebhookReceiver('/lapor-opd');
let replacement: Simulator | undefined;
const reporter = RESIDENTS.find((r) => r.status === 'aktif' && r.nik.startsWith('18') && !r.wire.misspelledKeys)!;

const hub = hubBeforeAll();

beforeAll(async () => {
  lapor = hub().connectors.simulators.get('lapor')!.url;
  sitampan = hub().connectors.simulators.get('sitampan')!.url;
  await receiver.start();
  await subscribeReceiver(hub().url, receiver, ['pengaduan.didisposisikan'], (url, init) => hubFetch(url, init, testKeys.terbatas));
});

afterAll(async () => {
  await replacement?.close();
  await receiver.stop();
});

/** A complaint LAPOR! knows (so follow-ups to it are accepted), pushed to the hub as LAPOR! would. */
async function pushComplaint(judul: string, kategori: string): Promise<{ trackingId: string; id: string }> {
  const created = (await (await fetch(`${lapor}/_simulator/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ judul, isi: `${judul}. Mohon segera ditangani.`, kategori, pelapor: { nama: reporter.nama, nik: reporter.nik } }) })).json()) as { trackingId: string };
  const natives = (await (await fetch(`${lapor}/_simulator/complaints`)).text());
  const all = JSON.parse(natives.replace(/:\s*(\d{16,})/g, ':"$1"')) as Record<string, unknown>[];
  const native = all.find((c) => String(c.tracking_id ?? c.trackingId ?? c.TrackingID) === created.trackingId)!;
  const pushed = await hubFetch(`${hub().url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(native) });
  expect(pushed.status).toBe(202);
  return { trackingId: created.trackingId, id: `lapor-${created.trackingId}` };
}

const lettersAt = async (url: string): Promise<{ naskah: { id: string; tujuan: { instansi: string }[]; hal: string } }[]> => (await (await fetch(`${url}/_simulator/naskah`)).json()) as never;

describe('the complaint flow', () => {
  it('routes a complaint to its OPD with one letter, a signed announcement, and the answer back at LAPOR!', async () => {
    const complaint = await pushComplaint('Jembatan gantung di Desa Bernung rusak', 'Infrastruktur');

    await waitFor(() => receiver.received.some((r) => r.data.pengaduan_id === complaint.id), 30_000, 'the signed pengaduan.didisposisikan at the OPD receiver');
    const announced = receiver.received.find((r) => r.data.pengaduan_id === complaint.id)!;
    expect(announced.verified).toBe(true);
    expect(announced.data).toMatchObject({ instansi_tujuan: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran', identitas_pelapor: { diverifikasi: true, sesuai: true } });

    await waitFor(async () => (await lettersAt(sitampan)).some((l) => l.naskah.id === announced.data.naskah_id), 30_000, 'the disposition letter at SITAMPAN');
    const letters = (await lettersAt(sitampan)).filter((l) => l.naskah.id === announced.data.naskah_id);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.naskah.tujuan).toEqual([{ instansi: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran' }]);

    const instances = (await (await hubFetch(`${hub().url}/v1/flows/pengaduan-disposisi/instances`)).json()) as { instances: { id: string; subject: string; status: string }[] };
    const instance = instances.instances.find((i) => i.subject === complaint.id)!;
    expect(instance.status).toBe('completed');
    const detail = (await (await hubFetch(`${hub().url}/v1/flows/pengaduan-disposisi/instances/${encodeURIComponent(instance.id)}`)).json()) as { steps: { step: string; outcome: string }[] };
    expect(detail.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(['verifikasi-pelapor:done', 'tentukan-opd:done', 'buat-naskah:done', 'umumkan-disposisi:done']);
    // Only the match results of the identity check are kept, never the record.
    expect(JSON.stringify(detail)).not.toContain(reporter.tanggalLahir);

    // The OPD answers; the LAPOR connector delivers the follow-up.
    const answer = { specversion: '1.0', id: `tl-${complaint.trackingId}`, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: complaint.id, datacontenttype: 'application/json', data: { id: `tl-${complaint.trackingId}`, pengaduan_id: complaint.id, nomor_pelacakan: complaint.trackingId, isi: 'Tim sudah memeriksa jembatan; perbaikan dijadwalkan pekan depan.', status_baru: 'diproses', tanggal: '2026-11-28T10:00:00+07:00', petugas: { nama: 'Ir. Hendra Wijaya', instansi: 'Dinas PUPR Kabupaten Pesawaran' }, lampiran: [] } };
    expect((await postJson(`${hub().url}/v1/events`, answer)).status).toBe(202);
    await waitFor(async () => ((await (await fetch(`${lapor}/_simulator/followups`)).json()) as { trackingid: string }[]).some((f) => f.trackingid === complaint.trackingId), 30_000, 'the follow-up at LAPOR!');
  }, 90_000);

  it('resumes when SITAMPAN returns and creates the letter once', async () => {
    const simulator = hub().connectors.simulators.get('sitampan')!;
    const port = Number(new URL(simulator.url).port);
    const sitampanRuntime = hub().connectors.runtimes.find((runtime) => runtime.id === 'sitampan')!;
    const failureBefore = sitampanRuntime.stats.summary().last_failure_at;
    await simulator.close();
    const complaint = await pushComplaint('Sampah menumpuk di Pasar Gedong Tataan', 'Lingkungan Hidup');
    await waitFor(() => receiver.received.some((r) => r.data.pengaduan_id === complaint.id), 30_000, 'the announcement while SITAMPAN is down');
    const naskahId = receiver.received.find((r) => r.data.pengaduan_id === complaint.id)!.data.naskah_id;
    // SITAMPAN comes back only once the hub has tried to deliver the letter and failed.
    await waitFor(() => sitampanRuntime.stats.summary().last_failure_at !== failureBefore, 30_000, 'a failed delivery to the stopped SITAMPAN');

    replacement = await startSitampan({ host: '127.0.0.1', port });
    await waitFor(async () => (await lettersAt(replacement!.url)).some((l) => l.naskah.id === naskahId), 60_000, 'the letter once SITAMPAN is back', 500);
    // No delivery left in flight: the letter's worker has committed everything it was given.
    await waitFor(async () => (await hub().bus.lag('penghubung.connector.sitampan.kirim-naskah', topicForType('penghubung', 'naskah-dinas.dibuat'))) === 0, 30_000, 'the letter delivery worker caught up');
    expect((await lettersAt(replacement.url)).filter((l) => l.naskah.id === naskahId)).toHaveLength(1);
    expect(receiver.deliveries.filter((r) => r.data.pengaduan_id === complaint.id)).toHaveLength(1);
  }, 90_000);
});

describe('record ownership: who may answer a complaint or send a letter', () => {
  const pupr = 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran';
  const keys: Record<string, string> = {};
  let complaint: { trackingId: string; id: string };

  /** Two OPD apps, created through the admin API as operators would. */
  beforeAll(async () => {
    const apps = [
      { id: 'aplikasi-pupr', opd: 'Dinas PUPR', units: [pupr, 'Dinas PUPR Kabupaten Pesawaran'], sources: ['/opd/dinas-pupr'] },
      { id: 'aplikasi-disdukcapil', opd: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Pesawaran', sources: ['/opd/disdukcapil'] },
    ];
    for (const app of apps) {
      const created = await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...app, name: app.id, role: 'app', clearance: 'terbatas', rights: ['events:publish:pengaduan.tindak-lanjut.dibuat', 'sitampan:buat-naskah'] }) });
      expect(created.status).toBe(201);
      keys[app.id] = ((await created.json()) as { api_key: string }).api_key;
    }
    complaint = await pushComplaint('Jembatan Desa Bernung retak', 'Infrastruktur');
    await waitFor(async () => (await hubFetch(`${hub().url}/v1/disposisi-pengaduan/${complaint.id}`)).status === 200, 30_000, 'the disposition of the complaint in the view');
  }, 60_000);

  const followUp = (id: string, source: string, pengaduanId = complaint.id): Record<string, unknown> => ({
    specversion: '1.0', id, source, type: 'pengaduan.tindak-lanjut.dibuat', subject: pengaduanId, datacontenttype: 'application/json',
    data: { id, pengaduan_id: pengaduanId, nomor_pelacakan: pengaduanId.slice('lapor-'.length), isi: 'Sudah kami tinjau.', status_baru: 'selesai', tanggal: '2026-11-28T11:00:00+07:00', petugas: { nama: 'Petugas Lapangan', instansi: 'Dinas PUPR Kabupaten Pesawaran' } },
  });
  const publish = (event: Record<string, unknown>, key: string): Promise<{ status: number; body: Record<string, unknown> }> => postJson(`${hub().url}/v1/events`, event, 'application/cloudevents+json', { 'x-api-key': key });

  it('routes the complaint to PUPR', async () => {
    expect(((await (await hubFetch(`${hub().url}/v1/disposisi-pengaduan/${complaint.id}`)).json()) as { instansi_tujuan: string }).instansi_tujuan).toBe(pupr);
  });

  it.each([
    ['the OPD it is routed to', 'aplikasi-pupr', '/opd/dinas-pupr', 202, undefined],
    ['another OPD (cross-agency follow-up)', 'aplikasi-disdukcapil', '/opd/disdukcapil', 403, 'record-not-owned'],
    ['an operator', 'operator', '/opd/diskominfo', 202, undefined],
    ['the owner posing as the LAPOR! connector (impersonation)', 'aplikasi-pupr', '/connectors/lapor/pengaduan-masuk', 403, 'source-forbidden'],
  ])('a follow-up from %s → %i', async (_who, client, source, status, code) => {
    const key = client === 'operator' ? testKeys.operator : keys[client]!;
    const answer = await publish(followUp(`tl-milik-${client}-${source.length}`, source), key);
    expect(answer.status).toBe(status);
    if (code) expect(answer.body).toMatchObject({ code, status });
    if (code === 'record-not-owned') expect(answer.body.errors).toEqual([{ pointer: '/data/pengaduan_id', message: 'not a record of this client' }]);
  });

  it('delivers only the allowed follow-ups to LAPOR!', async () => {
    const delivered = async (): Promise<string[]> => ((await (await fetch(`${lapor}/_simulator/followups`)).json()) as { trackingid: string; id?: string }[]).filter((f) => f.trackingid === complaint.trackingId).map((f) => JSON.stringify(f));
    await waitFor(async () => (await delivered()).length >= 2, 30_000, 'the owner’s and the operator’s follow-ups at LAPOR!');
    const events = (await (await hubFetch(`${hub().url}/v1/events?type=pengaduan.tindak-lanjut.dibuat&limit=1000`)).json()) as { events: { id: string; penghubungclient: string }[] };
    const mine = events.events.filter((e) => e.id.startsWith('tl-milik-'));
    expect(mine.map((e) => e.penghubungclient).sort()).toEqual(['aplikasi-pupr', 'uji-operator']);
  }, 40_000);

  it('refuses a follow-up from the owner that signs with another agency’s officer', async () => {
    const event = followUp('tl-petugas-lain', '/opd/dinas-pupr');
    (event.data as { petugas: { instansi: string } }).petugas.instansi = 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Pesawaran';
    const answer = await publish(event, keys['aplikasi-pupr']!);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 'record-not-owned', errors: [{ pointer: '/data/petugas/instansi' }] });
  });

  it('refuses a follow-up to a complaint the hub has never seen, even from an OPD app', async () => {
    const answer = await publish(followUp('tl-tak-dikenal', '/opd/dinas-pupr', 'lapor-1'), keys['aplikasi-pupr']!);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 'record-not-owned' });
  });

  const letter = (uuid: string, instansi: string): Record<string, unknown> => ({
    id: `sitampan-${uuid}`, nomor: '000.1.2.3/950/IV.01/2026', tanggal: '2026-11-28', hal: 'Undangan rapat koordinasi', sifat: 'biasa', urgensi: 'biasa', klasifikasi_arsip: '000.1.2.3',
    pengirim: { jabatan: 'Kepala Dinas', instansi }, tujuan: [{ jabatan: 'Kepala Bagian Organisasi', instansi: 'Sekretariat Daerah Kabupaten Pesawaran' }], ringkasan: 'Rapat koordinasi.', lampiran: [], disposisi: [],
  });
  const send = (body: Record<string, unknown>, key: string): Promise<{ status: number; body: Record<string, unknown> }> => postJson(`${hub().url}/v1/naskah-dinas`, body, 'application/json', { 'x-api-key': key });

  it('accepts a letter only in the sending unit’s own name, and lets no other unit rewrite it', async () => {
    const own = letter('5b0e8f6a-1c2d-4e3f-9a4b-5c6d7e8f9a01', pupr);
    expect((await send(own, keys['aplikasi-pupr']!)).status).toBe(202);
    const forged = await send(letter('5b0e8f6a-1c2d-4e3f-9a4b-5c6d7e8f9a02', 'Dinas Komunikasi dan Informatika Kabupaten Pesawaran'), keys['aplikasi-pupr']!);
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ code: 'record-not-owned', errors: [{ pointer: '/pengirim/instansi' }] });
    expect((await send(letter('5b0e8f6a-1c2d-4e3f-9a4b-5c6d7e8f9a03', 'Dinas Komunikasi dan Informatika Kabupaten Pesawaran'), testKeys.operator)).status).toBe(202);
    await waitFor(async () => (await hubFetch(`${hub().url}/v1/naskah-dinas/${String(own.id)}`)).status === 200, 15_000, 'PUPR’s letter in the view');
    const takeover = await send({ ...own, hal: 'Diubah oleh dinas lain', pengirim: { jabatan: 'Kepala Dinas', instansi: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Pesawaran' } }, keys['aplikasi-disdukcapil']!);
    expect(takeover.status).toBe(403);
    expect(takeover.body).toMatchObject({ code: 'record-not-owned', errors: [{ pointer: '/id' }] });
  }, 30_000);

  it('shows flow step results to an operator masked to that operator’s clearance', async () => {
    const created = await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'operator-layanan', name: 'Operator layanan (publik)', opd: 'Diskominfo', role: 'operator', clearance: 'publik', rights: [] }) });
    const key = ((await created.json()) as { api_key: string }).api_key;
    const instances = (await (await hubFetch(`${hub().url}/v1/flows/pengaduan-disposisi/instances`)).json()) as { instances: { id: string; subject: string }[] };
    const instance = instances.instances.find((i) => i.subject === complaint.id)!;
    type Detail = { steps: { step: string; result: Record<string, unknown> | null; masked?: string }[] };
    const url = `${hub().url}/v1/flows/pengaduan-disposisi/instances/${encodeURIComponent(instance.id)}`;
    const whole = (await (await hubFetch(url)).json()) as Detail;
    const masked = (await (await hubFetch(url, {}, key)).json()) as Detail;
    const step = (detail: Detail, id: string): Detail['steps'][number] => detail.steps.find((s) => s.step === id)!;
    expect(step(whole, 'verifikasi-pelapor').result!.nik).toBe(reporter.nik);
    expect(step(masked, 'verifikasi-pelapor').result!.nik).toBe(`${reporter.nik.slice(0, 4)}••••••••${reporter.nik.slice(12)}`);
    // Which elements were checked stays; whether they matched (terbatas) does not.
    expect(Object.values(step(masked, 'verifikasi-pelapor').result!.hasil as Record<string, object>).flatMap((r) => Object.values(r))).toEqual([]);
    expect(step(masked, 'verifikasi-pelapor').result!.sesuai_semua).toBeUndefined();
    expect(step(masked, 'tentukan-opd')).toMatchObject({ result: null, masked: 'withheld' });
    expect(step(masked, 'buat-naskah').result).toEqual(step(whole, 'buat-naskah').result);
    expect(JSON.stringify(masked)).not.toContain(reporter.nik);
  });

  it('audits each call the hub made for this complaint, on whose behalf, and audit verify passes', async () => {
    type Pulled = { id: string; source: string; subject?: string; data: Record<string, unknown> };
    const pulled = async (type: string): Promise<Pulled[]> => ((await (await hubFetch(`${hub().url}/v1/events?type=${type}&limit=1000`)).json()) as { events: Pulled[] }).events;
    const complaintEvent = (await pulled('pengaduan.diterima')).find((e) => e.subject === complaint.id)!;
    const disposition = (await pulled('pengaduan.didisposisikan')).find((e) => e.data.pengaduan_id === complaint.id)!;
    const letter = (await pulled('naskah-dinas.dibuat')).find((e) => e.data.id === disposition.data.naskah_id)!;
    const followUp = (await pulled('pengaduan.tindak-lanjut.dibuat')).find((e) => e.id.startsWith('tl-milik-aplikasi-pupr'))!;
    const hubEntries = async (): Promise<StoredAuditEntry[]> => {
      await hub().audit.flush();
      return hub().audit.recent(1000).filter((e) => e.actor === 'hub');
    };
    const expected = [
      { operation: 'flow:pengaduan-disposisi:verifikasi-pelapor', connector: 'siak', method: 'CALL', route: '/flows/pengaduan-disposisi/verifikasi-pelapor', on_behalf_of: 'uji-operator', event_digest: eventDigest(complaintEvent) },
      { operation: 'flow:pengaduan-disposisi:buat-naskah', connector: 'sitampan', method: 'PUBLISH', on_behalf_of: 'uji-operator', event_digest: eventDigest(complaintEvent) },
      { operation: 'flow:pengaduan-disposisi:umumkan-disposisi', connector: null, method: 'PUBLISH', on_behalf_of: 'uji-operator', event_digest: eventDigest(complaintEvent) },
      { operation: 'sitampan:kirim-naskah', connector: 'sitampan', method: 'POST', route: '/connectors/sitampan/kirim-naskah/deliver', on_behalf_of: null, event_digest: eventDigest(letter) },
      { operation: 'webhook:deliver', connector: null, method: 'POST', status: 204, on_behalf_of: 'uji-aplikasi-terbatas', event_digest: eventDigest(disposition) },
      { operation: 'lapor:kirim-tindak-lanjut', connector: 'lapor', method: 'POST', route: '/connectors/lapor/kirim-tindak-lanjut/deliver', on_behalf_of: 'aplikasi-pupr', event_digest: eventDigest(followUp) },
    ];
    await waitFor(async () => {
      const entries = await hubEntries();
      return expected.every((want) => entries.some((e) => e.operation === want.operation && e.event_digest === want.event_digest && e.outcome === 'ok'));
    }, 30_000, 'an ok audit entry for each call the hub made for the complaint');
    const entries = await hubEntries();
    for (const want of expected) {
      const found = entries.find((e) => e.operation === want.operation && e.event_digest === want.event_digest && e.outcome === 'ok')!;
      expect(found, want.operation).toMatchObject({ status: 200, ...want, actor: 'hub', client: null, request_digest: null, response_digest: null });
      expect(found.id, want.operation).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    // A poll is the hub calling LAPOR! on no one's behalf: audited too.
    await hub().connectors.pollers.get('lapor:pengaduan-masuk')!.runOnce();
    expect((await hubEntries()).find((e) => e.operation === 'lapor:pengaduan-masuk')).toMatchObject({ actor: 'hub', connector: 'lapor', method: 'GET', route: '/connectors/lapor/pengaduan-masuk/poll', on_behalf_of: null, event_digest: null, outcome: 'ok' });
    const text = JSON.stringify(entries);
    for (const personal of [reporter.nik, reporter.nama, complaint.trackingId]) expect(text).not.toContain(personal);

    const lines: string[] = [];
    const code = await audit(['verify', '--file', join(hub().config.dataDir, 'audit.db'), '--json'], { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(code, lines.join('\n')).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ ok: true });
  }, 60_000);
});

describe('a complaint filed in the regency, in the legacy <lapor> document', () => {
  const native = (name: string): string => readFileSync(projectPath('connectors', 'lapor', 'fixtures', 'pengaduan-masuk', `${name}.native.xml`), 'utf8');
  const atAddstream = async (): Promise<{ trackingid: string; isi: string; pelapor: Record<string, string>; anonim: string }[]> => (await (await fetch(`${lapor}/_simulator/addstream`)).json()) as never;
  const published = (type: string, subject: string): Record<string, unknown>[] => hub().outbox.read(0, 100_000, type).map((stored) => stored.event).filter((event) => event.subject === subject).map((event) => event.data as Record<string, unknown>);
  const pushLocal = async (name: string): Promise<string> => {
    const answer = await hubFetch(`${hub().url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: native(name) });
    expect(answer.status).toBe(202);
    const [event] = ((await answer.json()) as { events: { subject: string; type: string }[] }).events;
    expect(event).toMatchObject({ subject: expect.stringMatching(/^lapor-lokal-[0-9a-f]{32}$/), type: 'pengaduan.lokal.diterima' });
    return event!.subject;
  };

  it('goes to LAPOR! at addstream, comes back numbered, runs the flow, and its follow-up reaches LAPOR!', async () => {
    const id = await pushLocal('lokal-bernama-tidak-rahasia');

    await waitFor(async () => (await atAddstream()).some((r) => r.isi.startsWith('Antrean pembuatan KTP-el')), 30_000, 'the complaint at LAPOR! addstream');
    const sent = (await atAddstream()).find((r) => r.isi.startsWith('Antrean pembuatan KTP-el'))!;
    expect(sent.pelapor).toEqual({ namadepan: 'Budi', namabelakang: 'Santoso', telpon: '+6281311223344', email: 'budi.santoso@example.org' });

    // The tracking id LAPOR! answered is recorded: the complaint is published again, numbered, as an ordinary complaint.
    await waitFor(() => published('pengaduan.diterima', id).some((data) => data.nomor_pelacakan === sent.trackingid), 30_000, 'the numbered complaint');
    expect(published('pengaduan.diterima', id)).toEqual([expect.objectContaining({ id, asal: 'lokal', nomor_pelacakan: sent.trackingid, pelapor: { nama: 'Budi Santoso', email: 'budi.santoso@example.org', telepon: '+6281311223344' } })]);

    // The complaint flow runs on it.
    await waitFor(() => receiver.received.some((r) => r.data.pengaduan_id === id), 30_000, 'the flow’s announcement of the local complaint');
    expect(receiver.received.find((r) => r.data.pengaduan_id === id)!.verified).toBe(true);

    // A follow-up goes back to LAPOR! under the tracking id.
    const answer = { specversion: '1.0', id: `tl-lokal-${sent.trackingid}`, source: '/opd/disdukcapil', type: 'pengaduan.tindak-lanjut.dibuat', subject: id, datacontenttype: 'application/json', data: { id: `tl-lokal-${sent.trackingid}`, pengaduan_id: id, nomor_pelacakan: sent.trackingid, isi: 'Loket tambahan dibuka mulai Senin.', status_baru: 'selesai', tanggal: '2026-11-28T10:00:00+07:00', petugas: { nama: 'Petugas Disdukcapil', instansi: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Pesawaran' } } };
    expect((await postJson(`${hub().url}/v1/events`, answer)).status).toBe(202);
    await waitFor(async () => ((await (await fetch(`${lapor}/_simulator/followups`)).json()) as { trackingid: string; isi: string }[]).some((f) => f.trackingid === sent.trackingid && f.isi === answer.data.isi), 30_000, 'the follow-up at LAPOR!');
  }, 90_000);

  describe('its anonymous twin', () => {
    const receivers = { rahasia: new WebhookReceiver('/anonim-rahasia'), terbatas: new WebhookReceiver('/anonim-terbatas'), publik: new WebhookReceiver('/anonim-publik') };
    /** Every delivery at the receiver of that clearance, duplicates included. */
    const webhooks = (clearance: keyof typeof receivers): WebhookReceiver['deliveries'] => receivers[clearance].deliveries;
    const keyOf = { rahasia: testKeys.operator, terbatas: testKeys.terbatas, publik: testKeys.publik };

    beforeAll(async () => {
      for (const clearance of ['rahasia', 'terbatas', 'publik'] as const) {
        await receivers[clearance].start();
        await subscribeReceiver(hub().url, receivers[clearance], ['pengaduan.lokal.diterima', 'pengaduan.diterima'], (url, init) => hubFetch(url, init, keyOf[clearance]));
      }
    });
    afterAll(async () => {
      for (const receiver of Object.values(receivers)) await receiver.stop();
    });

    it('withholds the reporter from terbatas and publik clients in answers, pulled events and webhooks', async () => {
      const id = await pushLocal('lokal-chatbot-anonim-rahasia');
      await waitFor(() => published('pengaduan.diterima', id).some((data) => data.nomor_pelacakan !== undefined), 30_000, 'the numbered anonymous complaint');
      await waitFor(() => (['rahasia', 'terbatas', 'publik'] as const).every((c) => webhooks(c).filter((w) => w.data.id === id).length >= 2), 30_000, 'both events at every receiver');
      const reporter = { nama: 'Siti Rahmawati', email: 'siti.rahma@example.org', telepon: '081277881234' };

      for (const clearance of ['terbatas', 'publik'] as const) {
        // Answers.
        const shown = await hubFetch(`${hub().url}/v1/pengaduan/${id}`, {}, keyOf[clearance]);
        expect(shown.status).toBe(200);
        const body = (await shown.json()) as Record<string, unknown>;
        expect(body).toMatchObject({ id, anonim: true });
        expect(body).not.toHaveProperty('pelapor');
        // Pulled events.
        for (const type of ['pengaduan.lokal.diterima', 'pengaduan.diterima']) {
          const pulled = (await (await hubFetch(`${hub().url}/v1/events?type=${type}&limit=1000`, {}, keyOf[clearance])).json()) as { events: { subject?: string; data?: Record<string, unknown> }[] };
          const mine = pulled.events.filter((e) => e.subject === id);
          expect(mine.length, `${type} pulled by ${clearance}`).toBeGreaterThan(0);
          for (const event of mine) expect(event.data, `${type} pulled by ${clearance}`).not.toHaveProperty('pelapor');
        }
        // Webhooks.
        for (const delivery of webhooks(clearance).filter((w) => w.data.id === id)) expect(delivery.data, `${delivery.type} at the ${clearance} receiver`).not.toHaveProperty('pelapor');
        // Not even initials or digits of the phone anywhere.
        const seen = JSON.stringify([body, webhooks(clearance)]);
        for (const part of ['Siti', 'S.', 'R.', '0812', 'siti.rahma']) expect(seen).not.toContain(part);
      }
      // A rahasia client sees the reporter LAPOR! needs, everywhere.
      expect(((await (await hubFetch(`${hub().url}/v1/pengaduan/${id}`)).json()) as { pelapor: unknown }).pelapor).toEqual(reporter);
      expect(webhooks('rahasia').filter((w) => w.data.id === id).map((w) => w.data.pelapor)).toEqual([reporter, reporter]);
    }, 60_000);
  });
});
