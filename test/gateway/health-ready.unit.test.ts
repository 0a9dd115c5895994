// Readiness is honest about start: a load balancer or a test that waits for 200 must not send
// traffic while consumers, pollers and flows are still starting (a fault then crashes the start).
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expect, it } from 'vitest';
import type { EventBus } from '../../src/bus/event-bus.js';
import { healthRoutes } from '../../src/gateway/routes/health.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import type { OutboxRelay } from '../../src/outbox/relay.js';

it('answers 503 starting until the hub has started, then 200', async () => {
  let starting = true;
  const outbox = { writable: () => true, backlog: () => ({ count: 0, oldestAcceptedAt: null }) } as unknown as Outbox;
  const bus = { kind: 'embedded', healthy: async () => true } as unknown as EventBus;
  const app = express().use(healthRoutes({ bus, outbox, relay: { lastAttemptFailed: false } as OutboxRelay, isShuttingDown: () => false, isStarting: () => starting }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ready) => server.once('listening', ready));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`;
  try {
    const before = await fetch(url);
    expect(before.status).toBe(503);
    expect(((await before.json()) as { status: string }).status).toBe('starting');
    starting = false;
    const after = await fetch(url);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { status: string }).status).toBe('up');
  } finally {
    server.close();
  }
});
