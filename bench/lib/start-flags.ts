// The node flags `npm start` gives the hub (package.json's start script is
// `node <flags> tools/start.mjs`), so a benchmark runs the hub with the heap settings production has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './report.js';

export function startNodeFlags(root = projectRoot): string[] {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = script.trim().split(/\s+/);
  const entry = words.indexOf('tools/start.mjs');
  if (words[0] !== 'node' || entry < 0) throw new Error(`package.json's start script is not \`node [flags] tools/start.mjs\`: ${script}`);
  return words.slice(1, entry);
}
