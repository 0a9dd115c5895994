// Webhook deliveries for OPD apps that will never run a Kafka consumer. Each subscription has
// its own consumer group, so it receives every event of its types in order per key and resumes
// where it stopped. Deliveries are signed per the Standard Webhooks specification, retried with
// exponential backoff and full jitter, and deduplicated by event id. After the configured
// attempts the subscription is paused on that event (its offset is not committed), so resuming
// it delivers that event first and nothing is skipped or reordered.
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import type { Logger } from 'pino';
import type { BusRecord, EventBus, Subscription as BusSubscription } from '../bus/event-bus.js';
import { topicForType } from '../events/cloudevent.js';
import { stringifyJson } from '../events/json.js';
import type { ClientRegistry } from '../security/clients.js';
import { recordHubCall, type AuditRecorder } from '../security/audit/hub-call.js';
import { maskEvent, type EventTypes } from '../security/masking.js';
import { holds } from '../security/rights.js';
import type { Subscription, SubscriptionStore } from './subscription-store.js';
import { TargetRefused, type TargetPolicy } from './target-guard.js';
import { WebhookTransport } from './webhook-transport.js';

export interface DispatcherOptions extends TargetPolicy {
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
}

export class WebhookDispatcher {
  private readonly consumers = new Map<string, BusSubscription[]>();
  /** Cuts a retry pause short when a subscription is detached (pause, delete, shutdown). */
  private readonly aborts = new Map<string, AbortController>();

  /** Deliveries go only where the SSRF guard permits (target-guard.ts). */
  readonly transport: WebhookTransport;

  constructor(private readonly deps: { bus: EventBus; store: SubscriptionStore; clients: ClientRegistry; types: EventTypes; audit?: AuditRecorder; topicPrefix: string; logger: Logger; options: DispatcherOptions }) {
    this.transport = new WebhookTransport(deps.options, deps.options.timeoutMs);
  }

  async start(): Promise<void> {
    for (const subscription of this.deps.store.list()) if (subscription.status === 'active') await this.attach(subscription);
  }

  async attach(subscription: Subscription): Promise<void> {
    if (this.consumers.has(subscription.id)) return;
    const topics = [...new Set(subscription.types.map((type) => topicForType(this.deps.topicPrefix, type)))];
    const consumers: BusSubscription[] = [];
    this.consumers.set(subscription.id, consumers);
    this.aborts.set(subscription.id, new AbortController());
    for (const topic of topics) {
      // One group per topic (a kafkajs group whose members subscribe to different topics loses
      // partitions); a new subscription starts with what is published from now on.
      consumers.push(await this.deps.bus.subscribe({ groupId: `${this.deps.topicPrefix}.webhook.${subscription.id}.${topic}`, topic, start: { from: 'latest' }, handler: (record) => this.deliver(subscription, record) }));
    }
  }

  async detach(id: string): Promise<void> {
    const consumers = this.consumers.get(id) ?? [];
    this.consumers.delete(id);
    this.aborts.get(id)?.abort();
    this.aborts.delete(id);
    await Promise.allSettled(consumers.map((c) => c.close()));
  }

  async resume(id: string): Promise<void> {
    const subscription = this.deps.store.get(id);
    if (!subscription) return;
    this.deps.store.setStatus(id, 'active', null);
    await this.attach({ ...subscription, status: 'active' });
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.consumers.keys()].map((id) => this.detach(id)));
    this.transport.close();
  }

  private async deliver(subscription: Subscription, record: BusRecord): Promise<void> {
    const { event } = record;
    if (!matches(subscription, event.type, event.subject, event.source)) return;
    if (!this.consumers.has(subscription.id)) throw new Error('subscription detached; the event stays for its resumption');
    if (this.deps.store.wasDelivered(subscription.id, event.id)) return;
    const client = this.deps.clients.get(subscription.client_id);
    // A client loses what its rights no longer cover, from that moment on.
    if (!client || !holds(client, `events:subscribe:${event.type}`)) return;

    const payload = stringifyJson(maskEvent(event, client.clearance, this.deps.types));
    const webhook = new Webhook(this.deps.store.secretOf(subscription.id)!);
    const { attempts, backoffMs } = this.deps.options;
    // Each attempt is the hub sending data on the subscriber's behalf: audited, without the body.
    const audited = { operation: 'webhook:deliver', connector: null, method: 'POST', route: '/v1/subscriptions/:id', trigger: event, onBehalfOf: client.id, correlationId: record.headers['correlation-id'] };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = performance.now();
      const timestamp = new Date();
      let status: number | null = null;
      let error: string;
      let refused = false;
      try {
        status = await this.transport.post(subscription.url, {
          'content-type': 'application/json',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': webhook.sign(event.id, timestamp, payload),
        }, payload);
        if (status >= 200 && status < 300) {
          this.deps.store.record({ subscription_id: subscription.id, event_id: event.id, attempt, outcome: 'delivered', http_status: status, error: null, duration_ms: performance.now() - started, at: timestamp.toISOString() });
          recordHubCall(this.deps.audit, audited, { status, outcome: 'ok', latencyMs: performance.now() - started });
          return;
        }
        error = status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
      } catch (failure) {
        error = (failure as Error).message;
        refused = failure instanceof TargetRefused;
      }
      const last = attempt === attempts || refused;
      recordHubCall(this.deps.audit, audited, { status: status ?? 0, outcome: refused ? 'refused' : 'error', latencyMs: performance.now() - started });
      this.deps.store.record({ subscription_id: subscription.id, event_id: event.id, attempt, outcome: last ? 'dead' : 'failed', http_status: status, error, duration_ms: performance.now() - started, at: timestamp.toISOString() });
      if (!last) {
        const abort = this.aborts.get(subscription.id);
        if (!abort || abort.signal.aborted) throw new Error('subscription detached; the event stays for its resumption');
        await sleep(Math.random() * Math.min(60_000, backoffMs * 2 ** (attempt - 1)), undefined, { signal: abort.signal }).catch(() => undefined);
        if (abort.signal.aborted) throw new Error('subscription detached; the event stays for its resumption');
      }
    }
    const reason = `event ${event.id} was not accepted after ${attempts} attempts`;
    this.deps.store.setStatus(subscription.id, 'paused', reason);
    this.deps.logger.warn({ subscription: subscription.id, eventId: event.id }, `webhook subscription paused: ${reason}`);
    void this.detach(subscription.id);
    throw new Error(reason);
  }
}

export function matches(subscription: Pick<Subscription, 'types' | 'filter'>, type: string, subject: string | undefined, source: string): boolean {
  if (!subscription.types.includes(type)) return false;
  if (subscription.filter.subject !== undefined && subscription.filter.subject !== subject) return false;
  if (subscription.filter.connector !== undefined && !source.startsWith(`/connectors/${subscription.filter.connector}/`)) return false;
  return true;
}
