// Query operations: request-reply through the gateway. Input (path, query and body) is checked
// against the operation's input schema, the upstream is called, and the mapped answer is checked
// against the canonical output schema before it is returned.
import { Router, type Request } from 'express';
import { HubError } from '../errors/catalogue.js';
import { sendJson } from '../http/send-json.js';
import { jsonBody } from '../http/json-body.js';
import { ajv, registerSchemas, schemaErrors } from '../schemas.js';
import { clientOf, requireRight } from '../security/authorize.js';
import { maskEntity } from '../security/masking.js';
import { assertCanonical } from './canonical.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { QueryOperation } from './manifest.js';
import { toHubError } from './problems.js';

/** `/v1/penduduk/{nik}` → `/v1/penduduk/:nik` */
export const expressPath = (path: string): string => path.replace(/\{([a-z_]+)\}/g, ':$1');

export function queryRoutes(runtimes: ConnectorRuntime[], bodyLimitBytes: number): Router {
  const router = Router();
  registerSchemas();
  for (const runtime of runtimes) {
    for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
      if (operation.kind !== 'query') continue;
      const handler = runtime.loaded.definition.queries![operationId]!;
      const validateInput = ajv.compile(operation.input);
      const method = operation.http.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const bodyParsers = method === 'get' || method === 'delete' ? [] : jsonBody(bodyLimitBytes, ['application/json']);
      router[method](expressPath(operation.http.path), requireRight(`${runtime.id}:${operationId}`), ...bodyParsers, async (req, res) => {
        const input = inputOf(req, operation);
        if (!validateInput(input)) throw new HubError('request-invalid', `the input of ${runtime.id}:${operationId} is invalid`, { errors: schemaErrors('', validateInput.errors) });
        let answer: unknown;
        try {
          answer = await runtime.call(operationId, handler.request(input, runtime.context), (response) => handler.response(response, input, runtime.context), { idempotent: operation.idempotent });
        } catch (error) {
          throw toHubError(error);
        }
        assertCanonical(operation.output, answer, 'upstream-bad-response');
        sendJson(res, 200, maskEntity(operation.output, answer, clientOf(res).clearance));
      });
    }
  }
  return router;
}

function inputOf(req: Request, operation: QueryOperation): Record<string, unknown> {
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  if (operation.http.method !== 'GET' && req.body !== undefined && (typeof req.body !== 'object' || Array.isArray(req.body))) {
    throw new HubError('request-invalid', 'the body must be a JSON object', { errors: [{ pointer: '', message: 'must be object' }] });
  }
  return { ...(operation.http.method === 'GET' ? req.query : {}), ...body, ...req.params };
}
