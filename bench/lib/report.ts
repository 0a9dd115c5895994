// Shared by every benchmark: the machine it ran on, number formatting, ratios, targets, and
// where results go (raw JSON in bench/results/, gitignored; markdown on stdout and beside it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const projectRoot = resolve(benchDir, '..');
export const resultsDir = join(benchDir, 'results');

export interface Machine {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryTotalMb: number;
  memoryFreeMb: number;
  node: string;
  platform: string;
  loadAverage: number[];
  gitCommit: string | null;
}

export function machine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: os.cpus() it is
  }
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // no nproc: os.cpus() it is
  }
  const gitCommit = treeCommit(projectRoot) ?? null;
  return {
    date: new Date().toISOString(),
    nproc,
    cpuModel,
    memoryTotalMb: Math.round(totalmem() / 2 ** 20),
    memoryFreeMb: Math.round(freemem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    gitCommit,
  };
}

/**
 * A checkout's commit as a report names it: `<short sha>`, or `<short sha>+dirty` when tracked
 * files differ from it (a change not committed yet, a revert for a before/after), so a figure is
 * never credited to a commit that did not produce it. Undefined outside a git checkout.
 */
export function treeCommit(tree: string = projectRoot): string | undefined {
  const git = (args: string[]): string => execFileSync('git', ['-C', tree, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) === '' ? commit : `${commit}+dirty`;
  } catch {
    return undefined;
  }
}

export function machineLine(m: Machine): string {
  return `${m.date} · ${m.nproc} cores (${m.cpuModel}) · ${(m.memoryTotalMb / 1024).toFixed(1)} GiB · Node ${m.node} · load average at start ${m.loadAverage.join(' / ')}${m.gitCommit ? ` · commit ${m.gitCommit}` : ''}`;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** 12345.6 → "12,346"; small numbers keep a decimal. */
export function num(value: number, decimals = value < 100 ? 1 : 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${num(value, value < 10 ? 2 : 1)} ms` : '–';
}

/** A share (0–1) as a whole percentage: 0.234 → "23%". */
export function percent(share: number): string {
  return Number.isFinite(share) ? `${Math.round(share * 100)}%` : '–';
}

/** a / b as "0.62×"; "–" when b is zero. */
export function ratio(a: number, b: number): string {
  return b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '–';
}

export interface Target {
  what: string;
  goal: string;
  measured: string;
  met: boolean;
  /** When not met: the gap and what limits it. */
  note?: string;
}

export function targetsTable(targets: Target[]): string {
  const rows = targets.map((t) => `| ${t.what} | ${t.goal} | ${t.measured} | ${t.met ? 'met' : `**not met**${t.note ? `: ${t.note}` : ''}`} |`);
  return ['| target | goal | measured | verdict |', '|---|---|---|---|', ...rows].join('\n');
}

export function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function codeBlock(text: string): string {
  return ['```text', text.trimEnd(), '```'].join('\n');
}

/**
 * Writes `<name>-<timestamp>.json` and `<name>-latest.json` (raw results) and `<name>.md`
 * (the section) to bench/results/, prints the section on stdout, and returns the JSON path.
 */
export function publish(name: string, markdown: string, raw: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(resultsDir, `${name}-${stamp}.json`);
  const text = `${JSON.stringify(raw, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(resultsDir, `${name}-latest.json`), text);
  writeFileSync(join(resultsDir, `${name}.md`), `${markdown.trimEnd()}\n`);
  process.stdout.write(`${markdown.trimEnd()}\n\n_raw results: ${file.slice(projectRoot.length + 1)}_\n\n`);
  return file;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export const sleep = (millis: number): Promise<void> => new Promise((done) => setTimeout(done, millis));

