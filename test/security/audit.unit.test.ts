// The audit log: record() never waits for a disk, everything recorded is flushed in signed
// batches, and verification names the first bad record of a store that was tampered with
// (always on a copy of a closed store, triggers dropped, as an attacker with file access would).
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/security/audit/audit-log.js';
import { batchMessage, entryHash, GENESIS } from '../../src/security/audit/chain.js';
import { auditEntry, canonicalJson, digest, entryJson } from '../../src/security/audit/entry.js';
import { publicKeyId } from '../../src/security/audit/keys.js';
import { verifyAuditStore } from '../../src/security/audit/verify.js';
import { waitFor } from '../support/wait.js';
import { rehashFrom, rowAt, sampleEntry, tamperedCopy, tempDir, writeStore, type Store } from './audit-helpers.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** Waits for the background flush to reach a state (it runs on its own timers). */
const until = (condition: () => boolean, timeoutMs = 5_000): Promise<void> => waitFor(condition, timeoutMs, 'the audit log to reach the expected state', 5);

describe('AuditLog', () => {
  it('records 10,000 entries without waiting for I/O, then flushes them all in signed batches that verify', async () => {
    const dir = tempDir();
    const file = join(dir, 'audit.db');
    const log = AuditLog.open({ file, keyFile: join(dir, 'key.pem'), env: {}, logger: quiet });
    const reader = new Database(file, { readonly: true });
    const stored = reader.prepare('SELECT COUNT(*) FROM entries').pluck();

    const started = performance.now();
    for (let i = 1; i <= 10_000; i += 1) log.record(sampleEntry(i));
    const recordMs = performance.now() - started;
    // Nothing was written inside record(): the whole loop ran without touching the store.
    expect(stored.get()).toBe(0);
    expect(log.stats()).toMatchObject({ recorded: 10_000, queued: 10_000, written: 0 });
    expect(recordMs).toBeLessThan(2_000);

    const flushStarted = performance.now();
    await until(() => log.stats().written === 10_000, 30_000); // the background flush, not close()
    const flushMs = performance.now() - flushStarted;
    expect(stored.get()).toBe(10_000);
    expect(log.stats()).toMatchObject({ queued: 0, batches: 20, lastSeq: 10_000, flushErrors: 0 });
    reader.close();
    await log.close();
    console.info(`audit: 10,000 record() calls took ${recordMs.toFixed(1)} ms (${((recordMs * 1000) / 10_000).toFixed(2)} µs each); `
      + `the background flush wrote them in ${flushMs.toFixed(0)} ms (${Math.round(10_000 / (flushMs / 1000))} entries/s, 20 signed batches of 500, last batch ${log.stats().lastFlushMs} ms)`);

    const result = verifyAuditStore(file);
    expect(result).toMatchObject({ ok: true, checked: 10_000, entries: 10_000, batches: 20 });
    expect(result.firstBad).toBeUndefined();
  });

  it('flushes on its interval when fewer than a batch wait, and at once when a batch is full', async () => {
    const dir = tempDir();
    const slow = AuditLog.open({ file: join(dir, 'a.db'), keyFile: join(dir, 'key.pem'), flushIntervalMs: 30, env: {} });
    slow.record(sampleEntry(1));
    slow.record(sampleEntry(2));
    expect(slow.stats().written).toBe(0);
    await until(() => slow.stats().written === 2);
    expect(slow.stats().batches).toBe(1);
    await slow.close();

    const full = AuditLog.open({ file: join(dir, 'b.db'), keyFile: join(dir, 'key.pem'), batchSize: 10, flushIntervalMs: 60_000, env: {} });
    for (let i = 1; i <= 25; i += 1) full.record(sampleEntry(i));
    await until(() => full.stats().written === 20); // two full batches, long before the interval
    expect(full.stats()).toMatchObject({ queued: 5, batches: 2 });
    await full.close(); // close writes the rest
    expect(verifyAuditStore(join(dir, 'b.db'))).toMatchObject({ ok: true, checked: 25, batches: 3 });
  });

  it('hash-chains canonical JSON entries and signs each batch over its range, last hash and time', async () => {
    const store = await writeStore(7, 3);
    const db = new Database(store.file, { readonly: true });
    const rows = db.prepare('SELECT seq, entry, prev_hash, hash FROM entries ORDER BY seq').all() as { seq: number; entry: string; prev_hash: string; hash: string }[];
    const batches = db.prepare('SELECT * FROM batches ORDER BY first_seq').all() as { first_seq: number; last_seq: number; last_hash: string; signed_at: string; key_id: string; signature: string }[];
    const keys = db.prepare('SELECT key_id, public_key FROM keys').all() as { key_id: string; public_key: string }[];
    db.close();
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    let prev = GENESIS;
    for (const row of rows) {
      expect(row.prev_hash).toBe(prev);
      const expected = createHash('sha256').update(`penghubung-audit-entry/1\n${row.seq}\n${row.prev_hash}\n${row.entry}`).digest('hex');
      expect(row.hash).toBe(expected);
      expect(row.entry).toBe(canonicalJson(JSON.parse(row.entry)));
      prev = row.hash;
    }
    expect(JSON.parse(rows[0]!.entry)).toMatchObject({ ...sampleEntry(1), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(batches.map((b) => [b.first_seq, b.last_seq])).toEqual([[1, 3], [4, 6], [7, 7]]);
    expect(batches[1]!.last_hash).toBe(rows[5]!.hash);
    expect(keys).toEqual([{ key_id: publicKeyId(store.publicKeyPem), public_key: store.publicKeyPem }]);
    expect(batchMessage(batches[0]!).toString()).toBe(`penghubung-audit-batch/1\n1\n3\n${rows[2]!.hash}\n${batches[0]!.signed_at}\n${keys[0]!.key_id}`);
  });

  it('continues the chain across restarts', async () => {
    const store = await writeStore(5, 2);
    const log = AuditLog.open({ file: store.file, keyFile: store.keyFile, env: {} });
    expect(log.stats().lastSeq).toBe(5);
    log.record(sampleEntry(6));
    await log.close();
    expect(verifyAuditStore(store.file, { publicKeyPem: store.publicKeyPem })).toMatchObject({ ok: true, checked: 6, batches: 4 });
  });

  it('serves the newest entries and its figures to the dashboard', async () => {
    const dir = tempDir();
    const log = AuditLog.open({ file: join(dir, 'audit.db'), keyFile: join(dir, 'key.pem'), env: {} });
    for (let i = 1; i <= 12; i += 1) log.record(sampleEntry(i));
    expect(log.recent(5)).toEqual([]); // queued entries are not stored yet
    await log.flush();
    const recent = log.recent(3);
    expect(recent.map((entry) => entry.seq)).toEqual([12, 11, 10]);
    expect(recent[2]).toMatchObject({ seq: 10, status: 404, outcome: 'refused', correlation_id: 'c-10' });
    expect(log.stats()).toMatchObject({ file: join(dir, 'audit.db'), keyId: log.keyId(), recorded: 12, written: 12, queued: 0, batches: 1, lastSeq: 12, flushErrors: 0, lastError: null, lost: 0 });
    expect(log.stats().lastFlushAt).toMatch(/^\d{4}-/);
    await log.close();
    log.record(sampleEntry(13)); // after close: counted and logged, never thrown at a request
    expect(log.stats().lost).toBe(1);
  });

  it('keeps entries queued when a write fails, and writes them on a later try', async () => {
    const dir = tempDir();
    const file = join(dir, 'audit.db');
    const errors: string[] = [];
    const log = AuditLog.open({ file, keyFile: join(dir, 'key.pem'), flushIntervalMs: 20, env: {}, logger: { ...quiet, error: (_object, message) => errors.push(message) } });
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE'); // another writer holds the lock
    for (let i = 1; i <= 3; i += 1) log.record(sampleEntry(i));
    await expect(log.flush()).rejects.toThrow(/locked/);
    expect(log.stats()).toMatchObject({ queued: 3, written: 0, flushErrors: 1, lastError: expect.stringMatching(/locked/) });
    blocker.exec('ROLLBACK');
    blocker.close();
    await until(() => log.stats().written === 3); // the retry, on its backoff timer
    expect(log.stats().queued).toBe(0);
    await log.close();
    expect(verifyAuditStore(file)).toMatchObject({ ok: true, checked: 3 });
  });

  it('keeps the store append-only for SQL used by mistake', async () => {
    const store = await writeStore(3, 10);
    const db = new Database(store.file);
    expect(() => db.prepare('UPDATE entries SET entry = ? WHERE seq = 2').run('{}')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM entries WHERE seq = 3').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM batches').run()).toThrow(/append-only/);
    db.close();
  });
});

describe('audit entries', () => {
  const good = sampleEntry(2);

  it('are refused when they carry a body, a raw URL or something that is not a digest', () => {
    expect(() => auditEntry({ ...good, body: '{"nik":"1809011704780001"}' } as never)).toThrow(/unknown field "body"/);
    expect(() => auditEntry({ ...good, route: '/v1/penduduk/1809011704780001' })).toThrow(/route must be the matched pattern/);
    expect(() => auditEntry({ ...good, route: '/v1/pengaduan?status=baru' })).toThrow(/route must be the matched pattern/);
    expect(() => auditEntry({ ...good, request_digest: 'BUDI SANTOSO' })).toThrow(/request_digest must be SHA-256 hex/);
    expect(() => auditEntry({ ...good, outcome: 'fine' as never })).toThrow(/outcome/);
    expect(() => auditEntry({ ...good, status: 200.5 })).toThrow(/status/);
    expect(() => auditEntry({ ...good, time: 'yesterday' })).toThrow(/time/);
  });

  it('take their digests from digest() and their time from now', () => {
    const entry = auditEntry({ ...good, request_digest: digest('{"a":1}'), latency_ms: 1.23456 }, () => new Date('2025-01-02T03:04:05.678Z'));
    expect(entry.request_digest).toBe(createHash('sha256').update('{"a":1}').digest('hex'));
    expect(entry.time).toBe('2025-01-02T03:04:05.678Z');
    expect(entry.latency_ms).toBe(1.235);
    expect(digest(null)).toBeNull();
    expect(entryJson(entry)).toBe(canonicalJson(entry));
    expect(canonicalJson({ b: [1, 'x', null], a: { d: -0, c: true } })).toBe('{"a":{"c":true,"d":0},"b":[1,"x",null]}');
  });
});

describe('the signing key', () => {
  it('is created with mode 0600 when missing, with its public key beside it, and logged', async () => {
    const dir = tempDir();
    const lines: { message: string; object: Record<string, unknown> }[] = [];
    const logger = { info: (object: object, message: string) => lines.push({ object: object as Record<string, unknown>, message }), warn: () => {}, error: () => {} };
    const keyFile = join(dir, 'secrets', 'audit-key.pem');
    const log = AuditLog.open({ file: join(dir, 'audit.db'), keyFile, logger, env: {} });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${keyFile}.pub`, 'utf8')).toBe(log.publicKeyPem());
    const spki = Buffer.from(log.publicKeyPem().replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(log.keyId()).toBe(createHash('sha256').update(spki).digest('hex').slice(0, 16));
    expect(lines).toEqual([{ message: expect.stringMatching(/created the audit signing key/), object: expect.objectContaining({ keyFile, keyId: log.keyId() }) }]);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    await log.close();

    const again = AuditLog.open({ file: join(dir, 'audit.db'), keyFile, logger, env: {} });
    expect(again.keyId()).toBe(log.keyId()); // read, not replaced
    expect(lines).toHaveLength(1);
    await again.close();
  });

  it('is found through PENGHUBUNG_AUDIT_KEY_FILE, and must be Ed25519', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'from-env.pem');
    const log = AuditLog.open({ file: join(dir, 'audit.db'), env: { PENGHUBUNG_AUDIT_KEY_FILE: keyFile } });
    expect(existsSync(keyFile)).toBe(true);
    expect(existsSync(join(dir, 'audit-key.pem'))).toBe(false);
    await log.close();

    const rsa = join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    expect(() => AuditLog.open({ file: join(dir, 'other.db'), keyFile: rsa, env: {} })).toThrow(/Ed25519/);
  });
});

describe('verifyAuditStore on a tampered copy', () => {
  // 2,000 entries in 20 batches of 100: batch n covers (n-1)*100+1 to n*100.
  let store: Store;
  beforeAll(async () => {
    store = await writeStore(2_000, 100);
  });

  it('passes the untouched store, against the stored key and against the public key kept apart', () => {
    expect(verifyAuditStore(store.file)).toMatchObject({ ok: true, checked: 2_000, batches: 20, keys: [{ source: 'stored' }] });
    const given = verifyAuditStore(store.file, { publicKeyPem: store.publicKeyPem });
    expect(given).toMatchObject({ ok: true, checked: 2_000, keys: [{ keyId: publicKeyId(store.publicKeyPem), source: 'given' }] });
    expect(given.head).toEqual({ seq: 2_000, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('catches an edited entry at its seq', () => {
    const copy = tamperedCopy(store, (db) => {
      const row = rowAt(db, 777);
      db.prepare('UPDATE entries SET entry = ? WHERE seq = 777').run(row.entry.replace('"status":200', '"status":500'));
      expect(rowAt(db, 777).entry).not.toBe(row.entry);
    });
    const result = verifyAuditStore(copy);
    expect(result).toMatchObject({ ok: false, checked: 776, firstBad: { seq: 777, problem: 'edited' } });
    expect(result.firstBad!.record!.entry).toContain('"status":500');
  });

  it('catches a removed entry at its seq, in the middle, at the end, and when the rest was renumbered', () => {
    expect(verifyAuditStore(tamperedCopy(store, (db) => db.prepare('DELETE FROM entries WHERE seq = 1234').run())))
      .toMatchObject({ ok: false, checked: 1_233, firstBad: { seq: 1_234, problem: 'removed' } });
    expect(verifyAuditStore(tamperedCopy(store, (db) => db.prepare('DELETE FROM entries WHERE seq = 2000').run())))
      .toMatchObject({ ok: false, checked: 1_999, firstBad: { seq: 2_000, problem: 'removed', batch: 20 } });
    const renumbered = tamperedCopy(store, (db) => {
      db.prepare('DELETE FROM entries WHERE seq = 500').run();
      const move = db.prepare('UPDATE entries SET seq = ? WHERE seq = ?');
      for (let seq = 501; seq <= 2_000; seq += 1) move.run(seq - 1, seq);
    });
    expect(verifyAuditStore(renumbered)).toMatchObject({ ok: false, checked: 499, firstBad: { seq: 500, problem: 'removed', detail: expect.stringMatching(/was entry 501/) } });
    expect(verifyAuditStore(tamperedCopy(store, (db) => db.prepare('DELETE FROM entries WHERE seq <= 10').run())))
      .toMatchObject({ ok: false, checked: 0, firstBad: { seq: 1, problem: 'removed' } });
  });

  it('catches two entries that swapped places', () => {
    const copy = tamperedCopy(store, (db) => {
      db.prepare('UPDATE entries SET seq = -1 WHERE seq = 300').run();
      db.prepare('UPDATE entries SET seq = 300 WHERE seq = 301').run();
      db.prepare('UPDATE entries SET seq = 301 WHERE seq = -1').run();
    });
    expect(verifyAuditStore(copy)).toMatchObject({ ok: false, checked: 299, firstBad: { seq: 300, problem: 'reordered' } });
  });

  it('catches an entry put into the chain', () => {
    const copy = tamperedCopy(store, (db) => {
      const move = db.prepare('UPDATE entries SET seq = ? WHERE seq = ?');
      for (let seq = 2_000; seq >= 1_001; seq -= 1) move.run(seq + 1, seq);
      const json = canonicalJson(auditEntry(sampleEntry(1)));
      const prev = rowAt(db, 1_000).hash;
      db.prepare('INSERT INTO entries (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)').run(1_001, json, prev, entryHash(1_001, prev, json));
    });
    expect(verifyAuditStore(copy)).toMatchObject({ ok: false, checked: 1_000, firstBad: { seq: 1_001, problem: 'inserted' } });
  });

  it('catches an edited batch signature, and a removed batch', () => {
    const forged = tamperedCopy(store, (db) => {
      const signature = db.prepare('SELECT signature FROM batches WHERE first_seq = 401').pluck().get() as string;
      const bytes = Buffer.from(signature, 'base64');
      bytes[10] = bytes[10]! ^ 0x01;
      db.prepare('UPDATE batches SET signature = ? WHERE first_seq = 401').run(bytes.toString('base64'));
    });
    expect(verifyAuditStore(forged)).toMatchObject({ ok: false, checked: 400, batches: 4, firstBad: { seq: 401, lastSeq: 500, problem: 'bad-signature' } });
    const retimed = tamperedCopy(store, (db) => db.prepare("UPDATE batches SET signed_at = '2020-01-01T00:00:00.000Z' WHERE first_seq = 1").run());
    expect(verifyAuditStore(retimed)).toMatchObject({ ok: false, checked: 0, firstBad: { seq: 1, problem: 'bad-signature' } });
    const unsigned = tamperedCopy(store, (db) => db.prepare('DELETE FROM batches WHERE first_seq = 1501').run());
    expect(verifyAuditStore(unsigned)).toMatchObject({ ok: false, checked: 1_500, firstBad: { seq: 1_501, lastSeq: 1_600, problem: 'unsigned' } });
  });

  it('catches entries appended without a signature', () => {
    const copy = tamperedCopy(store, (db) => {
      const json = canonicalJson(auditEntry(sampleEntry(5)));
      const prev = rowAt(db, 2_000).hash;
      db.prepare('INSERT INTO entries (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)').run(2_001, json, prev, entryHash(2_001, prev, json));
    });
    expect(verifyAuditStore(copy)).toMatchObject({ ok: false, checked: 2_000, firstBad: { seq: 2_001, problem: 'unsigned' } });
  });

  it('catches an edited entry whose hash, and the chain after it, were recomputed without the private key', () => {
    const edit = (db: Database.Database): void => {
      const before = rowAt(db, 953).entry;
      db.prepare('UPDATE entries SET entry = ? WHERE seq = 953').run(before.replace('"status":200', '"status":201'));
      expect(rowAt(db, 953).entry).not.toBe(before);
    };
    // Only the edited entry re-hashed: its successor no longer links to it.
    const one = tamperedCopy(store, (db) => {
      edit(db);
      const row = rowAt(db, 953);
      db.prepare('UPDATE entries SET hash = ? WHERE seq = 953').run(entryHash(953, row.prev_hash, row.entry));
    });
    expect(verifyAuditStore(one)).toMatchObject({ ok: false, checked: 952, firstBad: { seq: 953, problem: 'edited' } });
    // The whole chain after it re-hashed: consistent, but not what batch 10 signed.
    const chain = tamperedCopy(store, (db) => {
      edit(db);
      rehashFrom(db, 953);
    });
    expect(verifyAuditStore(chain)).toMatchObject({ ok: false, checked: 900, firstBad: { seq: 901, lastSeq: 1_000, batch: 10, problem: 'rewritten' } });
    // And the batches' last hashes updated too: the signatures no longer verify.
    const batches = tamperedCopy(store, (db) => {
      edit(db);
      rehashFrom(db, 953);
      for (const batch of db.prepare('SELECT id, last_seq FROM batches WHERE last_seq >= 953').all() as { id: number; last_seq: number }[]) {
        db.prepare('UPDATE batches SET last_hash = ? WHERE id = ?').run(rowAt(db, batch.last_seq).hash, batch.id);
      }
    });
    expect(verifyAuditStore(batches)).toMatchObject({ ok: false, checked: 900, firstBad: { seq: 901, batch: 10, problem: 'bad-signature' } });
  });

  it('passes a store re-signed with a new key against its stored key, but not against the key kept apart or an anchor', () => {
    const original = verifyAuditStore(store.file, { publicKeyPem: store.publicKeyPem });
    const attacker = generateKeyPairSync('ed25519');
    const attackerPem = attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const copy = tamperedCopy(store, (db) => {
      db.prepare('UPDATE entries SET entry = ? WHERE seq = 10').run(rowAt(db, 10).entry.replace('"status":404', '"status":200'));
      rehashFrom(db, 10);
      db.prepare('DELETE FROM keys').run();
      db.prepare('INSERT INTO keys (key_id, public_key, added_at) VALUES (?, ?, ?)').run(publicKeyId(attackerPem), attackerPem, new Date().toISOString());
      const batches = db.prepare('SELECT id, first_seq, last_seq, signed_at FROM batches').all() as { id: number; first_seq: number; last_seq: number; signed_at: string }[];
      for (const batch of batches) {
        const fields = { ...batch, last_hash: rowAt(db, batch.last_seq).hash, key_id: publicKeyId(attackerPem) };
        db.prepare('UPDATE batches SET last_hash = ?, key_id = ?, signature = ? WHERE id = ?')
          .run(fields.last_hash, fields.key_id, sign(null, batchMessage(fields), attacker.privateKey).toString('base64'), batch.id);
      }
    });
    expect(verifyAuditStore(copy)).toMatchObject({ ok: true }); // the documented limit of trusting the stored key
    expect(verifyAuditStore(copy, { publicKeyPem: store.publicKeyPem })).toMatchObject({ ok: false, checked: 0, firstBad: { seq: 1, problem: 'unknown-key', batch: 1 } });
    expect(verifyAuditStore(copy, { anchor: original.head! })).toMatchObject({ ok: false, firstBad: { seq: 2_000, problem: 'rewritten' } });
  });

  it('fails against a different public key', () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const result = verifyAuditStore(store.file, { publicKeyPem: other });
    expect(result).toMatchObject({ ok: false, checked: 0, batches: 0, firstBad: { seq: 1, problem: 'unknown-key', batch: 1 } });
    expect(result.firstBad!.detail).toContain(publicKeyId(other));
  });

  it('passes a store cut at a batch boundary unless given an anchor', () => {
    const head = verifyAuditStore(store.file).head!;
    const cut = tamperedCopy(store, (db) => {
      db.prepare('DELETE FROM entries WHERE seq > 1900').run();
      db.prepare('DELETE FROM batches WHERE first_seq > 1900').run();
    });
    expect(verifyAuditStore(cut)).toMatchObject({ ok: true, checked: 1_900 });
    expect(verifyAuditStore(cut, { anchor: head })).toMatchObject({ ok: false, checked: 1_900, firstBad: { seq: 1_901, problem: 'truncated' } });
  });

  it('reports a file that is not an audit store', () => {
    const junk = join(store.dir, 'junk.db');
    writeFileSync(junk, 'this is not SQLite'.repeat(100));
    expect(verifyAuditStore(junk)).toMatchObject({ ok: false, firstBad: { seq: 0, problem: 'unreadable' } });
    expect(() => verifyAuditStore(join(store.dir, 'missing.db'))).toThrow(/no audit store/);
  });
});

describe('key rotation', () => {
  it('verifies batches under each key, and needs every public key when they are given', async () => {
    const store = await writeStore(30, 10);
    const rotated = AuditLog.open({ file: store.file, keyFile: join(store.dir, 'key-2026.pem'), batchSize: 10, env: {} });
    const second = rotated.publicKeyPem();
    for (let i = 31; i <= 50; i += 1) rotated.record(sampleEntry(i));
    await rotated.close();

    expect(verifyAuditStore(store.file)).toMatchObject({ ok: true, checked: 50, batches: 5 });
    expect(verifyAuditStore(store.file, { publicKeyPem: [store.publicKeyPem, second] })).toMatchObject({ ok: true, checked: 50 });
    expect(verifyAuditStore(store.file, { publicKeyPem: store.publicKeyPem })).toMatchObject({ ok: false, checked: 30, firstBad: { seq: 31, problem: 'unknown-key', batch: 4 } });
  });
});
