// Leases as partitions of one topic: the group protocol hands each partition to exactly one
// live member, so the member holding partition i leads lease i. Every instance sorts the same
// lease names the same way, so they agree on the numbering without talking.

export class LeasePartitions {
  private readonly byLease: Map<string, number>;
  readonly names: string[];

  constructor(leases: string[]) {
    this.names = [...new Set(leases)].sort();
    this.byLease = new Map(this.names.map((name, index) => [name, index]));
  }

  /** Partitions the leases topic needs (at least 1, so a cluster without pollers still has a group). */
  get count(): number {
    return Math.max(1, this.names.length);
  }

  partitionOf(lease: string): number | undefined {
    return this.byLease.get(lease);
  }

  leaseOf(partition: number): string | undefined {
    return this.names[partition];
  }
}
