// Webhooks and durable pull cursors for OPD apps without a Kafka client: a real receiver on
// 127.0.0.1 verifies the Standard Webhooks signature of every delivery; a receiver that is
// down for a while gets every event, in order per key, once it is back; a subscription that
// exhausts its attempts pauses on the event and resumes from it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { postJson, sampleEvent, startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

let hub: Hub;

beforeAll(async () => {
  hub = await startTestHub({ connectors: { polling: false }, webhooks: { attempts: 6, backoffMs: 300, timeoutMs: 2000 } });
});
afterAll(async () => {
  await hub.close();
});

/** An OPD app's webhook endpoint: verifies every delivery, can be down, records what it got. */
class Receiver {
  received: { id: string; subject: string; verified: boolean; data: Record<string, unknown> }[] = [];
  private server: Server | undefined;
  port = 0;
  secret = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        let verified: boolean;
        try {
          new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
        const event = JSON.parse(body) as { id: string; subject: string; data: Record<string, unknown> };
        if (!this.received.some((r) => r.id === event.id)) this.received.push({ id: event.id, subject: event.subject, verified, data: event.data });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((ok) => this.server!.listen(port, '127.0.0.1', ok));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((done) => this.server?.close(done));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }
}

async function subscribe(receiver: Receiver, key: string = testKeys.operator, types = ['uji.dibuat']): Promise<string> {
  const response = await hubFetch(`${hub.url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types, url: receiver.url }) }, key);
  expect(response.status).toBe(201);
  const body = (await response.json()) as { subscription: { id: string }; secret: string };
  receiver.secret = body.secret;
  return body.subscription.id;
}

const publish = async (id: string, subject: string): Promise<void> => {
  expect((await postJson(`${hub.url}/v1/events`, sampleEvent(id, { subject }))).status).toBe(202);
};

describe('webhook subscriptions', () => {
  it('delivers events signed per Standard Webhooks, verified by the receiver', async () => {
    const receiver = new Receiver();
    await receiver.start();
    const id = await subscribe(receiver);
    for (let i = 0; i < 5; i++) await publish(`wh-a-${i}`, 'kunci-a');
    await waitFor(() => receiver.received.filter((r) => r.id.startsWith('wh-a-')).length === 5, 15_000, 'five deliveries');
    expect(receiver.received.filter((r) => r.id.startsWith('wh-a-')).every((r) => r.verified)).toBe(true);
    expect(receiver.received.filter((r) => r.id.startsWith('wh-a-')).map((r) => r.id)).toEqual(['wh-a-0', 'wh-a-1', 'wh-a-2', 'wh-a-3', 'wh-a-4']);
    const deliveries = (await (await hubFetch(`${hub.url}/v1/subscriptions/${id}/deliveries`)).json()) as { deliveries: { outcome: string; http_status: number }[] };
    expect(deliveries.deliveries.filter((d) => d.outcome === 'delivered').length).toBeGreaterThanOrEqual(5);
    await hubFetch(`${hub.url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  });

  it('gives a receiver that was down every event, in order per key, once it is back', async () => {
    const receiver = new Receiver();
    await receiver.start();
    const id = await subscribe(receiver);
    const port = receiver.port;
    await receiver.stop();
    const keys = ['kunci-x', 'kunci-y', 'kunci-z'];
    for (let i = 0; i < 12; i++) await publish(`wh-b-${i}`, keys[i % 3]!);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await receiver.start(port);
    await waitFor(() => receiver.received.filter((r) => r.id.startsWith('wh-b-')).length === 12, 30_000, () => `all twelve after the outage (got ${receiver.received.length})`, 100);
    for (const key of keys) {
      const ids = receiver.received.filter((r) => r.subject === key).map((r) => Number(r.id.split('-').at(-1)));
      expect(ids, key).toEqual([...ids].sort((a, b) => a - b));
    }
    const failed = (await (await hubFetch(`${hub.url}/v1/subscriptions/${id}/deliveries?limit=500`)).json()) as { deliveries: { outcome: string }[] };
    expect(failed.deliveries.some((d) => d.outcome === 'failed')).toBe(true);
    await hubFetch(`${hub.url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  }, 60_000);

  it('pauses on an event it could not deliver, and resumes from that event', async () => {
    const receiver = new Receiver();
    await receiver.start();
    const id = await subscribe(receiver);
    const port = receiver.port;
    await receiver.stop();
    await publish('wh-c-0', 'kunci-c');
    await waitFor(async () => ((await (await hubFetch(`${hub.url}/v1/subscriptions/${id}`)).json()) as { status: string }).status === 'paused', 30_000, 'the subscription to pause', 200);
    await publish('wh-c-1', 'kunci-c');
    await receiver.start(port);
    expect((await hubFetch(`${hub.url}/v1/subscriptions/${id}/resume`, { method: 'POST' })).status).toBe(200);
    await waitFor(() => receiver.received.filter((r) => r.id.startsWith('wh-c-')).length === 2, 15_000, 'both events after resuming');
    expect(receiver.received.filter((r) => r.id.startsWith('wh-c-')).map((r) => r.id)).toEqual(['wh-c-0', 'wh-c-1']);
    await hubFetch(`${hub.url}/v1/subscriptions/${id}`, { method: 'DELETE' });
    await receiver.stop();
  }, 60_000);

  it('lets a client subscribe only to what its rights cover, and masks to its clearance', async () => {
    const receiver = new Receiver();
    await receiver.start();
    const refused = await hubFetch(`${hub.url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['uji.dibuat'], url: receiver.url }) }, testKeys.noRights);
    expect(refused.status).toBe(403);
    const id = await subscribe(receiver, testKeys.publik, ['pengaduan.diterima']);
    const pushed = await hubFetch(`${hub.url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tracking_id: 9900099, title: 'Jalan rusak', content: 'Jalan desa berlubang.', category: 'Infrastruktur', created_at: '2026-11-28 08:00:00', status: 'Belum Terverifikasi', is_anonymous: 0, reporter: { name: 'Budi Santoso', phone: '081298765432' } }) });
    expect(pushed.status).toBe(202);
    await waitFor(() => receiver.received.some((r) => r.subject === 'lapor-9900099'), 15_000, 'the complaint at the publik receiver');
    const got = receiver.received.find((r) => r.subject === 'lapor-9900099')!;
    expect((got.data.pelapor as Record<string, string>).nama).toBe('B. S.');
    expect(got.data.isi).toBe('••••');
    await hubFetch(`${hub.url}/v1/subscriptions/${id}`, { method: 'DELETE' }, testKeys.publik);
    await receiver.stop();
  });
});

describe('durable pull cursors', () => {
  it('continues a named consumer from its committed cursor', async () => {
    for (let i = 0; i < 3; i++) await publish(`pull-d-${i}`, 'kunci-d');
    const first = (await (await hubFetch(`${hub.url}/v1/events?type=uji.dibuat&consumer=aplikasi-d&limit=1000`)).json()) as { events: { id: string }[]; next: string };
    expect(first.events.map((e) => e.id)).toEqual(expect.arrayContaining(['pull-d-0', 'pull-d-1', 'pull-d-2']));
    expect((await hubFetch(`${hub.url}/v1/events/cursors/aplikasi-d`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cursor: first.next }) })).status).toBe(200);
    await publish('pull-d-3', 'kunci-d');
    const second = (await (await hubFetch(`${hub.url}/v1/events?type=uji.dibuat&consumer=aplikasi-d`)).json()) as { events: { id: string }[] };
    expect(second.events.map((e) => e.id)).toEqual(['pull-d-3']);
    // Cursors are per client: another client's consumer of the same name starts from the beginning.
    const other = (await (await hubFetch(`${hub.url}/v1/events?type=uji.dibuat&consumer=aplikasi-d&limit=1000`, {}, testKeys.terbatas)).json()) as { events: { id: string }[] };
    expect(other.events.length).toBeGreaterThan(1);
  });
});
