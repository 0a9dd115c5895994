// POST /v1/connectors/{id}/operations/{op}/poll: an operator runs one poll now (after fixing
// an upstream credential, or to see a change without waiting for the interval). The answer is
// the run's outcome, also when the poll itself failed (its `error` says why); 409 while the
// operation is being polled already. Any instance answers: one that does not lead the poller
// has the leader run it (poll-coordination.ts), and `leader` names the instance that polled.
import { Router } from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import { requireOperator } from '../security/authorize.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { PollCoordination } from './poll-coordination.js';
import type { Poller } from './poller.js';

export function pollRoutes(runtimes: ConnectorRuntime[], pollers: Map<string, Poller>, coordination: PollCoordination): Router {
  const router = Router();
  router.post('/v1/connectors/:id/operations/:operation/poll', requireOperator, async (req, res) => {
    const id = req.params.id as string;
    const operation = req.params.operation as string;
    if (!runtimes.some((r) => r.id === id)) throw new HubError('connector-not-found', `no connector ${id}; see /v1/connectors`);
    const poller = pollers.get(`${id}:${operation}`);
    if (!poller) throw new HubError('route-not-found', `${id} has no polled operation ${operation}; see GET /v1/connectors/${id} for its polls`);
    const outcome = await coordination.pollNow(poller);
    sendJson(res, 200, { connector: id, operation, leader: coordination.lastRun(poller)?.leader ?? null, ...outcome });
  });
  return router;
}
