// Must show (issue 14): each poller polls from exactly one instance, counted at the upstream:
// every hub reaches each sandbox upstream through a counting proxy of its own, so the calls a
// hub makes are known; with flows off and no client traffic, every upstream call is a poll.
// Then the instance leading the LPSE poller is SIGKILLed: another instance polls LPSE within
// 15 s, continuing from the shared poll cursor and the shared fingerprints of what was
// published (seen-entities on the state layer), so nothing polled is published twice.
// (Before, every hub polled every upstream: N times the calls.)
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/connectors/manifest.js';
import { topicForType } from '../../src/events/cloudevent.js';
import { projectPath } from '../../src/schemas.js';
import { startUpstreamProxy, type UpstreamProxy } from '../faults/fault-support.js';
import { hubFetch } from '../support/auth.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';
import { readTopics } from './topic-records.js';

const INTERVAL_SECONDS = 3;
/** Every polled operation of every connector, with the event types it publishes. */
const polled = readdirSync(projectPath('connectors'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('_'))
  .flatMap((entry) => {
    const manifest = readManifest(projectPath('connectors', entry.name, 'manifest.yaml'), entry.name);
    return Object.entries(manifest.operations).flatMap(([operation, definition]) => {
      const spec = definition as { kind: string; modes?: string[]; eventType?: string; changes?: { eventType?: string } };
      return spec.kind === 'inbound' && spec.modes?.includes('poll') ? [{ connector: manifest.id, baseUrlEnv: manifest.upstream.baseUrlEnv, operation, types: [spec.eventType, spec.changes?.eventType].filter((t): t is string => !!t) }] : [];
    });
  });
const connectors = [...new Set(polled.map((p) => p.connector))];

const work = mkdtempSync(join(tmpdir(), 'penghubung-cluster-pollers-'));
const proxies: UpstreamProxy[][] = [];
let cluster: TestCluster;
const figures: Record<string, number | string> = {};

beforeAll(async () => {
  const configFile = join(work, 'pollers.yaml');
  const operations: Record<string, Record<string, { pollIntervalSeconds: number }>> = {};
  for (const { connector, operation } of polled) (operations[connector] ??= {})[operation] = { pollIntervalSeconds: INTERVAL_SECONDS };
  writeFileSync(configFile, stringify({ connectors: { operations } }));
  const noFlows = mkdtempSync(join(work, 'no-flows-'));
  cluster = await startTestCluster({
    label: 'pollers',
    env: { PENGHUBUNG_CONFIG: configFile, PENGHUBUNG_CONNECTORS__POLLING: 'true', PENGHUBUNG_FLOWS__DIRECTORY: noFlows },
    hubEnv: async (index, upstreams) => {
      const env: Record<string, string> = {};
      proxies[index] = [];
      for (const connector of connectors) {
        const proxy = await startUpstreamProxy(upstreams.simulators.get(connector)!.url, /./);
        proxies[index]!.push(proxy);
        env[polled.find((p) => p.connector === connector)!.baseUrlEnv] = proxy.url;
      }
      return env;
    },
  });
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
  await Promise.allSettled(proxies.flat().map((proxy) => proxy.close()));
  rmSync(work, { recursive: true, force: true });
  console.log(`[cluster pollers] measured: ${JSON.stringify(figures)}`);
});

/** Calls hub `index` made to `connector`'s upstream. */
const calls = (index: number, connector: string): number => proxies[index]![connectors.indexOf(connector)]!.calls;

/** Per poller (`connector/operation`), the live hubs that say they lead it. */
async function leaders(live: number[]): Promise<Map<string, number[]>> {
  const leading = new Map<string, number[]>(polled.map((p) => [`${p.connector}/${p.operation}`, []]));
  for (const index of live) {
    const status = (await (await hubFetch(`${cluster.hubs[index]!.url}/v1/connectors`)).json()) as { connectors: { id: string; polls: Record<string, { leading?: boolean }> }[] };
    for (const connector of status.connectors) {
      for (const [operation, poll] of Object.entries(connector.polls)) if (poll.leading === true) leading.get(`${connector.id}/${operation}`)?.push(index);
    }
  }
  return leading;
}

async function oneLeaderEach(live: number[]): Promise<Map<string, number[]>> {
  let seen = new Map<string, number[]>();
  await waitFor(async () => [...(seen = await leaders(live)).values()].every((hubs) => hubs.length === 1), 60_000, () => `one leader per poller (${JSON.stringify(Object.fromEntries(seen))})`, 250);
  return seen;
}

const topicsOf = (): string[] => [...new Set(polled.flatMap((p) => p.types.map((type) => topicForType(cluster.prefix, type))))];

/** `<topic> <source> <id>` of every event published more than once, with the count. */
function twiceIn(records: { topic: string; event: Record<string, unknown> }[]): [string, number][] {
  const perId = new Map<string, number>();
  for (const { topic, event } of records) {
    const key = `${topic} ${String(event.source)} ${String(event.id)}`;
    perId.set(key, (perId.get(key) ?? 0) + 1);
  }
  return [...perId].filter(([, count]) => count > 1);
}

describe('pollers with a leader', () => {
  let lead = new Map<string, number[]>();

  it('each poller polls from exactly one instance', async () => {
    const live = [0, 1, 2];
    lead = await oneLeaderEach(live);
    const before = live.map((index) => connectors.map((connector) => calls(index, connector)));
    // Two more rounds of every poller (the interval is 3 s).
    const lpseLeader = lead.get(polled.find((p) => p.connector === 'lpse')!.connector + '/' + polled.find((p) => p.connector === 'lpse')!.operation)![0]!;
    const lpseBefore = calls(lpseLeader, 'lpse');
    await waitFor(() => calls(lpseLeader, 'lpse') > lpseBefore + 1, 20_000, 'two more LPSE polls', 100);
    expect(await leaders(live)).toEqual(lead);
    for (const connector of connectors) {
      const polledBy = live.filter((index) => calls(index, connector) > before[index]![connectors.indexOf(connector)]!);
      const leadersOf = [...new Set(polled.filter((p) => p.connector === connector).map((p) => lead.get(`${p.connector}/${p.operation}`)![0]!))];
      // Only instances that lead one of the connector's pollers call its upstream.
      expect(polledBy.every((index) => leadersOf.includes(index)), `${connector}: called by hubs ${polledBy.map((i) => i + 1).join(', ')}, led by ${leadersOf.map((i) => i + 1).join(', ')}`).toBe(true);
    }
    figures['pollers led by hub 1 / 2 / 3'] = live.map((index) => [...lead.values()].filter((hubs) => hubs[0] === index).length).join(' / ');
  }, 120_000);

  it('another instance polls within 15 s of a SIGKILL of the leader, and nothing is published twice', async () => {
    const lpse = polled.find((p) => p.connector === 'lpse')!;
    const victim = lead.get(`lpse/${lpse.operation}`)![0]!;
    const beforeKill = twiceIn(await readTopics(topicsOf()));
    expect(beforeKill, 'published twice before any takeover').toEqual([]);
    const survivors = [0, 1, 2].filter((index) => index !== victim);
    const before = survivors.map((index) => calls(index, 'lpse'));
    const killedAt = Date.now();
    await cluster.kill(victim);
    await waitFor(() => survivors.some((index, n) => calls(index, 'lpse') > before[n]!), 15_000, 'a surviving instance polling LPSE', 50);
    figures['SIGKILL of the LPSE leader → LPSE polled by another instance after s'] = (Date.now() - killedAt) / 1000;
    const after = await oneLeaderEach(survivors);
    figures['SIGKILL → one leader for every poller after s'] = (Date.now() - killedAt) / 1000;
    expect(after.get(`lpse/${lpse.operation}`)![0]).not.toBe(victim);

    // Two more rounds by the new leader, then count what every poller published.
    const newLeader = after.get(`lpse/${lpse.operation}`)![0]!;
    const polls = calls(newLeader, 'lpse');
    await waitFor(() => calls(newLeader, 'lpse') > polls + 1, 20_000, 'two more LPSE polls by the new leader', 100);
    const records = await readTopics(topicsOf());
    const twice = twiceIn(records);
    figures['polled events published'] = records.length;
    figures['polled events published twice after the takeover'] = twice.length;
    expect(records.length).toBeGreaterThan(0);
    expect(twice.map(([key]) => key)).toEqual([]);
  }, 120_000);
});
