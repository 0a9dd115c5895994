// What a simulator received, in order: tests assert on it (did the hub send this header, this
// body, how many times) and a developer in the sandbox reads it at GET /_simulator/requests.
// Kept in memory and bounded: the oldest calls are forgotten first.
import type { Request, RequestHandler, Response } from 'express';
import { bodyText } from './bodies.js';
import { covers, type FaultKind } from './faults.js';

export interface RecordedRequest {
  /** 1, 2, …: the order of arrival since the start or the last reset. */
  seq: number;
  receivedAt: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** Lower-case names; credentials (authorization, x-api-key, cookies, tokens) as `<redacted>`. */
  headers: Record<string, string>;
  /** The body as it arrived, cut at 64 KiB (then `bodyTruncated`). */
  body: string;
  bodyTruncated?: true;
  /** The status answered; absent while the answer is pending, or when the connection was dropped. */
  status?: number;
  /** The fault the call met, if any. */
  fault?: FaultKind;
}

export interface RequestFilter {
  /** A path, or with a trailing `/` every path below it. */
  path?: string;
  method?: string;
  /** Only calls after this `seq`. */
  since?: number;
}

const KEEP = 500;
const BODY_LIMIT = 65_536;
const CREDENTIALS = /^(authorization|proxy-authorization|cookie|x-api-key|x-access-token|x-auth-token)$/;

export class RequestRecorder {
  private recorded: RecordedRequest[] = [];
  private received = 0;

  /** Calls received since the start or the last reset (also those no longer kept). */
  count(): number {
    return this.received;
  }

  list(filter: RequestFilter = {}): RecordedRequest[] {
    const method = filter.method?.toUpperCase();
    const path = filter.path;
    return this.recorded.filter(
      (request) =>
        request.seq > (filter.since ?? 0) &&
        (method === undefined || request.method === method) &&
        (path === undefined || covers(path, request.path)),
    ).map((request) => ({ ...request }));
  }

  reset(): void {
    this.recorded = [];
    this.received = 0;
  }

  /** Marks the call a fault answered. */
  faulted(req: Request, kind: FaultKind): void {
    const entry = this.entries.get(req);
    if (entry) entry.fault = kind;
  }

  private readonly entries = new WeakMap<Request, RecordedRequest>();

  middleware(): RequestHandler {
    return (req: Request, res: Response, next) => {
      const text = bodyText(req);
      const entry: RecordedRequest = {
        seq: ++this.received,
        receivedAt: new Date().toISOString(),
        method: req.method,
        path: req.path,
        query: { ...(req.query as Record<string, unknown>) },
        headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, CREDENTIALS.test(name) ? '<redacted>' : String(value)])),
        body: text.slice(0, BODY_LIMIT),
        ...(text.length > BODY_LIMIT ? { bodyTruncated: true as const } : {}),
      };
      this.recorded.push(entry);
      if (this.recorded.length > KEEP) this.recorded.splice(0, this.recorded.length - KEEP);
      this.entries.set(req, entry);
      res.once('finish', () => {
        entry.status = res.statusCode;
      });
      next();
    };
  }
}
