// Sender identity: the hub stamps every accepted event with the authenticated client's id
// (`penghubungclient`), never taken from the body, and accepts a `source` only under the
// client's own prefixes; `/connectors/…` and `/flows/…` are the hub's. The stamp travels on the
// embedded bus and on Kafka (as the `ce_penghubungclient` header) to every consumer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusRecord } from '../../src/bus/event-bus.js';
import { encodeBinaryEvent } from '../../src/bus/kafka-binding.js';
import type { DeepPartial, HubConfig } from '../../src/config/config.js';
import type { Hub } from '../../src/hub.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { postJson, sampleEvent, startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const post = (body: unknown, key: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> =>
  postJson(`${hub.url}/v1/events`, body, 'application/cloudevents+json', { 'x-api-key': key });

let hub: Hub;
const received: BusRecord[] = [];
let closeSubscription: () => Promise<void>;

const buses: [string, () => DeepPartial<HubConfig>][] = [
  ['embedded', () => ({ bus: { kind: 'embedded' } })],
  ['kafka', () => ({ bus: { kind: 'kafka', topicPrefix: uniqueName('sender').replace(/\./g, '-'), kafka: { brokers: kafkaBrokers() } } })],
];

describe.each(buses)('on the %s bus', (_kind, busConfig) => {
  beforeAll(async () => {
    received.length = 0;
    const config = busConfig();
    hub = await startTestHub({ ...config, events: { strictTypes: true, schemaDir: 'test/fixtures/event-types' } });
    const subscription = await hub.bus.subscribe({ groupId: uniqueName('sender-test'), topic: `${hub.config.bus.topicPrefix}.uji`, start: { from: 'earliest' }, handler: async (record) => void received.push(record) });
    closeSubscription = () => subscription.close();
  }, 60_000);

  afterAll(async () => {
    await closeSubscription();
    await hub.close();
  });

  it('stamps an accepted event with the authenticated client, visible to bus consumers and pulls', async () => {
    const answer = await post(sampleEvent('sender-1'), testKeys.terbatas);
    expect(answer.status).toBe(202);
    await waitFor(() => received.some((r) => r.event.id === 'sender-1'), 30_000, 'sender-1 on the bus');
    expect(received.find((r) => r.event.id === 'sender-1')!.event.penghubungclient).toBe('uji-aplikasi-terbatas');
    const pulled = (await (await hubFetch(`${hub.url}/v1/events?type=uji.dibuat&limit=100`)).json()) as { events: Record<string, unknown>[] };
    expect(pulled.events.find((e) => e.id === 'sender-1')!.penghubungclient).toBe('uji-aplikasi-terbatas');
  }, 40_000);

  it('refuses a body that names another sender, and accepts one that names the client itself', async () => {
    const forged = await post(sampleEvent('sender-2', { penghubungclient: 'uji-operator' }), testKeys.terbatas);
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(forged.body).toMatchObject({ code: 'sender-forged', errors: [{ pointer: '/penghubungclient' }] });
    const honest = await post(sampleEvent('sender-3', { penghubungclient: 'uji-aplikasi-terbatas' }), testKeys.terbatas);
    expect(honest.status).toBe(202);
  });
});

describe('source prefixes', () => {
  beforeAll(async () => {
    hub = await startTestHub({ events: { strictTypes: true, schemaDir: 'test/fixtures/event-types' } });
  });
  afterAll(async () => {
    await hub.close();
  });

  it.each([
    ['another OPD’s source', '/opd/dinas-pupr', testKeys.terbatas],
    ['a prefix that only starts alike', '/opd/diskominfo/uji-palsu', testKeys.terbatas],
    ['the hub’s connector source, even for an operator', '/connectors/lapor/pengaduan-masuk', testKeys.operator],
    ['a flow’s source, even for an operator', '/flows/pengaduan-disposisi', testKeys.operator],
  ])('refuses %s with 403 source-forbidden', async (_name, source, key) => {
    const answer = await post(sampleEvent(`src-${source.length}`, { source }), key);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 'source-forbidden', errors: [{ pointer: '/source' }] });
  });

  it('points at the offending event of a batch, and stores none of it', async () => {
    const answer = await postJson(`${hub.url}/v1/events`, [sampleEvent('src-b-1'), sampleEvent('src-b-2', { source: '/opd/dinas-pupr' })], 'application/cloudevents-batch+json', { 'x-api-key': testKeys.terbatas });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 'source-forbidden', errors: [{ pointer: '/1/source' }] });
    const pulled = (await (await hubFetch(`${hub.url}/v1/events?type=uji.dibuat&limit=100`)).json()) as { events: { id: string }[] };
    expect(pulled.events.map((e) => e.id)).not.toContain('src-b-1');
  });

  it('accepts a sub-path of the client’s prefix', async () => {
    expect((await post(sampleEvent('src-ok', { source: '/opd/diskominfo/uji/layanan' }), testKeys.terbatas)).status).toBe(202);
  });

  it('stamps what a client pushes through a connector with that client', async () => {
    const pushed = await hubFetch(`${hub.url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tracking_id: 9900077, title: 'Lampu jalan mati', content: 'Lampu jalan di Desa Bernung mati.', category: 'Infrastruktur', created_at: '2026-11-28 08:00:00', status: 'Belum Terverifikasi', is_anonymous: 1 }) }, testKeys.terbatas);
    expect(pushed.status).toBe(202);
    const pulled = (await (await hubFetch(`${hub.url}/v1/events?type=pengaduan.diterima&limit=100`)).json()) as { events: Record<string, unknown>[] };
    const event = pulled.events.find((e) => e.subject === 'lapor-9900077')!;
    expect(event.source).toMatch(/^\/connectors\/lapor\//);
    expect(event.penghubungclient).toBe('uji-aplikasi-terbatas');
  });

  it('refuses a client definition that claims a hub source or the hub’s own id', async () => {
    const define = (body: Record<string, unknown>): Promise<Response> => hubFetch(`${hub.url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Aplikasi uji', opd: 'Dinas Sosial', role: 'app', clearance: 'terbatas', rights: [], ...body }) });
    expect((await define({ id: 'aplikasi-dinsos', sources: ['/connectors/lapor'] })).status).toBe(422);
    expect((await define({ id: 'aplikasi-dinsos', sources: ['/flows'] })).status).toBe(422);
    expect((await define({ id: 'penghubung', sources: ['/opd/dinsos'] })).status).toBe(422);
    const created = await define({ id: 'aplikasi-dinsos', sources: ['/opd/dinsos'] });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { client: { sources: string[] } }).client.sources).toEqual(['/opd/dinsos']);
  });
});

describe('the Kafka binding', () => {
  it('carries the sender as the ce_penghubungclient header', () => {
    const { headers } = encodeBinaryEvent({ specversion: '1.0', id: 'k-1', source: '/opd/dinas-pupr', type: 'uji.dibuat', penghubungclient: 'aplikasi-opd-demo' });
    expect(headers.ce_penghubungclient).toBe('aplikasi-opd-demo');
  });
});
