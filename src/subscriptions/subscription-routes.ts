// Webhook subscriptions and durable pull cursors, for OPD apps that cannot consume Kafka.
// A client manages its own subscriptions (operators see all) and may subscribe only to event
// types its rights cover; what it receives is masked to its clearance.
import { Router, type Response } from 'express';
import { HubError } from '../errors/catalogue.js';
import { assertPublicType } from '../events/reserved-types.js';
import { jsonBody } from '../http/json-body.js';
import { assertRight, clientOf, requireRight } from '../security/authorize.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import type { DeliveryLog, SubscriptionHealth } from './delivery-log.js';
import type { Subscription, SubscriptionStore } from './subscription-store.js';

const manage = requireRight('subscriptions:manage');
const typePattern = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

export function subscriptionRoutes(store: SubscriptionStore, log: DeliveryLog, dispatcher: WebhookDispatcher): Router {
  const router = Router();
  const own = (res: Response, id: string): Subscription => {
    const client = clientOf(res);
    const subscription = store.get(id);
    if (!subscription || (subscription.client_id !== client.id && client.role !== 'operator')) throw new HubError('entity-not-found', `no subscription ${id} of yours`);
    return subscription;
  };

  router.post('/v1/subscriptions', manage, ...jsonBody(16 * 1024, ['application/json']), async (req, res) => {
    const body = (req.body ?? {}) as { types?: unknown; filter?: unknown; url?: unknown; secret?: unknown };
    const types = Array.isArray(body.types) ? body.types : [];
    if (types.length === 0 || types.length > 20 || !types.every((t): t is string => typeof t === 'string' && typePattern.test(t))) {
      throw new HubError('request-invalid', 'types: one to twenty event types', { errors: [{ pointer: '/types', message: 'one to twenty event types, e.g. pengaduan.diterima' }] });
    }
    types.forEach((type, index) => assertPublicType(type, `/types/${index}`));
    for (const type of types) assertRight(res, `events:subscribe:${type}`);
    const url = typeof body.url === 'string' ? body.url : '';
    if (!/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(url)) throw new HubError('request-invalid', 'url: an http or https URL', { errors: [{ pointer: '/url', message: 'must be an http(s) URL' }] });
    await dispatcher.transport.guard.assertTarget(url);
    const filter = (body.filter ?? {}) as Record<string, unknown>;
    if (typeof filter !== 'object' || Object.keys(filter).some((key) => !['subject', 'connector'].includes(key) || typeof filter[key] !== 'string')) {
      throw new HubError('request-invalid', 'filter: {subject?, connector?} as text', { errors: [{ pointer: '/filter', message: 'only subject and connector, as text' }] });
    }
    if (body.secret !== undefined && (typeof body.secret !== 'string' || !/^whsec_[A-Za-z0-9+/=]{24,}$/.test(body.secret))) {
      throw new HubError('request-invalid', 'secret: whsec_ and base64, or leave it out and the hub makes one', { errors: [{ pointer: '/secret', message: 'whsec_<base64>' }] });
    }
    const { subscription, secret } = await store.create({ clientId: clientOf(res).id, types, filter: filter as Subscription['filter'], url, ...(typeof body.secret === 'string' ? { secret: body.secret } : {}) });
    await dispatcher.sync(subscription.id);
    res.status(201).json({ subscription, secret, note: 'Verify deliveries with this secret (Standard Webhooks); it is not shown again.' });
  });
  // Each subscription with its health: active, failing (its latest attempt did not deliver) or paused.
  router.get('/v1/subscriptions', manage, (_req, res) => {
    const client = clientOf(res);
    const listed = store.list(client.role === 'operator' ? undefined : client.id);
    const health = log.health(listed);
    res.json({ subscriptions: listed.map((s, index) => withHealth(s, health[index])) });
  });
  router.get('/v1/subscriptions/:id', manage, (req, res) => {
    const subscription = own(res, req.params.id as string);
    res.json(withHealth(subscription, log.health([subscription])[0]));
  });
  router.delete('/v1/subscriptions/:id', manage, async (req, res) => {
    const subscription = own(res, req.params.id as string);
    await dispatcher.remove(subscription.id);
    res.status(204).end();
  });
  router.post('/v1/subscriptions/:id/resume', manage, async (req, res) => {
    const subscription = own(res, req.params.id as string);
    await dispatcher.resume(subscription.id);
    res.json(store.get(subscription.id));
  });
  router.post('/v1/subscriptions/:id/pause', manage, async (req, res) => {
    const subscription = own(res, req.params.id as string);
    await dispatcher.pause(subscription.id, `paused by ${clientOf(res).id}`);
    res.json(store.get(subscription.id));
  });
  // Events the subscription could not deliver, parked so it went on with the next.
  router.get('/v1/subscriptions/:id/dead-letters', manage, (req, res) => {
    const subscription = own(res, req.params.id as string);
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    res.json({ dead_letters: log.deadLetters(subscription.id, limit) });
  });
  // Sends one dead letter again, once (after the receiver was fixed); answers whether it was taken.
  router.post('/v1/subscriptions/:id/dead-letters/:letter/replay', manage, async (req, res) => {
    const subscription = own(res, req.params.id as string);
    const letter = Number(req.params.letter);
    if (!Number.isSafeInteger(letter) || letter < 1) throw new HubError('entity-not-found', `no dead letter ${String(req.params.letter)}`);
    res.json(await dispatcher.replay(subscription, letter));
  });
  router.get('/v1/subscriptions/:id/deliveries', manage, (req, res) => {
    const subscription = own(res, req.params.id as string);
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    res.json({ deliveries: log.attempts(subscription.id, limit) });
  });
  return router;
}

export function withHealth(subscription: Subscription, health: Omit<SubscriptionHealth, 'id'> | undefined): Subscription & { health: Omit<SubscriptionHealth, 'id' | 'client_id' | 'paused_reason'> } {
  const { state, dead_letters, last_error, last_attempt_at, last_outcome, last_http_status } = health ?? { state: subscription.status, dead_letters: 0, last_error: null, last_attempt_at: null, last_outcome: null, last_http_status: null };
  return { ...subscription, health: { state, dead_letters, last_error, last_attempt_at, last_outcome, last_http_status } };
}
