// Upgrading keeps the clients: a clients.db of the previous version moves into the state layer
// once (keys, revocations, epochs, ended sessions), the file is renamed and not read again.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateClientsDb } from '../../src/security/clients-migration.js';
import { ClientRegistry, clientTables, sha256 } from '../../src/security/clients.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';

const previousKey = 'phb_abcdefghijkl_0123456789abcdefghijklmnopqrstuvwxyzABCD';
const definition = (id: string): Record<string, unknown> => ({ id, name: `Klien ${id}`, opd: 'Dinas Uji', role: 'app', clearance: 'terbatas', rights: ['catalog:read'] });

/** A clients.db as the previous version left it (schema version 2). */
function previousClientsDb(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE clients (id TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
    CREATE TABLE api_keys (key_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
    CREATE TABLE client_epochs (client_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE ended_sessions (session_id TEXT PRIMARY KEY, expires_at TEXT NOT NULL) WITHOUT ROWID;
    PRAGMA user_version = 2;
  `);
  const at = '2026-11-01T00:00:00.000Z';
  db.prepare('INSERT INTO clients VALUES (?, ?, ?, NULL)').run('dinas-aktif', JSON.stringify(definition('dinas-aktif')), at);
  db.prepare('INSERT INTO clients VALUES (?, ?, ?, ?)').run('dinas-dicabut', JSON.stringify(definition('dinas-dicabut')), at, at);
  db.prepare('INSERT INTO api_keys VALUES (?, ?, ?, ?, NULL)').run('abcdefghijkl', 'dinas-aktif', sha256(previousKey), at);
  db.prepare('INSERT INTO client_epochs VALUES (?, ?)').run('dinas-aktif', 3);
  db.prepare('INSERT INTO ended_sessions VALUES (?, ?)').run('sesi-berlaku', new Date(Date.now() + 3_600_000).toISOString());
  db.prepare('INSERT INTO ended_sessions VALUES (?, ?)').run('sesi-kedaluwarsa', new Date(Date.now() - 1000).toISOString());
  db.close();
}

describe('migrating clients.db into the state layer', () => {
  it('keeps clients, keys, revocations, epochs and ended sessions, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phb-clients-migration-'));
    const file = join(dir, 'clients.db');
    previousClientsDb(file);
    const state = new EmbeddedState(join(dir, 'control.db'));
    await state.start();

    // Two clients, a key, an epoch and the ended session still current.
    expect(await migrateClientsDb(file, clientTables(state))).toBe(5);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.migrated`)).toBe(true);
    expect(await migrateClientsDb(file, clientTables(state))).toBe(0);
    await state.close();

    // After a restart, from the state layer alone.
    const again = new EmbeddedState(join(dir, 'control.db'));
    await again.start();
    const registry = new ClientRegistry(again, undefined);
    expect(registry.authenticateKey(previousKey)?.id).toBe('dinas-aktif');
    expect(registry.get('dinas-dicabut')).toBeUndefined();
    expect(registry.list().map(({ id, revoked }) => ({ id, revoked }))).toEqual([{ id: 'dinas-aktif', revoked: false }, { id: 'dinas-dicabut', revoked: true }]);
    expect(registry.epochOf('dinas-aktif')).toBe(3);
    expect([registry.sessionEnded('sesi-berlaku'), registry.sessionEnded('sesi-kedaluwarsa')]).toEqual([true, false]);

    // The next rotation moves the epoch past the migrated one and ends the migrated key.
    const rotated = await registry.rotate('dinas-aktif');
    expect(registry.epochOf('dinas-aktif')).toBeGreaterThan(3);
    expect(registry.authenticateKey(previousKey)).toBeUndefined();
    expect(registry.authenticateKey(rotated)?.id).toBe('dinas-aktif');
    await again.close();
  });
});
