// Self-service for apps: GET /v1/me tells a client who it is; /v1/me/subscriptions and
// /v1/me/dead-letters show only the caller's own. Issue 16's "Must show": an app publishes a
// follow-up that LAPOR! keeps refusing and finds it in /v1/me/dead-letters with the reason,
// masked to its clearance.
import { beforeAll, describe, expect, it } from 'vitest';
import { hubBeforeAll, postJson } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch, testKeys } from '../support/auth.js';

let simulator: string;

interface Letter { id: string; event_id: string; code: string; reason: string; attempts: number; connector: string; operation: string; status: string; headers?: unknown; event: { id: string; penghubungclient: string; data: { isi: string; petugas: { nama: string } } } }
interface Page { items: Letter[]; next: string | null }

const hub = hubBeforeAll({ connectors: { polling: false } });

beforeAll(async () => {
  simulator = hub().connectors.simulators.get('lapor')!.url;
});

const getJson = async <T>(path: string, key: string = testKeys.operator): Promise<T> => {
  const response = await hubFetch(`${hub().url}${path}`, {}, key);
  expect(response.status, `${path}: ${response.status}`).toBe(200);
  return (await response.json()) as T;
};

describe('GET /v1/me', () => {
  it('tells an app and the operator who they are, with rights, clearance and rate limit', async () => {
    const app = await getJson<Record<string, unknown>>('/v1/me', testKeys.terbatas);
    expect(app).toMatchObject({ id: 'uji-aplikasi-terbatas', role: 'app', clearance: 'terbatas', opd: 'Diskominfo (uji)', sources: ['/opd/diskominfo/uji'], granted_rights: [] });
    expect(app.rights).toContain('siak:*');
    expect(app.rate_limit).toMatchObject({ per_minute: 1_000_000, remaining: expect.any(Number) });
    const operator = await getJson<Record<string, unknown>>('/v1/me');
    expect(operator).toMatchObject({ id: 'uji-operator', role: 'operator', clearance: 'rahasia', rights: ['*'] });
    // No right needed to ask about oneself; a credential is.
    expect((await getJson<{ id: string }>('/v1/me', testKeys.noRights)).id).toBe('uji-tanpa-hak');
    expect((await fetch(`${hub().url}/v1/me`)).status).toBe(401);
  });
});

describe('GET /v1/me/subscriptions', () => {
  it('lists only the caller’s subscriptions, with their state', async () => {
    const subscribe = async (key: string): Promise<string> => {
      const response = await hubFetch(`${hub().url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['uji.dibuat'], url: 'http://127.0.0.1:9/me' }) }, key);
      expect(response.status).toBe(201);
      return ((await response.json()) as { subscription: { id: string } }).subscription.id;
    };
    const mine = await subscribe(testKeys.terbatas);
    const theirs = await subscribe(testKeys.operator);
    expect((await hubFetch(`${hub().url}/v1/subscriptions/${mine}/pause`, { method: 'POST' }, testKeys.terbatas)).status).toBe(200);

    const app = await getJson<{ subscriptions: { id: string; client_id: string; health: { state: string; dead_letters: number } }[] }>('/v1/me/subscriptions', testKeys.terbatas);
    expect(app.subscriptions.map((s) => s.id)).toEqual([mine]);
    expect(app.subscriptions[0]!.health).toMatchObject({ state: 'paused', dead_letters: 0, last_outcome: null, last_http_status: null });
    const operator = await getJson<{ subscriptions: { id: string }[] }>('/v1/me/subscriptions');
    expect(operator.subscriptions.map((s) => s.id)).toEqual([theirs]);
  });
});

describe('GET /v1/me/dead-letters', () => {
  it('an app publishes follow-ups that fail upstream and finds them with the reason, masked, page by page', async () => {
    // A complaint the regency's flow assigns to an agency: the app is of that agency, so it may follow it up.
    const pushed = await postJson(`${hub().url}/v1/connectors/lapor/inbound`, { tracking_id: 9900311, title: 'Jalan rusak', content: 'Jalan berlubang di depan pasar.', category: 'Infrastruktur', created_at: '2026-11-28 08:00:00', status: 'Belum Terverifikasi' }, 'application/json');
    expect(pushed.status).toBeLessThan(300);
    let agency = '';
    await waitFor(async () => {
      const response = await hubFetch(`${hub().url}/v1/disposisi-pengaduan/lapor-9900311`);
      if (response.status !== 200) return false;
      agency = ((await response.json()) as { instansi_tujuan: string }).instansi_tujuan;
      return true;
    }, 30_000, 'the pushed complaint assigned', 100);
    const created = await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'aplikasi-mandiri', name: 'Aplikasi mandiri', opd: agency, role: 'app', clearance: 'publik', rights: ['events:publish:pengaduan.tindak-lanjut.dibuat'], sources: ['/opd/dinas-pupr'] }) });
    expect(created.status).toBe(201);
    const appKey = ((await created.json()) as { api_key: string }).api_key;

    // Held closed, the circuit lets every attempt reach the failing upstream at once.
    expect((await hubFetch(`${hub().url}/v1/connectors/lapor/circuit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'closed', reason: 'uji surat mati aplikasi' }) })).status).toBe(200);
    expect((await fetch(`${simulator}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext: 1000, status: 503 }) })).status).toBeLessThan(300);
    const followUp = (id: string): Record<string, unknown> => ({
      specversion: '1.0', id, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: 'lapor-9900311', datacontenttype: 'application/json',
      data: { id, pengaduan_id: 'lapor-9900311', nomor_pelacakan: '9900311', isi: 'Tim sudah turun ke lokasi.', status_baru: 'diproses', tanggal: '2026-11-28T08:00:00+07:00', petugas: { nama: 'Petugas PUPR', instansi: agency }, lampiran: [] },
    });
    for (const id of ['tl-me-1', 'tl-me-2']) {
      const sent = await postJson(`${hub().url}/v1/events`, followUp(id), 'application/cloudevents+json', { 'x-api-key': appKey });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    }

    const all = async (): Promise<Letter[]> => (await getJson<Page>('/v1/me/dead-letters', appKey)).items;
    await waitFor(async () => (await all()).length === 2, 60_000, 'both follow-ups among the app’s dead letters', 250);
    const letters = await all();
    expect(letters.map((l) => l.event_id).sort()).toEqual(['tl-me-1', 'tl-me-2']);
    for (const letter of letters) {
      expect(letter).toMatchObject({ connector: 'lapor', operation: 'kirim-tindak-lanjut', code: 'upstream-unavailable', status: 'parked', event: { penghubungclient: 'aplikasi-mandiri' } });
      expect(letter.reason).toMatch(/503|unavailable/i);
      // Masked to the app's clearance (publik), and without the hub's routing headers.
      expect(letter.event.data).toMatchObject({ isi: '••••', petugas: { nama: 'P. P.' } });
      expect(letter.headers).toBeUndefined();
    }

    // Cursor pages: one at a time, newest first, then no further page.
    const first = await getJson<Page>('/v1/me/dead-letters?limit=1', appKey);
    expect(first.items.map((l) => l.id)).toEqual([letters[0]!.id]);
    expect(first.next).toEqual(expect.any(String));
    const second = await getJson<Page>(`/v1/me/dead-letters?limit=1&after=${encodeURIComponent(first.next!)}`, appKey);
    expect(second).toMatchObject({ items: [{ id: letters[1]!.id }], next: null });
    expect((await hubFetch(`${hub().url}/v1/me/dead-letters?after=nonsense`, {}, appKey)).status).toBe(400);
    expect((await hubFetch(`${hub().url}/v1/me/dead-letters?limit=0`, {}, appKey)).status).toBe(400);

    // Only the sender sees them: not another app, nor the operator under /v1/me (its own view is /v1/dead-letters).
    expect((await getJson<Page>('/v1/me/dead-letters', testKeys.terbatas)).items).toEqual([]);
    expect((await getJson<Page>('/v1/me/dead-letters')).items).toEqual([]);
    // The operator, cleared rahasia, sees the same letter unmasked in its own view.
    const full = await getJson<{ event: { data: { isi: string } } }>(`/v1/dead-letters/${encodeURIComponent(letters[0]!.id)}`);
    expect(full.event.data.isi).toBe('Tim sudah turun ke lokasi.');
  }, 90_000);
});
