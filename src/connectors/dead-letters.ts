// Dead letters: events an outbound operation could not deliver. The delivery worker parks them
// in the dead-letter topic; a projection keeps an index here so operators can list, inspect,
// replay (one or many, by connector, type or time) and discard them with a reason. A replay
// hands the event back to its delivery worker; deliveries are remembered by event id, so
// replaying twice never delivers twice. Every instance indexes every dead letter from Kafka; the
// decisions (replayed, discarded) are records on the state layer, so a decision made on one
// instance shows on all, also for a letter an instance indexes only later.
import type Database from 'better-sqlite3';
import type { BusRecord } from '../bus/event-bus.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { parseJson, stringifyJson } from '../events/json.js';
import type { StateLayer, StateTable } from '../state/state-layer.js';
import { tablesSize } from '../state/table-size.js';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';

export type DeadLetterStatus = 'parked' | 'replayed' | 'discarded';

export interface DeadLetter {
  id: string;
  event_id: string;
  type: string;
  connector: string;
  operation: string;
  code: string;
  reason: string;
  attempts: number;
  failed_at: string;
  status: DeadLetterStatus;
  resolved_at: string | null;
  resolution: string | null;
  event: CloudEvent;
  headers: Record<string, string>;
}

export interface DeadLetterFilter {
  connector?: string;
  operation?: string;
  type?: string;
  status?: DeadLetterStatus;
  from?: string;
  to?: string;
  limit?: number;
}

/** An operator's decision on a dead letter, shared by every instance (key: the letter's id). */
interface Decision {
  status: Exclude<DeadLetterStatus, 'parked'>;
  resolution: string;
  resolved_at: string;
}

/** As stored: the event and its headers as JSON text. */
interface Row extends Omit<DeadLetter, 'event' | 'headers'> {
  event: string;
  headers: string;
}

export class DeadLetterStore implements PrunableStore {
  readonly storeName = 'dead-letters';
  private readonly db: Database.Database;
  private readonly decisions: StateTable<Decision>;
  private readonly unfollow: () => void;

  constructor(private readonly file: string, state: StateLayer) {
    this.db = openStore({ name: this.storeName, file, migrations: [`CREATE TABLE IF NOT EXISTS dead_letters (
      id TEXT PRIMARY KEY, event_id TEXT NOT NULL, type TEXT NOT NULL, connector TEXT NOT NULL, operation TEXT NOT NULL,
      code TEXT NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL, failed_at TEXT NOT NULL,
      status TEXT NOT NULL, resolved_at TEXT, resolution TEXT, event TEXT NOT NULL, headers TEXT NOT NULL)`,
      // An app lists the letters of events it published (GET /v1/me/dead-letters): by the sender the hub stamped.
      `CREATE INDEX IF NOT EXISTS dead_letters_sender ON dead_letters (json_extract(event, '$.penghubungclient'))`] });
    this.decisions = state.table<Decision>('dead-letter-decisions');
    for (const [id, decision] of this.decisions.entries()) this.record(id, decision);
    this.unfollow = this.decisions.onChange(({ key, value }) => {
      if (value) this.record(key, value);
    });
  }

  /** Indexes a record of a dead-letter topic (with its decision, when one was made); seeing it again changes nothing. */
  index(record: BusRecord): void {
    const h = record.headers;
    const id = `${record.topic}:${record.partition}:${record.offset}`;
    const added = this.db.prepare(`INSERT OR IGNORE INTO dead_letters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'parked', NULL, NULL, ?, ?)`).run(
      id, record.event.id, record.event.type, h['dlq-connector'] ?? 'unknown', h['dlq-operation'] ?? 'unknown',
      h['dlq-code'] ?? 'internal-error', h['dlq-reason'] ?? '', Number(h['dlq-attempts'] ?? 0), h['dlq-failed-at'] ?? new Date(record.timestamp).toISOString(),
      stringifyJson(record.event), JSON.stringify(h),
    );
    const decision = added.changes > 0 ? this.decisions.get(id) : undefined;
    if (decision) this.record(id, decision);
  }

  list(filter: DeadLetterFilter = {}): DeadLetter[] {
    const where: string[] = [];
    const values: unknown[] = [];
    for (const key of ['connector', 'operation', 'type', 'status'] as const) {
      if (filter[key] !== undefined) {
        where.push(`${key} = ?`);
        values.push(filter[key]);
      }
    }
    if (filter.from) {
      where.push('failed_at >= ?');
      values.push(filter.from);
    }
    if (filter.to) {
      where.push('failed_at <= ?');
      values.push(filter.to);
    }
    const sql = `SELECT * FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY failed_at DESC, id LIMIT ?`;
    return (this.db.prepare(sql).all(...values, filter.limit ?? 100) as Row[]).map(toDeadLetter);
  }

  /**
   * The letters of events `clientId` published (the `penghubungclient` the hub stamped on them),
   * newest first; `after` is the `[failed_at, id]` of the last letter of an earlier page (both
   * come from the dead-letter record, so a page continues on any instance).
   */
  bySender(clientId: string, page: { after?: readonly [string, string]; limit: number }): DeadLetter[] {
    const [at, id] = page.after ?? ['\uffff', ''];
    const rows = this.db.prepare(`SELECT * FROM dead_letters WHERE json_extract(event, '$.penghubungclient') = ? AND (failed_at < ? OR (failed_at = ? AND id < ?)) ORDER BY failed_at DESC, id DESC LIMIT ?`)
      .all(clientId, at, at, id, page.limit) as Row[];
    return rows.map(toDeadLetter);
  }

  get(id: string): DeadLetter | undefined {
    const row = this.db.prepare('SELECT * FROM dead_letters WHERE id = ?').get(id) as Row | undefined;
    return row ? toDeadLetter(row) : undefined;
  }

  /** Decides a parked letter on every instance; resolves once the decision is durable (a letter already decided keeps its decision). */
  async resolve(id: string, status: Exclude<DeadLetterStatus, 'parked'>, resolution: string): Promise<void> {
    if (this.get(id)?.status !== 'parked') return;
    await this.decisions.put(id, { status, resolution, resolved_at: new Date().toISOString() });
  }

  /** Applies a decision to the index; when two instances decide one letter at once, the later in the state's order stands everywhere. */
  private record(id: string, decision: Decision): void {
    this.db.prepare('UPDATE dead_letters SET status = ?, resolution = ?, resolved_at = ? WHERE id = ?').run(decision.status, decision.resolution, decision.resolved_at, id);
  }

  /** Parked dead letters per connector and operation. */
  parkedCounts(): { connector: string; operation: string; count: number }[] {
    return this.db.prepare(`SELECT connector, operation, COUNT(*) AS count FROM dead_letters WHERE status = 'parked' GROUP BY connector, operation`).all() as never;
  }

  /**
   * Forgets dead letters replayed or discarded before `cutoff`, and their decisions; parked ones
   * wait for an operator. (The dead-letter topics keep records for Kafka's retention, 7 days by
   * default, shorter than `retention.deadLettersHours`: a pruned letter is not indexed again.)
   */
  async prune(cutoff: number): Promise<number> {
    const before = new Date(cutoff).toISOString();
    const decided = this.decisions.entries().filter(([, decision]) => decision.resolved_at < before);
    await Promise.all(decided.map(([id]) => this.decisions.delete(id)));
    return this.db.prepare(`DELETE FROM dead_letters WHERE status != 'parked' AND resolved_at < ?`).run(before).changes + decided.length;
  }

  size(): StoreSize {
    const index = measureStore(this.db, this.file);
    const decisions = tablesSize([this.decisions as StateTable<unknown>]);
    return { rows: index.rows + decisions.rows, bytes: index.bytes + decisions.bytes };
  }

  close(): void {
    this.unfollow();
    this.db.close();
  }
}

function toDeadLetter(row: Row): DeadLetter {
  return { ...row, event: parseJson(row.event) as CloudEvent, headers: JSON.parse(row.headers) as Record<string, string> };
}
