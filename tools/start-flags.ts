// The node flags the hub runs with (its V8 heap settings, docs/BENCHMARKS.md "memory and start"),
// from their one source: package.json's start script, `exec node <flags> tools/start.mjs` (exec:
// npm passes a SIGTERM to its script's shell, which dies of it and would leave the hub running;
// exec'd, the shell's process is the hub). Whatever else starts the compiled hub (npm run
// cluster, the benchmarks; the Dockerfile, checked by a test) takes them from here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The flags between `node` and `tools/start.mjs` in `root`'s package.json start script (a benchmark may read an older tree's, without `exec`). */
export function startNodeFlags(root = projectRoot): string[] {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = script.trim().split(/\s+/);
  if (words[0] === 'exec') words.shift();
  const entry = words.indexOf('tools/start.mjs');
  if (words[0] !== 'node' || entry < 0) throw new Error(`package.json's start script is not \`exec node [flags] tools/start.mjs\`: ${script}`);
  return words.slice(1, entry);
}

/** Node's arguments for the compiled hub (dist/, built beforehand) as `npm start` runs it. */
export function compiledHubArgs(root = projectRoot): string[] {
  return [...startNodeFlags(root), 'dist/src/main.js'];
}
