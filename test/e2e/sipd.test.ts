// SIPD end to end: the sandbox hub polls the SIPD simulator on a real port, the budget views
// answer through the gateway, a changed pagu is exactly one anggaran.sub-kegiatan.diperbarui, and
// the national nomenclature SIPD lists names codes in the reference API.
import { beforeAll, describe, expect, it } from 'vitest';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch } from '../support/auth.js';

const hub = hubBeforeAll();
let simulator: string;

interface SubKegiatan { id: string; kode_sub_kegiatan: string; kode_skpd: string; tahun: number; pagu: { nilai: number; perkiraan: boolean } }

beforeAll(() => {
  simulator = hub().connectors.simulators.get('sipd')!.url;
});

const updates = (): { subject: string; data: SubKegiatan }[] => hub().outbox.read(0, 100_000, 'anggaran.sub-kegiatan.diperbarui').map((s) => ({ subject: s.event.subject!, data: s.event.data as SubKegiatan }));
const list = async (query: string): Promise<SubKegiatan[]> => ((await (await hubFetch(`${hub().url}/v1/anggaran/sub-kegiatan?${query}`)).json()) as { items: SubKegiatan[] }).items;

describe('SIPD through the hub', () => {
  it('publishes each sub-kegiatan once, answers by year and SKPD, and only changes afterwards', async () => {
    const poller = hub().connectors.pollers.get('sipd:sub-kegiatan-masuk')!;
    const first = await poller.runOnce();
    expect(first.published).toBe(12);
    expect((await poller.runOnce()).published).toBe(0);

    const skpd = '1.03.0.00.0.00.01.0000';
    await waitFor(async () => (await list(`tahun=2026&skpd=${skpd}`)).length > 0, 5000, 'the PUPR sub-kegiatan in the view');
    const pupr = await list(`tahun=2026&skpd=${skpd}`);
    expect(pupr.every((s) => s.kode_skpd === skpd && s.tahun === 2026)).toBe(true);
    expect(pupr.every((s) => Number.isInteger(s.pagu.nilai))).toBe(true);

    const target = pupr[0]!;
    const changed = await fetch(`${simulator}/_simulator/sub-kegiatan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kode_skpd: skpd, kode_sub_kegiatan: target.kode_sub_kegiatan, pagu: 'Rp. 15.602.948.688,00' }) });
    expect(changed.status).toBe(200);
    expect((await poller.runOnce()).published).toBe(1);
    const forTarget = updates().filter((u) => u.subject === target.id);
    expect(forTarget).toHaveLength(2);
    expect(forTarget[1]!.data.pagu).toEqual({ nilai: 15602948688, perkiraan: false });
    await waitFor(async () => (await (await hubFetch(`${hub().url}/v1/anggaran/sub-kegiatan/${encodeURIComponent(target.id)}`)).json() as SubKegiatan).pagu.nilai === 15602948688, 5000, 'the view to show the new pagu');
  });

  it('feeds the reference API: a code only SIPD\'s nomenclature names is unknown before the poll and named after it', async () => {
    const ask = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await hubFetch(`${hub().url}/v1/referensi/sub-kegiatan/1.03.10.2.01.0015`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect((await ask()).status).toBe(404);
    const run = await hub().connectors.pollers.get('sipd:nomenklatur-masuk')!.runOnce();
    expect(run.published).toBeGreaterThan(0);
    await waitFor(async () => (await ask()).status === 200, 5000, 'the nomenclature view to name the code');
    expect((await ask()).body).toMatchObject({ kode_normal: '1.03.10.2.01.0015', level: 'sub-kegiatan', nama: 'Pembangunan Jalan', sumber: 'SIPD' });
  });

  it('decodes the obfuscated budget-line payload and indexes lines by RUP code', async () => {
    const run = await hub().connectors.pollers.get('sipd:rincian-anggaran-masuk')!.runOnce();
    expect(run.published).toBeGreaterThan(0);
    await waitFor(async () => (await (await hubFetch(`${hub().url}/v1/anggaran/rup?limit=100`)).json() as { items: unknown[] }).items.length > 0, 5000, 'budget lines by RUP code');
    const byRup = (await (await hubFetch(`${hub().url}/v1/anggaran/rup?limit=100`)).json()) as { items: { kode_rup: string; kode_sub_kegiatan: string }[] };
    expect(byRup.items.every((line) => /^[0-9]+$/.test(line.kode_rup) && line.kode_sub_kegiatan.length > 0)).toBe(true);
  });
});
