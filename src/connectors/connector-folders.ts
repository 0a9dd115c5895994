// Which folders under connectors/ are connectors, and how a connector's simulator.ts is run in a
// child process: shared by discovery and by the sandbox's early fork of the simulators
// (simulator-modules.ts), which must agree and must not load anything heavy.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleUrl } from '../module-file.js';
import type { SimulatorModule } from './simulator-kit/process.js';

/** The connector folders' names under `root`, sorted: directories not starting with `.` or `_`. */
export function connectorFolders(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('_'))
    .map((entry) => entry.name)
    .sort();
}

/** The folder's simulator.ts as this hub runs it (source or compiled), for a child process. */
export function simulatorModuleOf(directory: string, connectorId: string): SimulatorModule {
  return { file: fileURLToPath(moduleUrl(join(directory, 'simulator.ts'))), exportName: 'startSimulator', name: connectorId };
}
