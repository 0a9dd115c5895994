// The data directory's modes: the hub's own files become 0600 and the directory 0700; a file
// that is not the hub's (a data directory pointed at somewhere shared) keeps its mode.
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, tightenDataDir } from '../../src/security/file-modes.js';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('tightenDataDir', () => {
  it("makes the hub's files 0600 and the directory 0700, nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), 'penghubung-modes-'));
    chmodSync(dir, 0o755);
    const files = { 'outbox.db': 0o644, 'outbox.db-wal': 0o644, 'audit-key.pem.pub': 0o644, 'instance-id': 0o644, 'catatan.txt': 0o644, 'jalankan.sh': 0o755 };
    for (const [name, bits] of Object.entries(files)) {
      writeFileSync(join(dir, name), '');
      chmodSync(join(dir, name), bits);
    }
    tightenDataDir(dir);
    expect(mode(dir)).toBe('700');
    expect(Object.fromEntries(Object.keys(files).map((name) => [name, mode(join(dir, name))]))).toEqual({ 'outbox.db': '600', 'outbox.db-wal': '600', 'audit-key.pem.pub': '600', 'instance-id': '600', 'catatan.txt': '644', 'jalankan.sh': '755' });
  });

  it('tells a path inside the data directory from one beside it', () => {
    expect(isInside('/var/lib/penghubung/audit-key.pem', '/var/lib/penghubung')).toBe(true);
    expect(isInside('/var/lib/penghubung/../penghubung/kunci.pem', '/var/lib/penghubung')).toBe(true);
    expect(isInside('/var/lib/penghubung-keys/audit-key.pem', '/var/lib/penghubung')).toBe(false);
    expect(isInside('/etc/penghubung/audit-key.pem', '/var/lib/penghubung')).toBe(false);
  });
});
