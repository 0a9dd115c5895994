// What calls to OPD services add to a running hub: a runtime per service (rebuilt when its
// version changes, here or on another instance), the event types services emit, and the
// /v1/layanan routes.
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { ConnectorObserver, ConnectorRuntime } from '../connectors/connector-runtime.js';
import type { EventSink } from '../events/ingest.js';
import type { EventTypeRegistry } from '../events/type-registry.js';
import type { SecretBox } from '../security/secret-box.js';
import { serviceCallRoutes } from './service-calls.js';
import { ServiceEvents } from './service-events.js';
import type { ServiceRegistry } from './service-registry.js';
import { ServiceRuntimes, type ServiceRuntimeSettings } from './service-runtime.js';

export interface ServiceCallLayer {
  router: Router;
  /** Every active service's runtime, for the status API and the dashboard. */
  runtimes(): ConnectorRuntime[];
  close(): void;
}

export interface ServiceCallLayerDeps {
  registry: ServiceRegistry;
  secrets: SecretBox;
  sink: EventSink;
  types: EventTypeRegistry;
  topicPrefix: string;
  observer?: ConnectorObserver;
  logger: Logger;
  bodyLimitBytes: number;
  settings: ServiceRuntimeSettings;
}

export function createServiceCallLayer(deps: ServiceCallLayerDeps): ServiceCallLayer {
  const logger = deps.logger.child({ component: 'services' });
  const runtimes = new ServiceRuntimes({ box: deps.secrets, logger, settings: deps.settings, ...(deps.observer ? { observer: deps.observer } : {}) });
  const events = new ServiceEvents({ sink: deps.sink, types: deps.types, topicPrefix: deps.topicPrefix, logger });
  for (const service of deps.registry.list()) events.register(service);
  const stop = deps.registry.onChange((change) => {
    if (change.kind !== 'service') return;
    runtimes.changed(change.id, change.service);
    if (change.service) events.register(change.service);
  });
  return {
    router: serviceCallRoutes({ registry: deps.registry, runtimes, events, bodyLimitBytes: deps.bodyLimitBytes, logger }),
    runtimes: () => runtimes.all(deps.registry.list()),
    close() {
      stop();
      runtimes.shutdown();
    },
  };
}
