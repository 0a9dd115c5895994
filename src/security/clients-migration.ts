// Upgrading from the version that kept clients in `clients.db` (one per instance): at start its
// clients, key hashes, epochs and ended sessions move into the state layer once, and the file is
// renamed `clients.db.migrated`, so an upgraded hub keeps its clients and nothing reads the file
// again. A record the state layer already holds (another instance migrated it first) wins, except
// epochs, where the higher one does, so no token voided on either side comes back.
import { existsSync, renameSync } from 'node:fs';
import { openStore } from '../storage/sqlite-store.js';
import type { Client, ClientTables } from './clients.js';

/** The previous version's schema, to bring an older file up to it before reading. */
const previousMigrations = [`
  CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
  CREATE TABLE IF NOT EXISTS api_keys (key_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
`, `
  CREATE TABLE IF NOT EXISTS client_epochs (client_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS ended_sessions (session_id TEXT PRIMARY KEY, expires_at TEXT NOT NULL) WITHOUT ROWID;
`];

interface ClientRow { id: string; definition: string; created_at: string; revoked_at: string | null }
interface KeyRow { key_id: string; client_id: string; sha256: string; created_at: string; revoked_at: string | null }

/** Returns how many records moved; 0 when there is no file to migrate. */
export async function migrateClientsDb(file: string, tables: ClientTables): Promise<number> {
  if (!existsSync(file)) return 0;
  const db = openStore({ name: 'clients', file, migrations: previousMigrations });
  const writes: Promise<void>[] = [];
  try {
    const now = new Date().toISOString();
    for (const row of db.prepare('SELECT id, definition, created_at, revoked_at FROM clients').all() as ClientRow[]) {
      if (tables.clients.get(row.id)) continue;
      writes.push(tables.clients.put(row.id, { definition: JSON.parse(row.definition) as Client, created_at: row.created_at, ...(row.revoked_at ? { revoked_at: row.revoked_at } : {}) }));
    }
    for (const row of db.prepare('SELECT key_id, client_id, sha256, created_at, revoked_at FROM api_keys').all() as KeyRow[]) {
      if (tables.keys.get(row.key_id)) continue;
      writes.push(tables.keys.put(row.key_id, { client_id: row.client_id, sha256: row.sha256, created_at: row.created_at, ...(row.revoked_at ? { revoked_at: row.revoked_at } : {}) }));
    }
    for (const row of db.prepare('SELECT client_id, epoch FROM client_epochs').all() as { client_id: string; epoch: number }[]) {
      if ((tables.epochs.get(row.client_id) ?? 0) >= row.epoch) continue;
      writes.push(tables.epochs.put(row.client_id, row.epoch));
    }
    for (const row of db.prepare('SELECT session_id, expires_at FROM ended_sessions WHERE expires_at > ?').all(now) as { session_id: string; expires_at: string }[]) {
      if (tables.endedSessions.get(row.session_id)) continue;
      writes.push(tables.endedSessions.put(row.session_id, { expires_at: row.expires_at }));
    }
    await Promise.all(writes);
  } finally {
    db.close();
  }
  renameSync(file, `${file}.migrated`);
  return writes.length;
}
