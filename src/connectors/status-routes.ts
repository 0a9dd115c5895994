// The status API operators and the dashboard read: per connector, its circuit and quota, when
// it last worked and failed, its error rate and latency over five minutes, what waits for
// delivery and what sits in dead letters. Operators can force a circuit open or closed (on
// every instance: circuit-overrides.ts).
import { Router } from 'express';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus.js';
import type { Cluster } from '../cluster/cluster.js';
import { HubError } from '../errors/catalogue.js';
import { topicForType } from '../events/cloudevent.js';
import { jsonBody } from '../http/json-body.js';
import { clientOf, requireOperator } from '../security/authorize.js';
import type { Outbox } from '../outbox/outbox.js';
import type { CircuitOverrides } from './circuit-overrides.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { DeadLetterStore } from './dead-letters.js';
import type { DeliveryWorker } from './outbound.js';
import { upstreamPaths } from './manifest.js';
import type { PollCoordination } from './poll-coordination.js';
import type { Poller } from './poller.js';
import type { RejectedStore } from './rejected-store.js';

export interface StatusDeps {
  runtimes: ConnectorRuntime[];
  /** Runtimes that come and go while the hub runs (OPD services), shown beside the connectors. */
  moreRuntimes?: () => ConnectorRuntime[];
  workers: DeliveryWorker[];
  deadLetters: DeadLetterStore;
  /** Operators' forced circuits, shared by every instance. */
  overrides: CircuitOverrides;
  rejected: RejectedStore;
  pollers: Map<string, Poller>;
  /** The leader's last run of each poller, seen from every instance. */
  polls: PollCoordination;
  cluster: Cluster;
  bus: EventBus;
  outbox: Outbox;
  topicPrefix: string;
  logger: Logger;
}

export function statusRoutes(deps: StatusDeps): Router {
  const router = Router();
  const all = (): ConnectorRuntime[] => [...deps.runtimes, ...(deps.moreRuntimes?.() ?? [])];
  const find = (id: string): ConnectorRuntime => {
    const runtime = all().find((r) => r.id === id);
    if (!runtime) throw new HubError('connector-not-found', `no connector ${id}; see /v1/connectors`);
    return runtime;
  };

  const status = async (runtime: ConnectorRuntime): Promise<Record<string, unknown>> => {
    const parked = deps.deadLetters.parkedCounts().filter((c) => c.connector === runtime.id).reduce((sum, c) => sum + c.count, 0);
    let backlog: number | null = 0;
    for (const worker of deps.workers.filter((w) => w.runtime === runtime)) {
      try {
        backlog = (backlog ?? 0) + (await deps.bus.lag(worker.groupId, topicForType(deps.topicPrefix, worker.operation.eventType)));
      } catch {
        backlog = null;
      }
    }
    const quota = runtime.quota?.state() ?? null;
    const circuit = runtime.circuit.state();
    const calls = runtime.stats.summary();
    const operationTrouble = [...runtime.operationCircuits.values()].some((c) => c.state() !== 'closed');
    return {
      id: runtime.id,
      name: runtime.loaded.manifest.name,
      owner: runtime.loaded.manifest.owner,
      state: circuit === 'open' ? 'down' : circuit === 'half-open' || operationTrouble || quota?.status === 'exhausted' || (calls.error_rate_5m ?? 0) > 0.2 ? 'degraded' : 'up',
      circuit: { state: circuit, forced: runtime.circuit.forcedState() },
      operation_circuits: Object.fromEntries([...runtime.operationCircuits].map(([operation, c]) => [operation, { state: c.state(), forced: c.forcedState() }])),
      quota,
      ...calls,
      // This instance's calls and its share of the upstream's concurrency limit.
      in_flight: { ...runtime.load(), limit: runtime.concurrency },
      delivery_backlog: backlog,
      dead_letters: parked,
      unverified_paths: Object.entries(upstreamPaths(runtime.loaded.manifest)).filter(([, path]) => !path.verified).map(([name]) => name),
      // Per polled operation: its interval, the instance that polls it (null while none does) and
      // the last run's outcome on any instance (null before the first).
      polls: Object.fromEntries([...deps.pollers.values()].filter((p) => p.connectorId === runtime.id).map((p) => [p.operationId, pollStatus(p)])),
      rejected_records: Object.fromEntries(deps.rejected.counts().filter((c) => c.connector === runtime.id).map((c) => [c.operation, { count: c.count, last_rejected_at: c.last_rejected_at }])),
    };
  };

  const pollStatus = (poller: Poller): Record<string, unknown> => {
    const shared = deps.polls.lastRun(poller);
    const last = poller.leading || !shared ? poller.lastOutcome ?? shared?.outcome : shared.outcome;
    return { interval_seconds: poller.intervalSeconds, leader: deps.cluster.leaderOf(poller.lease) ?? null, leading: poller.leading, running: poller.running, last: last ?? null };
  };

  router.get('/v1/connectors', requireOperator, async (_req, res) => {
    res.json({ instance: deps.cluster.instance, live_instances: deps.cluster.liveMembers(), outbox_backlog: deps.outbox.backlog().count, connectors: await Promise.all(all().map(status)) });
  });
  router.get('/v1/connectors/:id', requireOperator, async (req, res) => {
    res.json(await status(find(req.params.id as string)));
  });
  router.post('/v1/connectors/:id/circuit', requireOperator, ...jsonBody(16 * 1024, ['application/json']), async (req, res) => {
    const runtime = find(req.params.id as string);
    const { state, reason, operation } = (req.body ?? {}) as { state?: unknown; reason?: unknown; operation?: unknown };
    const target = operation === undefined ? runtime.circuit : runtime.operationCircuits.get(String(operation));
    if (!target) throw new HubError('request-invalid', `operation ${String(operation)} has no circuit of its own`, { errors: [{ pointer: '/operation', message: 'no such circuit' }] });
    if (state !== 'open' && state !== 'closed' && state !== 'auto') throw new HubError('request-invalid', 'state must be open, closed or auto', { errors: [{ pointer: '/state', message: 'must be open, closed or auto' }] });
    if (typeof reason !== 'string' || reason.trim().length < 3) throw new HubError('request-invalid', 'say why, in reason', { errors: [{ pointer: '/reason', message: 'required' }] });
    await deps.overrides.set(runtime.id, operation === undefined ? undefined : String(operation), state, reason.trim(), clientOf(res).id);
    deps.logger.warn({ connector: runtime.id, operation: operation ?? '*', circuit: state, reason, correlation_id: res.locals.correlationId }, 'circuit forced by an operator');
    res.json(await status(runtime));
  });
  return router;
}
