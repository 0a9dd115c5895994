// Must show (issue 14): two events with the same `id` from two sources are two events (CloudEvents
// identify an event by source + id): both reach every subscriber, with distinct webhook-ids.
// (Before, deliveries were keyed on the bare id: 24 deliveries for 25 events.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFetch } from '../support/auth.js';
import { sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';
import { subscribeReceiver, WebhookReceiver } from '../support/webhook-receiver.js';

const PAIRS = 25;
let cluster: TestCluster;
const receivers = [new WebhookReceiver(), new WebhookReceiver()];

beforeAll(async () => {
  cluster = await startTestCluster({ label: 'sameid' });
  for (const receiver of receivers) await receiver.start();
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
  for (const receiver of receivers) await receiver.stop();
});

describe('events with one id from two sources', () => {
  it('reach every subscriber, each with its own webhook-id', async () => {
    for (const receiver of receivers) await subscribeReceiver(cluster.url, receiver, ['uji.dibuat'], hubFetch);
    const expected = new Set<string>();
    for (let n = 0; n < PAIRS; n++) {
      for (const source of ['/opd/dinas-a', '/opd/dinas-b']) {
        // The same id and subject from two OPDs, through the balancer (so through different instances).
        const event = sampleEvent(`sama-${n}`, { source, subject: `sama-${n}` });
        const posted = await hubFetch(`${cluster.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(event) });
        expect(posted.status).toBe(202);
        expect(((await posted.json()) as { duplicate: boolean }).duplicate).toBe(false);
        expected.add(`${source} sama-${n}`);
      }
    }
    for (const [index, receiver] of receivers.entries()) {
      await waitFor(() => [...expected].every((key) => receiver.delivered().has(key)), 30_000, () => `all ${expected.size} events at subscriber ${index + 1} (${[...expected].filter((key) => receiver.delivered().has(key)).length} so far)`, 200);
      const webhookIds = new Map<string, string>();
      for (const delivery of receiver.deliveries) webhookIds.set(`${delivery.source} ${delivery.id}`, delivery.webhookId);
      expect(new Set([...expected].map((key) => webhookIds.get(key))).size).toBe(expected.size);
      expect(receiver.eventsWithSeveralWebhookIds()).toEqual([]);
    }
  }, 90_000);
});
