// The pieces of cluster-wide budgets and leases that need no Kafka: shares of a limit, the
// numbering of leases, one instance alone, and the daily quota shared through a state layer
// (two instances linked in memory, as the Kafka backend links them through its topic).
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SingleInstance, shareOf } from '../../src/cluster/cluster.js';
import { leaseAssigner } from '../../src/cluster/lease-assigner.js';
import { LeasePartitions } from '../../src/cluster/lease-partitions.js';
import { shareQuotas } from '../../src/connectors/shared-quotas.js';
import { QuotaGate } from '../../src/resilience/quota.js';
import { MaterialisedState } from '../../src/state/state-layer.js';

/** Instances whose writes reach each other at once (local to the writer, remote to the rest). */
class LinkedState extends MaterialisedState {
  readonly kind = 'kafka' as const;
  constructor(private readonly peers: LinkedState[]) {
    super();
    peers.push(this);
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
  protected async persist(table: string, key: string, value: unknown): Promise<void> {
    this.apply(table, key, value, 'local');
    for (const peer of this.peers) if (peer !== this) peer.receive(table, key, value);
  }
  private receive(table: string, key: string, value: unknown): void {
    this.apply(table, key, value, 'remote');
  }
}

describe('shareOf', () => {
  it('divides a limit among the members, rounding down, never below one', () => {
    expect(shareOf(4, 1)).toBe(4);
    expect(shareOf(4, 3)).toBe(1);
    expect(shareOf(8, 3)).toBe(2);
    expect(shareOf(2, 5)).toBe(1);
    expect(shareOf(6, 0)).toBe(6);
  });
});

describe('LeasePartitions', () => {
  it('numbers leases by name, whatever order an instance lists them in', () => {
    const a = new LeasePartitions(['sipd:rup', 'lapor:pengaduan-masuk', 'lpse:paket-masuk']);
    const b = new LeasePartitions(['lpse:paket-masuk', 'sipd:rup', 'lapor:pengaduan-masuk', 'sipd:rup']);
    expect(a.names).toEqual(b.names);
    expect(a.partitionOf('lapor:pengaduan-masuk')).toBe(0);
    expect(b.leaseOf(2)).toBe('sipd:rup');
    expect(a.count).toBe(3);
    expect(a.partitionOf('tidak-ada')).toBeUndefined();
  });

  it('keeps one partition when there is nothing to lead, so the group still counts members', () => {
    expect(new LeasePartitions([]).count).toBe(1);
  });
});

describe('SingleInstance', () => {
  it('is the only member and leads every lease it started with', async () => {
    const alone = new SingleInstance('satu');
    expect(alone.leads('lapor:pengaduan-masuk')).toBe(false);
    await alone.start(['lapor:pengaduan-masuk']);
    expect(alone.liveMembers()).toBe(1);
    expect(alone.leads('lapor:pengaduan-masuk')).toBe(true);
    expect(alone.leaderOf('lapor:pengaduan-masuk')).toBe('satu');
    expect(alone.leads('sipd:rup')).toBe(false);
    await alone.close();
    expect(alone.leads('lapor:pengaduan-masuk')).toBe(false);
  });
});

describe('shareQuotas', () => {
  it('stops every instance when one hears the quota is used up, and reopens them all together', async () => {
    const peers: LinkedState[] = [];
    const [a, b] = [new LinkedState(peers), new LinkedState(peers)];
    const gates = { a: new QuotaGate(), b: new QuotaGate() };
    const logger = pino({ level: 'silent' });
    const stops = [shareQuotas([{ id: 'siak', quota: gates.a }], a, logger), shareQuotas([{ id: 'siak', quota: gates.b }], b, logger)];
    const resets = new Date(Date.now() + 3_600_000);
    gates.a.exhaust(resets);
    await Promise.resolve();
    expect(gates.b.blockedUntil()).toEqual(resets);
    expect(a.table('upstream-quotas').get('siak')).toEqual({ resets_at: resets.toISOString() });
    gates.b.reopen();
    await Promise.resolve();
    expect(gates.a.blockedUntil()).toBeUndefined();
    expect(a.table('upstream-quotas').size).toBe(0);
    for (const stop of stops) stop();
  });

  it('takes the shared state at start: an instance started after the quota ran out does not call', async () => {
    const peers: LinkedState[] = [];
    const a = new LinkedState(peers);
    const resets = new Date(Date.now() + 3_600_000);
    await a.table('upstream-quotas').put('siak', { resets_at: resets.toISOString() });
    const late = new QuotaGate();
    shareQuotas([{ id: 'siak', quota: late }, { id: 'lapor', quota: undefined }], a, pino({ level: 'silent' }))();
    expect(late.blockedUntil()).toEqual(resets);
  });
});

describe('leaseAssigner', () => {
  // A leases topic of five partitions, as kafkajs's cluster metadata describes it to the assigner.
  const context = { cluster: { findTopicPartitionMetadata: () => [0, 1, 2, 3, 4].map((partitionId) => ({ partitionId })) }, groupId: 'uji._leases', logger: undefined } as unknown as Parameters<PartitionAssigner>[0];
  const member = (memberId: string, polls: boolean): { memberId: string; memberMetadata: Buffer } => ({ memberId, memberMetadata: leaseAssigner(polls)(context).protocol({ topics: ['uji._leases'] }).metadata });
  const assign = async (members: { memberId: string; memberMetadata: Buffer }[]): Promise<Record<string, number[]>> => {
    const assigned = await leaseAssigner(true)(context).assign({ members, topics: ['uji._leases'] });
    return Object.fromEntries(assigned.map(({ memberId, memberAssignment }) => [memberId, AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment['uji._leases'] ?? []]));
  };

  it('gives every partition to exactly one member, round robin among those that poll', async () => {
    expect(await assign([member('b', true), member('a', true), member('c', false)])).toEqual({ a: [0, 2, 4], b: [1, 3], c: [] });
  });

  it('lets every member lead when none polls on schedule, so a poll asked by an operator still runs', async () => {
    expect(await assign([member('a', false), member('b', false)])).toEqual({ a: [0, 2, 4], b: [1, 3] });
  });

  it('gives nothing to a member whose metadata it cannot read', async () => {
    expect(await assign([member('a', true), { memberId: 'x', memberMetadata: Buffer.from('not metadata') }])).toEqual({ a: [0, 1, 2, 3, 4], x: [] });
  });
});
