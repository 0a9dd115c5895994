// The sandbox upstreams of a cluster, started once and shared by every hub: each hub in sandbox
// mode would otherwise start simulators of its own, and three hubs would see three different
// SIAKs. Each hub gets the simulators' addresses through the connectors' `baseUrlEnv` variables.
import { discoverConnectors } from '../../src/connectors/discovery.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import { startEkinerjaSimulator } from '../../src/services/sandbox/ekinerja-simulator.js';

export interface SandboxUpstreams {
  /** Connector id (and `ekinerja`, the example OPD service) → its simulator. */
  simulators: Map<string, Simulator>;
  /** `<BASE_URL_ENV>` → simulator URL, for the hubs' environment. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** One simulator per connector that has one (connectors in `except` get none: the caller sets their URL), and the example OPD service's. */
export async function startSandboxUpstreams(except: string[] = []): Promise<SandboxUpstreams> {
  const simulators = new Map<string, Simulator>();
  const env: Record<string, string> = {};
  const close = async (): Promise<void> => {
    await Promise.allSettled([...simulators.values()].map((simulator) => simulator.close()));
  };
  try {
    for (const connector of await discoverConnectors()) {
      if (!connector.startSimulator || except.includes(connector.manifest.id)) continue;
      const simulator = await connector.startSimulator({ host: '127.0.0.1', port: 0 });
      simulators.set(connector.manifest.id, simulator);
      env[connector.manifest.upstream.baseUrlEnv] = simulator.url;
    }
    // The sandbox's example OPD service, one for all hubs too (src/services/sandbox/README.md).
    const ekinerja = await startEkinerjaSimulator();
    simulators.set('ekinerja', ekinerja);
    env.EKINERJA_BASE_URL = ekinerja.url;
  } catch (error) {
    await close();
    throw error;
  }
  return { simulators, env, close };
}
