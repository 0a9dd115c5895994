// Where the project is, wherever the hub was started from (the sources or dist/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder with package.json above this file (src/ or dist/src/). */
export const projectRoot = (() => {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
})();

/** A path inside the project, wherever it was started from. */
export const projectPath = (...parts: string[]): string => join(projectRoot, ...parts);
