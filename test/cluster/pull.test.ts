// Must show (issue 14): 1,000 events posted round robin through nginx; the pull API of ANY
// instance returns all 1,000, in order per key, and a cursor from one instance continues on
// another. (Before the pull API read Kafka, each of two hubs returned only its own 500 and a
// cursor from one silently skipped 316 events on the other.)
// The order per key is the order of the key's partition, the same on every instance and across
// cursors. It is the order the client posted in only where one instance accepted the events: an
// instance acknowledges (202) once the event is in its own outbox, and two instances' relays
// publish independently, so two events of one key accepted by different instances a few hundred
// milliseconds apart can reach Kafka in either order. The test counts those (printed, not
// asserted; docs/SCALING.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFetch } from '../support/auth.js';
import { sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';

const KEYS = 20;
const PER_KEY = 50;
const TOTAL = KEYS * PER_KEY;
const type = 'uji.dibuat';

let cluster: TestCluster;
const figures: Record<string, number | string> = {};

beforeAll(async () => {
  cluster = await startTestCluster({ label: 'pull' });
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
  console.log(`[cluster pull] measured: ${JSON.stringify(figures)}`);
});

interface Pulled {
  id: string;
  subject: string;
  data: { urutan: number };
}

async function page(url: string, after: string | undefined, limit: number): Promise<{ events: Pulled[]; next: string }> {
  const query = new URLSearchParams({ type, limit: String(limit), ...(after === undefined ? {} : { after }) });
  const response = await hubFetch(`${url}/v1/events?${query}`);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET /v1/events at ${url}: ${response.status} ${body}`);
  return JSON.parse(body) as { events: Pulled[]; next: string };
}

/** Pages through the pull API, each page from the next of `urls` in turn, until `TOTAL` events or an empty page. */
async function pullAll(urls: string[], limit: number): Promise<Pulled[]> {
  const events: Pulled[] = [];
  let after: string | undefined;
  for (let n = 0; events.length < TOTAL; n++) {
    const answer = await page(urls[n % urls.length]!, after, limit);
    if (answer.events.length === 0) break;
    events.push(...answer.events);
    after = answer.next;
  }
  return events;
}

/** Per key, the `urutan` of its events in the order pulled. */
function orderPerKey(events: Pulled[]): Map<string, number[]> {
  const ids = events.map((event) => event.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(TOTAL);
  const perKey = new Map<string, number[]>();
  for (const event of events) perKey.set(event.subject, [...(perKey.get(event.subject) ?? []), event.data.urutan]);
  expect(perKey.size).toBe(KEYS);
  return perKey;
}

/** Events pulled before an event of their key that was posted (and acknowledged) earlier. */
function behindPostingOrder(perKey: Map<string, number[]>): number {
  let count = 0;
  for (const order of perKey.values()) order.forEach((urutan, index) => (count += order.slice(0, index).some((earlier) => earlier > urutan) ? 1 : 0));
  return count;
}

let reference: Map<string, number[]>;

describe('the pull API behind a balancer', () => {
  it('returns all 1,000 events posted round robin from every instance, in one order per key', async () => {
    // One sender per key, each waiting for its 202 before the next: the order per key is defined.
    const started = Date.now();
    const byHub = cluster.hubs.map(() => 0);
    await Promise.all(Array.from({ length: KEYS }, async (_, key) => {
      for (let urutan = 0; urutan < PER_KEY; urutan++) {
        const event = sampleEvent(`tarik-${key}-${urutan}`, { subject: `kunci-${key}`, data: { nomor: `${key}-${urutan}`, urutan } });
        const response = await hubFetch(`${cluster.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(event) });
        expect(response.status, await response.text()).toBe(202);
        byHub[cluster.answeredBy(response)]! += 1;
      }
    }));
    figures['posted through nginx in s'] = (Date.now() - started) / 1000;
    figures['accepted by hub 1 / 2 / 3'] = byHub.join(' / ');
    expect(byHub.every((count) => count > TOTAL / 4)).toBe(true);

    for (const hub of cluster.hubs) {
      let pulled: Pulled[] = [];
      await waitFor(async () => (pulled = await pullAll([hub.url], 1000)).length >= TOTAL, 30_000, () => `all ${TOTAL} events from hub ${hub.index + 1}'s pull API (${pulled.length} so far)`, 500);
      // Every instance gives every key's events in the same order.
      const perKey = orderPerKey(pulled);
      reference ??= perKey;
      expect(perKey).toEqual(reference);
    }
    figures['events pulled behind an earlier-posted event of their key (accepted by different instances)'] = behindPostingOrder(reference);
  }, 240_000);

  it('continues a cursor from one instance on another, skipping nothing', async () => {
    // Pages of 150, each from the next instance: every cursor is used on an instance that did not issue it.
    expect(orderPerKey(await pullAll(cluster.hubs.map((hub) => hub.url), 150))).toEqual(reference);
    // And through the balancer, as an OPD app would.
    expect(orderPerKey(await pullAll([cluster.url], 150))).toEqual(reference);
  }, 60_000);
});
