// A sandbox hub's simulators, forked before anything else: `npm start` (main.ts) forks them
// before it imports the hub, so their host process boots on the other core while this one loads
// the hub's modules; `startHub` forks them itself when not handed a fleet.
import { resolve } from 'node:path';
import type { HubConfig } from './config/config.js';
import { SimulatorFleet } from './connectors/simulator-kit/fleet.js';
import { simulatorModules } from './connectors/simulator-modules.js';
import { projectPath } from './project-path.js';
import { ekinerjaSimulatorModule } from './services/sandbox/ekinerja-simulator-module.js';

/** The fleet's key for the sandbox service's simulator (connector ids are the others). */
export const EKINERJA_SIMULATOR = 'layanan:ekinerja';

/** The simulators in their host process (sandbox mode, `connectors.simulators: process`), else none. */
export function sandboxFleet(config: HubConfig, env: NodeJS.ProcessEnv): SimulatorFleet | undefined {
  if (config.mode !== 'sandbox' || config.connectors.simulators === 'in-process') return undefined;
  const modules = simulatorModules(resolve(projectPath(), config.connectors.directory), env);
  const ekinerja = ekinerjaSimulatorModule(env);
  if (ekinerja) modules.set(EKINERJA_SIMULATOR, ekinerja);
  return new SimulatorFleet(modules);
}
