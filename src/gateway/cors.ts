// CORS for browser apps on the origins the operator lists (`http.cors.allowedOrigins`), with the
// `cors` package. An empty list (the default) adds no CORS header at all; an origin not listed
// gets none either, so the browser keeps its answer from the page, and its preflight goes on to
// the routes like any request without a key (401, or 405 where the path takes no OPTIONS).
// Credentials are never allowed cross-origin: a browser app sends its key or token in a header,
// and the dashboard's session cookie stays with the hub's own origin.
import cors from 'cors';
import type { RequestHandler } from 'express';

/** What a browser app may send, and read back beyond the CORS-safelisted headers. */
const allowedHeaders = ['Authorization', 'Content-Type', 'X-API-Key', 'X-Correlation-Id', 'traceparent'];
const exposedHeaders = ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Correlation-Id', 'Location', 'WWW-Authenticate'];

export function corsAllowlist(allowedOrigins: readonly string[]): RequestHandler {
  if (allowedOrigins.length === 0) return (_req, _res, next) => next();
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: (origin, decide) => decide(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders,
    exposedHeaders,
    credentials: false,
    maxAge: 600,
  }) as RequestHandler;
}
