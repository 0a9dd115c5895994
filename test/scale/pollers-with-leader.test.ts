// Pollers with a leader (issue 14, item 5): three hubs on one Kafka poll ONE LAPOR! simulator,
// each through its own counting proxy, so the upstream calls of each instance are counted apart.
// Each poller runs on exactly one live instance, and every instance's status API names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../connectors/lapor/simulator.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import type { Hub } from '../../src/hub.js';
import { startUpstreamProxy, type UpstreamProxy } from '../faults/fault-support.js';
import { hubFetch } from '../support/auth.js';
import { uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { startHubs, untilMembers } from './three-hubs.js';

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
  });
});
