// Flow instances and the outcome of each of their steps, so a retried instance skips what is
// done and an operator sees each step's time and outcome.
import type Database from 'better-sqlite3';
import { parseJson, stringifyJson } from '../events/json.js';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';

export type InstanceStatus = 'running' | 'completed' | 'failed';

export interface StepRecord {
  step: string;
  /** `refused`: a query's upstream answered with a refusal (not found, quota…); the flow goes on. */
  outcome: 'done' | 'skipped' | 'refused' | 'failed' | 'retrying';
  result: unknown;
  error: string | null;
  attempts: number;
  started_at: string;
  finished_at: string | null;
}

export interface FlowInstance {
  id: string;
  flow: string;
  trigger_event_id: string;
  subject: string | null;
  status: InstanceStatus;
  started_at: string;
  finished_at: string | null;
  steps: StepRecord[];
}

export class FlowStore implements PrunableStore {
  readonly storeName = 'flows';
  private readonly db: Database.Database;

  constructor(private readonly file: string) {
    this.db = openStore({ name: this.storeName, file, migrations: [`
      CREATE TABLE IF NOT EXISTS instances (id TEXT PRIMARY KEY, flow TEXT NOT NULL, trigger_event_id TEXT NOT NULL, subject TEXT,
        status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT);
      CREATE INDEX IF NOT EXISTS instances_by_flow ON instances (flow, started_at);
      CREATE TABLE IF NOT EXISTS steps (instance_id TEXT NOT NULL, position INTEGER NOT NULL, step TEXT NOT NULL, outcome TEXT NOT NULL,
        result TEXT, error TEXT, attempts INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, PRIMARY KEY (instance_id, position)) WITHOUT ROWID;
    `] });
  }

  begin(id: string, flow: string, triggerEventId: string, subject: string | undefined): void {
    this.db.prepare(`INSERT OR IGNORE INTO instances VALUES (?, ?, ?, ?, 'running', ?, NULL)`).run(id, flow, triggerEventId, subject ?? null, new Date().toISOString());
  }

  step(instanceId: string, position: number): StepRecord | undefined {
    const row = this.db.prepare('SELECT step, outcome, result, error, attempts, started_at, finished_at FROM steps WHERE instance_id = ? AND position = ?').get(instanceId, position) as (Omit<StepRecord, 'result'> & { result: string | null }) | undefined;
    return row ? { ...row, result: row.result === null ? null : parseJson(row.result) } : undefined;
  }

  saveStep(instanceId: string, position: number, record: StepRecord): void {
    this.db.prepare(`INSERT INTO steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET outcome = excluded.outcome, result = excluded.result,
      error = excluded.error, attempts = excluded.attempts, finished_at = excluded.finished_at`)
      .run(instanceId, position, record.step, record.outcome, record.result === undefined || record.result === null ? null : stringifyJson(record.result), record.error, record.attempts, record.started_at, record.finished_at);
  }

  finish(id: string, status: Exclude<InstanceStatus, 'running'>): void {
    this.db.prepare('UPDATE instances SET status = ?, finished_at = ? WHERE id = ?').run(status, new Date().toISOString(), id);
  }

  status(id: string): InstanceStatus | undefined {
    return this.db.prepare('SELECT status FROM instances WHERE id = ?').pluck().get(id) as InstanceStatus | undefined;
  }

  instance(id: string): FlowInstance | undefined {
    const row = this.db.prepare('SELECT * FROM instances WHERE id = ?').get(id) as Omit<FlowInstance, 'steps'> | undefined;
    if (!row) return undefined;
    const steps = (this.db.prepare('SELECT step, outcome, result, error, attempts, started_at, finished_at FROM steps WHERE instance_id = ? ORDER BY position').all(id) as (Omit<StepRecord, 'result'> & { result: string | null })[])
      .map((s) => ({ ...s, result: s.result === null ? null : parseJson(s.result) }));
    return { ...row, steps };
  }

  instances(flow: string, limit: number): Omit<FlowInstance, 'steps'>[] {
    return this.db.prepare('SELECT * FROM instances WHERE flow = ? ORDER BY started_at DESC LIMIT ?').all(flow, limit) as Omit<FlowInstance, 'steps'>[];
  }

  /** Forgets instances that finished before `cutoff`, with their steps; running ones stay. */
  prune(cutoff: number): number {
    const before = new Date(cutoff).toISOString();
    return this.db.transaction(() => {
      const steps = this.db.prepare(`DELETE FROM steps WHERE instance_id IN (SELECT id FROM instances WHERE status != 'running' AND finished_at < ?)`).run(before).changes;
      return steps + this.db.prepare(`DELETE FROM instances WHERE status != 'running' AND finished_at < ?`).run(before).changes;
    })();
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  close(): void {
    this.db.close();
  }
}
