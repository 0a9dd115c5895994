// The hub's node flags (its V8 heap settings, docs/BENCHMARKS.md "memory and start") are the same
// wherever the compiled hub starts: `npm start` (package.json), the Docker image's CMD, the hubs
// of `npm run cluster` and the benchmarks (tools/start-flags.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledHubArgs, startNodeFlags } from '../../tools/start-flags.js';

const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.trim().split(/\s+/);
const cmdLine = /^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];

describe('the node flags the hub starts with', () => {
  it('npm start execs node on tools/start.mjs with heap flags', () => {
    // exec: the shell npm runs the script in becomes the hub, so npm's SIGTERM reaches it (npm-start-signal.test.ts).
    expect(startScript.slice(0, 2)).toEqual(['exec', 'node']);
    expect(startScript.at(-1)).toBe('tools/start.mjs');
    expect(startScript.slice(2, -1)).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
  });

  it('the Docker image runs the compiled hub with the same flags as npm start', () => {
    expect(cmdLine).toBeDefined();
    expect(JSON.parse(cmdLine!)).toEqual(['node', ...startScript.slice(2, -1), 'dist/src/main.js']);
  });

  it('npm run cluster and the benchmarks start the compiled hub with the flags of npm start', () => {
    expect(startNodeFlags()).toEqual(startScript.slice(2, -1));
    expect(compiledHubArgs()).toEqual([...startScript.slice(2, -1), 'dist/src/main.js']);
    // The cluster spawns each hub with them (a script that starts Kafka and nginx is not run here).
    expect(readFileSync('tools/cluster/cli.ts', 'utf8')).toMatch(/spawn\(process\.execPath, compiledHubArgs\(\)/);
  });

  it("reads an older tree's script without exec, and refuses a script that does not start tools/start.mjs with node", () => {
    const tree = mkdtempSync(join(tmpdir(), 'penghubung-start-flags-'));
    const withScript = (start: string): string => {
      writeFileSync(join(tree, 'package.json'), JSON.stringify({ scripts: { start } }));
      return tree;
    };
    try {
      expect(startNodeFlags(withScript('node --max-old-space-size=512 tools/start.mjs'))).toEqual(['--max-old-space-size=512']);
      expect(startNodeFlags(withScript('exec node tools/start.mjs'))).toEqual([]);
      expect(() => startNodeFlags(withScript('tsx src/main.ts'))).toThrow(/not `exec node \[flags\] tools\/start.mjs`/);
      expect(() => startNodeFlags(withScript('node --x dist/src/main.js'))).toThrow(/tools\/start.mjs/);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
