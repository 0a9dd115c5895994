// The hub's node flags (its V8 heap settings, docs/BENCHMARKS.md "memory and start") are the same
// wherever production starts it: `npm start` (package.json) and the Docker image's CMD.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.trim().split(/\s+/);
const cmdLine = /^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];

describe('the node flags the hub starts with', () => {
  it('npm start runs tools/start.mjs with node and heap flags', () => {
    expect(startScript[0]).toBe('node');
    expect(startScript.at(-1)).toBe('tools/start.mjs');
    expect(startScript.slice(1, -1)).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
  });

  it('the Docker image runs the compiled hub with the same flags as npm start', () => {
    expect(cmdLine).toBeDefined();
    expect(JSON.parse(cmdLine!)).toEqual(['node', ...startScript.slice(1, -1), 'dist/src/main.js']);
  });
});
