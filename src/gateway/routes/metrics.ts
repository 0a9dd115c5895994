// GET /metrics: the Prometheus exposition of the hub's registry. It names clients and routes,
// so it needs credentials unless `security.metricsPublic` says otherwise.
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { assertRight, clientOf } from '../../security/authorize.js';

/** The right a Prometheus scraper needs instead of the operator role (GET /metrics is not in /openapi.json). */
export const METRICS_RIGHT = 'metrics:read';

const metricsReader: RequestHandler = (_req, res, next) => {
  if (clientOf(res).role !== 'operator') assertRight(res, METRICS_RIGHT);
  next();
};

export function metricsRoutes(registry: Registry, isPublic: boolean): Router {
  const router = Router();
  router.get('/metrics', ...(isPublic ? [] : [metricsReader]), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
