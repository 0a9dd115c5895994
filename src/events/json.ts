// JSON without losing digits: integers beyond 2^53 (NIKs, tracking ids) stay exact.
import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/** Numbers that fit a double become numbers; larger ones stay LosslessNumber (exact digits). */
const parseNumber = (digits: string): number | LosslessNumber => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits));

export function parseJson(text: string): unknown {
  return parse(text, null, parseNumber);
}

export function stringifyJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('value cannot be represented as JSON');
  return text;
}

export { LosslessNumber };

/** Sends a JSON answer written losslessly (LosslessNumber keeps its digits). */
export function sendJson(res: { status(code: number): { type(t: string): { send(body: string): unknown } } }, status: number, body: unknown): void {
  res.status(status).type('application/json').send(stringifyJson(body));
}
