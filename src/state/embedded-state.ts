// The control-plane state of a single instance: one SQLite file (`control.db` in the data
// directory), loaded into memory at start. Same interface as the Kafka backend, so a store
// written against StateLayer runs unchanged on one hub or on many.
import type Database from 'better-sqlite3';
import { openStore } from '../storage/sqlite-store.js';
import { MaterialisedState } from './state-layer.js';

export class EmbeddedState extends MaterialisedState {
  readonly kind = 'embedded' as const;
  private db: Database.Database | undefined;
  private statements: { upsert: Database.Statement; remove: Database.Statement } | undefined;

  constructor(private readonly file: string) {
    super();
  }

  async start(): Promise<void> {
    const db = openStore({ name: 'control', file: this.file, migrations: [`
      CREATE TABLE IF NOT EXISTS records (tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID;
    `] });
    this.db = db;
    this.statements = {
      upsert: db.prepare('INSERT INTO records (tbl, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
      remove: db.prepare('DELETE FROM records WHERE tbl = ? AND key = ?'),
    };
    for (const row of db.prepare('SELECT tbl, key, value FROM records').iterate() as IterableIterator<{ tbl: string; key: string; value: string }>) {
      this.apply(row.tbl, row.key, JSON.parse(row.value), 'remote');
    }
  }

  protected async persist(table: string, key: string, value: unknown): Promise<void> {
    if (!this.statements) throw new Error('the control state is not started');
    if (value === undefined) {
      this.statements.remove.run(table, key);
      this.apply(table, key, undefined, 'local');
      return;
    }
    const serialised = JSON.stringify(value);
    this.statements.upsert.run(table, key, serialised, new Date().toISOString());
    // What is read back is what was stored, as on Kafka (no shared references, no Dates).
    this.apply(table, key, JSON.parse(serialised), 'local');
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
    this.statements = undefined;
  }
}
