// Shared by the audit tests: sample entries, a store written by the real AuditLog, and
// tampering on a copy of it (an attacker who can write the file: triggers dropped first).
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditLog } from '../../src/security/audit/audit-log.js';
import { entryHash } from '../../src/security/audit/chain.js';
import type { AuditInput } from '../../src/security/audit/entry.js';

export function sampleEntry(i: number): AuditInput {
  return {
    client: i % 3 === 0 ? null : `opd-${i % 7}`,
    operation: i % 2 === 0 ? 'siak:cari-penduduk' : 'events:publish',
    connector: i % 2 === 0 ? 'siak' : null,
    method: i % 2 === 0 ? 'GET' : 'POST',
    route: i % 2 === 0 ? '/v1/penduduk/:nik' : '/v1/events',
    status: i % 10 === 0 ? 404 : 200,
    outcome: i % 10 === 0 ? 'refused' : 'ok',
    latency_ms: (i % 50) + 0.125,
    correlation_id: `c-${i}`,
    request_digest: i % 2 === 0 ? null : 'ab'.repeat(32),
    response_digest: 'cd'.repeat(32),
  };
}

export function tempDir(prefix = 'penghubung-audit-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Store {
  dir: string;
  file: string;
  keyFile: string;
  publicKeyPem: string;
}

/** Writes `count` entries through the AuditLog in batches of `batchSize` and closes it. */
export async function writeStore(count: number, batchSize: number, dir = tempDir(), keyFile = join(dir, 'audit-key.pem')): Promise<Store> {
  const file = join(dir, 'audit.db');
  const log = AuditLog.open({ file, keyFile, batchSize, flushIntervalMs: 10_000, env: {} });
  for (let i = 1; i <= count; i += 1) log.record(sampleEntry(i));
  const publicKeyPem = log.publicKeyPem();
  await log.close();
  return { dir, file, keyFile, publicKeyPem };
}

let copies = 0;

/** A copy of the closed store, changed by `tamper` with the append-only triggers dropped. */
export function tamperedCopy(store: Store, tamper: (db: Database.Database) => void): string {
  copies += 1;
  const copy = join(store.dir, `copy-${copies}.db`);
  copyFileSync(store.file, copy);
  const db = new Database(copy);
  db.exec(['entries_no_update', 'entries_no_delete', 'batches_no_update', 'batches_no_delete'].map((name) => `DROP TRIGGER ${name};`).join(''));
  tamper(db);
  db.close();
  return copy;
}

export function rowAt(db: Database.Database, seq: number): { seq: number; entry: string; prev_hash: string; hash: string } {
  return db.prepare('SELECT seq, entry, prev_hash, hash FROM entries WHERE seq = ?').get(seq) as { seq: number; entry: string; prev_hash: string; hash: string };
}

/** Re-hashes entries from `from` to the end, as someone without the private key can. */
export function rehashFrom(db: Database.Database, from: number): void {
  let prev = from === 1 ? '0'.repeat(64) : rowAt(db, from - 1).hash;
  const rows = db.prepare('SELECT seq, entry FROM entries WHERE seq >= ? ORDER BY seq').all(from) as { seq: number; entry: string }[];
  const update = db.prepare('UPDATE entries SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const hash = entryHash(row.seq, prev, row.entry);
    update.run(prev, hash, row.seq);
    prev = hash;
  }
}
