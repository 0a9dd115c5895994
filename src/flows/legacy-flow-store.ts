// The upgrade path: versions before the state layer kept flow instances in `<dataDir>/flows.db`.
// At the first start on the state layer they move there, once, and the file is renamed
// `flows.db.migrated` (kept for the operator, never read again).
import { existsSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { boundMemory } from '../storage/sqlite-store.js';
import type { FlowStore, StoredInstance } from './flow-store.js';

export async function migrateLegacyFlows(file: string, store: FlowStore, logger: Logger): Promise<void> {
  if (!existsSync(file)) return;
  const db = new Database(file);
  boundMemory(db);
  let adopted = 0;
  try {
    const tables = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[]);
    if (tables.has('instances') && tables.has('steps')) {
      const steps = db.prepare('SELECT step, outcome, result, error, attempts, started_at, finished_at FROM steps WHERE instance_id = ? ORDER BY position');
      for (const row of db.prepare('SELECT * FROM instances').all() as Omit<StoredInstance, 'steps' | 'trigger_source'>[]) {
        if (await store.adopt({ ...row, trigger_source: null, steps: steps.all(row.id) as StoredInstance['steps'] })) adopted++;
      }
    }
  } finally {
    db.close();
  }
  renameSync(file, `${file}.migrated`);
  logger.info({ instances: adopted }, 'moved flow instances from flows.db to the shared control-plane state (flows.db renamed flows.db.migrated)');
}
