// Liveness says the process answers; readiness says it has finished starting and can accept
// events (the outbox is writable), and reports the bus and the backlog. A bus outage alone
// keeps the hub ready: events wait in the outbox, which is the point of having one.
import { Router } from 'express';
import type { EventBus } from '../../bus/event-bus.js';
import type { Outbox } from '../../outbox/outbox.js';
import type { OutboxRelay } from '../../outbox/relay.js';

export function healthRoutes(deps: { bus: EventBus; outbox: Outbox; relay: OutboxRelay; isShuttingDown: () => boolean; isStarting: () => boolean }): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'up' });
  });
  router.get('/health/ready', async (_req, res) => {
    const outboxWritable = deps.outbox.writable();
    const busUp = await deps.bus.healthy();
    const backlog = deps.outbox.backlog();
    const starting = deps.isStarting();
    const ready = outboxWritable && !starting && !deps.isShuttingDown();
    res.status(ready ? 200 : 503).json({
      status: starting ? 'starting' : !ready ? 'down' : busUp && !deps.relay.lastAttemptFailed ? 'up' : 'degraded',
      checks: {
        outbox: { status: outboxWritable ? 'up' : 'down', backlog: backlog.count, oldest_pending_at: backlog.oldestAcceptedAt === null ? null : new Date(backlog.oldestAcceptedAt).toISOString() },
        bus: { status: busUp ? 'up' : 'down', kind: deps.bus.kind },
      },
    });
  });
  return router;
}
