// Which errors mean the upstream failed as a service (unreachable, timeout, 5xx), as opposed to
// an answer it gave (not found, quota): only these open circuits and are retried.
import { UpstreamError } from './upstream-error.js';

export const isUpstreamFailure = (error: unknown): boolean => error instanceof UpstreamError && error.retryable && !error.retryAt;
