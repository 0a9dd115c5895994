// Wires the hub together: config → logger → bus → outbox and relay → gateway. `startHub` is
// what `npm start` runs and what end-to-end tests start in-process.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createBus } from './bus/create-bus.js';
import { EmbeddedBus } from './bus/embedded-bus.js';
import { InstrumentedBus } from './bus/instrumented-bus.js';
import type { EventBus } from './bus/event-bus.js';
import type { HubConfig } from './config/config.js';
import { FlowEngine, loadFlows } from './flows/flow-engine.js';
import { flowRoutes } from './flows/flow-routes.js';
import { FlowStore } from './flows/flow-store.js';
import { migrateLegacyFlows } from './flows/legacy-flow-store.js';
import { DeliveryLog } from './subscriptions/delivery-log.js';
import { migrateLegacySubscriptions } from './subscriptions/legacy-migration.js';
import { SubscriptionStore } from './subscriptions/subscription-store.js';
import { PullCursorStore } from './events/pull-cursors.js';
import { subscriptionRoutes } from './subscriptions/subscription-routes.js';
import { meRoutes } from './gateway/routes/me.js';
import { meDeliveryRoutes } from './gateway/routes/me-deliveries.js';
import { WebhookDispatcher } from './subscriptions/webhook-dispatcher.js';
import { createConnectorLayer, type ConnectorLayer } from './connectors/connector-layer.js';
import type { SimulatorFleet } from './connectors/simulator-kit/fleet.js';
import { connectorOpenApi } from './connectors/openapi-paths.js';
import { printSandboxGuide } from './connectors/sandbox-guide.js';
import { sandboxSettled } from './connectors/sandbox-settle.js';
import { EventIngest } from './events/ingest.js';
import { createPullSource } from './events/pull/create-pull-source.js';
import { createIngestClaims } from './events/claims/create-claims.js';
import { EventTypeRegistry } from './events/type-registry.js';
import { createApp } from './gateway/app.js';
import { createServer } from './gateway/server.js';
import { hardenServer } from './gateway/hardening.js';
import { gracefulStop } from './gateway/graceful-stop.js';
import { buildOpenApi } from './gateway/openapi.js';
import { knownRights, warnUnknownRights } from './gateway/known-rights.js';
import { dashboardRoutes } from './gateway/routes/dashboard.js';
import { isDashboardRead } from './gateway/dashboard-reads.js';
import { eventRoutes } from './gateway/routes/events.js';
import { healthRoutes } from './gateway/routes/health.js';
import { metricsRoutes } from './gateway/routes/metrics.js';
import { isPortalPath, portalRoutes } from './gateway/routes/portal.js';
import { createLogger } from './observability/logger.js';
import { HubMetrics } from './observability/metrics.js';
import { Outbox } from './outbox/outbox.js';
import { OutboxRelay } from './outbox/relay.js';
import { DeliveryTracking } from './deliveries/delivery-tracking.js';
import { projectPath } from './schemas.js';
import { AuditLog, auditHttp, isProbe, ReadSummary } from './security/audit/index.js';
import { authentication } from './security/authenticate.js';
import { ClientRegistry, clientTables } from './security/clients.js';
import { migrateClientsDb } from './security/clients-migration.js';
import { nomenklaturFromViews, ReferenceData } from './referensi/reference-data.js';
import { referensiOpenApi, referensiRoutes } from './referensi/referensi-routes.js';
import { RateLimiter } from './security/rate-limit.js';
import { securityRoutes } from './security/security-routes.js';
import { TokenIssuer } from './security/tokens.js';
import { TokenKeySet } from './security/token-keys.js';
import { ensurePrivateDir, tightenDataDir } from './security/file-modes.js';
import { assertAuditKeyPlacement, stateSecretBox, webhookSecretBox } from './security/key-placement.js';
import { Retention } from './storage/retention.js';
import { createStateLayer } from './state/create-state.js';
import { createServiceCallLayer } from './services/service-call-layer.js';
import { seedSandboxService } from './services/sandbox/sandbox-service.js';
import { ACCESS_EVENT_SCHEMA, ACCESS_EVENT_TYPES, AccessEvents } from './services/access-events.js';
import { serviceCatalogEntry } from './services/service-catalog.js';
import { ServiceAccess } from './services/service-access.js';
import { serviceOpenApiPaths } from './services/service-openapi.js';
import { ServicePublisher } from './services/service-publisher.js';
import { ServiceRegistry } from './services/service-registry.js';
import { serviceRoutes } from './services/service-routes.js';
import { TargetGuard } from './subscriptions/target-guard.js';
import { createCluster } from './cluster/create-cluster.js';
import type { Cluster } from './cluster/cluster.js';
import { instanceId } from './instance-id.js';
import { EKINERJA_SIMULATOR, sandboxFleet } from './sandbox-fleet.js';
import type { StateLayer } from './state/state-layer.js';

export interface Hub {
  url: string;
  audit: AuditLog;
  connectors: ConnectorLayer;
  config: HubConfig;
  logger: Logger;
  bus: EventBus;
  outbox: Outbox;
  /** Moves the outbox to the bus (the ingest bench holds it to time a backlog's drain alone). */
  relay: OutboxRelay;
  /** The control-plane state (clients, subscriptions, cursors…): shared by every instance on Kafka. */
  state: StateLayer;
  /** Registered OPD services and the access requests to them (on the state layer). */
  services: ServiceRegistry;
  /** Live instances and who leads each poller (this instance alone on the embedded bus). */
  cluster: Cluster;
  /** Stop accepting, let the requests in flight finish and the relay drain the outbox within the grace period, close everything. */
  close(): Promise<void>;
}

const version = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;

/**
 * `fleet`: the sandbox simulators, when the caller forked them before loading the hub (main.ts);
 * without it a sandbox hub forks them first thing. Either way a hub that fails to start stops them.
 */
export async function startHub(config: HubConfig, options: { logger?: Logger; env?: NodeJS.ProcessEnv; fleet?: SimulatorFleet } = {}): Promise<Hub> {
  const env = options.env ?? process.env;
  // Sandbox simulators in child processes are forked first: their boot overlaps the hub's start.
  const fleet = options.fleet ?? sandboxFleet(config, env);
  try {
    return await wireHub(config, options.logger ?? createLogger(config.log.level), env, fleet);
  } catch (error) {
    await fleet?.close();
    throw error;
  }
}

async function wireHub(config: HubConfig, logger: Logger, env: NodeJS.ProcessEnv, fleet: SimulatorFleet | undefined): Promise<Hub> {
  const dataDir = resolve(config.dataDir);
  ensurePrivateDir(dataDir);
  assertAuditKeyPlacement(config, dataDir, join(dataDir, 'audit.db'), env);
  const webhookSecrets = webhookSecretBox(config, dataDir);
  const audit = AuditLog.open({ file: join(dataDir, 'audit.db'), env, logger: logger.child({ component: 'audit' }) });
  const dashboardReads = new ReadSummary(audit, config.security.dashboardAuditWindowSeconds * 1000);

  const outbox = new Outbox(join(dataDir, config.outbox.file));
  const metrics = new HubMetrics(outbox);
  const innerBus = await createBus(config, logger);
  const bus = new InstrumentedBus(innerBus, metrics);
  await bus.start();
  const state = await createStateLayer(config, logger, { propagated: (seconds) => metrics.statePropagation.observe(seconds) });
  await state.start();
  metrics.stateSizes = () => state.sizes();
  const cluster = await createCluster(config, innerBus, instanceId(dataDir), logger);
  const deliveries = new DeliveryTracking({ bus, topicPrefix: config.bus.topicPrefix, instance: instanceId(dataDir), partitions: config.bus.partitions, file: join(dataDir, 'deliveries.db'), logger: logger.child({ component: 'deliveries' }) });
  const relay = new OutboxRelay(outbox, bus, {
    batchSize: config.outbox.relayBatchSize,
    inFlight: config.outbox.relayInFlight,
    idleMs: config.outbox.relayIdleMs,
    logger: logger.child({ component: 'relay' }),
    onFailure: () => metrics.publishFailures.inc(),
    companions: (lane) => deliveries.publishedRecords(lane),
  });
  relay.start();

  const clientsFile = resolve(projectPath(), config.security.clientsFile);
  await migrateClientsDb(join(dataDir, 'clients.db'), clientTables(state));
  const registry = new ClientRegistry(state, clientsFile);
  const sandboxKeys = config.mode === 'sandbox' ? await registry.issueSandboxKeys(state.kind === 'kafka' ? instanceId(dataDir) : undefined) : {};
  const stateKey = stateSecretBox(config, dataDir, state.kind);
  const tokenKeys = new TokenKeySet(state, stateKey.box, { keyFile: stateKey.keyFile, logger: logger.child({ component: 'token-keys' }) });
  await tokenKeys.start(join(dataDir, 'token-signing-key.pem'));
  const tokens = new TokenIssuer(tokenKeys, config.security.tokenTtlSeconds);
  const publicPaths = new Set(['/health/live', '/health/ready', '/openapi.json', '/oauth/token', '/.well-known/jwks.json', '/.well-known/openid-configuration', '/dashboard/login', '/dashboard/login.css', '/dashboard/logout', '/dashboard/favicon.svg', '/favicon.ico', ...(config.security.metricsPublic ? ['/metrics'] : [])]);
  // OPD services and the grants to them live on the state layer: shared by every instance.
  const services = new ServiceRegistry(state);
  // Where OPD services may live (services.allowedNetworks): the SSRF policy of their base and token URLs.
  const serviceTargets = new TargetGuard(config.services);
  const authenticate = authentication({ registry, tokens, limiter: new RateLimiter(Date.now, () => cluster.liveMembers()), isPublic: (path) => publicPaths.has(path) || isPortalPath(path), defaultRatePerMinute: config.security.defaultRateLimitPerMinute, grantedRights: (clientId) => services.grantedRights(clientId) });

  // Filled with the connectors' and flows' types below; the way in needs it first.
  const eventTypes = EventTypeRegistry.fromDirectory(config.events.schemaDir);
  const ingest = new EventIngest(outbox, { registry: eventTypes, strictTypes: config.events.strictTypes, topicPrefix: config.bus.topicPrefix });
  // Calls to OPD services go through connector runtimes made from their definitions.
  const serviceCalls = createServiceCallLayer({ registry: services, secrets: webhookSecrets, sink: ingest, types: eventTypes, topicPrefix: config.bus.topicPrefix, observer: metrics, logger, bodyLimitBytes: config.http.bodyLimitBytes, settings: config.services.calls });
  const connectors = await createConnectorLayer({ config, env, bus, outbox, events: ingest, logger, metrics, audit, state, cluster, simulatorFleet: fleet, reporter: deliveries, catalogServices: () => services.list().filter((s) => s.status === 'active').map(serviceCatalogEntry), moreRuntimes: () => serviceCalls.runtimes() });
  const flowStore = new FlowStore(state);
  await migrateLegacyFlows(join(dataDir, 'flows.db'), flowStore, logger.child({ component: 'flows' }));
  const flows = new FlowEngine(await loadFlows(resolve(projectPath(), config.flows.directory)), { bus, store: flowStore, runtimes: connectors.runtimes, publish: connectors.publishDeps, topicPrefix: config.bus.topicPrefix, logger: logger.child({ component: 'flows' }), audit });
  const subscriptions = new SubscriptionStore(state, webhookSecrets);
  const deliveryLog = new DeliveryLog(join(dataDir, 'subscriptions.db'), (id) => subscriptions.get(id) !== undefined);
  const pullCursors = new PullCursorStore(state);
  await migrateLegacySubscriptions(deliveryLog, subscriptions, pullCursors, logger.child({ component: 'webhooks' }));
  for (const { type, schema } of [...connectors.eventTypes, ...flows.emittedTypes()]) eventTypes.registerCanonical(type, schema);
  for (const type of Object.values(ACCESS_EVENT_TYPES)) eventTypes.registerCanonical(type, ACCESS_EVENT_SCHEMA);
  for (const [type, level] of Object.entries(config.events.classifications ?? {})) eventTypes.declare(type, level);
  const accessEvents = new AccessEvents({ sink: ingest, topicPrefix: config.bus.topicPrefix });
  const claims = await createIngestClaims(config, bus, { logger, onUnverified: (count) => metrics.eventsUnverified.inc(count) });
  const pull = await createPullSource(config, bus, { outbox, logger, cursors: pullCursors });
  const webhooks = new WebhookDispatcher({ bus, store: subscriptions, log: deliveryLog, clients: registry, types: eventTypes, audit, topicPrefix: config.bus.topicPrefix, logger: logger.child({ component: 'webhooks' }), options: config.webhooks, reporter: deliveries });

  const hours = (h: number): number => h * 3_600_000;
  const { retention: keep } = config;
  const retention = new Retention([
    { store: outbox, retentionMs: hours(config.outbox.retentionHours) },
    ...(innerBus instanceof EmbeddedBus ? [{ store: innerBus, retentionMs: hours(keep.busHours) }] : []),
    { store: connectors.stores.state, retentionMs: hours(keep.stateHours) },
    { store: connectors.stores.seen, retentionMs: hours(keep.stateHours) },
    { store: deliveryLog, retentionMs: hours(keep.subscriptionsHours) },
    { store: flowStore, retentionMs: hours(keep.flowsHours) },
    { store: connectors.stores.deadLetters, retentionMs: hours(keep.deadLettersHours) },
    { store: deliveries.index, retentionMs: hours(keep.deliveriesHours) },
    { store: connectors.stores.rejected, retentionMs: hours(keep.rejectedHours) },
    { store: registry, retentionMs: hours(keep.clientsHours) },
    { store: audit, retentionMs: hours(keep.auditHours) },
  ], { intervalMs: keep.intervalSeconds * 1000, logger: logger.child({ component: 'retention' }), observer: { pruned: (store, rows) => metrics.storePruned.inc({ store }, rows) } });
  metrics.storeSizes = () => retention.sizes();
  metrics.webhookHealth = () => deliveryLog.health(subscriptions.list());

  const connectorApi = connectorOpenApi(connectors.runtimes);
  // Rebuilt when a service changes (here or on another instance), served from memory otherwise.
  const openApiDocument = (): object => buildOpenApi(version, { ...connectorApi, paths: { ...connectorApi.paths, ...referensiOpenApi(), ...serviceOpenApiPaths(services.list()) } });
  let openApi = openApiDocument();
  services.onChange((change) => {
    if (change.kind === 'service') openApi = openApiDocument();
  });
  let shuttingDown = false;
  const isShuttingDown = (): boolean => shuttingDown;
  // The server listens before the consumers, pollers and flows start; until they have, the hub is not ready.
  let starting = true;
  const app = createApp({
    logger,
    metrics,
    authenticate,
    // The portal's pages and Swagger UI hold no data: anonymous page loads would only fill the log.
    audit: auditHttp(audit, { connectorIds: connectors.runtimes.map((r) => r.id), logger, skip: (req) => isProbe(req) || isPortalPath(req.path), fold: { matches: isDashboardRead, add: (entry) => dashboardReads.add(entry) } }),
    isShuttingDown,
    openApi: () => openApi,
    corsAllowedOrigins: config.http.cors.allowedOrigins,
    routers: [
      ...connectors.routers,
      healthRoutes({ bus, outbox, relay, isShuttingDown, isStarting: () => starting }),
      metricsRoutes(metrics.registry, config.security.metricsPublic),
      dashboardRoutes(),
      portalRoutes(),
      referensiRoutes(new ReferenceData(nomenklaturFromViews((view, id) => connectors.viewEntity(view, id)))),
      securityRoutes({ registry, tokens, audit, logger, knownRights: () => knownRights(openApi, eventTypes.knownTypes()), grantedRights: (clientId) => services.grantedRights(clientId) }),
      subscriptionRoutes(subscriptions, deliveryLog, webhooks),
      meRoutes({ registered: (id) => registry.get(id), subscriptions, deliveryLog, deadLetters: connectors.stores.deadLetters, maskDeadLetter: (letter, clearance) => connectors.maskDeadLetter(letter, clearance) }),
      meDeliveryRoutes({ index: deliveries.index, outbox, types: eventTypes }),
      serviceCalls.router,
      serviceRoutes({
        registry: services,
        publisher: new ServicePublisher({ registry: services, secrets: webhookSecrets, guard: serviceTargets, events: accessEvents }),
        access: new ServiceAccess(services, { events: accessEvents }),
        bodyLimitBytes: config.http.bodyLimitBytes,
      }),
      flowRoutes(flows, flowStore),
      eventRoutes({
        ingest,
        claims,
        pull,
        onAccepted: (type) => metrics.eventsAccepted.inc({ type }),
        checkOwnership: (client, type, data, pointer) => connectors.ownership.check(client, type, data, pointer),
        registry: eventTypes,
        strictTypes: config.events.strictTypes,
        topicPrefix: config.bus.topicPrefix,
        bodyLimitBytes: config.http.bodyLimitBytes,
        batchMaxEvents: config.http.batchMaxEvents,
      }),
    ],
  });

  const server: Server = await new Promise((ok, fail) => {
    // Express 5 hands a listen error (port taken, no permission) to this callback.
    const listening = createServer(config.security.tls, app);
    listening.once('error', fail);
    listening.listen(config.http.port, config.http.host, () => ok(listening));
  });
  hardenServer(server);
  const stopServing = gracefulStop(server);
  const { port } = server.address() as AddressInfo;
  const url = `${config.security.tls.enabled ? 'https' : 'http'}://${config.http.host}:${port}`;
  await cluster.start([...connectors.pollers.keys()]);
  await deliveries.start();
  await connectors.start();
  await webhooks.start();
  await flows.start();
  // The example OPD service, its owner's publication, one grant and one request waiting: the flow on first start.
  const sandboxService = config.mode === 'sandbox' ? await seedSandboxService({ registry: services, clients: registry, secrets: webhookSecrets, policy: config.services, audit, env, logger, simulators: config.connectors.simulators, simulator: fleet?.take(EKINERJA_SIMULATOR) }) : undefined;
  // Once the services (and the types they emit) are known: a right in the clients file naming none is told.
  warnUnknownRights(registry.list().filter((client) => client.source === 'file'), knownRights(openApi, eventTypes.knownTypes()), logger);
  // Every store and key file is open now (SQLite's -wal and -shm included): all owner-only.
  tightenDataDir(dataDir);
  retention.start();
  starting = false;
  logger.info({ url, bus: bus.kind, mode: config.mode, connectors: connectors.runtimes.map((r) => r.id) }, 'Penghubung is listening');
  if (config.mode === 'sandbox' && config.log.level !== 'silent') {
    // Printed once the first polls are in the views, so no example list is empty; readiness does not wait for it.
    const pollers = config.connectors.polling ? [...connectors.pollers.values()] : [];
    void sandboxSettled({ pollers, outboxBacklog: () => outbox.backlog().count, pendingRecords: () => bus.pendingRecords(), stopped: isShuttingDown }).then((settled) => {
      if (!shuttingDown) printSandboxGuide(url, connectors, { keys: sandboxKeys, client: (id) => registry.get(id) }, sandboxService, settled);
    });
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      retention.stop();
      // One grace period for both: the relay keeps publishing while the requests in flight finish
      // (and what they accept), then has what is left of the grace to empty the outbox.
      const graceEnds = Date.now() + config.shutdown.graceMs;
      await stopServing(config.shutdown.graceMs);
      await relay.stop(Math.max(0, graceEnds - Date.now()));
      await flows.stop();
      await webhooks.stop();
      await connectors.stop();
      await deliveries.stop();
      await cluster.close();
      await pull.close();
      serviceCalls.close();
      await claims.close();
      await sandboxService?.close();
      await fleet?.close();
      deliveryLog.close();
      dashboardReads.flush();
      deliveries.close();
      await audit.close();
      await bus.close();
      tokenKeys.stop();
      await state.close();
      const { count } = outbox.backlog();
      outbox.close();
      logger.info({ backlog: count }, count > 0 ? 'Penghubung stopped; the backlog is published after the next start' : 'Penghubung stopped');
    })();
    return closing;
  };
  return { url, audit, connectors, config, logger, bus, outbox, relay, state, services, cluster, close };
}
