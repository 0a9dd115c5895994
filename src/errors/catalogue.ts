// The one catalogue of error codes the hub answers with (RFC 9457 problem+json).
// Codes are stable: clients branch on them. docs/ERRORS.md lists the same codes; a test keeps
// the two in sync.
export const errorCatalogue = {
  'body-invalid-json': { status: 400, title: 'The request body is not valid JSON' },
  'body-incomplete': { status: 400, title: 'The request body ended before its declared length' },
  'body-too-large': { status: 413, title: 'The request body is larger than allowed' },
  'content-type-unsupported': { status: 415, title: 'The request content type is not accepted here' },
  'event-invalid': { status: 422, title: 'The event does not conform to the CloudEvents envelope' },
  'event-data-invalid': { status: 422, title: "The event data does not conform to its type's schema" },
  'event-type-unknown': { status: 422, title: 'The event type is not registered and types are strict' },
  'batch-empty': { status: 400, title: 'The batch holds no event' },
  'batch-too-large': { status: 413, title: 'The batch holds more events than allowed' },
  'query-invalid': { status: 400, title: 'A query parameter is invalid' },
  'cursor-invalid': { status: 400, title: 'The cursor is not one this hub issued' },
  'route-not-found': { status: 404, title: 'No such route' },
  'outbox-unavailable': { status: 503, title: 'The durable outbox cannot accept events right now' },
  'shutting-down': { status: 503, title: 'The hub is shutting down' },
  'internal-error': { status: 500, title: 'An unexpected error occurred' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ProblemDetail {
  /** Where the detail applies: a JSON pointer into the body, a header, or a query parameter. */
  pointer: string;
  message: string;
}

/** An error that the gateway turns into problem+json with a stable code. */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: ProblemDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, detail?: string, options: { errors?: ProblemDetail[]; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(detail ?? errorCatalogue[code].title, { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Problem types are URNs: stable names that need no web server to resolve. */
export const problemTypeBase = 'urn:penghubung:problem:';
