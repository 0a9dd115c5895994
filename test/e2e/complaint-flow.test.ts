// The complaint flow end to end with the sandbox simulators: one complaint in from LAPOR!, its
// reporter checked against SIAK, one disposition letter out at SITAMPAN, a signed
// pengaduan.didisposisikan verified by an OPD's webhook receiver, and the OPD's follow-up at
// LAPOR!. With SITAMPAN down during the flow, the letter arrives once it is back, and once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { startSimulator as startSitampan } from '../../connectors/sitampan/simulator.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import type { Hub } from '../../src/hub.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { postJson, startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

let hub: Hub;
let lapor: string;
let sitampan: string;
let receiver: Server;
let replacement: Simulator | undefined;
const received: { verified: boolean; data: Record<string, unknown> }[] = [];
let secret = '';
const reporter = RESIDENTS.find((r) => r.status === 'aktif' && r.nik.startsWith('18') && !r.wire.misspelledKeys)!;

beforeAll(async () => {
  hub = await startTestHub();
  lapor = hub.connectors.simulators.get('lapor')!.url;
  sitampan = hub.connectors.simulators.get('sitampan')!.url;
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      let verified: boolean;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ verified, data: (JSON.parse(body) as { data: Record<string, unknown> }).data });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const subscribed = await hubFetch(`${hub.url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['pengaduan.didisposisikan'], url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lapor-opd` }) }, testKeys.terbatas);
  secret = ((await subscribed.json()) as { secret: string }).secret;
});
afterAll(async () => {
  await replacement?.close();
  await hub.close();
  await new Promise((done) => receiver.close(done));
});

/** A complaint LAPOR! knows (so follow-ups to it are accepted), pushed to the hub as LAPOR! would. */
async function pushComplaint(judul: string, kategori: string): Promise<{ trackingId: string; id: string }> {
  const created = (await (await fetch(`${lapor}/_simulator/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ judul, isi: `${judul}. Mohon segera ditangani.`, kategori, pelapor: { nama: reporter.nama, nik: reporter.nik } }) })).json()) as { trackingId: string };
  const natives = (await (await fetch(`${lapor}/_simulator/complaints`)).text());
  const all = JSON.parse(natives.replace(/:\s*(\d{16,})/g, ':"$1"')) as Record<string, unknown>[];
  const native = all.find((c) => String(c.tracking_id ?? c.trackingId ?? c.TrackingID) === created.trackingId)!;
  const pushed = await hubFetch(`${hub.url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(native) });
  expect(pushed.status).toBe(202);
  return { trackingId: created.trackingId, id: `lapor-${created.trackingId}` };
}

const lettersAt = async (url: string): Promise<{ naskah: { id: string; tujuan: { instansi: string }[]; hal: string } }[]> => (await (await fetch(`${url}/_simulator/naskah`)).json()) as never;

describe('the complaint flow', () => {
  it('routes a complaint to its OPD with one letter, a signed announcement, and the answer back at LAPOR!', async () => {
    const complaint = await pushComplaint('Jembatan gantung di Desa Bernung rusak', 'Infrastruktur');

    await waitFor(() => received.some((r) => r.data.pengaduan_id === complaint.id), 30_000, 'the signed pengaduan.didisposisikan at the OPD receiver');
    const announced = received.find((r) => r.data.pengaduan_id === complaint.id)!;
    expect(announced.verified).toBe(true);
    expect(announced.data).toMatchObject({ instansi_tujuan: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran', identitas_pelapor: { diverifikasi: true, sesuai: true } });

    await waitFor(async () => (await lettersAt(sitampan)).some((l) => l.naskah.id === announced.data.naskah_id), 30_000, 'the disposition letter at SITAMPAN');
    const letters = (await lettersAt(sitampan)).filter((l) => l.naskah.id === announced.data.naskah_id);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.naskah.tujuan).toEqual([{ instansi: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran' }]);

    const instances = (await (await hubFetch(`${hub.url}/v1/flows/pengaduan-disposisi/instances`)).json()) as { instances: { id: string; subject: string; status: string }[] };
    const instance = instances.instances.find((i) => i.subject === complaint.id)!;
    expect(instance.status).toBe('completed');
    const detail = (await (await hubFetch(`${hub.url}/v1/flows/pengaduan-disposisi/instances/${encodeURIComponent(instance.id)}`)).json()) as { steps: { step: string; outcome: string }[] };
    expect(detail.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(['verifikasi-pelapor:done', 'tentukan-opd:done', 'buat-naskah:done', 'umumkan-disposisi:done']);
    // Only the match results of the identity check are kept, never the record.
    expect(JSON.stringify(detail)).not.toContain(reporter.tanggalLahir);

    // The OPD answers; the LAPOR connector delivers the follow-up.
    const answer = { specversion: '1.0', id: `tl-${complaint.trackingId}`, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: complaint.id, datacontenttype: 'application/json', data: { id: `tl-${complaint.trackingId}`, pengaduan_id: complaint.id, nomor_pelacakan: complaint.trackingId, isi: 'Tim sudah memeriksa jembatan; perbaikan dijadwalkan pekan depan.', status_baru: 'diproses', tanggal: '2026-11-28T10:00:00+07:00', petugas: { nama: 'Ir. Hendra Wijaya', instansi: 'Dinas PUPR Kabupaten Pesawaran' }, lampiran: [] } };
    expect((await postJson(`${hub.url}/v1/events`, answer)).status).toBe(202);
    await waitFor(async () => ((await (await fetch(`${lapor}/_simulator/followups`)).json()) as { trackingid: string }[]).some((f) => f.trackingid === complaint.trackingId), 30_000, 'the follow-up at LAPOR!');
  }, 90_000);

  it('resumes when SITAMPAN returns and creates the letter once', async () => {
    const simulator = hub.connectors.simulators.get('sitampan')!;
    const port = Number(new URL(simulator.url).port);
    await simulator.close();
    const complaint = await pushComplaint('Sampah menumpuk di Pasar Gedong Tataan', 'Lingkungan Hidup');
    await waitFor(() => received.some((r) => r.data.pengaduan_id === complaint.id), 30_000, 'the announcement while SITAMPAN is down');
    const naskahId = received.find((r) => r.data.pengaduan_id === complaint.id)!.data.naskah_id;
    await new Promise((resolve) => setTimeout(resolve, 3000));

    replacement = await startSitampan({ host: '127.0.0.1', port });
    await waitFor(async () => (await lettersAt(replacement!.url)).some((l) => l.naskah.id === naskahId), 60_000, 'the letter once SITAMPAN is back', 500);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await lettersAt(replacement.url)).filter((l) => l.naskah.id === naskahId)).toHaveLength(1);
    expect(received.filter((r) => r.data.pengaduan_id === complaint.id)).toHaveLength(1);
  }, 90_000);
});
