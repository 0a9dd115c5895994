// One way to open the hub's SQLite stores: the file is checked before anything is trusted
// (a zero-byte, truncated, overwritten or corrupt file refuses start instead of silently
// becoming an empty store), created owner-only (0600), put in WAL mode with the same pragmas,
// and brought to its schema version by forward migrations counted in `PRAGMA user_version`.
import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { privateFileMode } from '../security/file-modes.js';

export interface StoreSpec {
  /** Short name for metrics and messages: outbox, bus, state… */
  name: string;
  file: string;
  /**
   * Forward migrations: `migrations[i]` brings the schema from version i to i+1. Never edit a
   * shipped entry; append a new one. The first one is written with IF NOT EXISTS so stores made
   * before versions existed (user_version 0, tables present) pass through it unchanged.
   */
  migrations: readonly (string | ((db: Database.Database) => void))[];
  /** How long a writer waits for another connection's lock (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * `full` (default): an acknowledged write survives a power cut. `normal`, for a store derived
   * from a topic it can be read again from: no fsync per commit; WAL keeps every commit through a
   * crash of the process, a power cut may lose the last ones.
   */
  synchronous?: 'full' | 'normal';
}

/** Thrown when a store cannot be trusted; its message is the one line an operator needs. */
export class StoreError extends Error {
  constructor(readonly store: string, readonly file: string, problem: string, remedy: string) {
    super(`the ${store} store ${file} ${problem}: ${remedy}`);
    this.name = 'StoreError';
  }
}

const sqliteHeader = Buffer.from('SQLite format 3\u0000', 'latin1');
const restore = 'restore it from a backup, or move it aside to start with an empty store (its data is then lost)';

export function openStore(spec: StoreSpec): Database.Database {
  const { file } = spec;
  const existed = existsSync(file);
  if (existed) checkFile(spec.name, file);
  else closeSync(openSync(file, 'wx', privateFileMode));
  // Before the first page is written; SQLite gives the -wal and -shm files the database file's mode.
  chmodSync(file, privateFileMode);

  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    boundMemory(db);
    db.pragma(`busy_timeout = ${spec.busyTimeoutMs ?? 5000}`);
    if (existed) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new StoreError(spec.name, file, `fails its integrity check (${oneLine(String(result))})`, restore);
    }
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${spec.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    migrate(db, spec);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    if (error instanceof Database.SqliteError) throw new StoreError(spec.name, file, `cannot be opened (${error.code}: ${oneLine(error.message)})`, restore);
    throw error;
  }
}

/**
 * Page cache per connection, in KiB. better-sqlite3 builds SQLite with a 16 MB default
 * (SQLITE_DEFAULT_CACHE_SIZE=-16000), filled and never given back: over the hub's ten stores that
 * is up to 160 MB of RSS. The stores are read by key and appended to, and the OS page cache
 * keeps their files warm, so 2 MB each serves them.
 */
export const storeCacheKib = 2048;

/** Bounds the memory SQLite may hold for one connection: every database the hub opens goes through here. */
export function boundMemory(db: Database.Database): void {
  db.pragma(`cache_size = -${storeCacheKib}`);
}

/** The schema version a store file is at (for tests and `penghubung` diagnostics). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 160);

/** A zero-byte file would open as an empty database: every event in it lost without a word. */
function checkFile(name: string, file: string): void {
  const size = statSync(file).size;
  if (size === 0) throw new StoreError(name, file, 'is empty (0 bytes)', restore);
  const head = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || !head.subarray(0, 16).equals(sqliteHeader)) throw new StoreError(name, file, 'is not a SQLite database (it was overwritten)', restore);
  // The header records the page size and the page count at the last commit (or checkpoint, in WAL).
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = head.readUInt32BE(28);
  const countValid = head.readUInt32BE(24) === head.readUInt32BE(92);
  if (countValid && pages > 0 && size < pages * pageSize) throw new StoreError(name, file, `is truncated (${size} bytes of ${pages * pageSize})`, restore);
}

function migrate(db: Database.Database, spec: StoreSpec): void {
  const current = schemaVersion(db);
  const target = spec.migrations.length;
  if (current > target) {
    throw new StoreError(spec.name, spec.file, `is at schema version ${current}, newer than this hub knows (${target})`, 'run the hub version that wrote it, or restore a backup made for this version');
  }
  for (let version = current; version < target; version++) {
    const step = spec.migrations[version]!;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export interface StoreSize {
  rows: number;
  /** The database file and its write-ahead log. */
  bytes: number;
}

/** Rows in every table of the store and bytes on disk (a scrape-time metric). */
export function measureStore(db: Database.Database, file: string): StoreSize {
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  let rows = 0;
  for (const table of tables) rows += db.prepare(`SELECT COUNT(*) FROM "${table.replaceAll('"', '""')}"`).pluck().get() as number;
  const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
  return { rows, bytes: sizeOf(file) + sizeOf(`${file}-wal`) };
}
