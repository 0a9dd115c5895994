// Pollers with a leader (issue 14, item 5): three hubs on one Kafka poll ONE LAPOR! simulator,
// each through its own counting proxy, so the upstream calls of each instance are counted apart.
// Each poller runs on exactly one live instance, and every instance's status API names it; a
// poll asked of another instance is run by the leader. When the leader closes, another instance
// takes over and continues from the shared poll cursor, publishing nothing twice (read from the
// topic). The takeover time is printed (docs/SCALING.md quotes it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../connectors/lapor/simulator.js';
import { pino } from 'pino';
import { KafkaBus } from '../../src/bus/kafka-bus.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import { topicForType } from '../../src/events/cloudevent.js';
import type { Hub } from '../../src/hub.js';
import { addComplaints, startUpstreamProxy, type UpstreamProxy } from '../faults/fault-support.js';
import { hubFetch } from '../support/auth.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { startClusterHub, startHubs, untilMembers } from './three-hubs.js';

const LAPOR_LISTING = /^\/api\/v2\/instansi\/[^/]+\/laporan\/?$/;
const LEASE = 'lapor:pengaduan-masuk';
const prefix = uniqueName('leaders').toLowerCase();

let simulator: Simulator;
const proxies: UpstreamProxy[] = [];
let hubs: Hub[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
  for (let i = 0; i < 3; i++) proxies.push(await startUpstreamProxy(simulator.url, LAPOR_LISTING));
  hubs = await startHubs(3, prefix, { connectors: { polling: true, operations: { lapor: { 'pengaduan-masuk': { pollIntervalSeconds: 1 } } } } }, (i) => ({ LAPOR_BASE_URL: proxies[i]!.url }));
  await untilMembers(hubs);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(hubs.map((hub) => hub.close()));
  await Promise.allSettled(proxies.map((proxy) => proxy.close()));
  await simulator?.close();
});

const leaderIndex = (lease: string, among: Hub[]): number[] => among.flatMap((hub, i) => (hub.connectors.pollers.get(lease)!.leading ? [hubs.indexOf(among[i]!)] : []));
const calls = (): number[] => proxies.map((p) => p.calls);

describe('pollers with a leader', () => {
  it('polls each poller from exactly one instance, and every instance names the same leader', async () => {
    const leases = [...hubs[0]!.connectors.pollers.keys()];
    expect(leases).toContain(LEASE);
    await waitFor(() => leases.every((lease) => leaderIndex(lease, hubs).length === 1), 30_000, () => `one leader per poller (${leases.map((l) => `${l}: ${leaderIndex(l, hubs).join('+') || 'none'}`).join(', ')})`, 100);
    const leader = leaderIndex(LEASE, hubs)[0]!;
    const before = calls();
    await waitFor(() => proxies[leader]!.calls >= before[leader]! + 3, 20_000, 'three more polls by the leader');
    const after = calls();
    expect(after.filter((_, i) => i !== leader)).toEqual(before.filter((_, i) => i !== leader));

    // The status API on every instance names the leader of each poll.
    for (const hub of hubs) {
      const status = (await (await hubFetch(`${hub.url}/v1/connectors/lapor`)).json()) as { polls: Record<string, { leader: string | null; leading: boolean }> };
      expect(status.polls['pengaduan-masuk']).toMatchObject({ leader: hubs[leader]!.cluster.instance, leading: hub === hubs[leader] });
    }
    const overview = (await (await hubFetch(`${hubs[0]!.url}/v1/connectors`)).json()) as { live_instances: number };
    expect(overview.live_instances).toBe(3);

    // And the metrics: each instance counts three members; across them the poller is led once.
    const scrapes = await Promise.all(hubs.map(async (hub) => (await hubFetch(`${hub.url}/metrics`)).text()));
    for (const scrape of scrapes) expect(scrape).toMatch(/^penghubung_cluster_members 3$/m);
    const leading = scrapes.map((scrape) => Number(/^penghubung_poller_leading\{connector="lapor",operation="pengaduan-masuk"\} (\d)$/m.exec(scrape)?.[1]));
    expect(leading).toEqual(hubs.map((_, i) => (i === leader ? 1 : 0)));
  });

  it('gives no poller to an instance with polling off, which still counts as a member', async () => {
    const quiet = await startClusterHub(prefix, { connectors: { polling: false } }, { LAPOR_BASE_URL: proxies[0]!.url });
    try {
      await untilMembers([...hubs, quiet]);
      const leases = [...quiet.connectors.pollers.keys()];
      await waitFor(() => leases.every((lease) => leaderIndex(lease, hubs).length === 1), 30_000, 'one leader per poller among the polling hubs after the rebalance', 100);
      expect(leases.filter((lease) => quiet.connectors.pollers.get(lease)!.leading)).toEqual([]);
      expect(quiet.cluster.leaderOf(LEASE)).toBe(hubs[leaderIndex(LEASE, hubs)[0]!]!.cluster.instance);
    } finally {
      await quiet.close();
    }
    await untilMembers(hubs);
  });

  it('has the leader run a poll asked of another instance', async () => {
    const leader = leaderIndex(LEASE, hubs)[0]!;
    const other = (leader + 1) % hubs.length;
    const before = calls();
    const answer = await hubFetch(`${hubs[other]!.url}/v1/connectors/lapor/operations/pengaduan-masuk/poll`, { method: 'POST' });
    expect(answer.status).toBe(200);
    const outcome = (await answer.json()) as { leader: string; pages: number; error: unknown };
    expect(outcome).toMatchObject({ leader: hubs[leader]!.cluster.instance, error: null });
    expect(outcome.pages).toBeGreaterThanOrEqual(1);
    expect(proxies[other]!.calls).toBe(before[other]);
  });

  it('hands the poller to another instance within 15 s of the leader closing, which continues from the shared cursor and publishes nothing twice', async () => {
    const leader = leaderIndex(LEASE, hubs)[0]!;
    const first = await addComplaints(simulator.url, '190000000000000', 5);
    const reader = await topicReader(topicForType(prefix, 'pengaduan.diterima'), 'pengaduan.diterima');
    try {
      await waitFor(() => first.every((id) => reader.perSubject.has(`lapor-${id}`)), 20_000, () => `the leader to publish the first five complaints (published: ${[...reader.perSubject.keys()].join(', ')}; last poll: ${JSON.stringify(hubs[leader]!.connectors.pollers.get(LEASE)!.lastOutcome)})`);
      const closed = Date.now();
      await hubs[leader]!.close();
      const closedIn = Date.now() - closed;
      const survivors = hubs.filter((_, i) => i !== leader);
      const before = calls();
      await waitFor(() => survivors.some((hub) => proxies[hubs.indexOf(hub)]!.calls > before[hubs.indexOf(hub)]!), 15_000, 'another instance to poll LAPOR!', 50);
      const takeoverMs = Date.now() - closed;
      expect(leaderIndex(LEASE, survivors)).toHaveLength(1);
      const second = await addComplaints(simulator.url, '190000000000001', 5);
      await waitFor(() => second.every((id) => reader.perSubject.has(`lapor-${id}`)), 20_000, 'the new leader to publish the next five complaints');
      await reader.untilCaughtUp();
      const repeated = [...reader.perId].filter(([, times]) => times > 1);
      const repeatedSubjects = [...reader.perSubject].filter(([, times]) => times > 1);
      console.log(`[leader] poller takeover after the leader closed: ${takeoverMs} ms (close took ${closedIn} ms); ${reader.records} events read, ${repeated.length} ids published twice`);
      expect(takeoverMs).toBeLessThan(15_000);
      expect(repeated).toEqual([]);
      expect(repeatedSubjects).toEqual([]);
    } finally {
      await reader.close();
    }
  }, 90_000);
});

/** Follows a topic from its beginning, counting each event id and subject of one type (flows publish others there). */
async function topicReader(topic: string, type: string): Promise<{ perId: Map<string, number>; perSubject: Map<string, number>; readonly records: number; untilCaughtUp(): Promise<void>; close(): Promise<void> }> {
  const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'leader-test-reader', partitions: 3, replicationFactor: 1, logger: pino({ level: 'silent' }) });
  await bus.start();
  const groupId = uniqueName('leader-reader');
  const perId = new Map<string, number>();
  const perSubject = new Map<string, number>();
  let records = 0;
  const subscription = await bus.subscribe({
    groupId,
    topic,
    start: { from: 'earliest' },
    handler: async ({ event }) => {
      if (event.type !== type) return;
      records++;
      perId.set(event.id, (perId.get(event.id) ?? 0) + 1);
      if (event.subject) perSubject.set(event.subject, (perSubject.get(event.subject) ?? 0) + 1);
    },
  });
  return {
    perId,
    perSubject,
    get records() {
      return records;
    },
    untilCaughtUp: () => waitFor(async () => (await bus.lag(groupId, topic)) === 0, 20_000, `the reader to reach the end of ${topic}`, 250),
    close: async () => {
      await subscription.close();
      await bus.close();
    },
  };
}
