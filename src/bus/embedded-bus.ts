// The embedded event bus: a durable, partitioned log in one SQLite file, with Kafka's
// semantics (topics, keyed partitions, consumer groups with committed offsets, replay) for
// hubs that run on one machine without Kafka. One process owns the file.
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { CloudEvent } from '../events/cloudevent.js';
import { parseJson, stringifyJson } from '../events/json.js';
import type { BusRecord, EventBus, OutgoingMessage, StartPosition, SubscribeOptions, Subscription } from './event-bus.js';
import { partitionFor } from './partitioner.js';
import { retrying } from '../resilience/policies.js';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';

export interface EmbeddedBusOptions {
  file: string;
  partitions: number;
  /** How soon a member looks again at a partition another member of its group was still processing (a rebalance). */
  pollIntervalMs: number;
  /** Pause before a failed handler is called again with the same record. */
  retryDelayMs?: number;
}

interface RecordRow {
  partition: number;
  offset: number;
  key: string | null;
  timestamp: number;
  event: string;
  headers: string;
}

interface Member {
  id: number;
  closed: boolean;
  /** Aborted on close: cuts a failing handler's retry pause short. */
  closing: AbortController;
}

const fetchSize = 200;

export class EmbeddedBus implements EventBus, PrunableStore {
  readonly storeName = 'bus';
  readonly kind = 'embedded' as const;
  private db!: Database.Database;
  private readonly partitionCounts = new Map<string, number>();
  private readonly nextOffsets = new Map<string, number>();
  private readonly published = new EventEmitter();
  /** Wake-ups per topic so far: a consumer that read nothing sleeps only if none came since it began reading. */
  private readonly wakeups = new Map<string, number>();
  /** In-process members of each group, per topic: partitions are shared among them. */
  private readonly members = new Map<string, Member[]>();
  /** Partitions a member is processing right now, so a rebalance never runs one twice. */
  private readonly busyPartitions = new Set<string>();
  private readonly loops = new Set<Promise<void>>();
  private nextMemberId = 1;

  constructor(private readonly options: EmbeddedBusOptions) {
    this.published.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.db = openStore({ name: this.storeName, file: this.options.file, migrations: [`
      CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS records (
        topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
        key TEXT, timestamp INTEGER NOT NULL, event TEXT NOT NULL, headers TEXT NOT NULL,
        PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS records_by_time ON records (topic, partition, timestamp);
      CREATE TABLE IF NOT EXISTS group_offsets (
        group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
        PRIMARY KEY (group_id, topic, partition)) WITHOUT ROWID;
    `] });
    for (const row of this.db.prepare('SELECT name, partitions FROM topics').all() as { name: string; partitions: number }[]) {
      this.partitionCounts.set(row.name, row.partitions);
    }
  }

  async ensureTopics(topics: string[]): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO topics (name, partitions) VALUES (?, ?)');
    for (const topic of topics) {
      if (this.partitionCounts.has(topic)) continue;
      insert.run(topic, this.options.partitions);
      this.partitionCounts.set(topic, this.options.partitions);
    }
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopics(messages.map((m) => m.topic));
    const insert = this.db.prepare('INSERT INTO records (topic, partition, offset, key, timestamp, event, headers) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const now = Date.now();
    const touched = new Set<string>();
    this.db.transaction(() => {
      for (const message of messages) {
        const partition = partitionFor(message.key, this.partitionCounts.get(message.topic) ?? 1);
        const offset = this.nextOffset(message.topic, partition);
        insert.run(message.topic, partition, offset, message.key, now, stringifyJson(message.event), JSON.stringify(message.headers ?? {}));
        this.nextOffsets.set(`${message.topic}/${partition}`, offset + 1);
        touched.add(message.topic);
      }
    })();
    for (const topic of touched) this.wake(topic);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    await this.ensureTopics([options.topic]);
    const partitions = this.partitionCounts.get(options.topic) ?? 1;
    const startAt = options.replay ?? options.start ?? { from: 'earliest' };
    const place = (partition: number, overwrite: boolean): void => {
      const offset = this.offsetAt(options.topic, partition, startAt);
      this.db.prepare(`INSERT INTO group_offsets (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?)
        ON CONFLICT DO ${overwrite ? 'UPDATE SET next_offset = excluded.next_offset' : 'NOTHING'}`).run(options.groupId, options.topic, partition, offset);
    };
    for (let partition = 0; partition < partitions; partition++) place(partition, options.replay !== undefined);
    // A replay moved the group's offsets: its members already waiting must read again.
    if (options.replay !== undefined) this.wake(options.topic);

    const groupKey = `${options.groupId}\u0000${options.topic}`;
    const member: Member = { id: this.nextMemberId++, closed: false, closing: new AbortController() };
    this.members.set(groupKey, [...(this.members.get(groupKey) ?? []), member]);
    const loop = this.consume(options, groupKey, member, partitions);
    this.loops.add(loop);
    return {
      close: async () => {
        member.closed = true;
        member.closing.abort();
        this.wake(options.topic);
        await loop;
        this.loops.delete(loop);
        this.members.set(groupKey, (this.members.get(groupKey) ?? []).filter((m) => m !== member));
      },
    };
  }

  async lag(groupId: string, topic: string): Promise<number> {
    const partitions = this.partitionCounts.get(topic) ?? 0;
    let lag = 0;
    for (let partition = 0; partition < partitions; partition++) {
      const committed = this.db.prepare('SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?').pluck().get(groupId, topic, partition) as number | undefined;
      const first = (this.db.prepare('SELECT MIN(offset) FROM records WHERE topic = ? AND partition = ?').pluck().get(topic, partition) as number | null) ?? 0;
      lag += Math.max(0, this.nextOffset(topic, partition) - (committed ?? first));
    }
    return lag;
  }

  /**
   * Forgets records published before `cutoff`, like Kafka's retention.ms, whether or not a
   * group read them; the last record of each partition stays so its offsets keep counting.
   */
  prune(cutoff: number): number {
    return this.db.prepare(`DELETE FROM records AS r WHERE r.timestamp < ?
      AND r.offset < (SELECT MAX(offset) FROM records AS last WHERE last.topic = r.topic AND last.partition = r.partition)`).run(cutoff).changes;
  }

  size(): StoreSize {
    return measureStore(this.db, this.options.file);
  }

  async healthy(): Promise<boolean> {
    try {
      return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    for (const list of this.members.values()) {
      for (const member of list) {
        member.closed = true;
        member.closing.abort();
      }
    }
    for (const topic of this.partitionCounts.keys()) this.wake(topic);
    await Promise.allSettled([...this.loops]);
    this.db.close();
  }

  private async consume(options: SubscribeOptions, groupKey: string, member: Member, partitions: number): Promise<void> {
    const fetch = this.db.prepare('SELECT partition, offset, key, timestamp, event, headers FROM records WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?');
    const committed = this.db.prepare('SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?');
    const commit = this.db.prepare('UPDATE group_offsets SET next_offset = ? WHERE group_id = ? AND topic = ? AND partition = ?');
    const retryDelayMs = this.options.retryDelayMs ?? 1000;

    while (!member.closed) {
      const since = this.wakeups.get(options.topic) ?? 0;
      let delivered = 0;
      let skipped = false;
      for (const partition of this.assignedPartitions(groupKey, member, partitions)) {
        const busyKey = `${groupKey}\u0000${partition}`;
        if (this.busyPartitions.has(busyKey)) {
          skipped = true;
          continue;
        }
        this.busyPartitions.add(busyKey);
        const next = (committed.get(options.groupId, options.topic, partition) as { next_offset: number }).next_offset;
        let handledThrough = next;
        try {
          for (const row of fetch.all(options.topic, partition, next, fetchSize) as RecordRow[]) {
            if (member.closed) break;
            // A handler that throws gets the same record again after a pause, until it takes it.
            try {
              await retrying(() => options.handler(this.toRecord(options.topic, row)), { attempts: Infinity, baseMs: retryDelayMs, capMs: retryDelayMs }, member.closing.signal);
            } catch {
              return; // closed while retrying: the record stays uncommitted
            }
            handledThrough = row.offset + 1;
            delivered++;
          }
        } finally {
          // One commit (one fsync) per fetch, not per record, like Kafka's periodic commit: after a
          // crash the records handled since are delivered again (at-least-once; handlers dedupe).
          if (handledThrough > next) commit.run(handledThrough, options.groupId, options.topic, partition);
          this.busyPartitions.delete(busyKey);
        }
        // Handlers that resolve at once would otherwise starve timers and HTTP during a catch-up.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Nothing new: sleep until a publish (or a close) to this topic, since only this process
      // writes the file; a partition left busy by another member is looked at again soon.
      if (delivered === 0 && !member.closed) await this.wait(options.topic, since, skipped ? this.options.pollIntervalMs : undefined);
    }
  }

  /** Partitions spread round-robin over the group's live members in join order. */
  private assignedPartitions(groupKey: string, member: Member, partitions: number): number[] {
    const live = (this.members.get(groupKey) ?? []).filter((m) => !m.closed);
    const index = live.indexOf(member);
    if (index < 0) return [];
    const mine: number[] = [];
    for (let partition = index; partition < partitions; partition += live.length) mine.push(partition);
    return mine;
  }

  private wake(topic: string): void {
    this.wakeups.set(topic, (this.wakeups.get(topic) ?? 0) + 1);
    this.published.emit(topic);
  }

  /** Until something is published to `topic` (at once if it was since wake-up `since`), or `ms` passed when given. */
  private wait(topic: string, since: number, ms: number | undefined): Promise<void> {
    if ((this.wakeups.get(topic) ?? 0) !== since) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.published.off(topic, done);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.published.on(topic, done);
    });
  }

  private nextOffset(topic: string, partition: number): number {
    const key = `${topic}/${partition}`;
    let next = this.nextOffsets.get(key);
    if (next === undefined) {
      const row = this.db.prepare('SELECT MAX(offset) AS last FROM records WHERE topic = ? AND partition = ?').get(topic, partition) as { last: number | null };
      next = row.last === null ? 0 : row.last + 1;
    }
    return next;
  }

  private offsetAt(topic: string, partition: number, position: StartPosition): number {
    switch (position.from) {
      case 'earliest': {
        const row = this.db.prepare('SELECT MIN(offset) AS first FROM records WHERE topic = ? AND partition = ?').get(topic, partition) as { first: number | null };
        return row.first ?? 0;
      }
      case 'latest':
        return this.nextOffset(topic, partition);
      case 'timestamp': {
        const row = this.db.prepare('SELECT MIN(offset) AS first FROM records WHERE topic = ? AND partition = ? AND timestamp >= ?').get(topic, partition, position.timestamp) as { first: number | null };
        return row.first ?? this.nextOffset(topic, partition);
      }
      case 'offsets':
        return Number(position.offsets[partition] ?? this.nextOffset(topic, partition));
    }
  }

  private toRecord(topic: string, row: RecordRow): BusRecord {
    return {
      topic,
      partition: row.partition,
      offset: String(row.offset),
      key: row.key,
      timestamp: row.timestamp,
      event: parseJson(row.event) as CloudEvent,
      headers: JSON.parse(row.headers) as Record<string, string>,
    };
  }
}
