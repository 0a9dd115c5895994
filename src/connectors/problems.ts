// Upstream errors become the gateway's problem+json, with Retry-After when the upstream said
// when to come back (a quota reset, an access window).
import { HubError } from '../errors/catalogue.js';
import { RecordRejected } from './record-rejected.js';
import { UpstreamError } from './upstream-error.js';

/** Also a RecordRejected thrown where one record is the whole answer (a query): a bad response. */
export function toHubError(error: unknown): unknown {
  if (error instanceof RecordRejected) return new HubError('upstream-bad-response', `${error.reason}: ${error.message}`, { cause: error });
  if (!(error instanceof UpstreamError)) return error;
  const retryAfterSeconds = error.retryAt ? Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000)) : error.retryable ? 5 : undefined;
  return new HubError(error.code, error.message, { ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}), cause: error });
}
