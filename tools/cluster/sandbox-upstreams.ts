// The sandbox upstreams of a cluster, started once and shared by every hub: each hub in sandbox
// mode would otherwise start simulators of its own, and three hubs would see three different
// SIAKs. Each hub gets the simulators' addresses through the connectors' `baseUrlEnv` variables.
import { discoverConnectors } from '../../src/connectors/discovery.js';
import type { Simulator } from '../../src/connectors/sdk.js';

export interface SandboxUpstreams {
  /** Connector id → its simulator. */
  simulators: Map<string, Simulator>;
  /** `<BASE_URL_ENV>` → simulator URL, for the hubs' environment. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** One simulator per connector that has one; connectors in `except` get none (the caller sets their URL). */
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
  } catch (error) {
    await close();
    throw error;
  }
  return { simulators, env, close };
}
