// The audit log: a tamper-evident, signed record of every exchange through the hub.
//
// `record()` only checks the entry and appends it to an in-memory queue: the caller never
// waits for a disk. A background flush (every flushIntervalMs, or at once when batchSize
// entries wait) writes up to batchSize entries in one SQLite transaction (WAL,
// synchronous=FULL): each gets the next sequence number, its canonical JSON, the previous
// entry's hash and its own hash (a chain); the batch's range and last hash are signed with
// Ed25519 and the signature is committed in the same transaction, so no entry is ever
// stored unsigned. A failed write keeps the entries queued and is retried.
import { sign } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { PrunableStore } from '../../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../../storage/sqlite-store.js';
import { batchMessage, FORMAT, GENESIS, entryHash, schema } from './chain.js';
import { auditEntry, entryJson, type AuditEntry, type AuditInput } from './entry.js';
import { loadOrCreateSigningKey, signingKeyFile, silentLogger, type AuditLogger, type SigningKey } from './keys.js';

export interface AuditLogOptions {
  /** The SQLite store, e.g. <dataDir>/audit.db (created if missing). */
  file: string;
  /** The Ed25519 private key (PEM). Default: PENGHUBUNG_AUDIT_KEY_FILE, else audit-key.pem beside the store. Created if missing. */
  keyFile?: string;
  /** Most entries per transaction and signature (default 500); this many waiting triggers a flush. */
  batchSize?: number;
  /** Longest an entry waits in memory before its flush (default 200 ms). */
  flushIntervalMs?: number;
  logger?: AuditLogger;
  /** Where PENGHUBUNG_AUDIT_KEY_FILE is read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
}

export interface AuditStats {
  file: string;
  keyId: string;
  /** Entries accepted by record() since open. */
  recorded: number;
  /** Entries committed to the store since open. */
  written: number;
  /** Entries waiting in memory. */
  queued: number;
  /** Batches signed and committed since open. */
  batches: number;
  /** Sequence number of the newest stored entry (entries in the store, all time). */
  lastSeq: number;
  lastFlushAt: string | null;
  /** How long the last batch took to hash, sign and commit. */
  lastFlushMs: number | null;
  flushErrors: number;
  lastError: string | null;
  /** Entries recorded after close(): not stored (logged). */
  lost: number;
}

const maxBackoffMs = 5_000;

export class AuditLog implements PrunableStore {
  readonly storeName = 'audit';
  private readonly db: Database.Database;
  private readonly key: SigningKey;
  private readonly logger: AuditLogger;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly file: string;
  private queue: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private failures = 0;
  private closed = false;
  private readonly counters = { recorded: 0, written: 0, batches: 0, lastSeq: 0, flushErrors: 0, lost: 0 };
  private lastFlushAt: string | null = null;
  private lastFlushMs: number | null = null;
  private lastError: string | null = null;
  private readonly writeBatch: (entries: AuditEntry[]) => { first: number; last: number };
  private readonly statements;

  private constructor(options: AuditLogOptions) {
    this.file = resolve(options.file);
    this.logger = options.logger ?? silentLogger;
    this.batchSize = positiveInteger(options.batchSize ?? 500, 'batchSize');
    this.intervalMs = positiveInteger(options.flushIntervalMs ?? 200, 'flushIntervalMs');
    this.key = loadOrCreateSigningKey(signingKeyFile(this.file, options.keyFile, options.env), this.logger);

    mkdirSync(dirname(this.file), { recursive: true });
    // Only the hub writes the store (verify and export read): a lock held elsewhere is an anomaly;
    // waiting for it blocks the event loop, so the wait is short and the write is retried later.
    this.db = openStore({ name: this.storeName, file: this.file, busyTimeoutMs: 1000, migrations: [schema] });
    try {
      const format = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('format') as string | undefined;
      if (format === undefined) this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('format', FORMAT);
      else if (format !== FORMAT) throw new Error(`${this.file} is an audit store of format ${format}, not ${FORMAT}`);
      this.db.prepare('INSERT OR IGNORE INTO keys (key_id, public_key, added_at) VALUES (?, ?, ?)').run(this.key.keyId, this.key.publicKeyPem, new Date().toISOString());
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = {
      head: this.db.prepare('SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1'),
      insert: this.db.prepare('INSERT INTO entries (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)'),
      insertBatch: this.db.prepare('INSERT INTO batches (first_seq, last_seq, last_hash, signed_at, key_id, signature) VALUES (?, ?, ?, ?, ?, ?)'),
      recent: this.db.prepare('SELECT seq, entry FROM entries ORDER BY seq DESC LIMIT ?'),
    };
    const write = this.db.transaction((entries: AuditEntry[]) => {
      // The head is read inside the write lock, so two writers on one file still make one chain.
      const head = this.statements.head.get() as { seq: number; hash: string } | undefined;
      let seq = head?.seq ?? 0;
      let prev = head?.hash ?? GENESIS;
      const first = seq + 1;
      for (const entry of entries) {
        seq += 1;
        const json = entryJson(entry);
        const hash = entryHash(seq, prev, json);
        this.statements.insert.run(seq, json, prev, hash);
        prev = hash;
      }
      const fields = { first_seq: first, last_seq: seq, last_hash: prev, signed_at: new Date().toISOString(), key_id: this.key.keyId };
      const signature = sign(null, batchMessage(fields), this.key.privateKey).toString('base64');
      this.statements.insertBatch.run(fields.first_seq, fields.last_seq, fields.last_hash, fields.signed_at, fields.key_id, signature);
      return { first, last: seq };
    });
    this.writeBatch = (entries) => write.immediate(entries);
    this.counters.lastSeq = (this.statements.head.get() as { seq: number } | undefined)?.seq ?? 0;
  }

  /**
   * Forgets whole signed batches signed before `cutoff` (retention is off unless configured).
   * The hash of the last entry forgotten is kept in `meta`, so the remaining chain still
   * verifies from there: every later entry and signature stays checkable.
   */
  prune(cutoff: number): number {
    const before = new Date(cutoff).toISOString();
    return this.db.transaction(() => {
      const through = this.db.prepare('SELECT MAX(last_seq) FROM batches WHERE signed_at < ? AND last_seq < (SELECT MAX(last_seq) FROM batches)').pluck().get(before) as number | null;
      if (through === null) return 0;
      const hash = this.db.prepare('SELECT hash FROM entries WHERE seq = ?').pluck().get(through) as string;
      this.db.exec('DROP TRIGGER entries_no_delete; DROP TRIGGER batches_no_delete;');
      const removed = this.db.prepare('DELETE FROM entries WHERE seq <= ?').run(through).changes + this.db.prepare('DELETE FROM batches WHERE last_seq <= ?').run(through).changes;
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('pruned_through', ?) ON CONFLICT DO UPDATE SET value = excluded.value`).run(JSON.stringify({ seq: through, hash }));
      this.db.exec(schema);
      return removed;
    }).immediate();
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  /** Opens (or creates) the store and the signing key. */
  static open(options: AuditLogOptions): AuditLog {
    return new AuditLog(options);
  }

  /**
   * Queues one entry; synchronous, no I/O. Throws a TypeError on a malformed entry (a bug in
   * the caller: an unknown field such as a body, a raw URL as route, a digest that is not hex).
   */
  record(input: AuditInput): void {
    const entry = auditEntry(input);
    if (this.closed) {
      this.counters.lost += 1;
      this.logger.error({ operation: entry.operation, correlation_id: entry.correlation_id }, 'audit entry recorded after the audit log was closed: not stored');
      return;
    }
    this.queue.push(entry);
    this.counters.recorded += 1;
    // After a failed write the backoff timer decides when to try again.
    if (this.queue.length >= this.batchSize && this.failures === 0) this.scheduleNow();
    else this.scheduleLater(this.intervalMs);
  }

  /** Writes everything queued now (in batches of batchSize). Rejects if the store refuses. */
  async flush(): Promise<void> {
    this.cancelSchedule();
    try {
      while (this.queue.length > 0) this.writeOne();
    } finally {
      if (this.queue.length > 0 && !this.closed) this.scheduleLater(this.backoffMs());
    }
  }

  /** Flushes what is queued and closes the store. Later record() calls are counted as lost. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelSchedule();
    try {
      while (this.queue.length > 0) this.writeOne();
    } catch (error) {
      this.counters.lost += this.queue.length;
      this.logger.error({ err: error, lost: this.queue.length, file: this.file }, 'audit log could not write its last entries at close');
      this.queue = [];
      throw error;
    } finally {
      this.db.close();
    }
  }

  /** The newest stored entries, newest first (for the dashboard). Entries still queued are not included. */
  recent(limit = 50): StoredAuditEntry[] {
    if (this.closed) return [];
    const rows = this.statements.recent.all(Math.max(1, Math.min(1_000, Math.floor(limit)))) as { seq: number; entry: string }[];
    return rows.map((row) => ({ seq: row.seq, ...(JSON.parse(row.entry) as AuditEntry) }));
  }

  stats(): AuditStats {
    return {
      file: this.file,
      keyId: this.key.keyId,
      ...this.counters,
      queued: this.queue.length,
      lastFlushAt: this.lastFlushAt,
      lastFlushMs: this.lastFlushMs,
      lastError: this.lastError,
    };
  }

  /** The public key (SPKI PEM) that verifies this log's signatures; keep a copy elsewhere. */
  publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  keyId(): string {
    return this.key.keyId;
  }

  /** Takes up to batchSize entries off the queue only once they are committed. */
  private writeOne(): void {
    const entries = this.queue.slice(0, this.batchSize);
    const started = performance.now();
    try {
      const { last } = this.writeBatch(entries);
      this.queue.splice(0, entries.length);
      this.counters.written += entries.length;
      this.counters.batches += 1;
      this.counters.lastSeq = last;
      this.lastFlushAt = new Date().toISOString();
      this.lastFlushMs = Math.round((performance.now() - started) * 1000) / 1000;
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.counters.flushErrors += 1;
      this.lastError = (error as Error).message;
      throw error;
    }
  }

  private tick = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.closed || this.queue.length === 0) return;
    try {
      this.writeOne();
    } catch (error) {
      this.logger.error({ err: error, queued: this.queue.length, file: this.file }, 'audit log write failed; entries stay queued and are retried');
      this.scheduleLater(this.backoffMs());
      return;
    }
    // More than a batch waiting: write the next one on the next turn (traffic runs between).
    if (this.queue.length >= this.batchSize) this.scheduleNow();
    else if (this.queue.length > 0) this.scheduleLater(this.intervalMs);
  };

  private scheduleNow(): void {
    if (this.immediate !== undefined) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.immediate = setImmediate(this.tick);
  }

  private scheduleLater(ms: number): void {
    if (this.timer !== undefined || this.immediate !== undefined) return;
    this.timer = setTimeout(this.tick, ms);
  }

  private cancelSchedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private backoffMs(): number {
    return Math.min(maxBackoffMs, this.intervalMs * 2 ** Math.min(this.failures, 10));
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`AuditLog: ${name} must be a positive integer, not ${value}`);
  return value;
}
