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

/** Makes every file below `dir` 0600 and every directory 0700 (after the stores and keys are open). */
export function tightenTree(dir: string): void {
  chmodSync(dir, privateDirMode);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tightenTree(path);
    else if (entry.isFile()) chmodSync(path, privateFileMode);
  }
}

/** Whether `file` is `dir` or below it. */
export function isInside(file: string, dir: string): boolean {
  const path = relative(resolve(dir), resolve(file));
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !path.startsWith(sep));
}
