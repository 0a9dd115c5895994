// Outbound: a delivery worker per outbound operation consumes its event type in its own
// consumer group and delivers each event to the upstream. Retryable failures are retried with
// exponential backoff and full jitter; after the configured attempts, or at once for a refusal
// that will not change, the event is parked in the dead-letter topic with the reason.
// Deliveries are remembered by event id, so a redelivered event is not sent twice.
import type { Logger } from 'pino';
import type { BusRecord, EventBus, Subscription } from '../bus/event-bus.js';
import { deadLetterTopicForType, topicForType } from '../events/cloudevent.js';
import { HubError } from '../errors/catalogue.js';
import { assertCanonical } from './canonical.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { OutboundOperation } from './manifest.js';
import { UpstreamError } from './sdk.js';
import type { StateStore } from './state-store.js';
import { auditHubCall, type AuditRecorder } from '../security/audit/hub-call.js';

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
}

export class DeliveryWorker {
  private subscription: Subscription | undefined;
  private stopping = false;

  constructor(readonly runtime: ConnectorRuntime, readonly operationId: string, readonly operation: OutboundOperation, private readonly deps: DeliveryDeps) {}

  get groupId(): string {
    return `${this.deps.topicPrefix}.connector.${this.runtime.id}.${this.operationId}`;
  }

  async start(): Promise<void> {
    this.subscription = await this.deps.bus.subscribe({
      groupId: this.groupId,
      topic: topicForType(this.deps.topicPrefix, this.operation.eventType),
      handler: (record) => this.handle(record),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
  }

  /** A dead letter handed back by an operator: delivered, skipped (delivered before), or parked again. */
  redeliver(record: BusRecord): Promise<DeliveryOutcome> {
    return this.deliver(record, 'replay');
  }

  private async handle(record: BusRecord): Promise<void> {
    // Other types of the same entity share the topic.
    if (record.event.type !== this.operation.eventType) return;
    await this.deliver(record);
  }

  private async deliver(record: BusRecord, mode: 'consume' | 'replay' = 'consume'): Promise<DeliveryOutcome> {
    const event = record.event;
    const { id: connector } = this.runtime;
    if (this.deps.state.delivery(connector, this.operationId, event.id)) {
      this.deps.onOutcome?.(connector, this.operationId, 'skipped');
      return 'skipped';
    }
    const log = this.deps.logger.child({ connector, operation: this.operationId, eventId: event.id, correlation_id: record.headers['correlation-id'] });
    try {
      assertCanonical(this.operation.schema, event.data, 'event-data-invalid');
    } catch (error) {
      await this.deadLetter(record, 1, error);
      return 'dead-lettered';
    }
    const handler = this.runtime.loaded.definition.outbound![this.operationId]!;
    const { attempts, backoffMs } = this.operation.delivery;
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new Error('delivery worker stopping; the event is delivered after the restart');
      try {
        const request = handler.request(event.data, this.runtime.context);
        const call = { operation: `${connector}:${this.operationId}`, connector, method: request.method, route: `/connectors/${connector}/${this.operationId}/deliver`, trigger: event, correlationId: record.headers['correlation-id'] };
        const outcome = await auditHubCall(this.deps.audit, call, () => this.runtime.call(this.operationId, request, (response) => handler.response(response, event.data, this.runtime.context), { idempotent: false }));
        // The answer first: a crash before the delivery is saved repeats both, and the publish deduplicates.
        if (this.operation.publishesAnswer && outcome.entity !== undefined) {
          await this.deps.publish?.(this.runtime, this.operation.publishesAnswer, [outcome.entity], { 'correlation-id': record.headers['correlation-id'] ?? event.id });
        }
        this.deps.state.saveDelivery(connector, this.operationId, event.id, outcome.upstreamId);
        this.deps.onOutcome?.(connector, this.operationId, 'delivered');
        log.info({ attempt, upstreamId: outcome.upstreamId }, 'delivered');
        return 'delivered';
      } catch (error) {
        if (error instanceof HubError && (error.code === 'circuit-open' || error.code === 'upstream-busy')) {
          // The hub held the call back: no attempt was spent. A replay asked for by an operator
          // answers at once; the worker waits (in order) until the upstream is tried again.
          if (mode === 'replay') return 'deferred';
          attempt--;
          await new Promise((resolve) => setTimeout(resolve, Math.min(30, error.retryAfterSeconds ?? 1) * 1000));
          continue;
        }
        const retryable = error instanceof UpstreamError ? error.retryable : !(error instanceof HubError);
        if (!retryable || attempt >= attempts || this.stopping) {
          // Stopping mid-retry: leave the offset uncommitted so the next start tries again.
          if (this.stopping && retryable && attempt < attempts) throw error;
          await this.deadLetter(record, attempt, error);
          return 'dead-lettered';
        }
        log.warn({ err: error, attempt, of: attempts }, 'delivery failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.random() * backoffMs * 2 ** (attempt - 1)));
      }
    }
  }

  private async deadLetter(record: BusRecord, attempts: number, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const code = error instanceof UpstreamError || error instanceof HubError ? error.code : 'internal-error';
    await this.deps.bus.publish([{
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
