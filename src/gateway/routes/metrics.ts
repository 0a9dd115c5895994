// GET /metrics: the Prometheus exposition of the hub's registry.
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { requireOperator } from '../../security/authorize.js';

export function metricsRoutes(registry: Registry, isPublic: boolean): Router {
  const router = Router();
  router.get('/metrics', ...(isPublic ? [] : [requireOperator]), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
