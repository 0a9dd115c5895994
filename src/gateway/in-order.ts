// Several middleware as one express layer: what every request goes through first (headers,
// correlation, metrics, audit) costs one walk step of the app's router instead of one each
// (a path match, a parameter pass and a try/catch per layer). Each runs as it would as a layer of
// its own: a throw or an error passed to next goes to the error handlers and skips the rest, a
// middleware that answers and does not call next ends the sequence there.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function inOrder(handlers: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (error?: unknown): void => {
      // As express's router: 'route' only skips the rest of a route, which a middleware is not.
      if (error && error !== 'route') return next(error);
      const handler = handlers[index++];
      if (!handler) return next();
      try {
        const result: unknown = handler(req, res, step);
        // Express 5 passes a rejected promise of a middleware on to the error handlers, and a
        // rejection without a reason as an Error (next(undefined) would carry on to the routes).
        if (result instanceof Promise) result.catch((reason: unknown) => next(reason ?? new Error('Rejected promise')));
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
