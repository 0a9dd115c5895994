// A hub profiled under load (node --cpu-prof): a fresh hub started with the flag, warmed up,
// loaded, stopped (so V8 writes the profile); only the samples between two readings of the
// hub's own clock around the load count, leaving start-up and shutdown out. Used by the query
// and ingest benchmarks, which differ only in how they start the hub and what load they send.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { topSelfTime, type ProfileSummary } from './cpuprofile.js';
import { runLoad, type LoadOptions, type LoadSummary } from './load.js';
import type { Child } from './proc.js';
import { log, num, resultsDir, table } from './report.js';

export interface HubProfile extends ProfileSummary {
  file: string;
  /** autocannon's summary of the load while profiled. */
  summary: LoadSummary;
}

export interface ProfileOptions {
  /** Folder under bench/results/ for the .cpuprofile (emptied first). */
  folder: string;
  /** Starts the hub with these extra node flags. */
  start: (nodeArgs: string[]) => Promise<Child>;
  /** The load, without its url (the profiled hub's). */
  load: Omit<LoadOptions, 'url'>;
  warmupS: number;
  /** Work the hub still does for the load after autocannon ends (the outbox draining), counted too. */
  settle?: (hub: Child) => Promise<unknown>;
  /** Functions in the ranking. */
  limit?: number;
}

export async function profileUnderLoad(options: ProfileOptions): Promise<HubProfile | undefined> {
  const dir = join(resultsDir, options.folder);
  rmSync(dir, { recursive: true, force: true });
  log(`profiling: ${options.load.label} (node --cpu-prof)`);
  const hub = await options.start(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  let window: { fromUs: number; toUs: number };
  let summary: LoadSummary;
  try {
    const load = { ...options.load, url: String(hub.ready.url) };
    if (options.warmupS > 0) await runLoad({ ...load, label: `${load.label} (warm-up)`, duration: options.warmupS });
    const fromUs = await hub.ask<number>('clock');
    summary = await runLoad(load);
    await options.settle?.(hub);
    window = { fromUs, toUs: await hub.ask<number>('clock') };
    log(`  profiled: ${num(summary.requestsPerSec)} req/s`);
  } finally {
    await hub.stop();
  }
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f))[0];
  return file ? { file, ...topSelfTime(file, options.limit ?? 15, window), summary } : undefined;
}

/** "`what` (`how`; N ms sampled, M ms idle). Top self time:", then the profile's two tables (by function, by package or folder). */
export function profileLines(profile: ProfileSummary, what: string, how: string): string[] {
  const share = (entry: ProfileSummary['top'][number]): string => (entry.fn === '(idle)' ? 'idle' : `${entry.busyPercent}%`);
  return [
    `${what} (${how}; ${num(profile.totalMs)} ms sampled, ${num(profile.idleMs)} ms idle). Top self time:`,
    '',
    table(['function', 'where', 'self ms', '% of busy'], profile.top.map((t) => [`\`${t.fn}\``, t.where ? `\`${t.where}\`` : '', num(t.selfMs), share(t)])),
    '',
    'The same samples by package or folder:',
    '',
    table(['package or folder', 'self ms', '% of busy'], profile.byPackage.map((t) => [t.fn, num(t.selfMs), share(t)])),
    '',
  ];
}
