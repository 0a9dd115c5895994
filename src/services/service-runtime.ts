// One ConnectorRuntime per OPD service, made from its definition: the same deadline, retries for
// idempotent operations, circuit breaker, bulkhead, metrics and call statistics as the built-in
// connectors, not a copy of them. A runtime lives as long as its service's version: an update
// (a new base URL, timeout or concurrency) gets a fresh runtime, a retirement none.
import type { Logger } from 'pino';
import { ConnectorRuntime, type ConnectorObserver } from '../connectors/connector-runtime.js';
import type { LoadedConnector } from '../connectors/discovery.js';
import type { ConnectorManifest } from '../connectors/manifest.js';
import type { BreakerSettings } from '../resilience/circuit.js';
import type { SecretBox } from '../security/secret-box.js';
import { serviceCredentials, type ServiceCredentials } from './service-auth.js';
import { serviceSecretOwner, type ServiceDefinition } from './service-definition.js';

export interface ServiceRuntimeSettings {
  /** Attempts after the first, for idempotent operations. */
  retries: number;
  breaker?: Partial<BreakerSettings>;
}

export interface ServiceRuntime {
  version: number;
  runtime: ConnectorRuntime;
  credentials: ServiceCredentials;
}

/** The id a service's runtime goes by in metrics, logs and circuits: `layanan:<service>`. */
export const runtimeIdOf = (serviceId: string): string => `layanan:${serviceId}`;

export class ServiceRuntimes {
  private readonly runtimes = new Map<string, ServiceRuntime>();

  constructor(private readonly deps: { box: SecretBox; logger: Logger; observer?: ConnectorObserver; settings: ServiceRuntimeSettings }) {}

  /** The runtime of the service's current version, made on first use. */
  of(service: ServiceDefinition): ServiceRuntime {
    const current = this.runtimes.get(service.id);
    if (current?.version === service.version) return current;
    current?.runtime.shutdown();
    const made: ServiceRuntime = {
      version: service.version,
      runtime: new ConnectorRuntime(loadedOf(service, this.deps.settings), service.baseUrl, {}, this.deps.logger.child({ service: service.id }), this.deps.observer),
      credentials: lazyCredentials(() => serviceCredentials(serviceSecretOwner(service.id), service.auth, this.deps.box, service.timeoutMs)),
    };
    this.runtimes.set(service.id, made);
    this.deps.observer?.circuit(made.runtime.id, '*', made.runtime.circuit.state());
    return made;
  }

  /** The runtimes of these services (made now for those not called yet): for the status API. */
  all(services: ServiceDefinition[]): ConnectorRuntime[] {
    return services.filter((service) => service.status === 'active').map((service) => this.of(service).runtime);
  }

  /** A service changed or went: its runtime goes unless it is still the current version. */
  changed(serviceId: string, service: ServiceDefinition | undefined): void {
    const current = this.runtimes.get(serviceId);
    if (!current || (service?.status === 'active' && service.version === current.version)) return;
    current.runtime.shutdown();
    this.runtimes.delete(serviceId);
  }

  shutdown(): void {
    for (const { runtime } of this.runtimes.values()) runtime.shutdown();
    this.runtimes.clear();
  }
}

/**
 * Secrets are opened at the first call, not when the runtime is made: a secret that does not open
 * here (another key file) fails that service's calls, never the status API listing every service.
 */
function lazyCredentials(make: () => ServiceCredentials): ServiceCredentials {
  let made: ServiceCredentials | undefined;
  return {
    headers: async (signal) => (made ??= make()).headers(signal),
    rejected: () => made?.rejected(),
  };
}

/** The service as the connector runtime reads a connector: a manifest with its limits, no code. */
function loadedOf(service: ServiceDefinition, settings: ServiceRuntimeSettings): LoadedConnector {
  const manifest: ConnectorManifest = {
    id: runtimeIdOf(service.id),
    name: service.title,
    owner: service.opd,
    version: String(service.version),
    description: service.description ?? service.title,
    formats: service.operations.some((o) => o.contentType !== 'application/json') ? ['json', 'xml'] : ['json'],
    quirks: [],
    upstream: { baseUrlEnv: '', settings: {} },
    resilience: {
      timeoutMs: service.timeoutMs,
      retries: settings.retries,
      ...(service.concurrency ? { concurrency: service.concurrency } : {}),
      ...(settings.breaker ? { breaker: settings.breaker } : {}),
    },
    operations: {},
  };
  return { manifest, definition: {}, directory: '' };
}
