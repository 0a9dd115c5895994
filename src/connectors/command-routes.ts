// Command operations: an OPD app posts a canonical entity (e.g. POST /v1/naskah-dinas), the
// gateway validates it against its schema and publishes it as an event; delivery to the
// upstream is the outbound operation's job.
import { Router } from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../events/json.js';
import { jsonBody } from '../gateway/json-body.js';
import { clientOf, requireRight } from '../security/authorize.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import { publishEntities, type PublishDeps } from './inbound.js';
import type { CommandOperation } from './manifest.js';

export function commandRoutes(runtimes: ConnectorRuntime[], deps: PublishDeps, options: { bodyLimitBytes: number }): Router {
  const router = Router();
  for (const runtime of runtimes) {
    for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
      if (operation.kind !== 'command') continue;
      router.post(operation.http.path, requireRight(`${runtime.id}:${operationId}`), ...jsonBody(options.bodyLimitBytes, ['application/json']), async (req, res) => {
        const entity: unknown = req.body;
        if (!entity || typeof entity !== 'object' || Array.isArray(entity)) throw new HubError('request-invalid', 'the body must be a JSON object', { errors: [{ pointer: '', message: 'must be object' }] });
        let published;
        try {
          published = await publishEntities({ runtime, operationId, operation: operation as CommandOperation }, [entity], deps, { 'correlation-id': res.locals.correlationId as string }, { sender: clientOf(res).id });
        } catch (error) {
          if (error instanceof HubError && error.code === 'upstream-bad-response') throw new HubError('request-invalid', `the body does not conform to ${operation.schema}`, { errors: (error.errors ?? []).map((e) => ({ ...e, pointer: e.pointer.replace(/^\/0/, '') })) });
          throw error;
        }
        const [result] = published;
        sendJson(res, 202, { id: result!.identity, event: { id: result!.eventId, type: result!.type, duplicate: result!.duplicate } });
      });
    }
  }
  return router;
}
