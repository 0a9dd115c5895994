// The sandbox example service's simulator as a child process runs it: light to import, so the
// hub's entry point can fork it before loading the rest (src/sandbox-fleet.ts).
import { fileURLToPath } from 'node:url';
import type { SimulatorModule } from '../../connectors/simulator-kit/process.js';

/** The e-kinerja simulator as a child process runs it, when the sandbox needs one (EKINERJA_BASE_URL unset). */
export function ekinerjaSimulatorModule(env: NodeJS.ProcessEnv): SimulatorModule | undefined {
  if (env.EKINERJA_BASE_URL) return undefined;
  const file = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './ekinerja-simulator.ts' : './ekinerja-simulator.js', import.meta.url));
  return { file, exportName: 'startEkinerjaSimulator', name: 'e-kinerja' };
}
