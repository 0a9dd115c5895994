// The one way stores are opened: schema versions migrated forward, files owner-only, and a
// file that cannot be trusted refusing start with one line naming it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/connectors/state-store.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { openStore, schemaVersion, storeCacheKib, StoreError } from '../../src/storage/sqlite-store.js';
import { DeliveryLog } from '../../src/subscriptions/delivery-log.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'penghubung-store-'));
const v1 = 'CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY)';
const v2 = `ALTER TABLE things ADD COLUMN label TEXT NOT NULL DEFAULT 'none'`;

function filledStore(file: string, rows = 2000): void {
  const db = openStore({ name: 'test', file, migrations: [v1] });
  const insert = db.prepare('INSERT INTO things VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`thing-${i}-${'x'.repeat(100)}`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('openStore', () => {
  it('migrates a store at version N-1 forward at start, keeping its rows', () => {
    const file = join(tempDir(), 'things.db');
    filledStore(file, 3);
    const db = openStore({ name: 'test', file, migrations: [v1, v2] });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT COUNT(*) FROM things WHERE label = ?').pluck().get('none')).toBe(3);
    db.close();
  });

  it('migrates a subscription store written before schema versions (version 0), keeps its delivery attempts and hands its subscriptions over', () => {
    const file = join(tempDir(), 'subscriptions.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE subscriptions (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, types TEXT NOT NULL, filter TEXT NOT NULL,
        url TEXT NOT NULL, secret TEXT NOT NULL, status TEXT NOT NULL, paused_reason TEXT, created_at TEXT NOT NULL, deleted_at TEXT);
      CREATE TABLE attempts (subscription_id TEXT NOT NULL, event_id TEXT NOT NULL, attempt INTEGER NOT NULL, outcome TEXT NOT NULL,
        http_status INTEGER, error TEXT, duration_ms REAL NOT NULL, at TEXT NOT NULL);
      CREATE TABLE pull_cursors (client_id TEXT NOT NULL, consumer TEXT NOT NULL, cursor TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (client_id, consumer)) WITHOUT ROWID;
      CREATE TABLE delivered (subscription_id TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (subscription_id, event_id)) WITHOUT ROWID;
      INSERT INTO subscriptions VALUES ('sub_1', 'opd', '["uji.dibuat"]', '{}', 'http://127.0.0.1:9/hook', 'whsec_lama', 'active', NULL, '2026-01-01T00:00:00Z', NULL);
      INSERT INTO attempts VALUES ('sub_1', 'ev-1', 1, 'delivered', 204, NULL, 3, '2026-01-01T00:00:01Z');
      INSERT INTO delivered VALUES ('sub_1', 'ev-1');`);
    old.close();
    const store = new DeliveryLog(file, () => true);
    expect(store.attempts('sub_1', 10)).toMatchObject([{ event_id: 'ev-1', outcome: 'delivered' }]);
    expect(store.legacy().subscriptions).toMatchObject([{ id: 'sub_1', types: ['uji.dibuat'], secret: 'whsec_lama' }]);
    store.close();
    const check = new Database(file, { readonly: true });
    expect(schemaVersion(check)).toBeGreaterThanOrEqual(2);
    check.close();
  });

  it('refuses a store written by a newer hub (a higher schema version)', () => {
    const file = join(tempDir(), 'things.db');
    openStore({ name: 'test', file, migrations: [v1, v2] }).close();
    expect(() => openStore({ name: 'test', file, migrations: [v1] })).toThrow(/schema version 2, newer than this hub knows \(1\)/);
  });

  it('bounds the page cache of every store it opens (not better-sqlite3\'s 16 MB default)', () => {
    const db = openStore({ name: 'test', file: join(tempDir(), 'things.db'), migrations: [v1] });
    expect(db.pragma('cache_size', { simple: true })).toBe(-storeCacheKib);
    expect(storeCacheKib).toBeLessThan(16_000);
    db.close();
  });

  it('sets the write-ahead log and fsyncs every commit, unless the store says it is derived (synchronous: normal)', () => {
    const dir = tempDir();
    const durable = openStore({ name: 'test', file: join(dir, 'durable.db'), migrations: [v1] });
    const derived = openStore({ name: 'test', file: join(dir, 'derived.db'), migrations: [v1], synchronous: 'normal' });
    for (const db of [durable, derived]) expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // SQLite's numbers: 2 FULL, 1 NORMAL.
    expect(durable.pragma('synchronous', { simple: true })).toBe(2);
    expect(derived.pragma('synchronous', { simple: true })).toBe(1);
    durable.close();
    derived.close();
  });

  it('creates the file owner-only (0600), its write-ahead log too', () => {
    const file = join(tempDir(), 'things.db');
    const db = openStore({ name: 'test', file, migrations: [v1] });
    db.prepare('INSERT INTO things VALUES (?)').run('a');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });

  const broken: [string, (file: string) => void, RegExp][] = [
    ['zero-byte', (file) => writeFileSync(file, ''), /is empty \(0 bytes\)/],
    ['truncated', (file) => truncateSync(file, Math.floor(statSync(file).size / 2)), /is truncated/],
    ['overwritten', (file) => writeFileSync(file, 'these are not the rows you are looking for\n'.repeat(200)), /is not a SQLite database/],
    ['corrupt inside', (file) => {
      const bytes = readFileSync(file);
      bytes.fill(0xa5, 4096 * 2, 4096 * 6);
      writeFileSync(file, bytes);
    }, /fails its integrity check|cannot be opened/],
  ];
  for (const [kind, damage, problem] of broken) {
    it(`refuses a ${kind} store with one line naming the file and what to do`, () => {
      const file = join(tempDir(), 'things.db');
      filledStore(file);
      damage(file);
      let thrown: unknown;
      try {
        openStore({ name: 'test', file, migrations: [v1] }).close();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StoreError);
      const message = (thrown as StoreError).message;
      expect(message).toContain(file);
      expect(message).toMatch(problem);
      expect(message).toMatch(/restore it from a backup/);
      expect(message).not.toContain('\n');
    });
  }

  const startWith = (dataDir: string): { status: number | null; lines: string[] } => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PENGHUBUNG_DATA_DIR: dataDir, PENGHUBUNG_HTTP__PORT: '0', PENGHUBUNG_LOG__LEVEL: 'silent', KAFKA_BROKERS: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: run.status, lines: run.stderr.trim().split('\n') };
  };

  it('the hub refuses to start on a zero-byte outbox.db, printing one line that names it', () => {
    const dataDir = tempDir();
    new Outbox(join(dataDir, 'outbox.db')).close();
    writeFileSync(join(dataDir, 'outbox.db'), '');
    expect(startWith(dataDir)).toEqual({ status: 1, lines: [`penghubung: the outbox store ${join(dataDir, 'outbox.db')} is empty (0 bytes): restore it from a backup, or move it aside to start with an empty store (its data is then lost)`] });
  });

  it('the hub refuses to start on a truncated or an overwritten store, one line naming each', () => {
    const truncated = tempDir();
    const state = new StateStore(join(truncated, 'state.db'));
    for (let i = 0; i < 500; i++) state.saveDelivery('lapor', 'kirim', `ev-${i}-${'x'.repeat(80)}`, `up-${i}`);
    state.close();
    truncateSync(join(truncated, 'state.db'), Math.floor(statSync(join(truncated, 'state.db')).size / 2));
    const first = startWith(truncated);
    expect(first.status).toBe(1);
    expect(first.lines).toHaveLength(1);
    expect(first.lines[0]).toMatch(new RegExp(`^penghubung: the state store ${escape(join(truncated, 'state.db'))} is truncated \\(\\d+ bytes of \\d+\\): restore it from a backup`));

    const overwritten = tempDir();
    new DeliveryLog(join(overwritten, 'subscriptions.db'), () => true).close();
    writeFileSync(join(overwritten, 'subscriptions.db'), 'bukan basis data\n'.repeat(100));
    const second = startWith(overwritten);
    expect(second).toEqual({ status: 1, lines: [`penghubung: the subscriptions store ${join(overwritten, 'subscriptions.db')} is not a SQLite database (it was overwritten): restore it from a backup, or move it aside to start with an empty store (its data is then lost)`] });
  });
});

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
