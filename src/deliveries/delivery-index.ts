// Every instance's index of the status records of `<prefix>._deliveries` (delivery-status.ts), in
// `deliveries.db`: per event its sender, when it was accepted and published, and each target's
// latest state; the event's overall status follows from its targets. Records may arrive twice or,
// across writers, out of order: each target keeps its latest by time (a final state wins a tie),
// so indexing the same records in any order gives the same answer on every instance.
import type Database from 'better-sqlite3';
import type { CloudEvent } from '../events/cloudevent.js';
import { parseJson, stringifyJson } from '../events/json.js';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';
import { targetName, type DeliveryTarget, type PublishedEntry, type StatusReport, type TargetStatus } from './delivery-status.js';

/** `accepted`: in the accepting instance's outbox, not yet on the bus. */
export const deliveryStatuses = ['accepted', 'published', 'retrying', 'delivered', 'dead-lettered'] as const;
export type DeliveryStatusName = (typeof deliveryStatuses)[number];

export type TargetState = DeliveryTarget & { status: TargetStatus; attempts: number; code: string | null; reason: string | null; at: string };

export interface Delivery {
  key: string;
  sender: string;
  event_id: string;
  source: string;
  type: string;
  subject: string | null;
  status: DeliveryStatusName;
  accepted_at: string;
  published_at: string | null;
  updated_at: string;
  targets: TargetState[];
  /** The event as published; undefined while only an outcome of it was indexed. */
  event: CloudEvent | undefined;
}

interface Row { key: string; sender: string; event_id: string; source: string; type: string; subject: string | null; status: DeliveryStatusName; accepted_at: string; published_at: string | null; updated_at: string; event: string | null }
interface TargetRow { key: string; detail: string; status: TargetStatus; attempts: number; code: string | null; reason: string | null; at: string }

export class DeliveryIndex implements PrunableStore {
  readonly storeName = 'deliveries';
  private readonly db: Database.Database;
  private readonly statements;

  constructor(private readonly file: string) {
    // Derived from the status topic, written once per published event: no fsync per commit (a
    // power cut may lose the last news; the events and deliveries are not affected).
    this.db = openStore({ name: this.storeName, file, synchronous: 'normal', migrations: [`
      CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, sender TEXT NOT NULL, event_id TEXT NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL,
        subject TEXT, status TEXT NOT NULL, accepted_at TEXT NOT NULL, published_at TEXT, updated_at TEXT NOT NULL, event TEXT) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS deliveries_by_sender ON deliveries (sender, accepted_at, key);
      CREATE INDEX IF NOT EXISTS deliveries_by_sender_status ON deliveries (sender, status, accepted_at, key);
      CREATE INDEX IF NOT EXISTS deliveries_by_update ON deliveries (updated_at);
      CREATE TABLE IF NOT EXISTS targets (key TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, status TEXT NOT NULL,
        attempts INTEGER NOT NULL, code TEXT, reason TEXT, at TEXT NOT NULL, PRIMARY KEY (key, target)) WITHOUT ROWID;
    `, `
      -- Rows in arrival order, the random key in an index of its own: the events' text no longer sits in
      -- a tree ordered by that key, where every insert rewrote a random page (3x the CPU per event).
      CREATE TABLE deliveries_in_order (key TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, event_id TEXT NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL,
        subject TEXT, status TEXT NOT NULL, accepted_at TEXT NOT NULL, published_at TEXT, updated_at TEXT NOT NULL, event TEXT);
      INSERT INTO deliveries_in_order SELECT * FROM deliveries ORDER BY updated_at;
      DROP TABLE deliveries;
      ALTER TABLE deliveries_in_order RENAME TO deliveries;
      CREATE INDEX deliveries_by_sender ON deliveries (sender, accepted_at, key);
      CREATE INDEX deliveries_by_sender_status ON deliveries (sender, status, accepted_at, key);
      CREATE INDEX deliveries_by_update ON deliveries (updated_at);
    `] });
    // Each event's row dirties a page of its own in the random-key index; checkpointing every
    // 1,000 pages (SQLite's default) copied the same pages to the file again and again: a quarter
    // of the CPU per indexed event. Up to ~40 MB of WAL on this derived store instead.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.statements = {
      // Seen first through an outcome, an event is dated by it until its `published` record comes.
      upsert: this.db.prepare(`INSERT INTO deliveries VALUES (@key, @sender, @event_id, @source, @type, @subject, 'published', @accepted_at, @published_at, @at, @event)
        ON CONFLICT (key) DO UPDATE SET
          accepted_at = CASE WHEN excluded.published_at IS NOT NULL THEN excluded.accepted_at ELSE accepted_at END,
          published_at = COALESCE(published_at, excluded.published_at), event = COALESCE(event, excluded.event),
          updated_at = MAX(updated_at, excluded.updated_at)`),
      target: this.db.prepare(`INSERT INTO targets VALUES (@key, @target, @detail, @status, @attempts, @code, @reason, @at)
        ON CONFLICT (key, target) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, code = excluded.code, reason = excluded.reason, at = excluded.at
        WHERE excluded.at > targets.at OR (excluded.at = targets.at AND excluded.status != 'retrying')`),
      // Worst first: a parked delivery is what the app must act on, then one still being tried.
      status: this.db.prepare(`UPDATE deliveries SET status = (SELECT CASE WHEN COUNT(*) = 0 THEN 'published'
          WHEN SUM(status = 'dead-lettered') > 0 THEN 'dead-lettered' WHEN SUM(status = 'retrying') > 0 THEN 'retrying' ELSE 'delivered' END
          FROM targets WHERE targets.key = deliveries.key) WHERE key = ?`),
      targets: this.db.prepare('SELECT * FROM targets WHERE key = ? ORDER BY target'),
    };
  }

  /** Indexes one status record; the same record again changes nothing. */
  apply(report: StatusReport): void {
    this.applyAll([report]);
  }

  /** Indexes status records in one transaction (a `published` one may carry its event as text already). */
  applyAll(reports: readonly (StatusReport | PublishedEntry)[]): void {
    this.db.transaction(() => {
      for (const report of reports) this.applyOne(report);
    })();
  }

  private applyOne(report: StatusReport | PublishedEntry): void {
    const { event } = report;
    this.statements.upsert.run({
      key: event.key, sender: event.sender, event_id: event.id, source: event.source, type: event.type, subject: event.subject ?? null, at: report.at,
      ...(report.stage === 'published'
        ? { accepted_at: report.accepted_at, published_at: report.at, event: 'eventJson' in report ? report.eventJson : stringifyJson(report.cloudevent) }
        : { accepted_at: report.at, published_at: null, event: null }),
    });
    // A `published` record changes no target, so the status its targets give stays as it was
    // (a new row has none: it starts `published`).
    if (report.stage === 'published') return;
    this.statements.target.run({ key: event.key, target: targetName(report.target), detail: JSON.stringify(report.target), status: report.stage, attempts: report.attempts, code: report.code, reason: report.reason, at: report.at });
    this.statements.status.run(event.key);
  }

  /**
   * The deliveries of events `sender` published, newest accepted first; `after` is the
   * `[accepted_at, key]` of the last one of an earlier page (values every instance indexes alike).
   */
  bySender(sender: string, page: { status?: DeliveryStatusName; after?: readonly [string, string]; limit: number }): Delivery[] {
    const [at, key] = page.after ?? ['\uffff', ''];
    const rows = this.db.prepare(`SELECT * FROM deliveries WHERE sender = ? ${page.status ? 'AND status = ?' : ''}
      AND (accepted_at < ? OR (accepted_at = ? AND key < ?)) ORDER BY accepted_at DESC, key DESC LIMIT ?`)
      .all(...[sender, ...(page.status ? [page.status] : []), at, at, key, page.limit]) as Row[];
    return rows.map((row) => this.toDelivery(row));
  }

  /** Forgets events nothing happened to since `cutoff`, with their targets. */
  prune(cutoff: number): number {
    const before = new Date(cutoff).toISOString();
    return this.db.transaction(() => {
      const targets = this.db.prepare('DELETE FROM targets WHERE key IN (SELECT key FROM deliveries WHERE updated_at < ?)').run(before).changes;
      return targets + this.db.prepare('DELETE FROM deliveries WHERE updated_at < ?').run(before).changes;
    })();
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  close(): void {
    this.db.close();
  }

  private toDelivery({ event, ...row }: Row): Delivery {
    const targets = (this.statements.targets.all(row.key) as TargetRow[]).map(({ detail, status, attempts, code, reason, at }) => ({ ...(JSON.parse(detail) as DeliveryTarget), status, attempts, code, reason, at }));
    return { ...row, targets, event: event === null ? undefined : (parseJson(event) as CloudEvent) };
  }
}
