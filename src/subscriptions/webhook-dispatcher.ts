// Webhook deliveries for OPD apps that will never run a Kafka consumer. Each subscription has
// its own consumer group, so it receives every event of its types in order per key and resumes
// where it stopped. Every instance knows every subscription (the state layer) and runs a member
// of each active one's group: the group splits the partitions between the live instances, and
// when one dies Kafka hands its partitions to the others. Deliveries are signed per the Standard
// Webhooks specification (`webhook-id` from the event's source and id), retried with exponential
// backoff and full jitter, and deduplicated by source and id, on the durable consumer.
// An event that cannot be delivered (refused by the receiver, or its attempts spent) is parked
// in the subscription's own dead letters and the subscription goes on with the next event: one
// poisoned event never stops a subscription.
import { Webhook } from 'standardwebhooks';
import type { Logger } from 'pino';
import { DurableConsumer, type ConsumerHandler } from '../bus/durable-consumer.js';
import type { EventBus } from '../bus/event-bus.js';
import { topicForType, type CloudEvent } from '../events/cloudevent.js';
import { webhookMessageId } from '../events/event-key.js';
import { parseJson, stringifyJson } from '../events/json.js';
import { HubError } from '../errors/catalogue.js';
import type { ClientRegistry } from '../security/clients.js';
import { recordHubCall, type AuditRecorder } from '../security/audit/hub-call.js';
import { maskEvent, type EventTypes } from '../security/masking.js';
import { holds } from '../security/rights.js';
import type { DeliveryLog } from './delivery-log.js';
import type { DeliveryReporter } from '../deliveries/delivery-tracking.js';
import type { Subscription, SubscriptionStore } from './subscription-store.js';
import { TargetRefused, type TargetPolicy } from './target-guard.js';
import { WebhookTransport } from './webhook-transport.js';

export interface DispatcherOptions extends TargetPolicy {
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
}

/** The most a delivery waits between attempts. */
const backoffCapMs = 60_000;

/** A delivery that no retry can make succeed: the event is parked at once. */
export class Undeliverable extends Error {}

export class WebhookDispatcher {
  /** One durable consumer per attached subscription. */
  private readonly consumers = new Map<string, DurableConsumer>();

  /** Deliveries go only where the SSRF guard permits (target-guard.ts). */
  readonly transport: WebhookTransport;

  /** Each subscription's latest reconciliation, so changes to one are applied in order. */
  private readonly syncing = new Map<string, Promise<void>>();
  private stopListening: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: { bus: EventBus; store: SubscriptionStore; log: DeliveryLog; clients: ClientRegistry; types: EventTypes; audit?: AuditRecorder; topicPrefix: string; logger: Logger; options: DispatcherOptions; reporter?: DeliveryReporter }) {
    this.transport = new WebhookTransport(deps.options, deps.options.timeoutMs);
    if (deps.options.allowLoopback) deps.logger.warn('webhooks.allowLoopback is on: webhook receivers on this machine are accepted (tests and local development only)');
  }

  /** Joins every active subscription's group, and follows subscriptions made, paused, resumed or deleted on any instance. */
  async start(): Promise<void> {
    this.stopListening = this.deps.store.onChange((id) => void this.sync(id));
    await Promise.all(this.deps.store.list().map((s) => this.sync(s.id)));
  }

  /**
   * Brings this instance's consumer of one subscription in line with the state: a member of its
   * groups while it is active, none while it is paused or deleted. Resolves once that holds.
   */
  sync(id: string): Promise<void> {
    const next = (this.syncing.get(id) ?? Promise.resolve()).then(async () => {
      const subscription = this.deps.store.get(id);
      if (subscription?.status === 'active' && !this.stopped) await this.attach(subscription);
      else await this.detach(id);
    }).catch((error: unknown) => this.deps.logger.error({ subscription: id, err: error }, 'could not start or stop a subscription\'s consumer on this instance'));
    this.syncing.set(id, next);
    void next.then(() => {
      if (this.syncing.get(id) === next) this.syncing.delete(id);
    });
    return next;
  }

  private async attach(subscription: Subscription): Promise<void> {
    if (this.consumers.has(subscription.id)) return;
    try {
      this.deps.store.secretOf(subscription.id);
    } catch (error) {
      // This instance could sign nothing for it: it stays out of the group and the others deliver.
      this.deps.logger.error({ subscription: subscription.id, err: error }, 'webhook secret does not open here (webhooks.secretKeyFile differs between instances?): not delivering this subscription from this instance');
      return;
    }
    const consumer = new DurableConsumer(this.deliveries(subscription), {
      attempts: this.deps.options.attempts,
      baseMs: this.deps.options.backoffMs,
      capMs: backoffCapMs,
      retryable: (error) => !(error instanceof Undeliverable) && !(error instanceof TargetRefused),
    });
    this.consumers.set(subscription.id, consumer);
    try {
      await this.join(consumer, subscription);
    } catch (error) {
      // Not half a member: the next change to the subscription (or restart) tries again.
      await this.detach(subscription.id);
      throw error;
    }
  }

  private async join(consumer: DurableConsumer, subscription: Subscription): Promise<void> {
    for (const topic of new Set(subscription.types.map((type) => topicForType(this.deps.topicPrefix, type)))) {
      // One group per topic (a kafkajs group whose members subscribe to different topics loses
      // partitions). A partition without a committed offset starts at the oldest record, never at
      // "latest": kafkajs would give it to a new owner at the end of the topic, skipping what was
      // published since its previous owner last committed. What was published before the
      // subscription was made is passed over (accepts), and so committed.
      await consumer.subscribe(this.deps.bus, { groupId: `${this.deps.topicPrefix}.webhook.${subscription.id}.${topic}`, topic, start: { from: 'earliest' } });
    }
  }

  /** Stops delivering here (a retry pause is cut short); what was not delivered stays for a resumption. */
  private async detach(id: string): Promise<void> {
    const consumer = this.consumers.get(id);
    this.consumers.delete(id);
    await consumer?.stop();
  }

  /** Holds deliveries on every instance until resumed; events published meanwhile wait in the bus. */
  async pause(id: string, reason: string): Promise<void> {
    await this.deps.store.setStatus(id, 'paused', reason);
    await this.sync(id);
  }

  async resume(id: string): Promise<void> {
    await this.deps.store.setStatus(id, 'active', null);
    await this.sync(id);
  }

  /** Deletes the subscription everywhere; this instance's consumer is stopped when it resolves. */
  async remove(id: string): Promise<void> {
    await this.deps.store.remove(id);
    await this.sync(id);
  }

  /**
   * Sends a dead letter again, once, as the client may see it now: it must still hold the right
   * to the type, and the parked copy is masked again to its current clearance (masking only
   * ever hides more). Answers whether the receiver took it.
   */
  async replay(subscription: Subscription, letterId: number): Promise<{ delivered: boolean; error: string | null }> {
    const letter = this.deps.log.deadLetter(subscription.id, letterId);
    if (!letter) throw new HubError('entity-not-found', `no dead letter ${letterId} in subscription ${subscription.id}`);
    if (letter.replayed_at !== null) return { delivered: true, error: null };
    const client = this.deps.clients.get(subscription.client_id);
    if (!client || !holds(client, `events:subscribe:${letter.type}`)) return { delivered: false, error: `client ${subscription.client_id} no longer receives ${letter.type}` };
    const parked = parseJson(letter.payload) as CloudEvent;
    if (parked.specversion === undefined) return { delivered: false, error: 'parked without its event (its client was gone then): nothing to send' };
    try {
      await this.send(subscription, {
        event: { id: letter.event_id, source: String(parked.source), penghubungclient: parked.penghubungclient },
        payload: () => stringifyJson(maskEvent(parked, client.clearance, this.deps.types)),
        attempt: letter.attempts + 1,
      });
    } catch (error) {
      return { delivered: false, error: (error as Error).message };
    }
    this.deps.log.markReplayed(letter.id);
    return { delivered: true, error: null };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    await Promise.allSettled([...this.syncing.values()]);
    await Promise.allSettled([...this.consumers.keys()].map((id) => this.detach(id)));
    this.transport.close();
  }

  /** One subscription's deliveries: its events, deduplicated, signed, retried, parked when they cannot go. */
  private deliveries(subscription: Subscription): ConsumerHandler {
    const { log } = this.deps;
    const createdAt = Date.parse(subscription.created_at);
    const target = { kind: 'webhook', subscription: subscription.id } as const;
    const payloadFor = (event: CloudEvent): string => {
      const client = this.deps.clients.get(subscription.client_id);
      if (!client) throw new Undeliverable(`client ${subscription.client_id} no longer exists`);
      return stringifyJson(maskEvent(event, client.clearance, this.deps.types));
    };
    return {
      // A client loses what its rights no longer cover, from that moment on; a subscription gets what was published from its creation on.
      accepts: ({ event, timestamp }) => {
        const client = this.deps.clients.get(subscription.client_id);
        return timestamp >= createdAt && matches(subscription, event.type, event.subject, event.source) && client !== undefined && holds(client, `events:subscribe:${event.type}`);
      },
      seen: ({ event }) => log.wasDelivered(subscription.id, webhookMessageId(event)),
      handle: async ({ event, headers }, attempt) => {
        await this.send(subscription, { event, payload: () => payloadFor(event), attempt, correlationId: headers['correlation-id'] });
        this.deps.reporter?.report(event, target, 'delivered', { attempts: attempt });
      },
      retrying: ({ event }, error, attempt) => this.deps.reporter?.report(event, target, 'retrying', { attempts: attempt, reason: (error as Error).message }),
      park: async ({ event }, failure) => {
        const reason = failure.why === 'refused' ? `not deliverable: ${(failure.error as Error).message}` : `not accepted after ${failure.attempts} attempts: ${(failure.error as Error).message}`;
        let payload: string;
        try {
          payload = payloadFor(event);
        } catch {
          payload = stringifyJson({ id: event.id, type: event.type });
        }
        log.park({ subscription_id: subscription.id, event_id: event.id, type: event.type, reason, attempts: failure.attempts, parked_at: new Date().toISOString(), payload });
        this.deps.reporter?.report(event, target, 'dead-lettered', { attempts: failure.attempts, reason });
        this.deps.logger.warn({ subscription: subscription.id, eventId: event.id, attempts: failure.attempts }, `webhook delivery parked in the subscription's dead letters; going on with the next event: ${reason}`);
      },
    };
  }

  /** One POST to a subscription's receiver, recorded as an attempt and audited; throws unless 2xx. */
  private async send(subscription: Subscription, delivery: { event: { id: string; source: string; penghubungclient?: unknown }; payload: () => string; attempt: number; correlationId?: string }): Promise<void> {
    const { event, attempt } = delivery;
    const { store, log } = this.deps;
    const messageId = webhookMessageId(event);
    const started = performance.now();
    // Each attempt is the hub sending data on the subscriber's behalf: audited, without the body.
    const audited = { operation: 'webhook:deliver', connector: null, method: 'POST', route: '/v1/subscriptions/:id', trigger: event, onBehalfOf: subscription.client_id, correlationId: delivery.correlationId };
    const timestamp = new Date();
    let status: number | null = null;
    try {
      const payload = delivery.payload();
      status = await this.transport.post(subscription.url, {
        'content-type': 'application/json',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': new Webhook(store.secretOf(subscription.id)!).sign(messageId, timestamp, payload),
      }, payload);
      if (status >= 200 && status < 300) {
        log.record({ subscription_id: subscription.id, event_id: event.id, attempt, outcome: 'delivered', http_status: status, error: null, duration_ms: performance.now() - started, at: timestamp.toISOString() }, messageId);
        recordHubCall(this.deps.audit, audited, { status, outcome: 'ok', latencyMs: performance.now() - started });
        return;
      }
      if (status >= 300 && status < 400) throw new Error(`HTTP ${status} (redirects are not followed)`);
      // The receiver refused this event; only a timeout, a conflict or its rate limit may pass.
      if (status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status)) throw new Undeliverable(`HTTP ${status}`);
      throw new Error(`HTTP ${status}`);
    } catch (error) {
      const refused = error instanceof TargetRefused || error instanceof Undeliverable;
      recordHubCall(this.deps.audit, audited, { status: status ?? 0, outcome: refused ? 'refused' : 'error', latencyMs: performance.now() - started });
      log.record({ subscription_id: subscription.id, event_id: event.id, attempt, outcome: 'failed', http_status: status, error: (error as Error).message, duration_ms: performance.now() - started, at: timestamp.toISOString() }, messageId);
      throw error;
    }
  }
}

export function matches(subscription: Pick<Subscription, 'types' | 'filter'>, type: string, subject: string | undefined, source: string): boolean {
  if (!subscription.types.includes(type)) return false;
  if (subscription.filter.subject !== undefined && subscription.filter.subject !== subject) return false;
  if (subscription.filter.connector !== undefined && !source.startsWith(`/connectors/${subscription.filter.connector}/`)) return false;
  return true;
}
