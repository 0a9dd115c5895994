// `penghubung audit verify|export` through the audit() function the CLI dispatches to, with a
// fake output: exit codes, the first bad record printed, and JSON lines that re-verify.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/cli/audit.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { entryHash, GENESIS } from '../../src/security/audit/chain.js';
import { canonicalJson } from '../../src/security/audit/entry.js';
import { rowAt, tamperedCopy, writeStore, type Store } from './audit-helpers.js';

function fakeOutput(): { out: (line: string) => void; err: (line: string) => void; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (line) => stdout.push(line), err: (line) => stderr.push(line), stdout, stderr };
}

describe('penghubung audit', () => {
  let store: Store;
  let publicKeyFile: string;
  beforeAll(async () => {
    store = await writeStore(120, 50);
    publicKeyFile = `${store.keyFile}.pub`;
  });

  it('verify exits 0 on an intact store and prints its head', async () => {
    const output = fakeOutput();
    expect(await audit(['verify', '--file', store.file], output, {})).toBe(0);
    expect(output.stdout[0]).toMatch(/^OK: .*audit\.db: 120 entries in 3 signed batches, chain and signatures intact, verified against the public key\(s\) stored in the file/);
    expect(output.stdout[1]).toMatch(/^Head: seq 120 hash [0-9a-f]{64} .*--anchor 120:[0-9a-f]{64}/);
    expect(output.stdout[2]).toMatch(/--public-key/);

    const given = fakeOutput();
    expect(await audit(['verify', '--file', store.file, '--public-key', publicKeyFile], given, {})).toBe(0);
    expect(given.stdout[0]).toContain('verified against the given public key(s)');
    expect(given.stdout).toHaveLength(2);
  });

  it('verify exits 1 on a tampered copy and prints the first bad record', async () => {
    const copy = tamperedCopy(store, (db) => {
      db.prepare('UPDATE entries SET entry = ? WHERE seq = 42').run(rowAt(db, 42).entry.replace('"status":200', '"status":403'));
    });
    const output = fakeOutput();
    expect(await audit(['verify', '--file', copy, '--public-key', publicKeyFile], output, {})).toBe(1);
    expect(output.stdout[0]).toMatch(/^TAMPERED: .*copy-\d+\.db: first bad record: seq 42 \(edited\)$/);
    expect(output.stdout[1]).toContain('entry 42 does not hash to its stored hash');
    expect(output.stdout[2]).toMatch(/^ {2}stored record: \{"seq":42,"hash":"[0-9a-f]{64}","prev_hash":"[0-9a-f]{64}","entry":\{.*"status":403/);
    expect(output.stdout[3]).toContain('41 of 120 entries verified before it');

    const json = fakeOutput();
    expect(await audit(['verify', '--file', copy, '--json'], json, {})).toBe(1);
    expect(JSON.parse(json.stdout.join('\n'))).toMatchObject({ file: copy, ok: false, checked: 41, firstBad: { seq: 42, problem: 'edited' } });
  });

  it('verify exits 1 against another public key, and checks an anchor', async () => {
    const other = join(store.dir, 'other.pub');
    writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const output = fakeOutput();
    expect(await audit(['verify', '--file', store.file, '--public-key', other], output, {})).toBe(1);
    expect(output.stdout[0]).toMatch(/first bad record: seq 1-50 \(unknown-key\), batch 1$/);

    const anchored = fakeOutput();
    expect(await audit(['verify', '--file', store.file, '--anchor', `7:${'0'.repeat(64)}`], anchored, {})).toBe(1);
    expect(anchored.stdout[0]).toMatch(/seq 7 \(rewritten\)/);
  });

  it('export writes one JSON line per entry that re-verifies, from a given seq', async () => {
    const output = fakeOutput();
    expect(await audit(['export', '--file', store.file], output, {})).toBe(0);
    expect(output.stdout).toHaveLength(120);
    let prev = GENESIS;
    output.stdout.forEach((line, index) => {
      const record = JSON.parse(line) as { seq: number; hash: string; prev_hash: string; entry: Record<string, unknown> };
      expect(Object.keys(record)).toEqual(['seq', 'hash', 'prev_hash', 'entry']);
      expect(record.seq).toBe(index + 1);
      expect(record.prev_hash).toBe(prev);
      expect(entryHash(record.seq, record.prev_hash, canonicalJson(record.entry))).toBe(record.hash);
      prev = record.hash;
    });

    const tail = fakeOutput();
    expect(await audit(['export', '--file', store.file, '--from', '101'], tail, {})).toBe(0);
    expect(tail.stdout.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
  });

  it('finds the store in the dataDir of the hub configuration', async () => {
    const output = fakeOutput();
    // PENGHUBUNG_AUDIT_KEY_FILE and the CLI's own variables are not configuration keys: they must not make the configuration invalid.
    const env = { PENGHUBUNG_DATA_DIR: store.dir, PENGHUBUNG_AUDIT_KEY_FILE: store.keyFile, PENGHUBUNG_URL: 'http://127.0.0.1:1', PENGHUBUNG_API_KEY: 'k' };
    expect(await audit(['verify'], output, env)).toBe(0);
    expect(output.stdout[0]).toContain(join(store.dir, 'audit.db'));
    const exported = fakeOutput();
    expect(await audit(['export', '--from', '120'], exported, env)).toBe(0);
    expect(exported.stdout).toHaveLength(1);
    await expect(audit(['verify'], fakeOutput(), { PENGHUBUNG_LOG__LEVEL: 'loud' })).rejects.toThrow(/log\.level.*\n\(or name the store with --file/s);
  });

  it('refuses bad usage', async () => {
    const output = fakeOutput();
    await expect(audit([], output, {})).rejects.toThrow(UsageError);
    await expect(audit(['check'], output, {})).rejects.toThrow(/unknown audit subcommand "check"/);
    await expect(audit(['verify', '--file', join(store.dir, 'nothing.db')], output, {})).rejects.toThrow(/no audit store at/);
    await expect(audit(['verify', '--file', store.file, '--public-key', join(store.dir, 'missing.pem')], output, {})).rejects.toThrow(/cannot read the public key/);
    await expect(audit(['verify', '--file', store.file, '--anchor', 'yesterday'], output, {})).rejects.toThrow(/--anchor must be/);
    await expect(audit(['verify', '--verbose'], output, {})).rejects.toThrow(/audit verify: Unknown option '--verbose'/);
    await expect(audit(['export', '--file', store.file, '--from', '0'], output, {})).rejects.toThrow(/--from must be/);
    await expect(audit(['export', '--file', store.file, 'extra'], output, {})).rejects.toThrow(UsageError);
  });
});
