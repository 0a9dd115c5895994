// Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time.
import { readFileSync } from 'node:fs';
import { projectRoot } from './report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  fn: string;
  where: string;
  selfMs: number;
  /** Share of all samples, idle included. */
  percent: number;
  /** Share of the samples where the process was not idle. */
  busyPercent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Samples inside the window given (the load), when one was given and matched. */
  windowed: boolean;
  top: SelfTime[];
  /** Self time grouped by package (node_modules/<name>), project folder, node internals or native. */
  byPackage: SelfTime[];
}

/**
 * Ranks functions by self time. `window` (µs on the monotonic clock, as
 * process.hrtime.bigint() / 1000 in the profiled process) keeps only the samples taken under
 * load, leaving out start-up and shutdown.
 */
export function topSelfTime(file: string, limit = 15, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the delta to the next one (V8 records the delta before each sample).
  const count = (inWindow: (at: number) => boolean): void => {
    let at = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      at += deltas[i] ?? 0;
      if (!inWindow(at)) continue;
      const us = deltas[i + 1] ?? 0;
      selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, us));
    }
  };
  let windowed = false;
  if (window) {
    count((at) => at >= window.fromUs && at <= window.toUs);
    windowed = selfUs.size > 0;
  }
  if (!windowed) count(() => true);
  const grouped = new Map<string, { fn: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byNode.get(id);
    if (!node) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idleUs += us;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}|${where}`;
    const entry = grouped.get(key) ?? { fn: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    grouped.set(key, entry);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const rank = (entries: { fn: string; where: string; us: number }[], n: number): SelfTime[] =>
    entries
      .sort((a, b) => b.us - a.us)
      .slice(0, n)
      .map((entry) => ({
        fn: entry.fn,
        where: entry.where,
        selfMs: Math.round(entry.us / 100) / 10,
        percent: Math.round((1000 * entry.us) / Math.max(1, totalUs)) / 10,
        busyPercent: entry.fn === '(idle)' ? 0 : Math.round((1000 * entry.us) / busyUs) / 10,
      }));
  return {
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    windowed,
    top: rank([...grouped.values()], limit),
    byPackage: rank([...packages].map(([pkg, us]) => ({ fn: pkg, where: '', us })), limit),
  };
}

function packageOf(url: string, functionName: string): string {
  if (!url) return /^\(.*\)$/.test(functionName) ? functionName : 'native (C++: sockets, crypto, SQLite, ...)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules !== -1) {
    const parts = path.slice(inModules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (path.startsWith(projectRoot)) {
    // The compiled hub's files (dist/src/gateway/...) group by the source folder they came from.
    const relative = path.slice(projectRoot.length + 1);
    const compiled = relative.startsWith('dist/');
    const parts = (compiled ? relative.slice('dist/'.length) : relative).split('/');
    const folder = parts.length > 2 ? `${parts[0]}/${parts[1]}/` : parts.join('/');
    return compiled ? `dist/${folder}` : folder;
  }
  return path;
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules !== -1) return path.slice(inModules + 1);
  return path.startsWith(projectRoot) ? path.slice(projectRoot.length + 1) : path;
}
