// SITAMPAN end to end, on a sandbox hub: letters pushed by the
// simulator in XML and JSON (one event for twins, a new disposition as its own event type),
// letters created by an OPD through the command and delivered to SITAMPAN, the letter view, and
// no letter from SITAMPAN ever sent back to it.
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubBeforeAll, postJson } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch, testKeys } from '../support/auth.js';

const hub = hubBeforeAll();
let simulator: string;

interface PushAnswer {
  status: number;
  body: { accepted?: number; events?: { id: string; subject: string; type: string; duplicate: boolean }[]; code?: string };
}

const push = async (request: Record<string, unknown>): Promise<PushAnswer> => {
  const response = await fetch(`${simulator}/_simulator/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hubUrl: hub().url, headers: { 'x-api-key': testKeys.operator }, ...request }) });
  expect(response.status).toBe(200);
  return (await response.json()) as PushAnswer;
};
const getJson = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await hubFetch(`${hub().url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const eventsOf = (type: string): { subject: string; id: string; data: Record<string, unknown> }[] =>
  hub().outbox.read(0, 100_000, type).map((stored) => ({ subject: stored.event.subject!, id: stored.event.id, data: stored.event.data as Record<string, unknown> }));
const receivedBySitampan = async (): Promise<{ id: string; nomor: string }[]> => (await (await fetch(`${simulator}/_simulator/naskah`)).json()) as never;

const UNDANGAN = 'sitampan-3f6c1a52-8d7e-4b1a-9c2d-5e6f7a8b9c0d';

beforeAll(() => {
  simulator = hub().connectors.simulators.get('sitampan')!.url;
});
beforeEach(async () => {
  await fetch(`${simulator}/_simulator/reset`, { method: 'POST' });
});

describe('letters pushed by SITAMPAN', () => {
  it('publishes a letter once for its XML and JSON twins, and a new disposition as its own event', async () => {
    const first = await push({ format: 'xml', disposisi: 2 });
    expect(first.status).toBe(202);
    expect(first.body.events).toEqual([expect.objectContaining({ subject: UNDANGAN, type: 'naskah-dinas.diterima', duplicate: false })]);

    const twin = await push({ format: 'json', disposisi: 2 });
    expect(twin.status).toBe(202);
    expect(twin.body.events).toEqual([expect.objectContaining({ subject: UNDANGAN, id: first.body.events![0]!.id, duplicate: true })]);

    const more = await push({ format: 'xml', disposisi: 3 });
    expect(more.body.events).toEqual([expect.objectContaining({ subject: UNDANGAN, type: 'naskah-dinas.disposisi.ditambahkan', duplicate: false })]);

    expect(eventsOf('naskah-dinas.diterima').filter((e) => e.subject === UNDANGAN)).toHaveLength(1);
    const added = eventsOf('naskah-dinas.disposisi.ditambahkan').filter((e) => e.subject === UNDANGAN);
    expect(added).toHaveLength(1);
    expect((added[0]!.data.disposisi as unknown[]).length).toBe(3);

    await waitFor(async () => ((await getJson(`/v1/naskah-dinas/${UNDANGAN}`)).body.disposisi as unknown[] | undefined)?.length === 3, 10_000, 'the third disposition in the view');
  });

  it('lists letters in the view, filtered by sifat and archive code', async () => {
    for (const nomor of ['700.1.2.1/88/IV.02/2026', '900.1.1/301/IV.03/2026']) expect((await push({ format: 'json', nomor })).status).toBe(202);
    await waitFor(async () => ((await getJson('/v1/naskah-dinas?sifat=rahasia')).body.items as unknown[]).length === 1, 10_000, 'the rahasia letter in the view');
    const rahasia = (await getJson('/v1/naskah-dinas?sifat=rahasia')).body.items as { nomor: string }[];
    expect(rahasia.map((n) => n.nomor)).toEqual(['700.1.2.1/88/IV.02/2026']);
    await waitFor(async () => ((await getJson('/v1/naskah-dinas?klasifikasi_arsip=900.1.1')).body.items as unknown[]).length === 1, 10_000, 'the budget letter in the view');
    const keuangan = (await getJson('/v1/naskah-dinas?klasifikasi_arsip=900.1.1')).body.items as { nomor: string }[];
    expect(keuangan.map((n) => n.nomor)).toEqual(['900.1.1/301/IV.03/2026']);
    expect((await getJson('/v1/naskah-dinas?hal=x')).status).toBe(400);
  });

  it('refuses a letter with an invalid archive code and stores nothing', async () => {
    const before = hub().outbox.lastSeq();
    const body = readFileSync(projectPath('connectors', 'sitampan', 'fixtures', 'naskah-masuk', 'klasifikasi-lama-005.native.xml'), 'utf8');
    const response = await hubFetch(`${hub().url}/v1/connectors/sitampan/inbound`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
    expect(response.status).toBe(422);
    // Read letter by letter: the one letter is quarantined with its reason, which names the code.
    expect(await response.json()).toMatchObject({ code: 'request-invalid', rejected: [{ index: 0, reason: 'klasifikasi-invalid', detail: expect.stringMatching(/005/) }] });
    expect(hub().outbox.lastSeq()).toBe(before);
  });
});

describe('dispositions as e-surat/TNDE applications record them', () => {
  const noted = (JSON.parse(readFileSync(projectPath('connectors', 'sitampan', 'fixtures', 'kirim-naskah', 'jabatan-dan-catatan.expected.json'), 'utf8')) as { canonical: Record<string, unknown> }).canonical;
  const note = { dari: 'Kepala Bagian Organisasi', kepada: 'Kepala Dinas Pekerjaan Umum dan Penataan Ruang', catatan: 'Laporkan hasil peninjauan lapangan.', batas_waktu: '2026-12-07' };

  it('keeps a note without a date from SITAMPAN to the view, and from an OPD to SITAMPAN', async () => {
    // In: SITAMPAN pushes a letter from a position (no name) whose disposition has a note, a deadline and no date.
    const pushed = { id: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', nomor: '000.1.2.3/906/IV.01/2026', tanggal: '2026-11-30', hal: 'Tindak lanjut pengaduan', sifat: 'biasa',
      pengirim: { jabatan: 'Kepala Bagian Organisasi', instansi: 'Sekretariat Daerah Kabupaten Pesawaran' }, tujuan: [{ instansi: 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran' }],
      ringkasan: 'Mohon tindak lanjut.', lampiran: [], disposisi: [{ dari: note.dari, kepada: note.kepada, catatan: note.catatan, batas_waktu: note.batas_waktu }] };
    const answer = await push({ format: 'xml', naskah: pushed });
    expect(answer.status).toBe(202);
    const id = `sitampan-${pushed.id}`;
    await waitFor(async () => (await getJson(`/v1/naskah-dinas/${id}`)).status === 200, 10_000, 'the pushed letter in the view');
    const shown = (await getJson(`/v1/naskah-dinas/${id}`)).body;
    expect(shown.disposisi).toEqual([note]);
    expect(shown.pengirim).toEqual(pushed.pengirim);

    // Out: an OPD creates a letter with such a disposition; SITAMPAN receives the note, and no date.
    expect((await postJson(`${hub().url}/v1/naskah-dinas`, noted, 'application/json')).status).toBe(202);
    await waitFor(async () => (await receivedBySitampan()).some((n) => n.nomor === noted.nomor), 30_000, 'the noted letter at SITAMPAN');
    const atSitampan = (await receivedBySitampan()).find((n) => n.nomor === noted.nomor) as unknown as { naskah: { disposisi: unknown[]; pengirim: unknown }; dokumen: string };
    expect(atSitampan.naskah.disposisi).toEqual([note]);
    expect(atSitampan.naskah.pengirim).toEqual(noted.pengirim);
    expect(atSitampan.dokumen).toContain('<catatan>Laporkan hasil peninjauan lapangan.</catatan>');
    expect(atSitampan.dokumen).not.toContain('<tanggal>2026-11-30T');
  });
});

describe('letters created by OPD applications', () => {
  const created = (JSON.parse(readFileSync(projectPath('connectors', 'sitampan', 'fixtures', 'kirim-naskah', 'undangan-dengan-lampiran.expected.json'), 'utf8')) as { canonical: Record<string, unknown> }).canonical;

  it('accepts POST /v1/naskah-dinas, delivers the letter to SITAMPAN and shows it in the view', async () => {
    const answer = await postJson(`${hub().url}/v1/naskah-dinas`, created, 'application/json');
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id: created.id, event: { type: 'naskah-dinas.dibuat', duplicate: false } });
    await waitFor(async () => (await receivedBySitampan()).some((n) => n.nomor === created.nomor), 30_000, 'the letter at SITAMPAN');
    const [atSitampan] = await receivedBySitampan();
    expect(atSitampan!.id).toBe(String(created.id).slice('sitampan-'.length));
    await waitFor(async () => (await getJson(`/v1/naskah-dinas/${String(created.id)}`)).status === 200, 10_000, 'the created letter in the view');
  });

  it('refuses a letter that does not conform to naskah-dinas.v1', async () => {
    const answer = await postJson(`${hub().url}/v1/naskah-dinas`, { ...created, klasifikasi_arsip: '005' }, 'application/json');
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'request-invalid' });
  });

  it('never sends a letter SITAMPAN pushed back to SITAMPAN', async () => {
    expect((await push({ format: 'xml' })).status).toBe(202);
    // A created letter, delivered after the pushed one: once it has arrived, the pushed one would have too.
    const marker = { ...created, id: 'sitampan-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', nomor: '000.1.2.3/141/IV.10/2026' };
    expect((await postJson(`${hub().url}/v1/naskah-dinas`, marker, 'application/json')).status).toBe(202);
    await waitFor(async () => (await receivedBySitampan()).some((n) => n.nomor === marker.nomor), 30_000, 'the marker letter at SITAMPAN');
    expect((await receivedBySitampan()).map((n) => n.nomor)).not.toContain('000.1.2.3/123/IV.01/2026');
  });
});
