// Every request carries a correlation id: the caller's X-Correlation-Id, else the trace id of
// its W3C traceparent, else a new one. It is echoed back, logged, and travels into Kafka headers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const acceptable = /^[\w.:-]{1,128}$/;
const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers['x-correlation-id'];
  if (typeof given === 'string' && acceptable.test(given)) return given;
  const trace = typeof req.headers.traceparent === 'string' ? traceparent.exec(req.headers.traceparent) : null;
  return trace?.[1] ?? randomUUID();
}
