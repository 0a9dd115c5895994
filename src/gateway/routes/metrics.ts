// GET /metrics: the Prometheus exposition of the hub's registry. It names clients and routes,
// so it needs credentials unless `security.metricsPublic` says otherwise.
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { assertRight, clientOf } from '../../security/authorize.js';

/** A Prometheus scraper needs no operator role: a client with `metrics:read` will do. */
const metricsReader: RequestHandler = (_req, res, next) => {
  if (clientOf(res).role !== 'operator') assertRight(res, 'metrics:read');
  next();
};

export function metricsRoutes(registry: Registry, isPublic: boolean): Router {
  const router = Router();
  router.get('/metrics', ...(isPublic ? [] : [metricsReader]), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
