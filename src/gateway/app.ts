// The gateway's HTTP application: correlation and logging first, then the routes, then
// problem+json for whatever went wrong.
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { HubMetrics } from '../observability/metrics.js';
import { HubError } from '../errors/catalogue.js';
import { accessLog } from './access-log.js';
import { corsAllowlist } from './cors.js';
import { securityHeaders } from './hardening.js';
import { inOrder } from './in-order.js';
import { problemHandler } from '../http/problem.js';
import { queryValidation } from './query-validation.js';
import { unmatchedRoute } from './unmatched-route.js';

export interface AppParts {
  logger: Logger;
  metrics: HubMetrics;
  /** Runs before every router: authentication (public paths pass through). */
  authenticate: RequestHandler;
  /** Records every exchange in the signed audit log. */
  audit: RequestHandler;
  routers: express.Router[];
  /** The document, or how to get the current one (rebuilt when OPD services change). */
  openApi: object | (() => object);
  /** Browser origins allowed to call the API (`http.cors.allowedOrigins`); none: no CORS headers. */
  corsAllowedOrigins?: readonly string[];
  isShuttingDown: () => boolean;
}

export function createApp(parts: AppParts): Express {
  const { openApi } = parts;
  const document: () => object = typeof openApi === 'function' ? (openApi as () => object) : (): object => openApi;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // One layer, in this order: the security headers first, so that every answer (401s, problems,
  // 503s) carries them; the CORS preflight before the audit (it is no exchange with a client).
  app.use(
    inOrder([
      securityHeaders(),
      accessLog(parts.logger),
      requestMetrics(parts.metrics),
      // Without allowed origins CORS has nothing to answer or add.
      ...(parts.corsAllowedOrigins?.length ? [corsAllowlist(parts.corsAllowedOrigins)] : []),
      parts.audit,
      refusedWhileShuttingDown(parts.isShuttingDown),
    ]),
  );
  app.get('/openapi.json', (_req, res) => {
    res.json(document());
  });
  app.use(parts.authenticate);
  app.use(queryValidation(document));
  for (const router of parts.routers) app.use(router);
  app.use(unmatchedRoute(document));
  app.use(problemHandler);
  return app;
}

/** While the hub shuts down, anything but a health probe is answered 503 (after the audit saw it). */
function refusedWhileShuttingDown(isShuttingDown: () => boolean): RequestHandler {
  return (req, res, next) => {
    res.locals.correlationId = req.id;
    if (isShuttingDown() && !req.path.startsWith('/health/')) {
      res.setHeader('Connection', 'close');
      throw new HubError('shutting-down', 'retry on another instance or after the restart', { retryAfterSeconds: 5 });
    }
    next();
  };
}

const startedAt = Symbol('penghubung.metrics.started');

/** Duration and count of every request, labelled by its route pattern, with one listener shared by all. */
function requestMetrics(metrics: HubMetrics): RequestHandler {
  function observe(this: Response & { [startedAt]?: bigint }): void {
    const req = this.req;
    // The matched route pattern, not the URL: /v1/penduduk/:nik, never a NIK.
    const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    const seconds = Number(process.hrtime.bigint() - this[startedAt]!) / 1e9;
    metrics.httpDuration.observe({ route, method: req.method }, seconds);
    metrics.httpRequests.inc({ route, method: req.method, status: String(this.statusCode), client: (this.locals.clientId as string | undefined) ?? 'anonymous' });
  }
  return (_req, res, next) => {
    (res as Response & { [startedAt]?: bigint })[startedAt] = process.hrtime.bigint();
    // A response finishes once: a plain listener, without the wrapper `once` makes per call.
    res.on('finish', observe);
    next();
  };
}
