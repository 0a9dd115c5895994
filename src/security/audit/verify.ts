// Verifies an audit store: walks the entries in sequence order and the signed batches beside
// them, recomputes every hash and checks every signature, and names the first bad record.
//
// Trust: by default the public keys stored in the file verify the signatures. That detects
// any edit made without the private key, but someone who holds the private key — or who
// replaces the stored public key and re-signs everything with a key of their own — passes.
// Verifying against public keys kept elsewhere (`publicKeyPem`, the CLI's --public-key) closes
// that; an anchor (a seq and hash noted outside the store) also detects a truncated tail.
//
// Entries not covered by a signed batch are always a failure ('unsigned'): the writer commits
// each batch's entries and its signature in one transaction, so a healthy store has none.
// Entries still in the writer's memory are not in the store at all.
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { batchMessage, entryHash, GENESIS, type BatchRow, type EntryRow } from './chain.js';
import { publicKeyId } from './keys.js';

export type AuditProblem =
  /** The entry's content (or its prev_hash) no longer hashes to its stored hash. */
  | 'edited'
  /** Entries are missing: a gap in the sequence, a chain that starts late, or a batch that covers entries the store lacks. */
  | 'removed'
  /** Entries that are not on the chain were put in. */
  | 'inserted'
  /** The entry links to a later entry: entries were moved. */
  | 'reordered'
  /** The entries hash consistently but not to what was signed (or to the anchor): the chain was re-hashed. */
  | 'rewritten'
  /** A batch signature does not verify. */
  | 'bad-signature'
  /** A batch names a key that is not among the trusted public keys. */
  | 'unknown-key'
  /** A batch row that makes no sense (overlapping, inverted range). */
  | 'bad-batch'
  /** Entries that no signed batch covers. */
  | 'unsigned'
  /** The store ends before the anchor's seq. */
  | 'truncated'
  /** The file is not a readable audit store. */
  | 'unreadable';

export interface AuditFinding {
  /** The first bad sequence number (for a batch problem: the batch's first seq). */
  seq: number;
  problem: AuditProblem;
  detail: string;
  /** For problems that span a batch: its last seq. */
  lastSeq?: number;
  /** The batch involved, by id. */
  batch?: number;
  /** The stored row at seq, when there is one. */
  record?: EntryRow;
}

export interface VerifyOptions {
  /** Trusted public keys (SPKI PEM). Default: the keys stored in the file. */
  publicKeyPem?: string | readonly string[];
  /** A seq and its hash noted outside the store (an earlier verify's head): detects truncation and re-hashing. */
  anchor?: { seq: number; hash: string };
}

export interface VerifyResult {
  ok: boolean;
  /** Entries verified good (all of them when ok; those before the first bad record otherwise). */
  checked: number;
  /** Entries in the store. */
  entries: number;
  /** Batches whose signature verified and whose last hash matched. */
  batches: number;
  /** The last verified entry: note it outside the store and pass it as an anchor next time. */
  head: { seq: number; hash: string } | null;
  keys: { keyId: string; source: 'stored' | 'given' }[];
  firstBad?: AuditFinding;
}

/** Most sequence numbers searched to recognise an entry renumbered after a removal. */
const renumberSearch = 100_000;

export function verifyAuditStore(file: string, options: VerifyOptions = {}): VerifyResult {
  if (!existsSync(file)) throw new Error(`no audit store at ${file}`);
  const given = options.publicKeyPem === undefined ? undefined : typeof options.publicKeyPem === 'string' ? [options.publicKeyPem] : [...options.publicKeyPem];
  const trusted = new Map<string, KeyObject>();
  for (const pem of given ?? []) {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a given public key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
    trusted.set(publicKeyId(key), key);
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.exec('BEGIN'); // one snapshot, even while the hub appends
    try {
      return walk(db, trusted, given === undefined, options.anchor);
    } finally {
      db.exec('COMMIT');
    }
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) throw error;
    return { ok: false, checked: 0, entries: 0, batches: 0, head: null, keys: [], firstBad: { seq: 0, problem: 'unreadable', detail: `${file} is not a readable audit store: ${error.message}` } };
  } finally {
    db?.close();
  }
}

function walk(db: Database.Database, trusted: Map<string, KeyObject>, useStored: boolean, anchor: VerifyOptions['anchor']): VerifyResult {
  const source = useStored ? 'stored' : 'given';
  if (useStored) {
    for (const row of db.prepare('SELECT key_id, public_key FROM keys').all() as { key_id: string; public_key: string }[]) {
      try {
        const key = createPublicKey(row.public_key);
        if (key.asymmetricKeyType === 'ed25519') trusted.set(publicKeyId(key), key);
      } catch {
        // an unreadable stored key verifies nothing; its batches report unknown-key
      }
    }
  }
  const batches = db.prepare('SELECT id, first_seq, last_seq, last_hash, signed_at, key_id, signature FROM batches ORDER BY first_seq, id').all() as BatchRow[];
  const entries = db.prepare('SELECT COUNT(*) FROM entries').pluck().get() as number;

  let next = 0; // index of the next batch to enter
  let open: BatchRow | undefined;
  // Retention may have forgotten the oldest batches: the chain then verifies from the last entry forgotten.
  const pruned = db.prepare(`SELECT value FROM meta WHERE key = 'pruned_through'`).pluck().get() as string | undefined;
  const start = pruned === undefined ? { seq: 0, hash: GENESIS } : (JSON.parse(pruned) as { seq: number; hash: string });
  let expected = start.seq + 1;
  let prev = start.hash;
  let checked = 0;
  let signed = 0;
  let head: VerifyResult['head'] = null;
  let finding: AuditFinding | undefined;
  let brokenLink: EntryRow | undefined;

  for (const row of db.prepare('SELECT seq, entry, prev_hash, hash FROM entries ORDER BY seq').iterate() as IterableIterator<EntryRow>) {
    if (open === undefined) {
      finding = enter(batches[next], expected, trusted, source);
      if (finding) break;
      open = batches[next];
      next += 1;
    }
    if (row.seq !== expected) {
      finding = { seq: expected, problem: 'removed', detail: row.seq === expected + 1 ? `entry ${expected} is missing` : `entries ${expected} to ${row.seq - 1} are missing` };
      break;
    }
    if (row.prev_hash !== prev) {
      brokenLink = row; // classified below, once the iteration has released the connection
      break;
    }
    if (entryHash(row.seq, row.prev_hash, row.entry) !== row.hash) {
      finding = { seq: row.seq, problem: 'edited', detail: `entry ${row.seq} does not hash to its stored hash: its content was changed` };
      break;
    }
    checked += 1;
    prev = row.hash;
    head = { seq: row.seq, hash: row.hash };
    expected += 1;
    if (anchor && row.seq === anchor.seq && row.hash !== anchor.hash) {
      finding = { seq: row.seq, problem: 'rewritten', detail: `entry ${row.seq} hashes to ${row.hash}, not to the anchor ${anchor.hash} noted outside the store: the chain up to it was rewritten (and re-signed)` };
      break;
    }
    if (row.seq === open!.last_seq) {
      if (row.hash !== open!.last_hash) {
        finding = { seq: open!.first_seq, lastSeq: open!.last_seq, batch: open!.id, problem: 'rewritten', detail: `entries ${open!.first_seq} to ${open!.last_seq} hash consistently, but not to the last hash batch ${open!.id} signed: they were edited and re-hashed` };
        break;
      }
      signed += 1;
      open = undefined;
    }
  }

  if (brokenLink) finding = classifyBrokenLink(db, brokenLink);
  if (!finding && open) {
    finding = { seq: expected, lastSeq: open.last_seq, batch: open.id, problem: 'removed', detail: `batch ${open.id} covers entries up to ${open.last_seq}, but the store ends at ${expected - 1}: the last entries were removed` };
  }
  if (!finding && next < batches.length) {
    const batch = batches[next]!;
    finding = { seq: expected, batch: batch.id, problem: 'removed', detail: `batch ${batch.id} covers entries ${batch.first_seq} to ${batch.last_seq}, which the store lacks` };
  }
  if (!finding && anchor && (head?.seq ?? 0) < anchor.seq) {
    finding = { seq: (head?.seq ?? 0) + 1, problem: 'truncated', detail: `the store ends at entry ${head?.seq ?? 0}, but the anchor noted entry ${anchor.seq}: entries (and their batches) were removed from the end` };
  }

  const keys = [...trusted.keys()].map((keyId) => ({ keyId, source }) as const);
  if (!finding) return { ok: true, checked, entries, batches: signed, head, keys };
  const record = db.prepare('SELECT seq, entry, prev_hash, hash FROM entries WHERE seq = ?').get(finding.seq) as EntryRow | undefined;
  if (record) finding.record = record;
  checked = Math.min(checked, Math.max(0, finding.seq - 1));
  if (head && head.seq > checked) head = checked === 0 ? null : { seq: checked, hash: (db.prepare('SELECT hash FROM entries WHERE seq = ?').pluck().get(checked) as string | undefined) ?? '' };
  return { ok: false, checked, entries, batches: signed, head, keys, firstBad: finding };
}

/** Checks the batch that must start at `expected`: its place, its key and its signature. */
function enter(batch: BatchRow | undefined, expected: number, trusted: Map<string, KeyObject>, source: 'stored' | 'given'): AuditFinding | undefined {
  if (!batch) return { seq: expected, problem: 'unsigned', detail: `entry ${expected} and those after it are covered by no signed batch` };
  if (batch.first_seq > expected) return { seq: expected, lastSeq: batch.first_seq - 1, problem: 'unsigned', detail: `entries ${expected} to ${batch.first_seq - 1} are covered by no signed batch (a batch was removed)` };
  if (batch.first_seq < expected || !(batch.last_seq >= batch.first_seq)) {
    return { seq: expected, batch: batch.id, problem: 'bad-batch', detail: `batch ${batch.id} covers ${batch.first_seq} to ${batch.last_seq}, overlapping or out of order (the next batch should start at ${expected})` };
  }
  const key = trusted.get(batch.key_id);
  const where = { seq: batch.first_seq, lastSeq: batch.last_seq, batch: batch.id };
  if (!key) {
    const known = [...trusted.keys()].join(', ') || 'none';
    return { ...where, problem: 'unknown-key', detail: `batch ${batch.id} (entries ${batch.first_seq} to ${batch.last_seq}) is signed by key ${batch.key_id}, which is not among the ${source} public keys (${known})` };
  }
  let valid: boolean;
  try {
    valid = verifySignature(null, batchMessage(batch), key, Buffer.from(batch.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return { ...where, problem: 'bad-signature', detail: `the signature of batch ${batch.id} (entries ${batch.first_seq} to ${batch.last_seq}, key ${batch.key_id}) does not verify: the batch or its signature was changed` };
  return undefined;
}

/** An entry whose prev_hash is not its predecessor's hash: find out what happened. */
function classifyBrokenLink(db: Database.Database, row: EntryRow): AuditFinding {
  const owner = db.prepare('SELECT seq FROM entries WHERE hash = ? ORDER BY seq LIMIT 1').pluck().get(row.prev_hash) as number | undefined;
  if (owner !== undefined && owner > row.seq) {
    return { seq: row.seq, problem: 'reordered', detail: `entry ${row.seq} links to entry ${owner}, which comes after it: entries were moved` };
  }
  if (owner !== undefined && owner < row.seq - 1) {
    return { seq: owner + 1, lastSeq: row.seq - 1, problem: 'inserted', detail: `entry ${row.seq} links to entry ${owner}: entries ${owner + 1} to ${row.seq - 1} are not on the chain` };
  }
  if (row.seq === 1) {
    return { seq: 1, problem: 'removed', detail: 'the first stored entry does not start the chain (its prev_hash is not the genesis hash): earlier entries were removed and the rest renumbered' };
  }
  if (entryHash(row.seq, row.prev_hash, row.entry) === row.hash) {
    return { seq: row.seq - 1, problem: 'edited', detail: `entry ${row.seq - 1} was edited and re-hashed: its hash is no longer the prev_hash of entry ${row.seq}` };
  }
  for (let original = row.seq + 1; original <= row.seq + renumberSearch; original += 1) {
    if (entryHash(original, row.prev_hash, row.entry) === row.hash) {
      return { seq: row.seq, problem: 'removed', detail: `entry ${row.seq} was entry ${original}: ${original - row.seq} entr${original - row.seq === 1 ? 'y was' : 'ies were'} removed before it and the rest renumbered` };
    }
  }
  return { seq: row.seq, problem: 'edited', detail: `entry ${row.seq}'s prev_hash is not the hash of entry ${row.seq - 1}: it was changed` };
}
