// JSON answers written losslessly: a LosslessNumber (a NIK, a tracking id) keeps its digits.
import { stringifyJson } from '../events/json.js';

/** What `res.type('application/json')` sets, written as is: no MIME look-up and charset parse per answer. */
const jsonContentType = 'application/json; charset=utf-8';

interface JsonResponse {
  status(code: number): { send(body: Buffer): unknown };
  setHeader(name: string, value: string): unknown;
}

export function sendJson(res: JsonResponse, status: number, body: unknown): void {
  res.setHeader('Content-Type', jsonContentType);
  // As bytes: express sends a string of 1,000 characters or more as a Buffer anyway, and a Buffer
  // with its Content-Type set skips express's charset rewriting of the header.
  res.status(status).send(Buffer.from(stringifyJson(body), 'utf8'));
}
