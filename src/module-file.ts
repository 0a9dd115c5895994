// Connectors and flows are folders read at start, with code in TypeScript (mapping.ts,
// simulator.ts, steps.ts). Under tsx and vitest the hub imports those sources. The compiled hub
// (`npm start` runs dist/) imports what the build made of them: <project>/X.ts → <project>/dist/X.js,
// so hub and connectors share one compiled SDK.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectPath } from './project-path.js';

const runningCompiled = import.meta.url.endsWith('.js');

/** The URL to import for a TypeScript source file, as this hub runs (sources or compiled). */
export function moduleUrl(sourceFile: string): string {
  return pathToFileURL(moduleFileFor(sourceFile, { compiled: runningCompiled, root: projectPath() })).href;
}

/**
 * The file to import for `sourceFile`: itself when running the sources; when compiled, its twin
 * under `<root>/dist/` (a folder inside the project) or a `.js` beside it (a folder elsewhere).
 */
export function moduleFileFor(sourceFile: string, options: { compiled: boolean; root: string }): string {
  if (!options.compiled) return sourceFile;
  const inProject = relative(options.root, sourceFile);
  const candidates = [sourceFile.replace(/\.ts$/, '.js')];
  if (inProject && !inProject.startsWith('..') && !isAbsolute(inProject)) candidates.unshift(join(options.root, 'dist', inProject.replace(/\.ts$/, '.js')));
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`${sourceFile}: the compiled hub runs JavaScript and finds none for this file (looked for ${candidates.join(', ')}); run \`npm run build\` (npm start does when sources change), or run the sources with \`npm run dev\``);
  return found;
}
