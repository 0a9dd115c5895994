// The hub's own calls on someone's behalf — a flow step, a poll, an outbound delivery, a webhook
// delivery — go into the same signed audit chain as the clients' requests: actor `hub`, the
// client whose event triggered it (`on_behalf_of`), a digest naming that event, the outcome.
// Like every entry: no body, no URL, no personal data.
import { errorCatalogue, type ErrorCode } from '../../errors/catalogue.js';
import { eventDigest, type AuditInput, type AuditOutcome } from './entry.js';
import { HUB_SENDER } from '../sender.js';

export interface AuditRecorder {
  record(entry: AuditInput): void;
}

export interface HubCall {
  /** `<connector>:<operation>` for an upstream call, `flow:<flow>:<step>`, `webhook:deliver`. */
  operation: string;
  connector: string | null;
  /** The HTTP method of the outgoing call. */
  method: string;
  /** A hub-made pattern for what was called (`/connectors/lapor/kirim-tindak-lanjut`), never a URL. */
  route: string;
  /** The event that made the hub act, if any. */
  trigger?: { source: string; id: string; penghubungclient?: unknown };
  /** Whom the hub acted for, when not the triggering event's sender (a webhook's subscriber). */
  onBehalfOf?: string | null;
  correlationId?: string;
}

const correlation = /^[\w.:-]{1,128}$/;

/** Records one call the hub made; a malformed entry is reported to `onError`, never thrown. */
export function recordHubCall(audit: AuditRecorder | undefined, call: HubCall, result: { status: number; outcome: AuditOutcome; latencyMs: number }, onError?: (error: unknown) => void): void {
  if (!audit) return;
  try {
    const sender = call.onBehalfOf !== undefined ? call.onBehalfOf : call.trigger?.penghubungclient;
    audit.record({
      actor: 'hub',
      client: null,
      on_behalf_of: typeof sender === 'string' && sender !== HUB_SENDER ? sender : null,
      event_digest: call.trigger ? eventDigest(call.trigger) : null,
      operation: call.operation,
      connector: call.connector,
      method: call.method,
      route: call.route,
      status: result.status,
      outcome: result.outcome,
      latency_ms: result.latencyMs,
      correlation_id: call.correlationId !== undefined && correlation.test(call.correlationId) ? call.correlationId : 'none',
      request_digest: null,
      response_digest: null,
    });
  } catch (error) {
    onError?.(error);
  }
}

/** Runs `run`, then records it as `call` (also when it throws); the recording never fails the call. */
export async function auditHubCall<T>(audit: AuditRecorder | undefined, call: HubCall, run: () => Promise<T>, onError?: (error: unknown) => void): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    recordHubCall(audit, call, { status: 200, outcome: 'ok', latencyMs: performance.now() - started }, onError);
    return result;
  } catch (error) {
    const status = statusOf(error);
    recordHubCall(audit, call, { status, outcome: status >= 500 ? 'error' : 'refused', latencyMs: performance.now() - started }, onError);
    throw error;
  }
}

/** The status a failed call stands for: its problem's, else 500. */
function statusOf(error: unknown): number {
  if (error && typeof error === 'object') {
    const { status, code } = error as { status?: unknown; code?: unknown };
    if (typeof status === 'number' && Number.isInteger(status)) return status;
    if (typeof code === 'string' && code in errorCatalogue) return errorCatalogue[code as ErrorCode].status;
  }
  return 500;
}
