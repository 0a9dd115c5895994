// The one catalogue of error codes the hub answers with (RFC 9457 problem+json).
// Codes are stable: clients branch on them. docs/ERRORS.md lists the same codes; a test keeps
// the two in sync.
export const errorCatalogue = {
  'body-invalid-json': { status: 400, title: 'The request body is not valid JSON' },
  'body-incomplete': { status: 400, title: 'The request body ended before its declared length' },
  'body-too-deep': { status: 400, title: 'The JSON request body is nested more deeply than allowed' },
  'body-forbidden-key': { status: 400, title: 'The JSON request body uses a key the hub refuses (__proto__, constructor, prototype)' },
  'body-invalid-xml': { status: 400, title: 'The request body is not well-formed XML' },
  'xml-forbidden': { status: 400, title: 'The XML uses a construct the hub refuses (DOCTYPE, entities, too deep)' },
  'body-too-large': { status: 413, title: 'The request body is larger than allowed' },
  'content-type-unsupported': { status: 415, title: 'The request content type is not accepted here' },
  'event-invalid': { status: 422, title: 'The event does not conform to the CloudEvents envelope' },
  'event-data-invalid': { status: 422, title: "The event data does not conform to its type's schema" },
  'event-type-unknown': { status: 422, title: 'The event type is not registered and types are strict' },
  'batch-empty': { status: 400, title: 'The batch holds no event' },
  'batch-too-large': { status: 413, title: 'The batch holds more events than allowed' },
  'query-invalid': { status: 400, title: 'A query parameter is invalid' },
  'cursor-invalid': { status: 400, title: 'The cursor is not one this hub issued' },
  'pull-consumer-not-found': { status: 404, title: 'No cursor is committed for this pull consumer' },
  'cursor-expired': { status: 400, title: 'The cursor points at events no longer kept' },
  unauthenticated: { status: 401, title: 'The request carries no valid credential' },
  forbidden: { status: 403, title: 'The client lacks the right this request needs' },
  'rate-limited': { status: 429, title: 'The client sent more requests than its rate limit allows' },
  'request-invalid': { status: 422, title: 'The request does not conform to the operation’s input schema' },
  'right-unknown': { status: 422, title: 'A right names no operation of the hub (the detail names the nearest one)' },
  'route-not-found': { status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'The route does not take this method (see the Allow header)' },
  'connector-not-found': { status: 404, title: 'No connector has this id' },
  'poll-running': { status: 409, title: 'The operation is being polled already' },
  'poll-leader-unavailable': { status: 503, title: 'No instance that leads this poller answered in time' },
  'entity-not-found': { status: 404, title: 'The hub has seen no entity with this id' },
  'webhook-target-refused': { status: 422, title: 'The webhook URL points where the hub does not deliver' },
  'upstream-record-not-found': { status: 404, title: 'The upstream system has no such record' },
  'upstream-record-ambiguous': { status: 409, title: 'The upstream system holds several records for this key' },
  'upstream-record-inactive': { status: 410, title: 'The upstream record exists but is inactive' },
  'upstream-subject-deceased': { status: 410, title: 'The upstream record belongs to a deceased person' },
  'upstream-request-rejected': { status: 422, title: 'The upstream system refused the request parameters' },
  'upstream-quota-exhausted': { status: 429, title: 'The upstream daily quota is used up until it resets' },
  'upstream-credentials-rejected': { status: 502, title: 'The upstream system refused the hub’s credentials' },
  'upstream-client-rejected': { status: 502, title: 'The upstream system refused the hub’s address or client' },
  'upstream-account-inactive': { status: 502, title: 'The hub’s account or institution is inactive at the upstream' },
  'upstream-bad-response': { status: 502, title: 'The upstream answer could not be understood' },
  'upstream-outside-hours': { status: 503, title: 'The upstream system is outside its access hours' },
  'circuit-open': { status: 503, title: 'The upstream failed too often; the hub is not calling it for now' },
  'upstream-busy': { status: 503, title: 'Too many calls to this upstream are waiting already' },
  'upstream-unavailable': { status: 503, title: 'The upstream system cannot be reached' },
  'upstream-timeout': { status: 504, title: 'The upstream system did not answer in time' },
  'bus-unavailable': { status: 503, title: 'The event bus cannot be reached right now' },
  'outbox-unavailable': { status: 503, title: 'The durable outbox cannot accept events right now' },
  'event-type-reserved': { status: 400, title: 'The event type names one of the hub’s own topics' },
  'event-claim-pending': { status: 409, title: 'Another post of this event is being stored right now' },
  'state-unavailable': { status: 503, title: 'The shared control state cannot record the change right now' },
  'shutting-down': { status: 503, title: 'The hub is shutting down' },
  'internal-error': { status: 500, title: 'An unexpected error occurred' },
  'code-invalid': { status: 422, title: 'The code is not written as a code of its kind' },
  'code-unknown': { status: 404, title: 'The code is well-formed but the hub knows nothing it names' },
  'source-forbidden': { status: 403, title: 'The event source is not one of the client’s source prefixes' },
  'sender-forged': { status: 403, title: 'The event names a sender other than the authenticated client' },
  'record-not-owned': { status: 403, title: 'The record this request acts on belongs to another agency or unit' },
  'service-not-found': { status: 404, title: 'No OPD service has this id' },
  'service-exists': { status: 409, title: 'An OPD service with this id is registered already' },
  'service-target-refused': { status: 422, title: 'The service URL points where the hub does not call (loopback, metadata, a private range not allowed)' },
  'access-request-not-found': { status: 404, title: 'No access request with this id is visible to the client' },
  'access-request-decided': { status: 409, title: 'The access request is not in a state this decision applies to' },
  'service-operation-not-found': { status: 404, title: 'The OPD service has no operation for this method and path' },
  'service-response-invalid': { status: 502, title: 'The OPD service answered outside the response schema its owner registered' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ProblemDetail {
  /** Where the detail applies: a JSON pointer into the body, a header, or a query parameter. */
  pointer: string;
  message: string;
  /** The values the parameter or field allows, when they are few enough to list. */
  allowed?: unknown[];
}

/** An error that the gateway turns into problem+json with a stable code. */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: ProblemDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** Extra members of the problem document (RFC 9457 extensions), e.g. `rejected`. */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, detail?: string, options: { errors?: ProblemDetail[]; retryAfterSeconds?: number; cause?: unknown; extensions?: Record<string, unknown> } = {}) {
    super(detail ?? errorCatalogue[code].title, { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extensions = options.extensions;
  }
}

/** Problem types are URNs: stable names that need no web server to resolve. */
export const problemTypeBase = 'urn:penghubung:problem:';
