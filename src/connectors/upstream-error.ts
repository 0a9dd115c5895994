// How a mapping says the upstream refused or failed (shared through the SDK).
import type { ErrorCode } from '../errors/catalogue.js';

/**
 * An upstream refusal or failure, with a code from the hub's error catalogue. Thrown by
 * mapping functions, also when the upstream answered HTTP 200 with an error inside.
 */
export class UpstreamError extends Error {
  readonly code: ErrorCode;
  /** Worth retrying later (a timeout, a 5xx), as opposed to a refusal that will not change. */
  readonly retryable: boolean;
  /** When a quota or an access window opens again. */
  readonly retryAt: Date | undefined;

  constructor(code: ErrorCode, detail: string, options: { retryable?: boolean; retryAt?: Date } = {}) {
    super(detail);
    this.name = 'UpstreamError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAt = options.retryAt;
  }
}
