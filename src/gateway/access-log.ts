// The completion line of every request, pino-http's, with the correlation id echoed as
// X-Correlation-Id. Lines go out at debug (2xx, 3xx), info (4xx) or error (5xx).
//
// pino-http makes two child loggers per request, one of them serialising the request, and builds
// its line's object before the level drops it: at the default level (info) every 2xx answer
// paid for a line nobody wrote. So pino-http runs only where every answer has a line (debug,
// trace). At info, warn and error the request gets the logger pino-http would give it, and the
// line, built by one shared listener only when its level is on, is pino-http's own: the same
// logger (with pino-http's serializers), bindings, object, message and level. Below all three
// levels (silent, fatal) the request only gets its id.
import type { Request, RequestHandler, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Level, Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { loggableError, loggableUrl } from '../observability/redaction.js';
import { correlationIdOf } from './correlation.js';

const levelOf = (res: { statusCode: number }, error: unknown): Level => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug');

const startedAt = Symbol('penghubung.access-log.started');
type Logged = Response & { [startedAt]?: number };

export function accessLog(logger: Logger): RequestHandler {
  const httpLogger = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = correlationIdOf(req);
      res.setHeader('X-Correlation-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'correlation_id' },
    customLogLevel: (_req, res, error) => levelOf(res, error),
    quietReqLogger: true,
    // The request goes in the completion line only, serialized then, when its route is known:
    // route, method and caller, no query values, parameters or headers a person is named in.
    quietResLogger: true,
    customSuccessObject: (req, _res, value: object) => ({ ...value, req }),
    customErrorObject: (req, _res, _error, value: object) => ({ ...value, req }),
    serializers: { err: loggableError, req: (req: { id: unknown; method: string; remoteAddress?: string; raw: IncomingMessage }) => ({ id: req.id, method: req.method, url: loggableUrl(req.raw), remoteAddress: req.remoteAddress }) },
  });
  if (!logger.isLevelEnabled('error')) {
    return (req, res, next) => {
      const id = correlationIdOf(req);
      res.setHeader('X-Correlation-Id', id);
      req.id = id;
      req.log = logger;
      next();
    };
  }
  if (logger.isLevelEnabled('debug')) return httpLogger;
  // pino-http's logger: its serializers wrapped as pino-http wraps them.
  const lines = httpLogger.logger;

  /** pino-http's onResFinished for the first of 'close', 'finish' and 'error'. */
  function completed(this: Logged, error?: unknown): void {
    const started = this[startedAt];
    if (started === undefined) return;
    this[startedAt] = undefined;
    this.removeListener('close', completed);
    this.removeListener('finish', completed);
    this.removeListener('error', completed);
    const level = levelOf(this, error);
    if (!logger.isLevelEnabled(level)) return;
    const req = this.req as Request;
    const responseTime = Date.now() - started;
    if (error || this.statusCode >= 500) {
      const err = error ?? new Error(`failed with status code ${this.statusCode}`);
      req.log[level]({ res: this, err, responseTime, req }, 'request errored');
      return;
    }
    req.log[level]({ res: this, responseTime, req }, !req.readableAborted && this.writableEnded ? 'request completed' : 'request aborted');
  }

  return (req, res, next) => {
    const id = correlationIdOf(req);
    res.setHeader('X-Correlation-Id', id);
    req.id = id;
    res.log = req.log = lines.child({ correlation_id: id });
    (res as Logged)[startedAt] = Date.now();
    res.on('close', completed);
    res.on('finish', completed);
    res.on('error', completed);
    next();
  };
}
