// JSON answers written losslessly: a LosslessNumber (a NIK, a tracking id) keeps its digits.
import { stringifyJson } from '../events/json.js';

export function sendJson(res: { status(code: number): { type(t: string): { send(body: string): unknown } } }, status: number, body: unknown): void {
  res.status(status).type('application/json').send(stringifyJson(body));
}
