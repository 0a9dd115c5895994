// Command operations: an OPD app posts a canonical entity (e.g. POST /v1/naskah-dinas), the
// gateway validates it against its schema and publishes it as an event; delivery to the
// upstream is the outbound operation's job.
import { Router } from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import { jsonBody } from '../http/json-body.js';
import { clientOf, requireRight } from '../security/authorize.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import { assertCanonical } from './canonical.js';
import { publishEntities, type PublishDeps } from './inbound.js';
import type { CommandOperation } from './manifest.js';
import type { OwnershipGuard } from './ownership.js';
import { ajv, schemaErrors } from '../schemas.js';

export function commandRoutes(runtimes: ConnectorRuntime[], deps: PublishDeps, options: { bodyLimitBytes: number; ownership: OwnershipGuard }): Router {
  const router = Router();
  for (const runtime of runtimes) {
    for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
      if (operation.kind !== 'command') continue;
      const accepts = operation.accepts ? ajv.compile(operation.accepts) : undefined;
      router.post(operation.http.path, requireRight(`${runtime.id}:${operationId}`), ...jsonBody(options.bodyLimitBytes, ['application/json']), async (req, res) => {
        const entity: unknown = req.body;
        if (!entity || typeof entity !== 'object' || Array.isArray(entity)) throw new HubError('request-invalid', 'the body must be a JSON object', { errors: [{ pointer: '', message: 'must be object' }] });
        assertCanonical(operation.schema, entity, 'request-invalid');
        if (accepts && !accepts(entity)) throw new HubError('request-invalid', `${runtime.id}:${operationId} accepts only ${String(operation.accepts!.description ?? 'some entities of its schema')}`, { errors: schemaErrors('', accepts.errors) });
        // Valid first, then whose: a malformed body is told what is wrong, not that it is not its own.
        options.ownership.check(clientOf(res), operation.eventType, entity, '');
        const published = await publishEntities({ runtime, operationId, operation: operation as CommandOperation }, [entity], deps, { 'correlation-id': res.locals.correlationId as string }, { validated: true, sender: clientOf(res).id });
        const [result] = published;
        sendJson(res, 202, { id: result!.identity, event: { id: result!.eventId, type: result!.type, duplicate: result!.duplicate } });
      });
    }
  }
  return router;
}
