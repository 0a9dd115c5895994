// Cluster membership and leases through one Kafka consumer group, the way Kafka Connect's
// workers share their connectors: every instance joins the group `<prefix>._leases` on the topic
// of the same name, which has one partition per lease (lease-partitions.ts). The group protocol
// gives each partition to exactly one live member; a member that stops heartbeating is dropped
// after the session timeout and its partitions go to the others.
//
// A lease is held from the group join that assigned it until this member hears the group is
// rebalancing (it lets go before rejoining, so before the new assignment is made), its consumer
// stops, or it has not reached the coordinator for half the session timeout (so a member cut
// off from Kafka stops leading before the group can have handed the lease to another).
import { AssignerProtocol, type Admin, type Consumer, type Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafkaClient } from '../bus/kafka-client.js';
import { retrying } from '../resilience/policies.js';
import type { Cluster } from './cluster.js';
import { leaseAssigner } from './lease-assigner.js';
import { LeasePartitions } from './lease-partitions.js';

export interface KafkaClusterOptions {
  brokers: string[];
  topicPrefix: string;
  replicationFactor: number;
  /** This instance's id; also the Kafka client id, which is how members recognise each other. */
  instance: string;
  /** Whether this instance runs pollers (`connectors.polling`): only those are given leases. */
  polls: boolean;
  logger: Logger;
}

/** The same as the bus's consumers: a dead member's leases move within 10 s. */
const sessionTimeoutMs = 10_000;
const heartbeatIntervalMs = 1000;
/** Without news from the coordinator this long, a lease is let go (the group drops us at sessionTimeoutMs). */
const contactValidMs = sessionTimeoutMs / 2;
/** How often the member list is read again besides after every join (a safety net, not the main path). */
const describeEveryMs = 5000;

export class KafkaCluster implements Cluster {
  readonly instance: string;
  private readonly kafka: Kafka;
  private readonly topic: string;
  private readonly listeners = new Set<() => void>();
  private readonly closing = new AbortController();
  private leases = new LeasePartitions([]);
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private assigned = new Set<number>();
  private lastContact = 0;
  private members = 1;
  private leaders = new Map<number, string>();
  private refresher: NodeJS.Timeout | undefined;
  private joining: Promise<void> | undefined;

  constructor(private readonly options: KafkaClusterOptions) {
    this.instance = options.instance;
    this.topic = `${options.topicPrefix}._leases`;
    this.kafka = createKafkaClient({ clientId: options.instance, brokers: options.brokers, logger: options.logger.child({ component: 'cluster' }) });
  }

  liveMembers(): number {
    return this.members;
  }

  leads(lease: string): boolean {
    const partition = this.leases.partitionOf(lease);
    return partition !== undefined && this.assigned.has(partition) && Date.now() - this.lastContact < contactValidMs;
  }

  leaderOf(lease: string): string | undefined {
    if (this.leads(lease)) return this.instance;
    const partition = this.leases.partitionOf(lease);
    const leader = partition === undefined ? undefined : this.leaders.get(partition);
    // What the last description said about this instance is stale once it no longer leads.
    return leader === this.instance ? undefined : leader;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Joins in the background: a hub whose Kafka is down at boot still starts, leading nothing. */
  async start(leases: string[]): Promise<void> {
    this.leases = new LeasePartitions(leases);
    this.joining ??= retrying(() => this.join(), {
      attempts: Infinity,
      baseMs: 250,
      capMs: 5000,
      onRetry: (error, attempt) => this.options.logger.warn({ err: error, attempt }, 'cannot join the cluster yet; retrying'),
    }, this.closing.signal).catch((error: unknown) => {
      if (!this.closing.signal.aborted) this.options.logger.error({ err: error }, 'gave up joining the cluster');
    });
  }

  async close(): Promise<void> {
    this.closing.abort();
    clearInterval(this.refresher);
    await this.joining;
    this.letGo();
    // Disconnecting leaves the group at once, so the others take over without waiting for the session timeout.
    await Promise.allSettled([this.consumer?.disconnect(), this.admin?.disconnect()]);
  }

  private async join(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.admin ??= this.kafka.admin();
    await this.admin.connect();
    // A failed attempt may have left a consumer half started.
    await this.consumer?.disconnect().catch(() => undefined);
    clearInterval(this.refresher);
    await this.ensureTopic(this.admin);
    await this.countBeforeJoining(this.admin);
    const consumer = this.kafka.consumer({
      groupId: this.topic,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      rebalanceTimeout: sessionTimeoutMs,
      maxWaitTimeInMs: 1000,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
      partitionAssigners: [leaseAssigner(this.options.polls)],
    });
    this.consumer = consumer;
    const { GROUP_JOIN, HEARTBEAT, REBALANCING, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      this.assigned = new Set(payload.memberAssignment[this.topic] ?? []);
      this.lastContact = Date.now();
      this.changed();
      void this.describe();
    });
    consumer.on(HEARTBEAT, () => {
      this.lastContact = Date.now();
    });
    consumer.on(REBALANCING, () => this.letGo());
    consumer.on(CRASH, () => this.letGo());
    consumer.on(STOP, () => this.letGo());
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    // Nothing is ever written to the leases topic: the group's assignment is the whole message.
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    this.refresher = setInterval(() => void this.describe(), describeEveryMs);
    this.refresher.unref();
  }

  /** One partition per lease; a topic made for fewer leases (before a connector was added) grows. */
  private async ensureTopic(admin: Admin): Promise<void> {
    const wanted = this.leases.count;
    if (!(await admin.listTopics()).includes(this.topic)) {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: this.topic, numPartitions: wanted, replicationFactor: this.options.replicationFactor }] });
      return;
    }
    const { topics } = await admin.fetchTopicMetadata({ topics: [this.topic] });
    const have = topics[0]?.partitions.length ?? 0;
    if (have < wanted) await admin.createPartitions({ topicPartitions: [{ topic: this.topic, count: wanted }] });
  }

  /**
   * The members already there, plus this one: the count budgets are divided by from the start,
   * instead of 1 until the first rebalance (which would let a new instance allow a whole limit).
   */
  private async countBeforeJoining(admin: Admin): Promise<void> {
    const { groups } = await admin.describeGroups([this.topic]);
    const others = (groups[0]?.members ?? []).filter((member) => member.clientId !== this.instance).length;
    if (others + 1 === this.members) return;
    this.members = others + 1;
    this.changed();
  }

  /** Reads who is in the group and who holds which partition (members, and leaders for the status API). */
  private async describe(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || this.closing.signal.aborted) return;
    try {
      const group = await consumer.describeGroup();
      if (group.state !== 'Stable') return;
      const leaders = new Map<number, string>();
      for (const member of group.members) {
        const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        for (const partition of assignment?.assignment[this.topic] ?? []) leaders.set(partition, member.clientId);
      }
      const members = Math.max(1, group.members.length);
      const changed = members !== this.members;
      this.members = members;
      this.leaders = leaders;
      if (changed) this.changed();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not describe the cluster group; keeping the last answer');
    }
  }

  private letGo(): void {
    if (this.assigned.size === 0) return;
    this.assigned = new Set();
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'a cluster listener failed');
      }
    }
  }
}
