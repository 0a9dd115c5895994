// Prometheus metrics (prom-client) on one registry per hub. Every name is listed in
// docs/METRICS.md; a test scrapes /metrics and compares.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Outbox } from '../outbox/outbox.js';

export interface HubMetrics {
  registry: Registry;
  eventsAccepted: Counter<'type'>;
  eventsPublished: Counter<'topic'>;
  publishFailures: Counter;
}

export function createMetrics(outbox: Outbox): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'penghubung_' });
  new Gauge({
    name: 'penghubung_outbox_backlog',
    help: 'Events stored in the outbox and not yet acknowledged by the bus',
    registers: [registry],
    collect() {
      this.set(outbox.backlog().count);
    },
  });
  new Gauge({
    name: 'penghubung_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest event waiting in the outbox (0 when none waits)',
    registers: [registry],
    collect() {
      const oldest = outbox.backlog().oldestAcceptedAt;
      this.set(oldest === null ? 0 : (Date.now() - oldest) / 1000);
    },
  });
  return {
    registry,
    eventsAccepted: new Counter({ name: 'penghubung_events_accepted_total', help: 'Events accepted into the outbox (duplicates excluded), by type', labelNames: ['type'], registers: [registry] }),
    eventsPublished: new Counter({ name: 'penghubung_events_published_total', help: 'Events the bus acknowledged, by topic', labelNames: ['topic'], registers: [registry] }),
    publishFailures: new Counter({ name: 'penghubung_bus_publish_failures_total', help: 'Failed attempts to publish a batch to the bus (the batch is retried)', registers: [registry] }),
  };
}
