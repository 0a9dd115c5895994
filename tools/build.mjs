// The hub's build: TypeScript from src/, connectors/ and flows/ compiled to dist/ (tsconfig.build.json),
// then the JSON Schemas' validators generated into dist/schemas/validators.js (tools/validators.mjs).
//   node tools/build.mjs             `npm run build`: always, type-checked.
//   build({ ifStale: true })         `npm start` (tools/start.mjs): only when dist/ is missing or a
//                                    source changed (or was added or removed) since the last build,
//                                    and without type checking, which is `npm test`'s job, so a
//                                    start costs what transpiling costs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { schemaFiles } from './validators.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-inputs');

/** Every file the build reads, relative to the project root, sorted. */
function inputs() {
  const files = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tools/validators.mjs', ...schemaFiles(root)];
  for (const folder of ['src', 'connectors', 'flows']) sources(folder, files);
  return files.sort();
}

/**
 * The .ts files (tests aside) under `folder`, relative to the project root, node_modules skipped.
 * Walked by hand: Node 20's readdirSync({ recursive: true }) took ≈ 17 ms of CPU for these three
 * folders at every `npm start`, this walk ≈ 1.5 ms.
 */
function sources(folder, files) {
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') sources(path, files);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
  }
}

/** Compiles to dist/; with `ifStale`, only when needed and without type checking. */
export function build({ ifStale = false } = {}) {
  const files = inputs();
  const listing = files.join('\n');
  if (ifStale && existsSync(stamp) && readFileSync(stamp, 'utf8') === listing) {
    const builtAt = statSync(stamp).mtimeMs;
    if (files.every((file) => statSync(join(root, file)).mtimeMs <= builtAt)) return;
  }

  console.error(ifStale ? 'build: compiling to dist/ (sources changed since the last build, or none yet)' : 'build: compiling to dist/');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), ...(ifStale ? ['--noCheck'] : [])], { stdio: 'inherit' });
  if (run.status !== 0) {
    throw new Error(`build: tsc failed (exit ${run.status ?? run.signal}); dist/ is incomplete. Fix the errors above, or run the sources with \`npm run dev\`.`);
  }
  const validators = spawnSync(process.execPath, [join(root, 'tools', 'validators.mjs')], { stdio: 'inherit' });
  if (validators.status !== 0) throw new Error(`build: generating the schemas' validators failed (exit ${validators.status ?? validators.signal}); dist/ is incomplete.`);
  writeFileSync(stamp, listing);
  console.error(`build: done (${relative(process.cwd(), join(root, 'dist')) || 'dist'}/)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    build({ ifStale: process.argv.includes('--if-stale') });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
