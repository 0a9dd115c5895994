// Outbound: a delivery worker per outbound operation consumes its event type in its own
// consumer group and delivers each event to the upstream, on the durable consumer: retryable
// failures are retried with exponential backoff and full jitter; after the configured attempts,
// or at once for a refusal that will not change, the event is parked in the dead-letter topic
// with the reason. Deliveries are remembered by event id, so a redelivered event is not sent twice.
import type { Logger } from 'pino';
import { DurableConsumer } from '../bus/durable-consumer.js';
import type { BusRecord, EventBus } from '../bus/event-bus.js';
import { deadLetterTopicForType, topicForType } from '../events/cloudevent.js';
import { eventKey } from '../events/event-key.js';
import { HubError } from '../errors/catalogue.js';
import { assertCanonical } from './canonical.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { OutboundOperation } from './manifest.js';
import { UpstreamError } from './sdk.js';
import type { StateStore } from './state-store.js';
import { auditHubCall, type AuditRecorder } from '../security/audit/hub-call.js';
import type { DeliveryReporter } from '../deliveries/delivery-tracking.js';
import type { DeliveryTarget } from '../deliveries/delivery-status.js';

/** `deferred`: a replay found the upstream's circuit open; the dead letter stays parked. */
export type DeliveryOutcome = 'delivered' | 'dead-lettered' | 'skipped' | 'deferred';

export interface DeliveryDeps {
  bus: EventBus;
  state: StateStore;
  topicPrefix: string;
  logger: Logger;
  audit?: AuditRecorder;
  onOutcome?: (connector: string, operation: string, outcome: DeliveryOutcome) => void;
  /** Publishes entities through an inbound operation of the connector (`publishesAnswer`). */
  publish?: (runtime: ConnectorRuntime, operationId: string, entities: unknown[], headers: Record<string, string>) => Promise<void>;
  /** Tells the sending app what became of its event (GET /v1/me/deliveries). */
  reporter?: DeliveryReporter;
}

/** The most a delivery waits between attempts. */
const backoffCapMs = 60_000;

export class DeliveryWorker {
  private readonly consumer: DurableConsumer;

  constructor(readonly runtime: ConnectorRuntime, readonly operationId: string, readonly operation: OutboundOperation, private readonly deps: DeliveryDeps) {
    const { id: connector } = runtime;
    const handler = runtime.loaded.definition.outbound![operationId]!;
    this.consumer = new DurableConsumer({
      // Other types of the same entity share the topic.
      accepts: (record) => record.event.type === operation.eventType,
      seen: (record) => this.deps.state.delivery(connector, operationId, eventKey(record.event)) !== undefined,
      handle: async (record, attempt) => {
        const { event } = record;
        const { data } = event;
        assertCanonical(operation.schema, data, 'event-data-invalid');
        const request = handler.request(data, runtime.context);
        const call = { operation: `${connector}:${operationId}`, connector, method: request.method, route: `/connectors/${connector}/${operationId}/deliver`, trigger: event, correlationId: record.headers['correlation-id'] };
        const outcome = await auditHubCall(this.deps.audit, call, () => runtime.call(operationId, request, (response) => handler.response(response, data, runtime.context), { idempotent: false }));
        // The answer first: a crash before the delivery is saved repeats both, and the publish deduplicates.
        if (operation.publishesAnswer && outcome.entity !== undefined) {
          await this.deps.publish?.(runtime, operation.publishesAnswer, [outcome.entity], { 'correlation-id': record.headers['correlation-id'] ?? event.id });
        }
        this.deps.state.saveDelivery(connector, operationId, eventKey(record.event), outcome.upstreamId);
        this.deps.onOutcome?.(connector, operationId, 'delivered');
        this.deps.reporter?.report(event, this.target, 'delivered', { attempts: attempt });
        this.deps.logger.info({ connector, operation: operationId, eventId: record.event.id, correlation_id: record.headers['correlation-id'], attempt, upstreamId: outcome.upstreamId }, 'delivered');
      },
      park: (record, failure) => this.deadLetter(record, failure.attempts, failure.error),
      retrying: (record, error, attempt) => {
        this.deps.logger.warn({ connector, operation: operationId, eventId: record.event.id, err: error, attempt, of: operation.delivery.attempts }, 'delivery failed; retrying');
        this.deps.reporter?.report(record.event, this.target, 'retrying', { attempts: attempt, ...failureOf(error) });
      },
    }, {
      attempts: operation.delivery.attempts,
      baseMs: operation.delivery.backoffMs,
      capMs: backoffCapMs,
      retryable: (error) => (error instanceof UpstreamError ? error.retryable : !(error instanceof HubError)),
      // The hub held the call back (circuit open, upstream busy): no attempt is spent; the worker
      // waits, in order, until the upstream is tried again.
      deferral: (error) => (error instanceof HubError && (error.code === 'circuit-open' || error.code === 'upstream-busy') ? Math.min(30, error.retryAfterSeconds ?? 1) * 1000 : undefined),
    });
  }

  private get target(): DeliveryTarget {
    return { kind: 'upstream', connector: this.runtime.id, operation: this.operationId };
  }

  get groupId(): string {
    return `${this.deps.topicPrefix}.connector.${this.runtime.id}.${this.operationId}`;
  }

  async start(): Promise<void> {
    await this.consumer.subscribe(this.deps.bus, { groupId: this.groupId, topic: topicForType(this.deps.topicPrefix, this.operation.eventType) });
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
  }

  /** A dead letter handed back by an operator: delivered, skipped (delivered before), or parked again. */
  async redeliver(record: BusRecord): Promise<DeliveryOutcome> {
    const outcome = await this.consumer.process(record, 'replay');
    if (outcome === 'duplicate') this.deps.onOutcome?.(this.runtime.id, this.operationId, 'skipped');
    return ({ handled: 'delivered', duplicate: 'skipped', ignored: 'skipped', parked: 'dead-lettered', deferred: 'deferred' } as const)[outcome];
  }

  private async deadLetter(record: BusRecord, attempts: number, error: unknown): Promise<void> {
    const { reason, code } = failureOf(error);
    // The app's status record goes with the dead letter, in one produce request.
    const status = this.deps.reporter?.outcomeMessage(record.event, this.target, 'dead-lettered', { attempts, code, reason });
    await this.deps.bus.publish([...(status ? [status] : []), {
      topic: deadLetterTopicForType(this.deps.topicPrefix, this.operation.eventType),
      key: record.key ?? record.event.id,
      event: record.event,
      headers: {
        ...Object.fromEntries(Object.entries(record.headers).filter(([name]) => !name.startsWith('dlq-'))),
        'dlq-reason': reason,
        'dlq-code': code,
        'dlq-connector': this.runtime.id,
        'dlq-operation': this.operationId,
        'dlq-attempts': String(attempts),
        'dlq-failed-at': new Date().toISOString(),
        'dlq-source-topic': record.topic,
        'dlq-source-offset': `${record.partition}/${record.offset}`,
      },
    }]);
    this.deps.onOutcome?.(this.runtime.id, this.operationId, 'dead-lettered');
    this.deps.logger.warn({ connector: this.runtime.id, operation: this.operationId, eventId: record.event.id, code, reason, attempts }, 'parked in the dead-letter topic');
  }
}

/** Why a delivery failed, as the dead letter and the app's status say it. */
function failureOf(error: unknown): { reason: string; code: string } {
  return {
    reason: error instanceof Error ? error.message : String(error),
    code: error instanceof UpstreamError || error instanceof HubError ? error.code : 'internal-error',
  };
}
