// Flow status for operators: each flow, its instances, and each step's time and outcome.
import { Router } from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import { requireOperator } from '../security/authorize.js';
import type { FlowEngine } from './flow-engine.js';
import type { FlowStore } from './flow-store.js';

export function flowRoutes(engine: FlowEngine, store: FlowStore): Router {
  const router = Router();
  router.get('/v1/flows', requireOperator, (_req, res) => {
    sendJson(res, 200, { flows: engine.definitions().map((f) => ({ id: f.id, name: f.name, description: f.description, trigger: f.trigger, steps: f.steps.map((s) => s.id), recent: store.instances(f.id, 5) })) });
  });
  router.get('/v1/flows/:id/instances', requireOperator, (req, res) => {
    const flow = engine.definitions().find((f) => f.id === req.params.id);
    if (!flow) throw new HubError('entity-not-found', `no flow ${req.params.id as string}`);
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 50) || 50));
    sendJson(res, 200, { instances: store.instances(flow.id, limit) });
  });
  router.get('/v1/flows/:id/instances/:instance', requireOperator, (req, res) => {
    const instance = store.instance(req.params.instance as string);
    if (!instance || instance.flow !== req.params.id) throw new HubError('entity-not-found', `no instance ${req.params.instance as string} of flow ${req.params.id as string}`);
    sendJson(res, 200, instance);
  });
  return router;
}
