// What answers when no route took the request: 405 with Allow when the path is documented but
// not for this method (the methods come from /openapi.json, the same table the query checks
// use), 404 when the path is not one of the hub's.
import type { RequestHandler } from 'express';
import { HubError } from '../errors/catalogue.js';
import { OpenApiRouteTable } from './openapi-route-table.js';

export function unmatchedRoute(document: () => object): RequestHandler {
  return (req, res) => {
    const found = OpenApiRouteTable.of(document()).match(req.method, req.path);
    if (found && 'allowed' in found) {
      const allowed = found.allowed.join(', ');
      res.setHeader('Allow', allowed);
      throw new HubError('method-not-allowed', `${req.path} takes ${allowed}, not ${req.method}`);
    }
    throw new HubError('route-not-found', `no route for ${req.method} ${req.path}`);
  };
}
