// Connectors and flows are folders read at start, with code in TypeScript (mapping.ts,
// simulator.ts, steps.ts). Under tsx and vitest the hub imports those sources. The compiled hub
// (`npm start` runs dist/) imports what the build made of them: <project>/X.ts → <project>/dist/X.js,
// so hub and connectors share one compiled SDK.
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectPath } from './schemas.js';

const compiled = import.meta.url.endsWith('.js');

/** The URL to import for a TypeScript source file, as this hub runs (sources or compiled). */
export function moduleUrl(sourceFile: string): string {
  if (!compiled) return pathToFileURL(sourceFile).href;
  const inProject = relative(projectPath(), sourceFile);
  const candidates = [sourceFile.replace(/\.ts$/, '.js')];
  if (inProject && !inProject.startsWith('..') && !isAbsolute(inProject)) candidates.unshift(projectPath('dist', inProject.replace(/\.ts$/, '.js')));
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`${sourceFile}: the compiled hub runs JavaScript and finds none for this file (looked for ${candidates.join(', ')}); run \`npm run build\` (npm start does when sources change), or run the sources with \`npm run dev\``);
  return pathToFileURL(found).href;
}
