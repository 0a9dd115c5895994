// Prometheus metrics (prom-client) on one registry per hub. Every name is listed in
// docs/METRICS.md; a test scrapes /metrics and compares.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../resilience/circuit.js';
import type { BusObserver } from '../bus/instrumented-bus.js';

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const circuitValue: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** What the outbox gauges read at every scrape. */
export interface OutboxBacklog {
  backlog(): { count: number; oldestAcceptedAt: number | null };
}

/**
 * The hub's metrics. Besides the BusObserver, it is the connectors' ConnectorObserver
 * (src/connectors/connector-runtime.ts), by shape: observability imports no feature.
 */
export class HubMetrics implements BusObserver {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'penghubung_http_requests_total', help: 'HTTP requests answered, by route, method, status and client', labelNames: ['route', 'method', 'status', 'client'], registers: [this.registry] });
  readonly httpDuration = new Histogram({ name: 'penghubung_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route and method', labelNames: ['route', 'method'], buckets: latencyBuckets, registers: [this.registry] });
  readonly eventsAccepted = new Counter({ name: 'penghubung_events_accepted_total', help: 'Events accepted into the outbox (duplicates excluded), by type', labelNames: ['type'], registers: [this.registry] });
  readonly eventsUnverified = new Counter({ name: 'penghubung_events_accepted_unverified_total', help: 'Posted events accepted without the cross-instance idempotency check (Kafka unreachable or slow): a retry on another instance may publish them twice', registers: [this.registry] });
  readonly eventsPublished = new Counter({ name: 'penghubung_events_published_total', help: 'Events the bus acknowledged, by type', labelNames: ['type'], registers: [this.registry] });
  readonly eventsConsumed = new Counter({ name: 'penghubung_events_consumed_total', help: 'Events handled by a consumer group of the hub, by type and group', labelNames: ['type', 'group'], registers: [this.registry] });
  readonly publishFailures = new Counter({ name: 'penghubung_bus_publish_failures_total', help: 'Failed attempts to publish a batch to the bus (the batch is retried)', registers: [this.registry] });
  readonly publishDuration = new Histogram({ name: 'penghubung_bus_publish_duration_seconds', help: 'Time for the bus to acknowledge a batch (Kafka produce latency), by bus kind', labelNames: ['bus'], buckets: latencyBuckets, registers: [this.registry] });
  readonly upstreamCalls = new Counter({ name: 'penghubung_upstream_requests_total', help: 'Calls to upstream systems, by connector, operation and outcome (success, refused, failure, circuit-open, quota-exhausted, busy)', labelNames: ['connector', 'operation', 'outcome'], registers: [this.registry] });
  readonly upstreamDuration = new Histogram({ name: 'penghubung_upstream_request_duration_seconds', help: 'Time of calls to upstream systems, by connector and operation', labelNames: ['connector', 'operation'], buckets: latencyBuckets, registers: [this.registry] });
  readonly circuitState = new Gauge({ name: 'penghubung_circuit_state', help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open; operation "*" is the connector-wide circuit', labelNames: ['connector', 'operation'], registers: [this.registry] });
  readonly lastSuccess = new Gauge({ name: 'penghubung_connector_last_success_timestamp_seconds', help: 'When a connector last got an answer from its upstream (Unix time)', labelNames: ['connector'], registers: [this.registry] });
  readonly lastFailure = new Gauge({ name: 'penghubung_connector_last_failure_timestamp_seconds', help: 'When a call to a connector’s upstream last failed (Unix time)', labelNames: ['connector'], registers: [this.registry] });
  /** Set once the connectors exist; read at every scrape. */
  quotaStates: (() => { connector: string; exhausted: boolean }[]) | undefined;
  readonly quotaExhausted = new Gauge({
    name: 'penghubung_upstream_quota_exhausted',
    help: '1 while a connector’s daily upstream quota is used up',
    labelNames: ['connector'],
    registers: [this.registry],
    collect: () => {
      for (const { connector, exhausted } of this.quotaStates?.() ?? []) this.quotaExhausted.set({ connector }, exhausted ? 1 : 0);
    },
  });
  /** Set once the cluster and the pollers exist; read at every scrape. */
  clusterView: (() => { members: number; pollers: { connector: string; operation: string; leading: boolean }[] }) | undefined;
  readonly clusterMembers = new Gauge({
    name: 'penghubung_cluster_members',
    help: 'Live hub instances this instance counts (its share of rate limits and upstream concurrency is 1 / this)',
    registers: [this.registry],
    collect: () => {
      const view = this.clusterView?.();
      if (!view) return;
      this.clusterMembers.set(view.members);
      for (const { connector, operation, leading } of view.pollers) this.pollerLeading.set({ connector, operation }, leading ? 1 : 0);
    },
  });
  readonly pollerLeading = new Gauge({ name: 'penghubung_poller_leading', help: '1 while this instance leads (runs) a poller; across the instances each poller sums to 1', labelNames: ['connector', 'operation'], registers: [this.registry] });
  /** Set once the dead-letter index exists; read at every scrape. */
  parkedDeadLetters: (() => { connector: string; operation: string; count: number }[]) | undefined;
  readonly deadLettersParked = new Gauge({
    // Not `penghubung_dead_letters`: that is the family of the counter penghubung_dead_letters_total.
    name: 'penghubung_dead_letters_parked',
    help: 'Dead letters waiting for an operator, by connector and operation',
    labelNames: ['connector', 'operation'],
    registers: [this.registry],
    collect: () => {
      this.deadLettersParked.reset();
      for (const { connector, operation, count } of this.parkedDeadLetters?.() ?? []) this.deadLettersParked.set({ connector, operation }, count);
    },
  });
  /** Set once the webhook subscriptions exist; read at every scrape. */
  webhookHealth: (() => { state: 'active' | 'failing' | 'paused'; dead_letters: number }[]) | undefined;
  readonly webhookSubscriptions = new Gauge({
    name: 'penghubung_webhook_subscriptions',
    help: 'Webhook subscriptions by state: active, failing (the latest attempt did not deliver) or paused',
    labelNames: ['state'],
    registers: [this.registry],
    collect: () => {
      const health = this.webhookHealth?.() ?? [];
      for (const state of ['active', 'failing', 'paused'] as const) this.webhookSubscriptions.set({ state }, health.filter((h) => h.state === state).length);
      this.webhookDeadLetters.set(health.reduce((sum, h) => sum + h.dead_letters, 0));
    },
  });
  readonly webhookDeadLetters = new Gauge({ name: 'penghubung_webhook_dead_letters', help: 'Events parked in webhook subscriptions’ own dead letters (within retention)', registers: [this.registry] });
  /** Set once the stores exist; read at every scrape. */
  storeSizes: (() => { store: string; rows: number; bytes: number }[]) | undefined;
  readonly storeRows = new Gauge({
    name: 'penghubung_store_rows',
    help: 'Rows in a SQLite store (all its tables), by store',
    labelNames: ['store'],
    registers: [this.registry],
    collect: () => {
      for (const { store, rows, bytes } of this.storeSizes?.() ?? []) {
        this.storeRows.set({ store }, rows);
        this.storeBytes.set({ store }, bytes);
      }
    },
  });
  /** Set once the control-plane state exists; read at every scrape. */
  stateSizes: (() => { table: string; records: number }[]) | undefined;
  readonly stateRecords = new Gauge({
    name: 'penghubung_state_records',
    help: 'Records of the control-plane state this instance holds, by table',
    labelNames: ['table'],
    registers: [this.registry],
    collect: () => {
      for (const { table, records } of this.stateSizes?.() ?? []) this.stateRecords.set({ table }, records);
    },
  });
  readonly statePropagation = new Histogram({
    name: 'penghubung_state_propagation_seconds',
    help: 'From another instance writing a control-state record to this instance applying it (Kafka only)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  readonly storeBytes = new Gauge({ name: 'penghubung_store_bytes', help: 'Bytes on disk of a SQLite store (database and write-ahead log), by store', labelNames: ['store'], registers: [this.registry] });
  readonly storePruned = new Counter({ name: 'penghubung_store_pruned_rows_total', help: 'Rows a store forgot past its retention, by store', labelNames: ['store'], registers: [this.registry] });
  readonly deadLettered = new Counter({ name: 'penghubung_dead_letters_total', help: 'Events parked in a dead-letter topic, by connector and operation', labelNames: ['connector', 'operation'], registers: [this.registry] });
  readonly recordsRejected = new Counter({ name: 'penghubung_records_rejected_total', help: 'Native records quarantined instead of published, by connector, operation and reason', labelNames: ['connector', 'operation', 'reason'], registers: [this.registry] });

  constructor(outbox: OutboxBacklog) {
    collectDefaultMetrics({ register: this.registry, prefix: 'penghubung_' });
    // prom-client names three gauges like counters (`…_total`), which `promtool check metrics`
    // refuses; each is the sum of its per-type gauge (`sum(penghubung_nodejs_active_handles)`).
    for (const name of ['handles', 'requests', 'resources']) this.registry.removeSingleMetric(`penghubung_nodejs_active_${name}_total`);
    new Gauge({
      name: 'penghubung_outbox_backlog',
      help: 'Events stored in the outbox and not yet acknowledged by the bus',
      registers: [this.registry],
      collect() {
        this.set(outbox.backlog().count);
      },
    });
    new Gauge({
      name: 'penghubung_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest event waiting in the outbox (0 when none waits)',
      registers: [this.registry],
      collect() {
        const oldest = outbox.backlog().oldestAcceptedAt;
        this.set(oldest === null ? 0 : (Date.now() - oldest) / 1000);
      },
    });
  }

  call(connector: string, operation: string, outcome: string, seconds: number): void {
    this.upstreamCalls.inc({ connector, operation, outcome });
    if (outcome === 'circuit-open' || outcome === 'busy') return;
    this.upstreamDuration.observe({ connector, operation }, seconds);
    const now = Date.now() / 1000;
    if (outcome === 'success' || outcome === 'refused') this.lastSuccess.set({ connector }, now);
    if (outcome === 'failure') this.lastFailure.set({ connector }, now);
  }

  published(bus: string, messages: readonly { event: { type: string } }[], seconds: number): void {
    this.publishDuration.observe({ bus }, seconds);
    for (const message of messages) this.eventsPublished.inc({ type: message.event.type });
  }

  consumed(type: string, group: string): void {
    this.eventsConsumed.inc({ type, group });
  }

  circuit(connector: string, operation: string, state: CircuitState): void {
    this.circuitState.set({ connector, operation }, circuitValue[state]);
  }
}
