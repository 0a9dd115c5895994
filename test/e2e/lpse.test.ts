// LPSE end to end through the hub's own runtime: the poller reads the simulator the sandbox hub
// starts, publishes pengadaan.paket.diumumkan once per tender and pengadaan.paket.status-berubah
// per change of stage, fills kode_sub_kegiatan from the SIPD view by RUP code, and the two views
// answer. The hub loads a copy of connectors/lpse alone, so the test does not depend on the
// state of the other connectors (the SIPD view is seeded in the state store).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Poller } from '../../src/connectors/poller.js';
import { startSimulator } from '../../connectors/lpse/simulator.js';
import { projectPath } from '../../src/schemas.js';
import { hubBeforeAll, startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch } from '../support/auth.js';

interface Paket {
  id: string;
  kode_tender: string;
  kode_rup?: string;
  status: string;
  tahun: number;
  nama_paket: string;
  kode_sub_kegiatan?: string;
}

// At the project's top level, so the copied mapping's `../../src/…` imports still resolve.
const connectorsDir = mkdtempSync(projectPath('.tmp-lpse-e2e-'));
cpSync(projectPath('connectors', 'lpse'), join(connectorsDir, 'lpse'), { recursive: true, filter: (source) => !source.endsWith('.test.ts') });

// Registered before the hub's own hooks, so it runs after the hub has closed (hooks run as a stack).
afterAll(() => rmSync(connectorsDir, { recursive: true, force: true }));
const hub = hubBeforeAll({ connectors: { directory: basename(connectorsDir) } });
let simulator: string;
let poller: Poller;

const events = (type: string): { subject: string; data: Paket }[] =>
  hub().outbox.read(0, 100_000, type).map((stored) => ({ subject: stored.event.subject!, data: stored.event.data as Paket }));
const control = async (method: string, path: string, body?: unknown): Promise<void> => {
  const response = await fetch(`${simulator}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
};
const view = async (path: string): Promise<{ status: number; body: { items?: Paket[]; code?: string } & Partial<Paket> }> => {
  const response = await hubFetch(`${hub().url}${path}`);
  return { status: response.status, body: (await response.json()) as never };
};

beforeAll(() => {
  simulator = hub().connectors.simulators.get('lpse')!.url;
  poller = hub().connectors.pollers.get('lpse:paket-masuk')!;
  // The SIPD view rup-anggaran (kode_rup → budget line) as the SIPD connector would fill it.
  const state = new Database(join(hub().config.dataDir, hub().config.connectors.stateFile));
  state.prepare('INSERT INTO view_entities VALUES (?, ?, ?, ?, ?)').run('sipd.rup-anggaran', '40000002', JSON.stringify({ kode_rup: '40000002', kode_sub_kegiatan: '1.03.10.2.01.0033' }), Date.now(), new Date().toISOString());
  state.close();
});

describe('LPSE through the hub', () => {
  it('announces every tender once, reports three changes of stage, and a change of another field as an announcement', async () => {
    const first = await poller.runOnce();
    expect(first.pages).toBe(3);
    expect(first.published).toBe(14);
    expect(events('pengadaan.paket.diumumkan')).toHaveLength(14);

    // Nothing changed: nothing published, and the run started over from the ISB list.
    const again = await poller.runOnce();
    expect(again).toMatchObject({ pages: 3, published: 0, unchanged: 14 });

    for (const status of ['evaluasi', 'penetapan_pemenang', 'kontrak']) {
      await control('POST', '/_simulator/tenders/10302279/status', { status });
      expect((await poller.runOnce()).published).toBe(1);
    }
    const changes = events('pengadaan.paket.status-berubah');
    expect(changes.map((e) => [e.subject, e.data.status])).toEqual([
      ['lpse-10302279', 'evaluasi'],
      ['lpse-10302279', 'penetapan_pemenang'],
      ['lpse-10302279', 'kontrak'],
    ]);

    await control('PATCH', '/_simulator/tenders/10301279', { namaPaket: 'Rekonstruksi Ruas Jalan Kedondong – Way Lima (Tahap II)' });
    expect((await poller.runOnce()).published).toBe(1);
    const announced = events('pengadaan.paket.diumumkan');
    expect(announced).toHaveLength(15);
    expect(announced.at(-1)!.data.nama_paket).toBe('Rekonstruksi Ruas Jalan Kedondong – Way Lima (Tahap II)');
  });

  it('yields exactly three status events when the hub and its poller restart between polls', async () => {
    const upstream = await startSimulator({ host: '127.0.0.1', port: 0 });
    const dataDir = mkdtempSync(join(tmpdir(), 'penghubung-lpse-restart-'));
    const pollOnceInANewHub = async (): Promise<{ published: number; statusEvents: string[] }> => {
      const own = await startTestHub({ dataDir, connectors: { directory: basename(connectorsDir), polling: false } }, { LPSE_BASE_URL: upstream.url });
      try {
        const { published } = await own.connectors.pollers.get('lpse:paket-masuk')!.runOnce();
        const statusEvents = own.outbox.read(0, 100_000, 'pengadaan.paket.status-berubah').filter((e) => e.event.subject === 'lpse-10302279').map((e) => (e.event.data as Paket).status);
        return { published, statusEvents };
      } finally {
        await own.close();
      }
    };
    try {
      expect((await pollOnceInANewHub()).published).toBe(14);
      for (const status of ['evaluasi', 'penetapan_pemenang', 'kontrak']) {
        const response = await fetch(`${upstream.url}/_simulator/tenders/10302279/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
        expect(response.status).toBeLessThan(300);
        expect((await pollOnceInANewHub()).published).toBe(1);
      }
      const last = await pollOnceInANewHub();
      expect(last.published).toBe(0);
      expect(last.statusEvents).toEqual(['evaluasi', 'penetapan_pemenang', 'kontrak']);
    } finally {
      await upstream.close();
    }
  });

  it('publishes the good rows of a listing page and sets aside the one it cannot read, with its reason, counted', async () => {
    // Two packages on the listing only (the ISB has not refreshed): one row readable, one shifted.
    await control('POST', '/_simulator/tenders', { kdTender: '10330279', namaPaket: 'Pembangunan Drainase Jalan Way Layap', hps: 380_000_000 });
    await control('POST', '/_simulator/tenders', { kdTender: '10331279', namaPaket: 'Pembangunan Talud Sungai Way Ratai', hps: 520_000_000, rusak: true });
    const run = await poller.runOnce();
    expect(run.published).toBe(1);
    const published = events('pengadaan.paket.diumumkan').filter((e) => ['lpse-10330279', 'lpse-10331279'].includes(e.subject));
    expect(published.map((e) => [e.subject, e.data.status])).toEqual([['lpse-10330279', 'pengumuman']]);

    const rejected = (await (await hubFetch(`${hub().url}/v1/connectors/lpse/rejected?operation=paket-masuk`)).json()) as { items: { operation: string; reason: string; detail: string; record?: unknown[] }[] };
    expect(rejected.items).toHaveLength(1);
    expect(rejected.items[0]).toMatchObject({ operation: 'paket-masuk', reason: 'layout-unknown' });
    expect(rejected.items[0]!.detail).toMatch(/fits no known SPSE layout/);
    expect(JSON.stringify(rejected.items[0]!.record)).toContain('Talud Sungai Way Ratai');
    const metrics = await (await hubFetch(`${hub().url}/metrics`)).text();
    expect(metrics).toMatch(/penghubung_records_rejected_total\{connector="lpse",operation="paket-masuk",reason="layout-unknown"\} 1\b/);
  });

  it('fills kode_sub_kegiatan from the SIPD view by RUP code when SPSE does not carry it', async () => {
    const jembatan = events('pengadaan.paket.diumumkan').find((e) => e.subject === 'lpse-10302279')!;
    expect(jembatan.data.kode_rup).toBe('40000002');
    expect(jembatan.data.kode_sub_kegiatan).toBe('1.03.10.2.01.0033');
    // SPSE's own code wins over the view's.
    const jalan = events('pengadaan.paket.diumumkan').find((e) => e.subject === 'lpse-10301279')!;
    expect(jalan.data.kode_sub_kegiatan).toBe('1.03.10.2.01.0015');
  });

  it('answers the package list by year and stage, and the packages of a sub-kegiatan', async () => {
    await waitFor(async () => (await view('/v1/pengadaan/paket?limit=500')).body.items?.length === 15, 5000, 'the 15 packages in the view');
    await waitFor(async () => (await view('/v1/pengadaan/paket/lpse-10302279')).body.status === 'kontrak', 5000, 'the latest stage in the view');

    const pengumuman = await view('/v1/pengadaan/paket?tahun=2026&status=pengumuman');
    expect(pengumuman.body.items!.map((p) => p.id).sort()).toEqual(['lpse-10301279', 'lpse-10314279', 'lpse-10330279']);
    const lastYear = await view('/v1/pengadaan/paket?tahun=2025');
    expect(lastYear.body.items).toEqual([]);

    const bySubKegiatan = await view('/v1/anggaran/sub-kegiatan/1.03.10.2.01.0033/pengadaan');
    expect(bySubKegiatan.status).toBe(200);
    expect(bySubKegiatan.body.items!.map((p) => p.id)).toEqual(['lpse-10302279']);
    const jalan = await view('/v1/anggaran/sub-kegiatan/1.03.10.2.01.0015/pengadaan');
    expect(jalan.body.items!.map((p) => [p.id, p.nama_paket])).toEqual([['lpse-10301279', 'Rekonstruksi Ruas Jalan Kedondong – Way Lima (Tahap II)']]);
    expect((await view('/v1/pengadaan/paket?kode_rup=40000002')).body.code).toBe('query-invalid');
  });
});
