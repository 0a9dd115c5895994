// The audit store's format, shared by the writer (audit-log.ts) and the verifier (verify.ts).
//
//   entry hash     = SHA-256( "penghubung-audit-entry/1\n" seq "\n" prev_hash "\n" canonical JSON )
//   first prev_hash = 64 zeros (GENESIS)
//   batch message  = "penghubung-audit-batch/1\n" first_seq "\n" last_seq "\n" last_hash "\n"
//                    signed_at "\n" key_id            (UTF-8, signed with Ed25519)
//   key id         = first 16 hex of SHA-256 over the public key's SPKI DER
//
// Every entry's hash covers its predecessor's, so the signature over a batch's last hash
// covers every entry up to it. docs/AUDIT.md describes the format for outside verifiers.
import { sha256Hex } from '../sha256.js';

export const FORMAT = 'penghubung-audit/1';
export const GENESIS = '0'.repeat(64);

export function entryHash(seq: number, prevHash: string, json: string): string {
  return sha256Hex(`penghubung-audit-entry/1\n${seq}\n${prevHash}\n${json}`);
}

export interface BatchFields {
  first_seq: number;
  last_seq: number;
  last_hash: string;
  signed_at: string;
  key_id: string;
}

export function batchMessage(batch: BatchFields): Buffer {
  return Buffer.from(`penghubung-audit-batch/1\n${batch.first_seq}\n${batch.last_seq}\n${batch.last_hash}\n${batch.signed_at}\n${batch.key_id}`, 'utf8');
}

export interface EntryRow {
  seq: number;
  entry: string;
  prev_hash: string;
  hash: string;
}

export interface BatchRow extends BatchFields {
  id: number;
  /** Ed25519 signature, base64. */
  signature: string;
}

// Triggers make the tables append-only for anyone using SQL by mistake; they do not stop an
// attacker who can write the file (they drop the trigger): the hash chain and the signatures do.
export const schema = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    entry TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_seq INTEGER NOT NULL UNIQUE,
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS keys (
    key_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    added_at TEXT NOT NULL);
  CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS batches_no_update BEFORE UPDATE ON batches BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS batches_no_delete BEFORE DELETE ON batches BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;
