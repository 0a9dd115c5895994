// Upstream errors become the gateway's problem+json, with Retry-After when the upstream said
// when to come back (a quota reset, an access window).
import { HubError } from '../errors/catalogue.js';
import { UpstreamError } from './sdk.js';

export function toHubError(error: unknown): unknown {
  if (!(error instanceof UpstreamError)) return error;
  const retryAfterSeconds = error.retryAt ? Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000)) : error.retryable ? 5 : undefined;
  return new HubError(error.code, error.message, { ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}), cause: error });
}
