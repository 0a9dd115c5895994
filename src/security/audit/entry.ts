// One audit entry: who called what, through which connector, with what result, and digests of
// the bodies. Never a body, a query string or a raw URL: no personal data enters the audit log
// (UU 27/2022). `auditEntry` checks a caller's entry and copies it into a fixed shape;
// `canonicalJson` is the exact text the hash chain covers.
import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../sha256.js';

export type AuditOutcome = 'ok' | 'refused' | 'error';
export type AuditActor = 'client' | 'hub';

export interface AuditEntry {
  /** Made by the hub for this entry (a UUID): what an investigation or a complaint cites. */
  id: string;
  /** ISO 8601 time the exchange ended. */
  time: string;
  /** `client`: a client called the hub; `hub`: the hub called out itself (a flow step, a poll, an outbound or webhook delivery). */
  actor: AuditActor;
  /** The authenticated client's id; null when the caller was not identified or the hub acted. */
  client: string | null;
  /** For the hub's own calls: the client whose event triggered it (`penghubungclient`), else null. */
  on_behalf_of: string | null;
  /** For the hub's own calls: SHA-256 (hex) of the triggering event's `source` and `id` (eventDigest), else null. */
  event_digest: string | null;
  /** What was done: `siak:cari-penduduk`, `events:publish`, `http`, … */
  operation: string;
  /** The connector involved, if any. */
  connector: string | null;
  /** HTTP method (or another upper-case verb for non-HTTP exchanges). */
  method: string;
  /** The matched route pattern (`/v1/penduduk/:nik`), never the request URL. */
  route: string;
  /** HTTP status answered; 0 when no answer was sent (the client went away). */
  status: number;
  outcome: AuditOutcome;
  latency_ms: number;
  correlation_id: string;
  /** SHA-256 (hex) of the request body bytes; null when there was no body. */
  request_digest: string | null;
  /** SHA-256 (hex) of the response body bytes; null when there was no body. */
  response_digest: string | null;
  /** Only on a summary row (the dashboard's own reads, read-summary.ts): the exchanges it stands for. */
  folded?: AuditFolded;
}

/** The reads one summary row stands for: how many, the first and last, and how many per `METHOD /route`. */
export interface AuditFolded {
  count: number;
  first: string;
  last: string;
  routes: Record<string, number>;
}

/** What `AuditLog.record` takes: an entry without its id (the hub makes it), its time defaulting to now, a client's by default. */
export type AuditInput = Omit<AuditEntry, 'id' | 'time' | 'actor' | 'on_behalf_of' | 'event_digest'> & { time?: string; actor?: AuditActor; on_behalf_of?: string | null; event_digest?: string | null };

const fields: readonly (keyof AuditEntry)[] = ['id', 'time', 'actor', 'client', 'on_behalf_of', 'event_digest', 'operation', 'connector', 'method', 'route', 'status', 'outcome', 'latency_ms', 'correlation_id', 'request_digest', 'response_digest', 'folded'];
const known = new Set<string>(fields);
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const name = /^[A-Za-z0-9_.:-]{1,128}$/;
const verb = /^[A-Z][A-Z_-]{0,15}$/;
const correlation = /^[\w.:-]{1,128}$/;
const hex64 = /^[0-9a-f]{64}$/;
const outcomes = new Set<string>(['ok', 'refused', 'error']);
// A route is a pattern. A query string, a fragment, white space or a run of six or more digits
// (a NIK, a KK number, a tracking id, a date) means a raw URL slipped in.
const notAPattern = /[?#\s]|\d{6,}/;

/**
 * Checks an entry and copies it into the fixed shape of the log. Throws a TypeError (the
 * caller's bug) on an unknown field — a body never gets in by accident — or a malformed one.
 */
export function auditEntry(input: AuditInput, now: () => Date = () => new Date()): AuditEntry {
  if (typeof input !== 'object' || input === null) throw new TypeError('an audit entry must be an object');
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new TypeError(`audit entry: unknown field "${key}" (only ${fields.join(', ')}; bodies go in as digests, never as such)`);
  }
  if ('id' in input) throw new TypeError('audit entry: id is made by the hub, never given');
  const time = input.time ?? now().toISOString();
  const actor = input.actor ?? 'client';
  check(actor === 'client' || actor === 'hub', 'actor', 'client or hub', actor);
  const onBehalfOf = input.on_behalf_of ?? null;
  check(onBehalfOf === null || (typeof onBehalfOf === 'string' && name.test(onBehalfOf)), 'on_behalf_of', 'a client id or null', onBehalfOf);
  const eventDigest = input.event_digest ?? null;
  check(eventDigest === null || (typeof eventDigest === 'string' && hex64.test(eventDigest)), 'event_digest', 'SHA-256 hex (use eventDigest(event)) or null', '(not shown)');
  check(typeof time === 'string' && isoTime.test(time), 'time', 'an ISO 8601 time', time);
  check(input.client === null || (typeof input.client === 'string' && input.client.length > 0 && input.client.length <= 128), 'client', 'a client id (1 to 128 characters) or null', input.client);
  check(typeof input.operation === 'string' && name.test(input.operation), 'operation', 'letters, digits, _ . : - (1 to 128)', input.operation);
  check(input.connector === null || (typeof input.connector === 'string' && name.test(input.connector)), 'connector', 'a connector id or null', input.connector);
  check(typeof input.method === 'string' && verb.test(input.method), 'method', 'an upper-case method', input.method);
  check(typeof input.route === 'string' && input.route.length > 0 && input.route.length <= 256, 'route', 'the matched route pattern (1 to 256 characters)', input.route);
  if (notAPattern.test(input.route)) throw new TypeError(`audit entry: route must be the matched pattern (e.g. /v1/penduduk/:nik), not a request URL: it has a query, white space or a long number`);
  check(Number.isInteger(input.status) && input.status >= 0 && input.status <= 999, 'status', 'an HTTP status (0 when none was sent)', input.status);
  check(outcomes.has(input.outcome), 'outcome', 'ok, refused or error', input.outcome);
  check(typeof input.latency_ms === 'number' && Number.isFinite(input.latency_ms) && input.latency_ms >= 0, 'latency_ms', 'a non-negative number', input.latency_ms);
  check(typeof input.correlation_id === 'string' && correlation.test(input.correlation_id), 'correlation_id', 'a correlation id (letters, digits, _ . : -)', input.correlation_id);
  check(input.request_digest === null || (typeof input.request_digest === 'string' && hex64.test(input.request_digest)), 'request_digest', 'SHA-256 hex (use digest(body)) or null', '(not shown)');
  check(input.response_digest === null || (typeof input.response_digest === 'string' && hex64.test(input.response_digest)), 'response_digest', 'SHA-256 hex (use digest(body)) or null', '(not shown)');
  return {
    id: randomUUID(),
    time,
    actor,
    client: input.client,
    on_behalf_of: onBehalfOf,
    event_digest: eventDigest,
    operation: input.operation,
    connector: input.connector,
    method: input.method,
    route: input.route,
    status: input.status,
    outcome: input.outcome,
    latency_ms: Math.round(input.latency_ms * 1000) / 1000,
    correlation_id: input.correlation_id,
    request_digest: input.request_digest,
    response_digest: input.response_digest,
    ...(input.folded === undefined ? {} : { folded: checkedFolded(input.folded) }),
  };
}

function checkedFolded(folded: AuditFolded): AuditFolded {
  check(typeof folded === 'object' && folded !== null, 'folded', 'an object', folded);
  check(Number.isInteger(folded.count) && folded.count >= 1, 'folded.count', 'a positive integer', folded.count);
  check(typeof folded.first === 'string' && isoTime.test(folded.first), 'folded.first', 'an ISO 8601 time', folded.first);
  check(typeof folded.last === 'string' && isoTime.test(folded.last), 'folded.last', 'an ISO 8601 time', folded.last);
  const routes = Object.entries(folded.routes ?? {});
  check(routes.length >= 1 && routes.length <= 64, 'folded.routes', '1 to 64 routes', routes.length);
  for (const [route, count] of routes) {
    check(/^[A-Z]{3,7} \S{1,256}$/.test(route) && !notAPattern.test(route.slice(route.indexOf(' ') + 1)), 'folded.routes', '"METHOD /matched/pattern" keys', route);
    check(Number.isInteger(count) && count >= 1, `folded.routes["${route}"]`, 'a positive integer', count);
  }
  return { count: folded.count, first: folded.first, last: folded.last, routes: Object.fromEntries(routes) };
}

function check(ok: boolean, field: string, expected: string, value: unknown): void {
  if (!ok) throw new TypeError(`audit entry: ${field} must be ${expected}, not ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value)}`);
}

/** SHA-256 hex of a body (text as UTF-8); null for no body. What the log keeps instead of bodies. */
export function digest(body: string | Uint8Array | null | undefined): string | null {
  if (body === null || body === undefined) return null;
  return sha256Hex(body);
}

/** SHA-256 hex naming an event (its `source` and `id`, which identify it) without holding either. */
export function eventDigest(event: { source: string; id: string }): string {
  return sha256Hex(`${event.source}\n${event.id}`);
}

const sortedFields = [...fields].sort();

/** canonicalJson of an entry from auditEntry, without the general walk (the flush's hot path). */
export function entryJson(entry: AuditEntry): string {
  const record = entry as unknown as Record<string, unknown>;
  let text = '{';
  for (const field of sortedFields) {
    // A field the entry does not have (folded, on every row but a summary) is left out, as canonicalJson does.
    if (record[field] === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}"${field}":${field === 'folded' ? canonicalJson(record[field]) : JSON.stringify(record[field])}`;
  }
  return `${text}}`;
}

/**
 * Canonical JSON: object keys sorted by code unit, no white space, numbers as ECMAScript
 * writes them (the shortest text that reads back to the same double). Same value, same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
      return JSON.stringify(value === 0 ? 0 : value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}
