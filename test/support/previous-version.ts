// Data files as the version before the state layer left them: clients.db (schema version 2) and
// token-signing-key.pem, for the tests of the upgrade.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { sha256 } from '../../src/security/clients.js';

export const previousKey = 'phb_abcdefghijkl_0123456789abcdefghijklmnopqrstuvwxyzABCD';

export const previousClient = (id: string): Record<string, unknown> => ({ id, name: `Klien ${id}`, opd: 'Dinas Uji', role: 'app', clearance: 'terbatas', rights: ['catalog:read'] });

/** `dinas-aktif` (key `previousKey`, epoch 3), `dinas-dicabut` (revoked), one ended session still current and one expired. */
export function writePreviousClientsDb(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE clients (id TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
    CREATE TABLE api_keys (key_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
    CREATE TABLE client_epochs (client_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE ended_sessions (session_id TEXT PRIMARY KEY, expires_at TEXT NOT NULL) WITHOUT ROWID;
    PRAGMA user_version = 2;
  `);
  const at = '2026-11-01T00:00:00.000Z';
  db.prepare('INSERT INTO clients VALUES (?, ?, ?, NULL)').run('dinas-aktif', JSON.stringify(previousClient('dinas-aktif')), at);
  db.prepare('INSERT INTO clients VALUES (?, ?, ?, ?)').run('dinas-dicabut', JSON.stringify(previousClient('dinas-dicabut')), at, at);
  db.prepare('INSERT INTO api_keys VALUES (?, ?, ?, ?, NULL)').run('abcdefghijkl', 'dinas-aktif', sha256(previousKey), at);
  db.prepare('INSERT INTO client_epochs VALUES (?, ?)').run('dinas-aktif', 3);
  db.prepare('INSERT INTO ended_sessions VALUES (?, ?)').run('sesi-berlaku', new Date(Date.now() + 3_600_000).toISOString());
  db.prepare('INSERT INTO ended_sessions VALUES (?, ?)').run('sesi-kedaluwarsa', new Date(Date.now() - 1000).toISOString());
  db.close();
}

/** A token-signing-key.pem in `file`, and a bearer token the previous TokenIssuer would have signed with it. */
export async function writePreviousTokenKey(file: string, clientId: string, epoch: number): Promise<{ kid: string; token: string; privateKey: KeyObject }> {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  // The previous kid: the tail of the public key's SPKI.
  const kid = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).subarray(-16).toString('hex');
  const token = await new SignJWT({ ep: epoch }).setProtectedHeader({ alg: 'EdDSA', kid }).setSubject(clientId).setIssuer('penghubung').setAudience('penghubung').setIssuedAt().setExpirationTime('300s').sign(privateKey);
  return { kid, token, privateKey };
}
