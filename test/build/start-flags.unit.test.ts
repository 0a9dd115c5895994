// The hub's node flags (its V8 heap settings, docs/BENCHMARKS.md "memory and start") are the same
// wherever the compiled hub starts: `npm start` (package.json), the Docker image's CMD, the hubs
// of `npm run cluster` and the benchmarks (tools/start-flags.ts).
import { readFileSync } from 'node:fs';
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
});
