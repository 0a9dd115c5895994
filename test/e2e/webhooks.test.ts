// Webhooks and durable pull cursors for OPD apps without a Kafka client: a real receiver on
// 127.0.0.1 verifies the Standard Webhooks signature of every delivery; a receiver that is
// down for a while gets every event, in order per key, once it is back; an event that cannot be
// delivered is parked in the subscription's own dead letters and the next one delivered; paused
// and failing subscriptions show in the API and the metrics.
import { describe, expect, it } from 'vitest';
import { topicForType, type CloudEvent } from '../../src/events/cloudevent.js';
import { webhookMessageId } from '../../src/events/event-key.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll, postJson, sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { subscribeReceiver, WebhookReceiver } from '../support/webhook-receiver.js';

const hub = hubBeforeAll({ connectors: { polling: false }, webhooks: { attempts: 6, backoffMs: 300, timeoutMs: 2000 } });

const subscribe = async (receiver: WebhookReceiver, key: string = testKeys.operator, types = ['uji.dibuat']): Promise<string> =>
  (await subscribeReceiver(hub().url, receiver, types, (url, init) => hubFetch(url, init, key))).id;

/** A sample's value from /metrics (summed over series that match the selector exactly). */
const metric = async (series: string): Promise<number> => {
  const text = await (await hubFetch(`${hub().url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(`${series} `)).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
};

const publish = async (id: string, subject: string): Promise<void> => {
  expect((await postJson(`${hub().url}/v1/events`, sampleEvent(id, { subject }))).status).toBe(202);
};

describe('webhook subscriptions', () => {
  it('delivers events signed per Standard Webhooks, verified by the receiver', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    const id = await subscribe(receiver);
    for (let i = 0; i < 5; i++) await publish(`wh-a-${i}`, 'kunci-a');
    await waitFor(() => receiver.received.filter((r) => r.id.startsWith('wh-a-')).length === 5, 15_000, 'five deliveries');
    expect(receiver.received.filter((r) => r.id.startsWith('wh-a-')).every((r) => r.verified)).toBe(true);
    expect(receiver.received.filter((r) => r.id.startsWith('wh-a-')).map((r) => r.id)).toEqual(['wh-a-0', 'wh-a-1', 'wh-a-2', 'wh-a-3', 'wh-a-4']);
    const deliveries = (await (await hubFetch(`${hub().url}/v1/subscriptions/${id}/deliveries`)).json()) as { deliveries: { outcome: string; http_status: number }[] };
    expect(deliveries.deliveries.filter((d) => d.outcome === 'delivered').length).toBeGreaterThanOrEqual(5);
    await hubFetch(`${hub().url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  });

  it('starts a new subscription at the latest event: what was published before it was made is not delivered', async () => {
    await publish('wh-lama-1', 'kunci-lama');
    await waitFor(() => hub().outbox.backlog().count === 0, 10_000, 'the earlier event on the bus');
    const receiver = new WebhookReceiver();
    await receiver.start();
    const id = await subscribe(receiver);
    await publish('wh-baru-1', 'kunci-baru');
    await waitFor(() => receiver.received.some((r) => r.id === 'wh-baru-1'), 15_000, 'the later event delivered');
    // Every record of the topic passed the subscription's consumers (the older ones skipped, not pending).
    const group = `${hub().config.bus.topicPrefix}.webhook.${id}.${topicForType(hub().config.bus.topicPrefix, 'uji.dibuat')}`;
    await waitFor(async () => (await hub().bus.lag(group, topicForType(hub().config.bus.topicPrefix, 'uji.dibuat'))) === 0, 15_000, 'the subscription to have read the whole topic');
    expect(receiver.received.map((r) => r.id)).toEqual(['wh-baru-1']);
    await hubFetch(`${hub().url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  });

  it('gives a receiver that was down every event, in order per key, once it is back', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    const id = await subscribe(receiver);
    const port = receiver.port;
    await receiver.stop();
    const keys = ['kunci-x', 'kunci-y', 'kunci-z'];
    for (let i = 0; i < 12; i++) await publish(`wh-b-${i}`, keys[i % 3]!);
    // The receiver comes back only once the hub has tried it and failed.
    await waitFor(async () => {
      const { deliveries } = (await (await hubFetch(`${hub().url}/v1/subscriptions/${id}/deliveries`)).json()) as { deliveries: { outcome: string }[] };
      return deliveries.some((d) => d.outcome === 'failed');
    }, 15_000, 'a failed delivery to the stopped receiver', 100);
    await receiver.start(port);
    await waitFor(() => receiver.received.filter((r) => r.id.startsWith('wh-b-')).length === 12, 30_000, () => `all twelve after the outage (got ${receiver.received.length})`, 100);
    for (const key of keys) {
      const ids = receiver.received.filter((r) => r.subject === key).map((r) => Number(r.id.split('-').at(-1)));
      expect(ids, key).toEqual([...ids].sort((a, b) => a - b));
    }
    const failed = (await (await hubFetch(`${hub().url}/v1/subscriptions/${id}/deliveries?limit=500`)).json()) as { deliveries: { outcome: string }[] };
    expect(failed.deliveries.some((d) => d.outcome === 'failed')).toBe(true);
    await hubFetch(`${hub().url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  }, 60_000);

  it('parks a poisoned event in the subscription’s own dead letters and delivers the next; shows it failing meanwhile', async () => {
    const receiver = new WebhookReceiver();
    // This receiver cannot take one event: every attempt at it fails with a 500.
    receiver.failing.add('wh-c-racun');
    await receiver.start();
    const id = await subscribe(receiver);
    // An event accepted before ingest checked header values (or put on the bus by anything
    // else): its id goes in the body only (webhook-id is a digest of source and id), so it is delivered.
    await hub().bus.publish([{ topic: topicForType(hub().config.bus.topicPrefix, 'uji.dibuat'), key: 'kunci-c', event: { ...sampleEvent('wh-c-\r\nX-Injected: 1'), subject: 'kunci-c' } as CloudEvent }]);
    await waitFor(() => receiver.received.some((r) => r.id === 'wh-c-\r\nX-Injected: 1'), 15_000, 'the event whose id holds control characters');
    expect(receiver.received.find((r) => r.id === 'wh-c-\r\nX-Injected: 1')).toMatchObject({ verified: true, webhookId: expect.stringMatching(/^msg_[A-Za-z0-9_-]{32}$/) });
    await publish('wh-c-racun', 'kunci-c');
    const deadLetters = async (): Promise<{ event_id: string; reason: string; attempts: number }[]> => ((await (await hubFetch(`${hub().url}/v1/subscriptions/${id}/dead-letters`)).json()) as { dead_letters: { event_id: string; reason: string; attempts: number }[] }).dead_letters;
    await waitFor(async () => (await deadLetters()).length === 1, 30_000, 'the poisoned event parked', 200);

    // While its latest attempt failed, the subscription shows as failing: API, metric, not paused.
    const failing = (await (await hubFetch(`${hub().url}/v1/subscriptions`)).json()) as { subscriptions: { id: string; status: string; health: { state: string; dead_letters: number } }[] };
    expect(failing.subscriptions.find((s) => s.id === id)).toMatchObject({ status: 'active', health: { state: 'failing', dead_letters: 1, last_outcome: 'failed', last_http_status: 500 } });
    expect(await metric('penghubung_webhook_subscriptions{state="failing"}')).toBeGreaterThanOrEqual(1);
    expect(await metric('penghubung_webhook_dead_letters')).toBeGreaterThanOrEqual(1);

    await publish('wh-c-berikut', 'kunci-c');
    await waitFor(() => receiver.received.some((r) => r.id === 'wh-c-berikut'), 15_000, 'the next event after the poisoned ones');
    const parked = await deadLetters();
    expect(parked.map((d) => d.event_id)).toEqual(['wh-c-racun']);
    expect(parked[0]).toMatchObject({ attempts: 6, reason: expect.stringMatching(/not accepted after 6 attempts: HTTP 500/) });
    expect(receiver.received.some((r) => r.id === 'wh-c-racun')).toBe(false);
    const recovered = (await (await hubFetch(`${hub().url}/v1/subscriptions/${id}`)).json()) as { status: string; health: { state: string } };
    expect(recovered).toMatchObject({ status: 'active', health: { state: 'active', last_outcome: 'delivered', last_http_status: 204 } });

    // Once the receiver is fixed, the parked event is replayed from the dead letters, with the webhook-id it had.
    receiver.failing.delete('wh-c-racun');
    const replay = async (eventId: string): Promise<{ delivered: boolean; error: string | null }> => {
      const letter = parked.find((d) => d.event_id === eventId) as unknown as { id: number };
      return (await (await hubFetch(`${hub().url}/v1/subscriptions/${id}/dead-letters/${letter.id}/replay`, { method: 'POST' })).json()) as { delivered: boolean; error: string | null };
    };
    expect(await replay('wh-c-racun')).toEqual({ delivered: true, error: null });
    expect(receiver.received.filter((r) => r.id === 'wh-c-racun')).toMatchObject([{ verified: true, webhookId: webhookMessageId({ source: '/opd/diskominfo/uji', id: 'wh-c-racun' }) }]);
    const after = (await (await hubFetch(`${hub().url}/v1/subscriptions/${id}`)).json()) as { health: { dead_letters: number } };
    expect(after.health.dead_letters).toBe(0);
    await hubFetch(`${hub().url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  }, 60_000);

  it('delivers two events with the same id from two sources, each with its own webhook-id', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    const id = await subscribe(receiver);
    const sources = ['/opd/diskominfo/uji', '/opd/dinkes/uji'];
    for (const source of sources) expect((await postJson(`${hub().url}/v1/events`, sampleEvent('wh-f-sama', { source, subject: 'kunci-f' }))).status).toBe(202);
    await waitFor(() => receiver.received.filter((r) => r.id === 'wh-f-sama').length === 2, 15_000, 'both events with the shared id');
    const got = receiver.received.filter((r) => r.id === 'wh-f-sama');
    expect(got.map((r) => r.source).sort()).toEqual([...sources].sort());
    expect(got.map((r) => r.webhookId).sort()).toEqual(sources.map((source) => webhookMessageId({ source, id: 'wh-f-sama' })).sort());
    expect(new Set(got.map((r) => r.webhookId)).size).toBe(2);
    expect(got.every((r) => r.verified)).toBe(true);
    await hubFetch(`${hub().url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  });

  it('shows a paused subscription in the API and the metric, and resumes from the first event it had not delivered', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    const id = await subscribe(receiver);
    const paused = await hubFetch(`${hub().url}/v1/subscriptions/${id}/pause`, { method: 'POST' });
    expect(((await paused.json()) as { status: string }).status).toBe('paused');
    await publish('wh-e-0', 'kunci-e');
    await publish('wh-e-1', 'kunci-e');
    const listed = (await (await hubFetch(`${hub().url}/v1/subscriptions`)).json()) as { subscriptions: { id: string; paused_reason: string; health: { state: string } }[] };
    expect(listed.subscriptions.find((s) => s.id === id)).toMatchObject({ paused_reason: expect.stringMatching(/^paused by /), health: { state: 'paused' } });
    expect(await metric('penghubung_webhook_subscriptions{state="paused"}')).toBeGreaterThanOrEqual(1);
    expect(receiver.received.filter((r) => r.id.startsWith('wh-e-'))).toEqual([]);
    expect((await hubFetch(`${hub().url}/v1/subscriptions/${id}/resume`, { method: 'POST' })).status).toBe(200);
    await waitFor(() => receiver.received.filter((r) => r.id.startsWith('wh-e-')).length === 2, 15_000, 'both events after resuming');
    expect(receiver.received.filter((r) => r.id.startsWith('wh-e-')).map((r) => r.id)).toEqual(['wh-e-0', 'wh-e-1']);
    await hubFetch(`${hub().url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  }, 60_000);

  it('refuses at ingest an event whose header values hold control characters or are too long (422)', async () => {
    for (const [overrides, pointer] of [[{ id: 'a\r\nb' }, '/id'], [{ source: '/opd/diskominfo/\u0000' }, '/source'], [{ subject: 'x\ty' }, '/subject'], [{ id: 'x'.repeat(201) }, '/id']] as const) {
      const response = await postJson(`${hub().url}/v1/events`, sampleEvent('ignored', overrides));
      expect(response.status, JSON.stringify(overrides)).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = response.body as { code?: string; errors?: { pointer: string }[] };
      expect(problem.code).toBe('event-invalid');
      expect((problem.errors ?? []).map((e) => e.pointer)).toContain(pointer);
    }
  });

  it('lets a client subscribe only to what its rights cover, and masks to its clearance', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    const refused = await hubFetch(`${hub().url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['uji.dibuat'], url: receiver.url }) }, testKeys.noRights);
    expect(refused.status).toBe(403);
    const id = await subscribe(receiver, testKeys.publik, ['pengaduan.diterima']);
    const pushed = await hubFetch(`${hub().url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tracking_id: 9900099, title: 'Jalan rusak', content: 'Jalan desa berlubang.', category: 'Infrastruktur', created_at: '2026-11-28 08:00:00', status: 'Belum Terverifikasi', is_anonymous: 0, reporter: { name: 'Budi Santoso', phone: '081298765432' } }) });
    expect(pushed.status).toBe(202);
    await waitFor(() => receiver.received.some((r) => r.subject === 'lapor-9900099'), 15_000, 'the complaint at the publik receiver');
    const got = receiver.received.find((r) => r.subject === 'lapor-9900099')!;
    expect((got.data.pelapor as Record<string, string>).nama).toBe('B. S.');
    expect(got.data.isi).toBe('••••');
    await hubFetch(`${hub().url}/v1/subscriptions/${id}`, { method: 'DELETE' }, testKeys.publik);
    await receiver.stop();
  });
});

describe('durable pull cursors', () => {
  it('continues a named consumer from its committed cursor', async () => {
    for (let i = 0; i < 3; i++) await publish(`pull-d-${i}`, 'kunci-d');
    const first = (await (await hubFetch(`${hub().url}/v1/events?type=uji.dibuat&consumer=aplikasi-d&limit=1000`)).json()) as { events: { id: string }[]; next: string };
    expect(first.events.map((e) => e.id)).toEqual(expect.arrayContaining(['pull-d-0', 'pull-d-1', 'pull-d-2']));
    expect((await hubFetch(`${hub().url}/v1/events/cursors/aplikasi-d`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cursor: first.next }) })).status).toBe(200);
    await publish('pull-d-3', 'kunci-d');
    const second = (await (await hubFetch(`${hub().url}/v1/events?type=uji.dibuat&consumer=aplikasi-d`)).json()) as { events: { id: string }[] };
    expect(second.events.map((e) => e.id)).toEqual(['pull-d-3']);
    // Cursors are per client: another client's consumer of the same name starts from the beginning.
    const other = (await (await hubFetch(`${hub().url}/v1/events?type=uji.dibuat&consumer=aplikasi-d&limit=1000`, {}, testKeys.terbatas)).json()) as { events: { id: string }[] };
    expect(other.events.length).toBeGreaterThan(1);
  });
});
