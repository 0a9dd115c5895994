// Issue 16's "Must show", on real Kafka with two hubs as behind a load balancer: an app publishes
// a follow-up that LAPOR! takes, then one that LAPOR! keeps refusing, and finds both in
// GET /v1/me/deliveries (published, then delivered or dead-lettered upstream with the reason) and
// the refused one in GET /v1/me/dead-letters, on the hub it did not publish through, masked to
// its clearance; another app sees none of it.
import { expect, it } from 'vitest';
import { initialComplaints } from '../../connectors/lapor/sandbox-data.js';
import type { Hub } from '../../src/hub.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { clusterSettings, hubBeforeAll, postJson } from '../support/hub.js';
import { uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

interface Target { kind: string; connector?: string; operation?: string; status: string; attempts: number; code: string | null; reason: string | null }
interface Delivery { event_id: string; source: string; type: string; status: string; accepted_at: string; published_at: string | null; targets: Target[]; event?: { penghubungclient: string; data?: { isi: string; petugas: { nama: string } } } }
interface Page<T> { items: T[]; next: string | null }

const prefix = uniqueName('me-deliveries').toLowerCase();
// One Kafka, prefix and key files for both (the shared token-signing keys are sealed with the state key).
const cluster = clusterSettings(prefix);
const hubOnSharedKafka = (): (() => Hub) => hubBeforeAll({ ...cluster, shutdown: { graceMs: 1000 } });
const hubA = hubOnSharedKafka();
const hubB = hubOnSharedKafka();

const page = async <T>(hub: Hub, path: string, key: string): Promise<Page<T>> => {
  const response = await hubFetch(`${hub.url}${path}`, {}, key);
  expect(response.status, `${path}: ${response.status}`).toBe(200);
  return (await response.json()) as Page<T>;
};

it('an app finds what became of its follow-ups, delivered or dead-lettered with the reason, on any hub; another app does not', async () => {
  const [a, b] = [hubA(), hubB()];
  expect(a.bus.kind).toBe('kafka');
  // A complaint LAPOR! holds (every hub's simulator starts with the same sandbox complaints), polled
  // and assigned to an agency by the regency's flow: an app of that agency may follow it up.
  const trackingId = initialComplaints()[0]!.trackingId;
  // The poller runs on the instance that leads it: asked on both, one of them polls.
  const polled = [await a.connectors.pollers.get('lapor:pengaduan-masuk')!.runOnce(), await b.connectors.pollers.get('lapor:pengaduan-masuk')!.runOnce()];
  let agency = '';
  await waitFor(async () => {
    const response = await hubFetch(`${a.url}/v1/disposisi-pengaduan/lapor-${trackingId}`);
    if (response.status !== 200) return false;
    agency = ((await response.json()) as { instansi_tujuan: string }).instansi_tujuan;
    return true;
  }, 60_000, () => `the polled complaint lapor-${trackingId} assigned (the poll: ${JSON.stringify(polled)})`, 100);
  const created = await hubFetch(`${a.url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'aplikasi-pengiriman', name: 'Aplikasi pengiriman', opd: agency, role: 'app', clearance: 'publik', rights: ['events:publish:pengaduan.tindak-lanjut.dibuat'], sources: ['/opd/dinas-pupr'] }) });
  expect(created.status).toBe(201);
  const appKey = ((await created.json()) as { api_key: string }).api_key;
  const followUp = (id: string): Record<string, unknown> => ({
    specversion: '1.0', id, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: `lapor-${trackingId}`, datacontenttype: 'application/json',
    data: { id, pengaduan_id: `lapor-${trackingId}`, nomor_pelacakan: trackingId, isi: 'Lampu sudah diganti.', status_baru: 'diproses', tanggal: '2026-11-28T08:00:00+07:00', petugas: { nama: 'Petugas PUPR', instansi: agency }, lampiran: [] },
  });
  const publish = async (id: string): Promise<void> => {
    const sent = await postJson(`${a.url}/v1/events`, followUp(id), 'application/cloudevents+json', { 'x-api-key': appKey });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  };
  const deliveryOn = async (hub: Hub, id: string, status: string): Promise<Delivery | undefined> =>
    (await page<Delivery>(hub, `/v1/me/deliveries?status=${status}`, appKey)).items.find((d) => d.event_id === id);

  // Taken upstream: published through hub A, seen delivered from hub B.
  await publish('tl-kirim-1');
  let seen: unknown;
  await waitFor(async () => {
    seen = (await page<Delivery>(b, '/v1/me/deliveries', appKey)).items;
    return (await deliveryOn(b, 'tl-kirim-1', 'delivered')) !== undefined;
  }, 60_000, () => `the first follow-up delivered, as hub B tells it (it tells ${JSON.stringify(seen)})`, 250);
  const delivered = (await deliveryOn(b, 'tl-kirim-1', 'delivered'))!;
  expect(delivered).toMatchObject({ type: 'pengaduan.tindak-lanjut.dibuat', source: '/opd/dinas-pupr', published_at: expect.any(String), targets: [{ kind: 'upstream', connector: 'lapor', operation: 'kirim-tindak-lanjut', status: 'delivered', code: null, reason: null }] });
  expect(delivered.published_at! >= delivered.accepted_at).toBe(true);

  // Refused: whichever hub's worker delivers, its LAPOR! simulator answers 503; the circuit is
  // held closed so every attempt reaches it.
  expect((await hubFetch(`${a.url}/v1/connectors/lapor/circuit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'closed', reason: 'uji status pengiriman aplikasi' }) })).status).toBe(200);
  for (const hub of [a, b]) {
    const answer = await fetch(`${hub.connectors.simulators.get('lapor')!.url}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext: 1000, status: 503 }) });
    expect(answer.status).toBeLessThan(300);
  }
  await publish('tl-kirim-2');
  await waitFor(async () => (await deliveryOn(b, 'tl-kirim-2', 'dead-lettered')) !== undefined && (await deliveryOn(a, 'tl-kirim-2', 'dead-lettered')) !== undefined, 90_000, 'the second follow-up dead-lettered, on both hubs', 250);
  for (const hub of [a, b]) {
    const failed = (await deliveryOn(hub, 'tl-kirim-2', 'dead-lettered'))!;
    expect(failed.targets).toHaveLength(1);
    expect(failed.targets[0]).toMatchObject({ kind: 'upstream', connector: 'lapor', operation: 'kirim-tindak-lanjut', status: 'dead-lettered', attempts: 5, code: 'upstream-unavailable' });
    expect(failed.targets[0]!.reason).toMatch(/503|unavailable/i);
    // Masked to the app's clearance (publik), as it would read the event anywhere else.
    expect(failed.event).toMatchObject({ penghubungclient: 'aplikasi-pengiriman', data: { isi: '••••', petugas: { nama: 'P. P.' } } });
  }
  // And among its dead letters, with the same reason, on the hub it did not publish through.
  await waitFor(async () => (await page<{ event_id: string }>(b, '/v1/me/dead-letters', appKey)).items.some((l) => l.event_id === 'tl-kirim-2'), 30_000, 'the dead letter indexed on hub B', 250);
  const letters = await page<{ event_id: string; reason: string; code: string }>(b, '/v1/me/dead-letters', appKey);
  expect(letters.items.map((l) => l.event_id)).toEqual(['tl-kirim-2']);
  expect(letters.items[0]).toMatchObject({ code: 'upstream-unavailable', reason: expect.stringMatching(/503|unavailable/i) });

  // Newest first, page by page, the cursor of one hub continued on the other.
  const first = await page<Delivery>(a, '/v1/me/deliveries?limit=1', appKey);
  expect(first.items.map((d) => d.event_id)).toEqual(['tl-kirim-2']);
  expect(first.next).toEqual(expect.any(String));
  const second = await page<Delivery>(b, `/v1/me/deliveries?limit=1&after=${encodeURIComponent(first.next!)}`, appKey);
  expect(second).toMatchObject({ items: [{ event_id: 'tl-kirim-1', status: 'delivered' }], next: null });

  // Only the sender: another app, and the operator under /v1/me, see nothing of it.
  for (const key of [testKeys.terbatas, testKeys.operator]) {
    expect((await page<Delivery>(b, '/v1/me/deliveries', key)).items).toEqual([]);
    expect((await page<unknown>(b, '/v1/me/dead-letters', key)).items).toEqual([]);
  }

  // A status that is not one of the list is refused with the allowed values, not answered empty.
  const invalid = await hubFetch(`${b.url}/v1/me/deliveries?status=xyz`, {}, appKey);
  expect(invalid.status).toBe(400);
  expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(((await invalid.json()) as { detail: string }).detail).toContain('dead-lettered');
  expect((await hubFetch(`${b.url}/v1/me/deliveries?after=nonsense`, {}, appKey)).status).toBe(400);
  expect((await fetch(`${b.url}/v1/me/deliveries`)).status).toBe(401);
}, 240_000);
