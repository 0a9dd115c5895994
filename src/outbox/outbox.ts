// The durable outbox: what the gateway acknowledges is first committed here (SQLite, WAL,
// synchronous=FULL); the relay publishes it to the bus later. Appends arriving in the same
// event-loop turn share one transaction and one fsync (group commit).
import type Database from 'better-sqlite3';
import type { CloudEvent } from '../events/cloudevent.js';
import { parseStoredJson, stringifyJson } from '../events/json.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';
import type { PrunableStore } from '../storage/retention.js';

export interface OutboxEntry {
  topic: string;
  key: string;
  event: CloudEvent;
  headers: Record<string, string>;
}

export interface AppendResult {
  seq: number;
  /** An event with the same source and id was accepted before: nothing new was stored. */
  duplicate: boolean;
}

export interface StoredEvent extends OutboxEntry {
  seq: number;
  /** The event as the outbox holds it: compact JSON, the text `event` was parsed from. */
  eventJson: string;
  acceptedAt: number;
  publishedAt: number | null;
}

interface Row {
  seq: number;
  topic: string;
  key: string;
  event: string;
  headers: string;
  accepted_at: number;
  published_at: number | null;
}

interface Pending {
  entries: OutboxEntry[];
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

export class Outbox implements PrunableStore {
  readonly storeName = 'outbox';
  private readonly db: Database.Database;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private lastAppendFailed = false;
  private readonly listeners = new Set<() => void>();
  private readonly statements;
  /**
   * Events not yet published, counted as they are appended and marked: a COUNT over the pending
   * index reads every pending row, and the metrics, readiness and a draining shutdown ask often,
   * while a backlog after an outage may be millions. Only this process writes its outbox.
   */
  private pendingCount: number;

  constructor(private readonly file: string) {
    this.db = openStore({ name: this.storeName, file, migrations: [`
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
        topic TEXT NOT NULL, key TEXT NOT NULL, event TEXT NOT NULL, headers TEXT NOT NULL,
        accepted_at INTEGER NOT NULL, published_at INTEGER,
        UNIQUE (source, id));
      CREATE INDEX IF NOT EXISTS events_pending ON events (seq) WHERE published_at IS NULL;
      CREATE INDEX IF NOT EXISTS events_by_type ON events (type, seq);
    `, `
      CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('deployment', lower(hex(randomblob(16)))), ('pruned_through', '0');
    `] });
    this.statements = {
      insert: this.db.prepare(`INSERT INTO events (source, id, type, topic, key, event, headers, accepted_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, id) DO NOTHING`),
      existing: this.db.prepare('SELECT seq FROM events WHERE source = ? AND id = ?').pluck(),
      pending: this.db.prepare('SELECT seq, topic, key, event, headers, accepted_at, published_at FROM events WHERE published_at IS NULL ORDER BY seq LIMIT ?'),
      // One statement per batch: the sequences as a JSON array. Only pending rows change, so the
      // count of changes is what left the backlog.
      markPublished: this.db.prepare('UPDATE events SET published_at = ? WHERE seq IN (SELECT value FROM json_each(?)) AND published_at IS NULL'),
      synchronousNormal: this.db.prepare('PRAGMA synchronous = NORMAL'),
      synchronousFull: this.db.prepare('PRAGMA synchronous = FULL'),
      pendingOf: this.db.prepare(`SELECT * FROM events WHERE published_at IS NULL AND json_extract(event, '$.penghubungclient') = ? AND accepted_at <= ? ORDER BY seq DESC LIMIT ?`),
      countPending: this.db.prepare('SELECT COUNT(*) FROM events WHERE published_at IS NULL').pluck(),
      // The first pending by sequence, through the pending index (appends are dated in sequence order).
      oldestPending: this.db.prepare('SELECT accepted_at FROM events WHERE published_at IS NULL ORDER BY seq LIMIT 1').pluck(),
      prune: this.db.prepare('DELETE FROM events WHERE published_at IS NOT NULL AND published_at < ?'),
      after: this.db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      afterByType: this.db.prepare('SELECT * FROM events WHERE type = ? AND seq > ? ORDER BY seq LIMIT ?'),
      lastSeq: this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM events').pluck(),
      lastIssued: this.db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)").pluck(),
      lastPrunable: this.db.prepare('SELECT MAX(seq) FROM events WHERE published_at IS NOT NULL AND published_at < ?').pluck(),
      meta: this.db.prepare('SELECT value FROM meta WHERE name = ?').pluck(),
      setMeta: this.db.prepare('UPDATE meta SET value = ? WHERE name = ?'),
    };
    this.pendingCount = this.statements.countPending.get() as number;
  }

  /** Resolves once the entries are on disk; duplicates (same source and id) are reported, not stored. */
  append(entries: OutboxEntry[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Oldest first; at most `limit`. */
  pending(limit: number): StoredEvent[] {
    return (this.statements.pending.all(limit) as Row[]).map(toStored);
  }

  /**
   * What `sender` posted that is not on the bus yet, newest first, accepted at or before
   * `atOrBefore` (ms): the pending events are few, and read through their partial index.
   */
  pendingOf(sender: string, atOrBefore: number, limit: number): StoredEvent[] {
    return (this.statements.pendingOf.all(sender, atOrBefore, limit) as Row[]).map(toStored);
  }

  /**
   * Without an fsync of its own: a mark a power cut takes back only publishes those events again
   * (consumers dedupe by source + id, as after a crash between the bus's acknowledgement and the
   * mark), and the next append's fsync makes it durable with that append. Appends stay fsync'd.
   */
  markPublished(seqs: number[]): void {
    this.statements.synchronousNormal.run();
    try {
      this.pendingCount -= this.statements.markPublished.run(Date.now(), JSON.stringify(seqs)).changes;
    } finally {
      this.statements.synchronousFull.run();
    }
  }

  backlog(): { count: number; oldestAcceptedAt: number | null } {
    return { count: this.pendingCount, oldestAcceptedAt: (this.statements.oldestPending.get() as number | undefined) ?? null };
  }

  /** Events accepted after `seq` (the pull API's cursor), optionally of one type. */
  read(afterSeq: number, limit: number, type?: string): StoredEvent[] {
    const rows = type === undefined ? this.statements.after.all(afterSeq, limit) : this.statements.afterByType.all(type, afterSeq, limit);
    return (rows as Row[]).map(toStored);
  }

  lastSeq(): number {
    return this.statements.lastSeq.get() as number;
  }

  /** The highest sequence ever given (pruned or not): a pull cursor beyond it was not issued here. */
  lastIssuedSeq(): number {
    return this.statements.lastIssued.get() as number;
  }

  /** The highest sequence retention deleted: a pull cursor before it would skip events. */
  prunedThrough(): number {
    return Number(this.statements.meta.get('pruned_through'));
  }

  /** A random id made when this outbox file was created: pull cursors name it. */
  deploymentId(): string {
    return this.statements.meta.get('deployment') as string;
  }

  /** Forgets events published before `cutoff`; returns how many. Pending events stay. */
  prune(cutoff: number): number {
    return this.db.transaction(() => {
      const last = this.statements.lastPrunable.get(cutoff) as number | null;
      if (last !== null && last > this.prunedThrough()) this.statements.setMeta.run(String(last), 'pruned_through');
      return this.statements.prune.run(cutoff).changes;
    })();
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  /** Called after every commit, so the relay wakes without polling. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** False after an append failed (disk full, file gone) until one succeeds again. */
  writable(): boolean {
    if (this.lastAppendFailed) return false;
    try {
      this.db.prepare('SELECT 1').get();
      return this.db.open;
    } catch {
      return false;
    }
  }


  close(): void {
    this.flush();
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const now = Date.now();
    let results: AppendResult[][];
    try {
      results = this.db.transaction(() =>
        batch.map(({ entries }) =>
          entries.map((entry) => {
            const { source, id, type } = entry.event;
            const inserted = this.statements.insert.run(source, id, type, entry.topic, entry.key, stringifyJson(entry.event), JSON.stringify(entry.headers), now);
            return inserted.changes === 1
              ? { seq: Number(inserted.lastInsertRowid), duplicate: false }
              : { seq: this.statements.existing.get(source, id) as number, duplicate: true };
          }),
        ),
      )();
    } catch (error) {
      this.lastAppendFailed = true;
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.lastAppendFailed = false;
    for (const appended of results) for (const { duplicate } of appended) if (!duplicate) this.pendingCount++;
    batch.forEach((pending, index) => pending.resolve(results[index]!));
    for (const listener of this.listeners) listener();
  }
}

function toStored(row: Row): StoredEvent {
  return {
    seq: row.seq,
    topic: row.topic,
    key: row.key,
    event: parseStoredJson(row.event) as CloudEvent,
    eventJson: row.event,
    headers: JSON.parse(row.headers) as Record<string, string>,
    acceptedAt: row.accepted_at,
    publishedAt: row.published_at,
  };
}
