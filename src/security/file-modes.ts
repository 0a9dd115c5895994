// Files at rest are the hub's alone: the data directory 0700, everything in it 0600, whatever
// the umask. One place for it, so every store and key file gets the same modes.
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** Creates the directory (and its parents) if missing, and makes it 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: privateDirMode });
  chmodSync(dir, privateDirMode);
}

/** What the hub writes in its data directory: SQLite stores with their WAL companions, keys, its instance id. */
const hubFile = /^instance-id$|\.(db|db-wal|db-shm|db-journal|pem|pem\.pub|key)$/;

/**
 * Makes the data directory 0700 and the hub's files in it 0600 (after the stores and keys are
 * open). Only the hub's own files: a data directory set to somewhere shared keeps the rest as is.
 */
export function tightenDataDir(dir: string): void {
  chmodSync(dir, privateDirMode);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && hubFile.test(entry.name)) chmodSync(join(dir, entry.name), privateFileMode);
  }
}

/** Whether `file` is `dir` or below it. */
export function isInside(file: string, dir: string): boolean {
  const path = relative(resolve(dir), resolve(file));
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !path.startsWith(sep));
}
