// Request bodies in a simulator are read once, by the kit: the text as it arrived (kept for the
// request record) and `req.body` as the simulator asked for it. A simulator therefore needs no
// body parsers of its own, and the record shows what reached it even when a fault answered.
import { parse as parseForm } from 'node:querystring';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * `parsed`: JSON bodies as values, forms as objects of strings, anything else as its text.
 * `text`: every body as its text, for upstreams whose JSON the simulator reads itself (losslessly,
 * or to answer malformed JSON in the upstream's own words).
 */
export type BodyMode = 'parsed' | 'text';

/** The largest body a simulator accepts (413 beyond it). */
const LIMIT = '1mb';

const texts = new WeakMap<Request, string>();

/** The body of a request as it arrived ('' when it had none). */
export function bodyText(req: Request): string {
  return texts.get(req) ?? '';
}

class BodyError extends Error {
  readonly status = 400;
  readonly expose = true;
}

function parse(req: Request, text: string): unknown {
  if (req.is(['application/json', '+json'])) {
    try {
      return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
    } catch (error) {
      throw new BodyError(`invalid JSON: ${(error as Error).message}`);
    }
  }
  if (req.is('application/x-www-form-urlencoded')) return { ...parseForm(text) };
  return text;
}

/** Reads every body; `req.body` is left undefined for a request without one. */
export function readBodies(mode: BodyMode): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: LIMIT }),
    (req: Request, _res: Response, next: NextFunction) => {
      if (texts.has(req)) {
        next(); // read already, under /_simulator
        return;
      }
      const raw: unknown = req.body;
      if (!Buffer.isBuffer(raw)) {
        req.body = undefined;
        next();
        return;
      }
      const text = raw.toString('utf8');
      texts.set(req, text);
      req.body = mode === 'text' ? text : parse(req, text);
      next();
    },
  ];
}
