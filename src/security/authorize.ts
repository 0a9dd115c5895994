// Authorisation: deny by default. Every protected route names the right it needs; a client
// without it gets 403 naming the missing right. Operators alone reach the admin API.
import type { Request, RequestHandler, Response } from 'express';
import { HubError } from '../errors/catalogue.js';
import type { Client } from './clients.js';
import { holds } from './rights.js';

export function clientOf(res: Response): Client {
  const client = res.locals.client as Client | undefined;
  if (!client) throw new HubError('unauthenticated', 'this route needs an authenticated client');
  return client;
}

/** What the audit names an exchange after: the right's first two parts (`siak:cari-penduduk`). */
const operationOf = (right: string): string => right.split(':').slice(0, 2).join(':');

/** Throws 403 unless the request's client holds `right`. */
export function assertRight(res: Response, right: string, operation = operationOf(right)): Client {
  res.locals.auditOperation ??= operation;
  const client = clientOf(res);
  if (!holds(client, right)) throw new HubError('forbidden', `client ${client.id} lacks the right ${right}`, { errors: [{ pointer: 'rights', message: `missing ${right}` }] });
  return client;
}

export function requireRight(right: string | ((req: Request) => string)): RequestHandler {
  if (typeof right === 'string') {
    // A fixed right: its audit operation worked out once, not on every request.
    const operation = operationOf(right);
    return (_req, res, next) => {
      assertRight(res, right, operation);
      next();
    };
  }
  return (req, res, next) => {
    assertRight(res, right(req));
    next();
  };
}

export const requireOperator: RequestHandler = (_req, res, next) => {
  const client = clientOf(res);
  if (client.role !== 'operator') throw new HubError('forbidden', `client ${client.id} is not an operator`, { errors: [{ pointer: 'role', message: 'operator role required' }] });
  next();
};
