// Express middleware that records every HTTP exchange in the audit log: the matched route
// pattern (never the URL), the client, the status, the latency, and SHA-256 digests of the
// request and response bytes as they pass (never the bodies). Mount it before the body
// parsers and routes. The operation comes from res.locals.auditOperation when something sets it
// (the right a route asserted, e.g. siak:cari-penduduk), else `operationOf`, else 'http'; the
// connector from res.locals.auditConnector, else the operation's prefix when it is one of
// `connectorIds`, else null.
import { createHash, type Hash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AuditInput, AuditOutcome } from './entry.js';
import { silentLogger, type AuditLogger } from './keys.js';

export interface AuditHttpOptions {
  /** Operation and connector of an exchange, when res.locals does not name them. */
  operationOf?: (req: Request, res: Response) => { operation: string; connector: string | null } | undefined;
  /** Connector ids: an operation `<id>:…` names its connector. */
  connectorIds?: Iterable<string>;
  /** Exchanges not to record. Default: health probes and metrics scrapes. */
  skip?: (req: Request) => boolean;
  /**
   * Reads folded into a summary row instead of one row each (the dashboard's own refreshes,
   * read-summary.ts): a GET or HEAD answered below 400 that `matches` goes to `add`.
   */
  fold?: { matches: (req: Request, res: Response) => boolean; add: (entry: AuditInput) => void };
  /** Where an entry that could not be recorded is reported (it never fails the request). */
  logger?: AuditLogger;
}

/** Health probes and metrics scrapes: the default of `skip`. */
export const isProbe = (req: Request): boolean => req.path.startsWith('/health/') || req.path === '/metrics';
const correlation = /^[\w.:-]{1,128}$/;
const notAPattern = /[?#\s]|\d{6,}/;

export function auditHttp(log: { record(entry: AuditInput): void }, options: AuditHttpOptions = {}): RequestHandler {
  const skip = options.skip ?? isProbe;
  const logger = options.logger ?? silentLogger;
  const connectors = new Set(options.connectorIds ?? []);
  return (req, res, next) => {
    if (skip(req)) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    let requestHash: Hash | undefined;
    let responseHash: Hash | undefined;

    // Bytes are hashed as they pass: the request's as the body parser reads them (its 'data'
    // events), the response's as the route writes them.
    const emit = req.emit;
    req.emit = function (this: Request, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'data') requestHash = feed(requestHash, args[0], undefined);
      return (emit as (event: string | symbol, ...args: unknown[]) => boolean).call(this, event, ...args);
    } as typeof req.emit;
    const write = res.write;
    res.write = function (this: Response, chunk: unknown, ...rest: unknown[]): boolean {
      responseHash = feed(responseHash, chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    const end = res.end;
    res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]): Response {
      responseHash = feed(responseHash, chunk, rest[0]);
      return (end as (...args: unknown[]) => Response).call(this, chunk, ...rest);
    } as typeof res.end;

    let recorded = false;
    const done = (): void => {
      if (recorded) return;
      recorded = true;
      const finished = res.writableFinished;
      const status = finished || res.headersSent ? res.statusCode : 0;
      const named = namedOperation(res, connectors) ?? options.operationOf?.(req, res) ?? { operation: 'http', connector: null };
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched';
      const correlationId = String(res.locals.correlationId ?? (req as { id?: unknown }).id ?? '');
      const client = res.locals.clientId;
      try {
        const fold = options.fold && (req.method === 'GET' || req.method === 'HEAD') && finished && status > 0 && status < 400 && options.fold.matches(req, res) ? options.fold : undefined;
        const entry: AuditInput = {
          client: typeof client === 'string' && client.length > 0 ? client.slice(0, 128) : null,
          operation: named.operation,
          connector: named.connector,
          method: req.method,
          route: notAPattern.test(route) || route.length > 256 ? 'unrecognised' : route,
          status,
          outcome: outcomeOf(status, finished),
          latency_ms: Number(process.hrtime.bigint() - started) / 1e6,
          correlation_id: correlation.test(correlationId) ? correlationId : 'none',
          request_digest: requestHash?.digest('hex') ?? null,
          response_digest: responseHash?.digest('hex') ?? null,
        };
        if (fold) fold.add(entry);
        else log.record(entry);
      } catch (error) {
        logger.error({ err: error, correlation_id: correlationId }, 'could not record an audit entry for this exchange');
      }
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}

function feed(hash: Hash | undefined, chunk: unknown, encoding: unknown): Hash | undefined {
  let bytes: Uint8Array;
  if (typeof chunk === 'string') bytes = Buffer.from(chunk, typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8');
  else if (chunk instanceof Uint8Array) bytes = chunk;
  else return hash;
  if (bytes.length === 0) return hash;
  return (hash ?? createHash('sha256')).update(bytes);
}

function namedOperation(res: Response, connectors: Set<string>): { operation: string; connector: string | null } | undefined {
  const operation = res.locals.auditOperation;
  if (typeof operation !== 'string') return undefined;
  const connector = res.locals.auditConnector;
  if (typeof connector === 'string') return { operation, connector };
  const prefix = operation.split(':')[0]!;
  return { operation, connector: connectors.has(prefix) ? prefix : null };
}

function outcomeOf(status: number, finished: boolean): AuditOutcome {
  if (!finished || status >= 500 || status === 0) return 'error';
  return status >= 400 ? 'refused' : 'ok';
}
