// `npm run bench`: every benchmark in turn, each in its own process (so one's leftovers never
// weigh on the next), with the machine described once at the top. Sections go to stdout and,
// together, to bench/results/BENCHMARKS.latest.md; raw JSON per benchmark in bench/results/.
//
//   npm run bench                      # all five, about 8 minutes
//   npm run bench -- query ingest      # some of them
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { benchDir, log, machine, projectRoot, resultsDir } from './lib/report.js';

const all = ['query', 'ingest', 'translation', 'memory', 'start'] as const;
const chosen = process.argv.slice(2).filter((name) => name !== '--');
const unknown = chosen.filter((name) => !(all as readonly string[]).includes(name));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${all.join(', ')}`);
const names = chosen.length > 0 ? chosen : [...all];

const m = machine();
const header = [
  '# Benchmark run',
  '',
  `- date: ${m.date}`,
  `- machine: ${m.nproc} cores (nproc), ${m.cpuModel} (/proc/cpuinfo), ${(m.memoryTotalMb / 1024).toFixed(1)} GiB memory (MemTotal), ${m.platform}`,
  `- Node ${m.node}; NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}; os.cpus() sees ${cpus().length}`,
  `- load average at start: ${m.loadAverage.join(' / ')} (other engineers' tests share this machine)`,
  `- commit: ${m.gitCommit ?? 'unknown'}`,
  `- command: \`npm run bench${chosen.length > 0 ? ` -- ${chosen.join(' ')}` : ''}\``,
  '',
].join('\n');
process.stdout.write(`${header}\n`);

const sections: string[] = [header];
const failed: string[] = [];
const t0 = performance.now();
for (const name of names) {
  log(`── ${name} ──`);
  const started = performance.now();
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, `${name}.ts`)], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    child.once('exit', (exit) => done(exit));
  });
  log(`${name} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (code !== 0) {
    failed.push(name);
    sections.push(`## ${name}\n\nFailed (exit code ${code}); see the log.\n`);
    continue;
  }
  sections.push(readFileSync(join(resultsDir, `${name}.md`), 'utf8'));
}
const total = (performance.now() - t0) / 1000;
sections.push(`_Whole run: ${Math.round(total)} s._\n`);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'BENCHMARKS.latest.md'), sections.join('\n'));
log(`done in ${Math.round(total)} s; bench/results/BENCHMARKS.latest.md`);
if (failed.length > 0) {
  log(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
