// inOrder: several middleware as one express layer behave as they did as layers of their own.
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { inOrder } from '../../src/gateway/in-order.js';

const servers: ReturnType<express.Express['listen']>[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** GET /x through `handlers` in one layer, then a route answering the steps seen; errors answer 500 with their message. */
async function answer(handlers: RequestHandler[]): Promise<{ status: number; body: string }> {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.steps = [];
    next();
  });
  app.use(inOrder(handlers));
  app.get('/x', (_req, res) => void res.send(`route after ${(res.locals.steps as string[]).join(',')}`));
  app.use(((error: Error, _req, res, _next) => void res.status(500).send(`error ${error.message}`)) as ErrorRequestHandler);
  const server = await new Promise<ReturnType<express.Express['listen']>>((ok) => {
    const listening = app.listen(0, '127.0.0.1', () => ok(listening));
  });
  servers.push(server);
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
  return { status: response.status, body: await response.text() };
}

const step =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    (res.locals.steps as string[]).push(name);
    next();
  };

describe('inOrder', () => {
  it('runs every middleware in order, then the next layer', async () => {
    expect(await answer([step('a'), step('b'), step('c')])).toEqual({ status: 200, body: 'route after a,b,c' });
    expect(await answer([])).toEqual({ status: 200, body: 'route after ' });
  });

  it('hands a throw, an error passed on or a rejected promise to the error handlers and skips the rest', async () => {
    const never = step('never');
    const thrown: RequestHandler = () => {
      throw new Error('thrown');
    };
    const passed: RequestHandler = (_req, _res, next) => next(new Error('passed'));
    const rejected: RequestHandler = async () => {
      await Promise.resolve();
      throw new Error('rejected');
    };
    expect(await answer([step('a'), thrown, never])).toEqual({ status: 500, body: 'error thrown' });
    expect(await answer([passed, never])).toEqual({ status: 500, body: 'error passed' });
    expect(await answer([rejected, never])).toEqual({ status: 500, body: 'error rejected' });
    const rejectedWithoutReason: RequestHandler = () => Promise.reject(undefined);
    expect(await answer([rejectedWithoutReason, never])).toEqual({ status: 500, body: 'error Rejected promise' });
  });

  it('ends with a middleware that answers, and continues after one that calls next later', async () => {
    const answers: RequestHandler = (_req, res) => void res.status(204).end();
    const later: RequestHandler = (_req, res, next) => {
      setImmediate(() => {
        (res.locals.steps as string[]).push('later');
        next();
      });
    };
    expect(await answer([step('a'), answers, step('never')])).toEqual({ status: 204, body: '' });
    expect(await answer([later, step('b')])).toEqual({ status: 200, body: 'route after later,b' });
  });

  it("treats next('route') as next(), as express does for a middleware", async () => {
    const skipRoute: RequestHandler = (_req, _res, next) => next('route');
    expect(await answer([skipRoute, step('b')])).toEqual({ status: 200, body: 'route after b' });
  });
});
