// Reads a JSON request body as text and parses it losslessly (big integers keep every digit).
// express.json would round them through JSON.parse. parseJson also refuses documents nested too
// deeply and the keys __proto__, constructor and prototype, with their own codes.
import express, { type RequestHandler } from 'express';
import { HubError } from '../errors/catalogue.js';
import { parseJson } from '../events/json.js';

export function jsonBody(limitBytes: number, mediaTypes: string[]): RequestHandler[] {
  const accepted = new Set(mediaTypes);
  const read = express.text({ type: (req) => accepted.has(mediaTypeOf(req.headers['content-type'])), limit: limitBytes });
  const parse: RequestHandler = (req, _res, next) => {
    const mediaType = mediaTypeOf(req.headers['content-type']);
    if (!accepted.has(mediaType)) {
      throw new HubError('content-type-unsupported', `send ${[...accepted].join(' or ')}, not ${mediaType || 'no content type'}`);
    }
    req.body = parseJsonBody(typeof req.body === 'string' ? req.body : '');
    next();
  };
  return [read, parse];
}

/**
 * A request body as JSON: `body-invalid-json` when it is not JSON, and parseJson's own codes
 * (`body-too-deep`, `body-forbidden-key`) kept as they are.
 */
export function parseJsonBody(text: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof HubError) throw error;
    throw new HubError('body-invalid-json', (error as Error).message);
  }
}

export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
