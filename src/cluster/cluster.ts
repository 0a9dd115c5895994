// Which hub instances are alive and which one leads each piece of singleton work (a poller).
// Answers are local and instant (kept up to date in the background), so a request path may ask
// on every call. On Kafka the answers come from one consumer group (kafka-cluster.ts); the
// embedded bus has one instance, which is the whole cluster.

export interface Cluster {
  /** This instance's id (its data directory's instance-id). */
  readonly instance: string;
  /** Live instances, this one included; at least 1. */
  liveMembers(): number;
  /** True while this instance leads `lease` (a poller's `connector:operation`). */
  leads(lease: string): boolean;
  /** The instance that leads `lease` as last seen, or undefined while nobody does. */
  leaderOf(lease: string): string | undefined;
  /** Called when the members or this instance's leases change; returns the function that stops it. */
  onChange(listener: () => void): () => void;
  /** Joins with the names of every lease the instances share (the same list on every instance). */
  start(leases: string[]): Promise<void>;
  close(): Promise<void>;
}

/** One instance alone: it is every member and leads everything. */
export class SingleInstance implements Cluster {
  private leases = new Set<string>();

  constructor(readonly instance: string) {}

  liveMembers(): number {
    return 1;
  }

  leads(lease: string): boolean {
    return this.leases.has(lease);
  }

  leaderOf(lease: string): string | undefined {
    return this.leases.has(lease) ? this.instance : undefined;
  }

  onChange(): () => void {
    return () => undefined;
  }

  async start(leases: string[]): Promise<void> {
    this.leases = new Set(leases);
  }

  async close(): Promise<void> {
    this.leases.clear();
  }
}

/**
 * This instance's share of a cluster-wide budget: `limit` divided among the live members,
 * rounded down so the instances together never exceed it, and at least 1 so each can work.
 */
export function shareOf(limit: number, members: number): number {
  return Math.max(1, Math.floor(limit / Math.max(1, members)));
}
