// The connectors' simulators a sandbox hub forks first, found before the hub loads anything else
// (src/sandbox-fleet.ts): only a manifest's id and upstream variable are read here, from its
// YAML, so the simulators' host boots without waiting for the manifest schema to compile; the
// parsed document is kept for discovery (manifest-yaml.ts), which does not parse the file again.
// Discovery validates every manifest whole and refuses a bad folder, with the reason; the connector
// layer then stops the simulator forked for it (SimulatorFleet.release).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectorFolders, simulatorModuleOf } from './connector-folders.js';
import { parseManifestYaml } from './manifest-yaml.js';
import type { SimulatorModule } from './simulator-kit/process.js';

/** A manifest's `id` and `upstream.baseUrlEnv`, when it has both as strings. */
function simulatorKeys(manifestFile: string): { id: string; baseUrlEnv: string } | undefined {
  try {
    const manifest = parseManifestYaml(manifestFile) as { id?: unknown; upstream?: { baseUrlEnv?: unknown } } | null;
    const id = manifest?.id;
    const baseUrlEnv = manifest?.upstream?.baseUrlEnv;
    return typeof id === 'string' && typeof baseUrlEnv === 'string' ? { id, baseUrlEnv } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The simulators of the connectors under `root` whose upstream `env` does not name, keyed by
 * connector id. A folder whose manifest names another id, or none, is skipped here.
 */
export function simulatorModules(root: string, env: NodeJS.ProcessEnv): Map<string, SimulatorModule> {
  const modules = new Map<string, SimulatorModule>();
  if (!existsSync(root)) return modules;
  for (const folder of connectorFolders(root)) {
    const directory = join(root, folder);
    const manifestFile = join(directory, 'manifest.yaml');
    if (!existsSync(join(directory, 'simulator.ts')) || !existsSync(manifestFile)) continue;
    const keys = simulatorKeys(manifestFile);
    if (keys?.id === folder && !env[keys.baseUrlEnv]) modules.set(keys.id, simulatorModuleOf(directory, keys.id));
  }
  return modules;
}
