// The hub the way `npm start` runs it: compiled to dist/ (built first when a source changed, as
// `npm start` does), as plain node with `npm start`'s node flags and no tsx loader, started
// through bench/servers/hub.ts with the benchmark's choices (BENCH_HUB).
import { spawnSync } from 'node:child_process';
import { startChild, type Child } from './proc.js';
import { projectRoot } from './report.js';
import { startNodeFlags } from '../../tools/start-flags.js';

const built = new Set<string>();

/** `node tools/build.mjs --if-stale` in `tree`, once per run; its output goes to stderr, beside the log. */
export function buildIfStale(tree = projectRoot): void {
  if (built.has(tree)) return;
  if (spawnSync(process.execPath, ['tools/build.mjs', '--if-stale'], { cwd: tree, stdio: ['ignore', 2, 2] }).status !== 0) throw new Error(`the build of ${tree} failed`);
  built.add(tree);
}

export interface ProductionHubOptions {
  env?: NodeJS.ProcessEnv;
  /** Node flags after `npm start`'s (--cpu-prof, say). */
  nodeArgs?: string[];
  /** Another checkout (its bench/servers/hub.ts must know `compiled`). */
  tree?: string;
}

/** `choices`: bench/servers/hub.ts's BENCH_HUB (bus, brokers, polling, ...); `compiled` is set here. */
export function startProductionHub(choices: Record<string, unknown>, options: ProductionHubOptions = {}): Promise<Child> {
  const tree = options.tree ?? projectRoot;
  buildIfStale(tree);
  return startChild('hub.ts', [], {
    tree: options.tree,
    env: { ...options.env, BENCH_HUB: JSON.stringify({ ...choices, compiled: true }) },
    nodeArgs: [...startNodeFlags(tree), ...(options.nodeArgs ?? [])],
    plain: true,
  });
}
