// A hub's data directory for one bench run. A sandbox hub keeps its keys beside the directory,
// in `<dir>-keys/` (src/security/key-placement.ts), never in it: removing the directory alone
// left one `penghubung-bench-*-keys` folder in /tmp per hub started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchDataDir {
  dir: string;
  /** Removes the directory and the hub's keys beside it. */
  remove(): void;
}

export function benchDataDir(prefix: string): BenchDataDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    remove: () => {
      for (const path of [dir, `${dir}-keys`]) rmSync(path, { recursive: true, force: true });
    },
  };
}
