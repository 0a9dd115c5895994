// Flow status for operators: each flow, its instances, and each step's time and outcome. Step
// results carry personal data (a SIAK verification, a reporter's identity check), so an operator
// sees them masked to their own clearance like any client.
import { Router } from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import type { Classification } from '../domain/classification.js';
import { clientOf, requireOperator } from '../security/authorize.js';
import { maskEntity } from '../security/masking.js';
import type { FlowEngine } from './flow-engine.js';
import type { FlowStore, StepRecord } from './flow-store.js';

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
    const { clearance } = clientOf(res);
    sendJson(res, 200, { ...instance, steps: instance.steps.map((step) => maskStep(engine, instance.flow, step, clearance)) });
  });
  return router;
}

/** A step as an operator of `clearance` may see it: a query's answer masked by its schema, a computed value withheld below rahasia. */
function maskStep(engine: FlowEngine, flowId: string, step: StepRecord, clearance: Classification): StepRecord & { masked?: 'withheld' } {
  if (clearance === 'rahasia' || step.result === null || step.result === undefined) return step;
  const result = step.result as Record<string, unknown>;
  // A refusal names only the upstream's error code.
  if (typeof result === 'object' && Object.keys(result).length === 1 && typeof result.refused === 'string') return step;
  const kind = engine.stepResultOf(flowId, step.step);
  if (kind.kind === 'ids') return step;
  if (kind.kind === 'query') return { ...step, result: maskEntity(kind.schema, step.result, clearance) };
  return { ...step, result: null, masked: 'withheld' };
}
