// RFC 9457 problem+json answers, always carrying a stable code from the error catalogue.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { errorCatalogue, HubError, problemTypeBase } from '../errors/catalogue.js';
import { loggableUrl } from '../observability/redaction.js';

export function sendProblem(req: Request, res: Response, error: HubError): void {
  const entry = errorCatalogue[error.code];
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  res.status(error.status).type('application/problem+json').send(JSON.stringify({
    ...error.extensions,
    type: `${problemTypeBase}${error.code}`,
    title: entry.title,
    status: error.status,
    code: error.code,
    detail: error.message,
    // The route, not the URL: a path may hold a NIK, and error answers end up in clients' logs.
    instance: loggableUrl(req),
    correlation_id: res.locals.correlationId as string | undefined,
    ...(error.errors ? { errors: error.errors } : {}),
  }));
}

/** No route took the request (a bare app; the gateway answers 405 for documented paths, src/gateway/unmatched-route.ts). */
export const routeNotFound: RequestHandler = (req) => {
  throw new HubError('route-not-found', `no route for ${req.method} ${req.path}`);
};

/** Anything thrown becomes problem+json; only the unexpected is logged as an error. */
export const problemHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (error instanceof HubError) return sendProblem(req, res, error);
  const bodyError = error as { type?: string; status?: number };
  if (bodyError.type === 'entity.too.large') return sendProblem(req, res, new HubError('body-too-large'));
  if (bodyError.type === 'request.aborted' || bodyError.type === 'request.size.invalid') return sendProblem(req, res, new HubError('body-incomplete'));
  req.log.error({ err: error }, 'unhandled error');
  sendProblem(req, res, new HubError('internal-error', 'an unexpected error occurred; the correlation id identifies it in the logs'));
};
