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
import { sha256Hex } from '../sha256.js';
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

/** What an exchange being recorded has gathered so far, kept on its request and response. */
interface Exchange {
  started: bigint;
  requestHash: Hash | undefined;
  responseHash: Hash | undefined;
  /** The answer's digest when it went out in one piece (`end` with no `write` before it). */
  responseDigest: string | undefined;
}

const exchangeOf = Symbol('penghubung.audit.exchange');
type Audited = { [exchangeOf]?: Exchange };
/** Request and response prototypes (one pair per express app) whose bytes are hashed as they pass. */
const hooked = new WeakSet<object>();

export function auditHttp(log: { record(entry: AuditInput): void }, options: AuditHttpOptions = {}): RequestHandler {
  const skip = options.skip ?? isProbe;
  const logger = options.logger ?? silentLogger;
  const connectors = new Set(options.connectorIds ?? []);

  // One listener for every exchange: a response emits 'close' once, after 'finish' or when its
  // connection went first.
  function recordExchange(this: Response): void {
    recordOf(this, this.req as Request);
  }

  function recordOf(res: Response, req: Request): void {
    const exchange = (res as Audited)[exchangeOf]!;
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
        latency_ms: Number(process.hrtime.bigint() - exchange.started) / 1e6,
        correlation_id: correlation.test(correlationId) ? correlationId : 'none',
        request_digest: exchange.requestHash?.digest('hex') ?? null,
        response_digest: exchange.responseDigest ?? exchange.responseHash?.digest('hex') ?? null,
      };
      if (fold) fold.add(entry);
      else log.record(entry);
    } catch (error) {
      logger.error({ err: error, correlation_id: correlationId }, 'could not record an audit entry for this exchange');
    }
  }

  return (req, res, next) => {
    if (skip(req)) {
      next();
      return;
    }
    hookPrototypes(req, res);
    const exchange: Exchange = { started: process.hrtime.bigint(), requestHash: undefined, responseHash: undefined, responseDigest: undefined };
    (req as Audited)[exchangeOf] = exchange;
    (res as Audited)[exchangeOf] = exchange;
    // A response emits 'close' once: a plain listener, without the wrapper `once` makes per call.
    res.on('close', recordExchange);
    next();
  };
}

/**
 * Bytes are hashed as they pass: the request's as the body parser reads them (its 'data'
 * events), the response's as the route writes them. The hooks go once on the app's request and
 * response prototypes (express gives each app its own), not on every request, and only hash for
 * exchanges being recorded.
 */
function hookPrototypes(req: Request, res: Response): void {
  const requestPrototype = Object.getPrototypeOf(req) as Request;
  if (!hooked.has(requestPrototype)) {
    hooked.add(requestPrototype);
    const emit = requestPrototype.emit;
    // Every event of every request passes here: the arguments are handed on as they came, not
    // gathered into an array and spread again.
    requestPrototype.emit = function (this: Request & Audited, event: string | symbol, chunk?: unknown): boolean {
      if (event === 'data') {
        const exchange = this[exchangeOf];
        if (exchange) exchange.requestHash = feed(exchange.requestHash, chunk, undefined);
      }
      // eslint-disable-next-line prefer-rest-params
      return (emit as (...args: unknown[]) => boolean).apply(this, arguments as unknown as unknown[]);
    } as typeof requestPrototype.emit;
  }
  const responsePrototype = Object.getPrototypeOf(res) as Response;
  if (!hooked.has(responsePrototype)) {
    hooked.add(responsePrototype);
    const write = responsePrototype.write;
    responsePrototype.write = function (this: Response & Audited, chunk: unknown, ...rest: unknown[]): boolean {
      const exchange = this[exchangeOf];
      if (exchange) exchange.responseHash = feed(exchange.responseHash, chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof responsePrototype.write;
    const end = responsePrototype.end;
    responsePrototype.end = function (this: Response & Audited, chunk?: unknown, ...rest: unknown[]): Response {
      const exchange = this[exchangeOf];
      if (exchange) {
        // Most answers are one piece (sendJson, res.json): hashed in one call, without a Hash object.
        if (exchange.responseHash) exchange.responseHash = feed(exchange.responseHash, chunk, rest[0]);
        else exchange.responseDigest ??= digestOf(chunk, rest[0]);
      }
      return (end as (...args: unknown[]) => Response).call(this, chunk, ...rest);
    } as typeof responsePrototype.end;
  }
}

function feed(hash: Hash | undefined, chunk: unknown, encoding: unknown): Hash | undefined {
  const bytes = bytesOf(chunk, encoding);
  return bytes ? (hash ?? createHash('sha256')).update(bytes) : hash;
}

/** The digest of a body that is this one chunk; undefined when it holds no bytes (no body). */
function digestOf(chunk: unknown, encoding: unknown): string | undefined {
  const bytes = bytesOf(chunk, encoding);
  return bytes ? sha256Hex(bytes) : undefined;
}

/** A chunk's bytes as they go on the wire; undefined for none (an empty chunk, a callback in its place). */
function bytesOf(chunk: unknown, encoding: unknown): Uint8Array | undefined {
  let bytes: Uint8Array;
  if (typeof chunk === 'string') bytes = Buffer.from(chunk, typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8');
  else if (chunk instanceof Uint8Array) bytes = chunk;
  else return undefined;
  return bytes.length === 0 ? undefined : bytes;
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
