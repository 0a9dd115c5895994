// What the logger does so that no caller can put personal data in a log line: every written line
// loses its 16-digit identifiers (NIK, NO_KK), phone numbers and e-mail addresses, and a request is logged by its route with only
// the path parameters and query values known to be harmless; everything else is a placeholder.
import type { IncomingMessage } from 'node:http';

export const redacted = '[redacted]';

/** A NIK or NO_KK is 16 digits; nothing else the hub logs is a bare run of exactly 16. */
const identifier = /(?<![0-9])[0-9]{16}(?![0-9])/g;

/** Indonesian mobile numbers (08…, 62 8…, +62 8…, with or without separators) and e-mail addresses. */
const phone = /(?<![0-9A-Za-z])(?:\+?62[- .]?|0)8[0-9]{1,3}(?:[- .]?[0-9]{2,4}){2,3}(?![0-9])/g;
const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** 08… numbers are 10 to 13 digits long (62 8…: 11 to 14); shorter digit runs are something else. */
const phoneOrNot = (match: string): string => {
  const digits = match.replace(/[^0-9]/g, '').replace(/^62/, '0');
  return digits.length >= 10 && digits.length <= 13 ? redacted : match;
};

/** Phone numbers and e-mail addresses: what upstream messages repeat (src/connectors/upstream-answers.ts). */
export function scrubContacts(text: string): string {
  return text.replace(phone, phoneOrNot).replace(email, redacted);
}

function scrubIdentifiers(text: string): string {
  return scrubContacts(text.replace(identifier, redacted));
}

/** A bare JSON number of 16 digits (a NIK sent as a number) becomes a string, so the line stays JSON. */
const bareNumber = /(?<=[:,[])[0-9]{16}(?=[,\]}])/g;

/** For whole JSON log lines on their way out. */
export function scrubLogLine(line: string): string {
  return scrubIdentifiers(line.replace(bareNumber, `"${redacted}"`));
}

/** Path parameters that name hub objects (subscriptions, flows, catalogue entries), never a person. */
const harmlessParams = new Set(['id', 'asset', 'consumer', 'instance', 'kode']);
/** Query keys whose values say how to page or filter, never whom. */
const harmlessQuery = new Set(['limit', 'cursor', 'consumer', 'type', 'types', 'keep_previous', 'tahun', 'status', 'page', 'halaman', 'from', 'since', 'connector', 'wait']);
/** An unmatched path keeps only segments that read as route words (`v1`, `penduduk`, `.well-known`). */
const routeWord = /^[a-z.][a-z0-9._-]{0,63}$/;

interface RoutedRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path: unknown };
}

/**
 * The URL as it may be logged: the matched route pattern with harmless parameter values filled
 * in (`/v1/penduduk/:nik`), or for an unmatched request the path with every segment that is not
 * a route word replaced; query values are kept only for harmless keys.
 */
export function loggableUrl(req: RoutedRequest): string {
  const raw = req.originalUrl ?? req.url ?? '';
  const queryAt = raw.indexOf('?');
  const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = queryAt === -1 ? '' : raw.slice(queryAt + 1);
  return `${loggablePath(req, path)}${query ? `?${loggableQuery(query)}` : ''}`;
}

function loggablePath(req: RoutedRequest, path: string): string {
  const actual = path.split('/');
  if (req.route && typeof req.route.path === 'string') {
    const pattern = `${req.baseUrl ?? ''}${req.route.path}`.split('/');
    if (pattern.length === actual.length) {
      return scrubIdentifiers(pattern.map((part, i) => (part.startsWith(':') && harmlessParams.has(part.slice(1)) ? actual[i]! : part)).join('/'));
    }
    return pattern.join('/');
  }
  return scrubIdentifiers(actual.map((segment) => (segment === '' || (routeWord.test(segment) && !/[0-9]{5}/.test(segment)) ? segment : ':redacted')).join('/'));
}

function loggableQuery(query: string): string {
  return query.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const key = equals === -1 ? pair : pair.slice(0, equals);
    if (!routeWord.test(key)) return redacted;
    return equals === -1 || harmlessQuery.has(key) ? scrubIdentifiers(pair) : `${key}=${redacted}`;
  }).join('&');
}

/**
 * Errors as they may be logged: name, message, code, status, stack and cause, never the other
 * properties an error carries (an HTTP client's error holds the request body and headers).
 */
export function loggableError(given: unknown, depth = 0): Record<string, unknown> {
  // pino-http hands its `err` serializer (this, on the loggers it makes, req.log included) what
  // pino's own error serializer made of the error: every property copied, the error itself under
  // `raw`. The error is read from there, so the line keeps its message and stack and nothing else.
  const raw = given !== null && typeof given === 'object' && !(given instanceof Error) ? (given as { raw?: unknown }).raw : undefined;
  const error = raw instanceof Error ? raw : given;
  if (!(error instanceof Error)) return { message: typeof error === 'string' ? error : `non-error ${typeof error} thrown` };
  const { code, status, cause } = error as Error & { code?: unknown; status?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    stack: error.stack,
    ...(cause !== undefined && depth < 4 ? { cause: loggableError(cause, depth + 1) } : {}),
  };
}
