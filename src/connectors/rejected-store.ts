// Rejected records: native records a connector could not map, quarantined with their reason
// so operators can see what the upstream sent and fix the mapping (or ask the upstream to fix
// its data). Bounded: the last `keepPerOperation` distinct records per connector and operation.
// The same record rejected again by a later poll is one row, with its count and last time.
// The native record may hold personal data: only routes that check clearance read it.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { parseJson, stringifyJson } from '../events/json.js';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';
import type { RejectedRecord } from './records.js';

export interface StoredRejection {
  id: number;
  connector: string;
  operation: string;
  /** How the document arrived. */
  via: 'push' | 'poll';
  /** The record's position in its document. */
  index: number;
  reason: string;
  detail: string;
  /** The poll cursor of the page it was on (absent: the first page, or a push). */
  cursor: string | null;
  first_rejected_at: string;
  last_rejected_at: string;
  /** How many times this record was rejected (re-polls of the same page). */
  times: number;
  /** The native record as the upstream sent it. */
  record: unknown;
}

export interface RejectionFilter {
  connector: string;
  operation?: string;
  reason?: string;
  /** Rows with a smaller id than this (paging from the newest). */
  before?: number;
  limit: number;
}

interface Row extends Omit<StoredRejection, 'record' | 'index'> {
  record_index: number;
  record: string;
}

export class RejectedStore implements PrunableStore {
  readonly storeName = 'rejected-records';
  private readonly db: Database.Database;

  constructor(private readonly file: string, private readonly keepPerOperation: number) {
    this.db = openStore({
      name: this.storeName,
      file,
      migrations: [`CREATE TABLE IF NOT EXISTS rejected_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT, connector TEXT NOT NULL, operation TEXT NOT NULL, via TEXT NOT NULL,
        record_index INTEGER NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL, cursor TEXT,
        first_rejected_at TEXT NOT NULL, last_rejected_at TEXT NOT NULL, times INTEGER NOT NULL, record TEXT NOT NULL,
        digest TEXT NOT NULL, UNIQUE (connector, operation, digest));
      CREATE INDEX IF NOT EXISTS rejected_by_operation ON rejected_records (connector, operation, id)`],
    });
  }

  /**
   * Stores the rejections of one document. A record seen before (same connector, operation,
   * content and reason) moves to the top with its count raised; the oldest beyond the bound go.
   */
  add(rejection: { connector: string; operation: string; via: 'push' | 'poll'; cursor?: string; records: RejectedRecord[] }, now = new Date()): void {
    const at = now.toISOString();
    const previous = this.db.prepare('SELECT first_rejected_at, times FROM rejected_records WHERE connector = ? AND operation = ? AND digest = ?');
    const forget = this.db.prepare('DELETE FROM rejected_records WHERE connector = ? AND operation = ? AND digest = ?');
    const insert = this.db.prepare(`INSERT INTO rejected_records (connector, operation, via, record_index, reason, detail, cursor, first_rejected_at, last_rejected_at, times, record, digest)
      VALUES (@connector, @operation, @via, @index, @reason, @detail, @cursor, @first, @at, @times, @record, @digest)`);
    const trim = this.db.prepare(`DELETE FROM rejected_records WHERE connector = ? AND operation = ? AND id <= (
      SELECT id FROM rejected_records WHERE connector = ? AND operation = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    this.db.transaction(() => {
      for (const rejected of rejection.records) {
        const record = stringifyJson(rejected.record ?? null);
        const digest = createHash('sha256').update(`${rejected.reason}\u0000${record}`).digest('hex');
        const { connector, operation } = rejection;
        // A repeat becomes the newest row (a new id), so the bound keeps what is still rejected.
        const seen = previous.get(connector, operation, digest) as { first_rejected_at: string; times: number } | undefined;
        forget.run(connector, operation, digest);
        insert.run({ connector, operation, via: rejection.via, index: rejected.index, reason: rejected.reason, detail: rejected.detail, cursor: rejection.cursor ?? null, first: seen?.first_rejected_at ?? at, at, times: (seen?.times ?? 0) + 1, record, digest });
      }
      trim.run(rejection.connector, rejection.operation, rejection.connector, rejection.operation, this.keepPerOperation);
    })();
  }

  /** The newest first. */
  list(filter: RejectionFilter): StoredRejection[] {
    const where = ['connector = ?'];
    const values: unknown[] = [filter.connector];
    if (filter.operation !== undefined) {
      where.push('operation = ?');
      values.push(filter.operation);
    }
    if (filter.reason !== undefined) {
      where.push('reason = ?');
      values.push(filter.reason);
    }
    if (filter.before !== undefined) {
      where.push('id < ?');
      values.push(filter.before);
    }
    const rows = this.db.prepare(`SELECT * FROM rejected_records WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...values, filter.limit) as Row[];
    return rows.map(({ record_index: index, record, ...row }) => ({ ...row, index, record: parseJson(record) }));
  }

  /** Rejected records held, per connector and operation (for the status API and the dashboard). */
  counts(): { connector: string; operation: string; count: number; last_rejected_at: string }[] {
    return this.db.prepare(`SELECT connector, operation, COUNT(*) AS count, MAX(last_rejected_at) AS last_rejected_at FROM rejected_records GROUP BY connector, operation`).all() as never;
  }

  /** Forgets records last rejected before `cutoff`. */
  prune(cutoff: number): number {
    return this.db.prepare('DELETE FROM rejected_records WHERE last_rejected_at < ?').run(new Date(cutoff).toISOString()).changes;
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  close(): void {
    this.db.close();
  }
}
