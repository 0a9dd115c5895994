// Everything connectors add to a running hub: discovery, sandbox simulators, one runtime per
// connector, their HTTP routes, pollers, delivery workers and view projections.
import { resolve } from 'node:path';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { EventBus, Subscription } from '../bus/event-bus.js';
import type { Cluster } from '../cluster/cluster.js';
import type { HubConfig } from '../config/config.js';
import { deadLetterTopicForType } from '../events/cloudevent.js';
import type { HubMetrics } from '../observability/metrics.js';
import type { EventSink } from '../events/ingest.js';
import type { Outbox } from '../outbox/outbox.js';
import { instanceId } from '../instance-id.js';
import { projectPath } from '../schemas.js';
import { catalogRoutes } from './catalog.js';
import { commandRoutes } from './command-routes.js';
import { ConnectorRuntime } from './connector-runtime.js';
import { discoverConnectors, type LoadedConnector } from './discovery.js';
import { inboundRoutes, publishEntities, type PublishDeps, type RejectionSink } from './inbound.js';
import { ManifestError, type InboundOperation, type OutboundOperation } from './manifest.js';
import { DeadLetterStore, type DeadLetter } from './dead-letters.js';
import { maskDeadLetter } from './dead-letter-masking.js';
import type { Classification } from '../domain/classification.js';
import { CircuitOverrides } from './circuit-overrides.js';
import { deadLetterRoutes } from './dead-letter-routes.js';
import { DeliveryWorker, type DeliveryDeps } from './outbound.js';
import { statusRoutes } from './status-routes.js';
import { Poller } from './poller.js';
import { PollCoordination } from './poll-coordination.js';
import { PollCursors } from './poll-cursors.js';
import { pollRoutes } from './poll-routes.js';
import { shareQuotas } from './shared-quotas.js';
import { rejectedRoutes } from './rejected-routes.js';
import { RejectedStore } from './rejected-store.js';
import { queryRoutes } from './query-routes.js';
import type { Simulator } from './sdk.js';
import type { SimulatorFleet } from './simulator-kit/fleet.js';
import { forkSimulator } from './simulator-kit/process.js';
import { OwnershipGuard } from './ownership.js';
import { SeenEntities } from './seen-entities.js';
import { StateStore } from './state-store.js';
import { CallStatsStore } from './call-stats-store.js';
import { startProjections, viewRoutes, viewsOf } from './views.js';
import type { AuditRecorder } from '../security/audit/hub-call.js';
import type { StateLayer } from '../state/state-layer.js';
import type { DeliveryReporter } from '../deliveries/delivery-tracking.js';

export interface ConnectorLayer {
  runtimes: ConnectorRuntime[];
  routers: Router[];
  /** Event types the connectors declare, with the canonical schema of their data. */
  eventTypes: { type: string; schema: string }[];
  pollers: Map<string, Poller>;
  /** Where each poller continues from, shared by every instance. */
  pollCursors: PollCursors;
  simulators: Map<string, Simulator>;
  /** How entities become events (for flows' commands). */
  publishDeps: PublishDeps;
  /** Who may act on which record (manifest `owner` rules), for commands and published events. */
  ownership: OwnershipGuard;
  /** The latest entity a view holds under `id` (view `<connector>.<operation>`), or undefined. */
  viewEntity(view: string, id: string): unknown;
  /** The connectors' own stores (for retention and metrics). */
  stores: { state: StateStore; seen: SeenEntities; deadLetters: DeadLetterStore; rejected: RejectedStore };
  /** A dead letter as a client cleared for `clearance` may see it (for an app's own letters, GET /v1/me/dead-letters). */
  maskDeadLetter<T extends DeadLetter>(letter: T, clearance: Classification): T & { masked?: 'withheld' };
  /** Starts consuming (delivery workers, projections) and polling. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ConnectorLayerDeps {
  config: HubConfig;
  env: NodeJS.ProcessEnv;
  bus: EventBus;
  outbox: Outbox;
  /** The way into the outbox for what connectors publish. */
  events: EventSink;
  logger: Logger;
  metrics: HubMetrics;
  /** Where the hub's own upstream calls (polls, deliveries) are audited. */
  audit?: AuditRecorder;
  /** The registered OPD services' catalogue entries, listed in GET /v1/catalog after the connectors. */
  catalogServices?: () => Record<string, unknown>[];
  /** Runtimes made while the hub runs (OPD services): in the status API beside the connectors. */
  moreRuntimes?: () => ConnectorRuntime[];
  /** The control-plane state (poll cursors and outcomes, quota states). */
  state: StateLayer;
  /** Which instance polls what, and how many share the upstream budgets. */
  cluster: Cluster;
  /** Simulators forked when the hub began to start (sandbox), by connector id. */
  simulatorFleet?: SimulatorFleet;
  /** Tells apps what became of the events they sent (GET /v1/me/deliveries). */
  reporter?: DeliveryReporter;
}

export async function createConnectorLayer(deps: ConnectorLayerDeps): Promise<ConnectorLayer> {
  const { config, env, logger } = deps;
  // An invalid folder is skipped with one error (sandbox default) or stops the hub (production default).
  const onInvalid = config.connectors.onInvalid ?? (config.mode === 'production' ? 'refuse' : 'skip');
  const loaded = await discoverConnectors(resolve(projectPath(), config.connectors.directory), onInvalid === 'refuse' ? undefined : (folder, error) => {
    const { file, problems } = error instanceof ManifestError ? error : { file: undefined, problems: [] };
    logger.error({ connector: folder, file, problems }, `connector ${folder} skipped, the other connectors start: ${error.message}`);
    // Forked early (sandbox) from its manifest's id alone; no connector will use it.
    deps.simulatorFleet?.release(folder);
  });
  const simulators = new Map<string, Simulator>();
  const runtimes: ConnectorRuntime[] = [];
  // The simulators start side by side (each child process boots while the others do).
  const baseUrls = await Promise.allSettled(loaded.map((connector) => upstreamUrl(connector, deps, simulators)));
  try {
    for (const [index, connector] of loaded.entries()) {
      const baseUrl = baseUrls[index]!;
      if (baseUrl.status === 'rejected') throw baseUrl.reason;
      runtimes.push(new ConnectorRuntime(connector, baseUrl.value, settingsOf(connector, config, env), logger.child({ connector: connector.manifest.id }), deps.metrics, config.connectors.options?.[connector.manifest.id]));
    }
  } catch (error) {
    await Promise.all([...simulators.values()].map((s) => s.close()));
    throw error;
  }

  const state = new StateStore(resolve(config.dataDir, config.connectors.stateFile));
  const topicPrefix = config.bus.topicPrefix;
  const deadLetters = new DeadLetterStore(resolve(config.dataDir, 'dead-letters.db'), deps.state);
  deps.metrics.parkedDeadLetters = () => deadLetters.parkedCounts();
  deps.metrics.quotaStates = () => runtimes.filter((r) => r.quota).map((r) => ({ connector: r.id, exhausted: r.quota!.state().status === 'exhausted' }));
  for (const runtime of runtimes) {
    deps.metrics.circuit(runtime.id, '*', runtime.circuit.state());
    for (const [operation, circuit] of runtime.operationCircuits) deps.metrics.circuit(runtime.id, operation, circuit.state());
  }
  const onOutcome: DeliveryDeps['onOutcome'] = (connector, operation, outcome) => {
    if (outcome === 'dead-lettered') deps.metrics.deadLettered.inc({ connector, operation });
  };
  const views = viewsOf(runtimes);
  const rejected = new RejectedStore(resolve(config.dataDir, 'rejected-records.db'), config.connectors.rejectedPerOperation);
  const rejections: RejectionSink = {
    record(rejection) {
      rejected.add(rejection);
      for (const { reason } of rejection.records) deps.metrics.recordsRejected.inc({ connector: rejection.connector, operation: rejection.operation, reason });
    },
  };
  const seen = new SeenEntities(deps.state);
  const publishDeps = { events: deps.events, state, seen, topicPrefix, rejections };
  const ownership = new OwnershipGuard(runtimes, state);
  const publishAnswer: DeliveryDeps['publish'] = async (runtime, operationId, entities, headers) => {
    const operation = runtime.loaded.manifest.operations[operationId];
    if (operation?.kind !== 'inbound') throw new Error(`publishesAnswer names ${operationId}, which is not an inbound operation of ${runtime.id}`);
    await publishEntities({ runtime, operationId, operation }, entities, publishDeps, headers);
  };
  const pollers = new Map<string, Poller>();
  deps.metrics.clusterView = () => ({ members: deps.cluster.liveMembers(), pollers: [...pollers.values()].map((p) => ({ connector: p.connectorId, operation: p.operationId, leading: p.leading })) });
  const pollCursors = new PollCursors(deps.state);
  const coordination = new PollCoordination(deps.state, deps.cluster, pollers, logger);
  const pollerDeps = { ...publishDeps, logger, audit: deps.audit, cluster: deps.cluster, cursors: pollCursors, onRun: coordination.recordRun.bind(coordination) };
  const workers: DeliveryWorker[] = [];
  const eventTypes: { type: string; schema: string }[] = [];
  for (const runtime of runtimes) {
    for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
      if (operation.kind === 'inbound') {
        eventTypes.push({ type: operation.eventType, schema: operation.schema });
        const interval = config.connectors.operations?.[runtime.id]?.[operationId]?.pollIntervalSeconds;
        if (operation.modes.includes('poll')) pollers.set(`${runtime.id}:${operationId}`, new Poller({ runtime, operationId, operation: operation as InboundOperation }, pollerDeps, interval));
        if (operation.changes) eventTypes.push({ type: operation.changes.eventType, schema: operation.schema });
        if (operation.untracked) eventTypes.push({ type: operation.untracked.eventType, schema: operation.schema });
      } else if (operation.kind === 'command') {
        eventTypes.push({ type: operation.eventType, schema: operation.schema });
      } else if (operation.kind === 'outbound') {
        eventTypes.push({ type: operation.eventType, schema: operation.schema });
        workers.push(new DeliveryWorker(runtime, operationId, operation as OutboundOperation, { bus: deps.bus, state, topicPrefix, logger, onOutcome, publish: publishAnswer, audit: deps.audit, ...(deps.reporter ? { reporter: deps.reporter } : {}) }));
      }
    }
  }

  const overrides = new CircuitOverrides(deps.state, () => [...runtimes, ...(deps.moreRuntimes?.() ?? [])]);
  let projections: Subscription[] = [];
  const unlink: (() => void)[] = [];
  let callStats: CallStatsStore | undefined;
  return {
    runtimes,
    eventTypes,
    pollers,
    pollCursors,
    simulators,
    publishDeps,
    ownership,
    stores: { state, seen, deadLetters, rejected },
    routers: [
      catalogRoutes(runtimes, deps.catalogServices),
      queryRoutes(runtimes, config.http.bodyLimitBytes),
      inboundRoutes(runtimes, publishDeps, { bodyLimitBytes: config.http.bodyLimitBytes }),
      commandRoutes(runtimes, publishDeps, { bodyLimitBytes: config.http.bodyLimitBytes, ownership }),
      viewRoutes(views, state),
      statusRoutes({ runtimes, ...(deps.moreRuntimes ? { moreRuntimes: deps.moreRuntimes } : {}), workers, deadLetters, overrides, rejected, pollers, polls: coordination, cluster: deps.cluster, bus: deps.bus, outbox: deps.outbox, topicPrefix, logger }),
      rejectedRoutes(runtimes, rejected),
      pollRoutes(runtimes, pollers, coordination),
      deadLetterRoutes(deadLetters, workers),
    ],
    viewEntity: (view, id) => state.viewEntity(view, id),
    maskDeadLetter: (letter, clearance) => maskDeadLetter(letter, clearance, workers),
    async start() {
      const instance = instanceId(resolve(config.dataDir));
      callStats = new CallStatsStore(deps.state, instance, () => [...runtimes, ...(deps.moreRuntimes?.() ?? [])].map((r) => ({ id: r.id, stats: r.stats })), logger);
      callStats.start();
      for (const { connector, operation, cursor } of state.takeLegacyPollCursors()) {
        if (pollCursors.get(connector, operation) === undefined) await pollCursors.save(connector, operation, cursor);
      }
      for (const { connector, operation, ...entity } of state.takeLegacySeen()) {
        if (seen.seen(connector, operation, entity.identity) === undefined) await seen.save(connector, operation, [entity]);
      }
      // The upstream budgets are the cluster's: each instance takes its share of them.
      const divide = (): void => runtimes.forEach((runtime) => runtime.shareAmong(deps.cluster.liveMembers()));
      divide();
      unlink.push(deps.cluster.onChange(divide), shareQuotas(runtimes, deps.state, logger), overrides.follow());
      coordination.start();
      projections = await startProjections(views, { bus: deps.bus, state, topicPrefix, instance });
      // Every hub indexes every dead letter, whichever instance parked it.
      for (const topic of new Set(workers.map((w) => deadLetterTopicForType(topicPrefix, w.operation.eventType)))) {
        projections.push(await deps.bus.subscribe({ groupId: `${topicPrefix}.dead-letter-index.${instance}.${topic}`, topic, handler: async (record) => deadLetters.index(record) }));
      }
      for (const worker of workers) await worker.start();
      // Every poller polls at once; one that enriches from views first waits for the first runs
      // of the pollers that fill those views.
      if (config.connectors.polling) for (const poller of pollers.values()) poller.start(Promise.all(feedersOf(poller, pollers, runtimes).map((feeder) => feeder.firstRun)));
    },
    async stop() {
      coordination.stop();
      for (const stop of unlink.splice(0)) stop();
      await Promise.allSettled([...pollers.values()].map((p) => p.stop()));
      await Promise.allSettled([...workers.map((w) => w.stop()), ...projections.map((p) => p.close())]);
      await Promise.allSettled([...simulators.values()].map((s) => s.close()));
      for (const runtime of runtimes) runtime.shutdown();
      await callStats?.stop();
      state.close();
      deadLetters.close();
      rejected.close();
    },
  };
}

/** The pollers whose events fill the views `poller` enriches from. */
function feedersOf(poller: Poller, pollers: Map<string, Poller>, runtimes: ConnectorRuntime[]): Poller[] {
  const views = (poller.enrichment ?? []).map((rule) => {
    const [connector, view] = rule.view.split('.');
    const operation = runtimes.find((r) => r.id === connector)?.loaded.manifest.operations[view ?? ''];
    return operation?.kind === 'view' ? operation.eventTypes : [];
  });
  const types = new Set(views.flat());
  return [...pollers.values()].filter((other) => other !== poller && other.eventTypes.some((type) => types.has(type)));
}

/** The upstream's base URL: its environment variable, else (sandbox only) its simulator. */
async function upstreamUrl(connector: LoadedConnector, { config, env, simulatorFleet }: ConnectorLayerDeps, simulators: Map<string, Simulator>): Promise<string> {
  const { manifest } = connector;
  const configured = env[manifest.upstream.baseUrlEnv];
  if (configured) return configured;
  if (config.mode === 'sandbox' && connector.startSimulator) {
    const early = simulatorFleet?.take(manifest.id);
    const simulator = early
      ? await early
      : connector.simulatorModule && config.connectors.simulators !== 'in-process'
        ? await forkSimulator(connector.simulatorModule)
        : await connector.startSimulator({ host: '127.0.0.1', port: 0 });
    simulators.set(manifest.id, simulator);
    return simulator.url;
  }
  throw new ManifestError(`connector ${manifest.id}: set ${manifest.upstream.baseUrlEnv} to the upstream base URL${config.mode === 'sandbox' ? ' (it has no simulator)' : ''}`);
}

function settingsOf(connector: LoadedConnector, config: HubConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  const settings: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, setting] of Object.entries(connector.manifest.upstream.settings)) {
    const value = env[setting.env] ?? (config.mode === 'sandbox' ? setting.sandbox : undefined);
    if (value === undefined) missing.push(setting.env);
    else settings[name] = value;
  }
  if (missing.length > 0) throw new ManifestError(`connector ${connector.manifest.id}: set ${missing.join(', ')}`);
  return settings;
}
