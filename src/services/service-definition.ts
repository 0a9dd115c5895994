// An OPD service registered as data (issue 17): what the hub stores about it, and the JSON
// Schema of what a publishing client may send. Secrets arrive in the clear over TLS and are
// stored sealed (secret-box); the stored record never holds them readable.
import { ajv } from '../schemas.js';
import { CLASSIFICATIONS, type Classification } from '../domain/classification.js';

export const SERVICE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];
export const SERVICE_CONTENT_TYPES = ['application/json', 'application/xml', 'text/xml'] as const;
export type ServiceContentType = (typeof SERVICE_CONTENT_TYPES)[number];

export interface ServiceOperation {
  /** operationId, or a method+path slug. */
  id: string;
  method: ServiceMethod;
  /** OpenAPI path template, `/pegawai/{nip}`. */
  path: string;
  summary?: string;
  /** GET/PUT/DELETE by default: retried; POST not. */
  idempotent: boolean;
  contentType: ServiceContentType;
  /** From the OpenAPI document, when it has one. */
  requestSchema?: unknown;
  responseSchema?: unknown;
  /** A successful call publishes this event type (owner-declared), for other OPDs to subscribe. */
  emits?: string;
}

/** How the hub authenticates to the service; secrets sealed with the service id as owner. */
export type ServiceAuth =
  | { type: 'none' }
  | { type: 'api-key'; header: string; sealedValue: string }
  | { type: 'basic'; username: string; sealedPassword: string }
  | { type: 'oauth-client-credentials'; tokenUrl: string; clientId: string; sealedSecret: string; scope?: string };

export interface ServiceDefinition {
  /** Slug, e.g. `ekinerja`. */
  id: string;
  /** 1, then +1 on every update; older versions kept in `service-versions`. */
  version: number;
  /** Client id of the publishing OPD (right `services:publish`). */
  owner: string;
  /** The owner's OPD. */
  opd: string;
  title: string;
  description?: string;
  /** Intranet URL; passed the SSRF policy at registration. */
  baseUrl: string;
  /** The registered OpenAPI 3.x document, when given. */
  openapi?: unknown;
  operations: ServiceOperation[];
  auth: ServiceAuth;
  // JSON pointer in the response body (`/items/*/nik`: a `*` segment matches any key or index)
  // → level; a field no pointer names is rahasia.
  classification: Record<string, Classification>;
  timeoutMs: number;
  rateLimitPerMinute?: number;
  concurrency?: number;
  status: 'active' | 'retired';
  createdAt: string;
  updatedAt: string;
}

export type AccessRequestStatus = 'pending' | 'approved' | 'refused' | 'revoked' | 'expired';

export interface AccessRequest {
  id: string;
  service: string;
  operations: string[] | '*';
  /** The requesting client. */
  client: string;
  /** Required (UU PDP: purpose limitation). */
  purpose: string;
  status: AccessRequestStatus;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  /** A grant may expire. */
  expiresAt?: string;
}

/** Operation input of a service without an OpenAPI document (XML/SOAP-style). */
export interface OperationInput {
  id: string;
  method: ServiceMethod;
  path: string;
  summary?: string;
  idempotent?: boolean;
  contentType?: ServiceContentType;
  requestSchema?: unknown;
  responseSchema?: unknown;
  emits?: string;
}

export type AuthInput =
  | { type: 'none' }
  | { type: 'api-key'; header: string; value: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'oauth-client-credentials'; tokenUrl: string; clientId: string; secret: string; scope?: string };

/** What a client sends to `POST /v1/services` (and `PUT /v1/services/{id}`, id optional there). */
export interface ServiceInput {
  id: string;
  title: string;
  description?: string;
  baseUrl: string;
  openapi?: Record<string, unknown>;
  operations?: OperationInput[];
  auth?: AuthInput;
  classification?: Record<string, Classification>;
  timeoutMs?: number;
  rateLimitPerMinute?: number;
  concurrency?: number;
}

export const serviceIdPattern = /^[a-z][a-z0-9-]{1,40}$/;
export const operationIdPattern = /^[A-Za-z][A-Za-z0-9_.-]{0,79}$/;
/** Event types as elsewhere in the hub: dotted lowercase words. */
const eventTypePattern = '^[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+$';
const headerNamePattern = "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$";
// A JSON pointer whose `*` segments match any key or index (`/items/*/nik`).
const classificationPointerPattern = '^(/([^/~]|~[01])*)*$';

const operationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'method', 'path'],
  properties: {
    id: { type: 'string', pattern: operationIdPattern.source },
    method: { enum: [...SERVICE_METHODS] },
    path: { type: 'string', pattern: '^/[A-Za-z0-9._~!$&\'()*+,;=:@/{}-]*$', maxLength: 400 },
    summary: { type: 'string', maxLength: 400 },
    idempotent: { type: 'boolean' },
    contentType: { enum: [...SERVICE_CONTENT_TYPES] },
    requestSchema: { type: 'object' },
    responseSchema: { type: 'object' },
    emits: { type: 'string', pattern: eventTypePattern, maxLength: 120 },
  },
} as const;

const authSchema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { const: 'none' } } },
    { type: 'object', additionalProperties: false, required: ['type', 'header', 'value'], properties: { type: { const: 'api-key' }, header: { type: 'string', pattern: headerNamePattern }, value: { type: 'string', minLength: 1, maxLength: 4096 } } },
    { type: 'object', additionalProperties: false, required: ['type', 'username', 'password'], properties: { type: { const: 'basic' }, username: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^:]*$' }, password: { type: 'string', minLength: 1, maxLength: 4096 } } },
    { type: 'object', additionalProperties: false, required: ['type', 'tokenUrl', 'clientId', 'secret'], properties: { type: { const: 'oauth-client-credentials' }, tokenUrl: { type: 'string', format: 'uri', maxLength: 2000 }, clientId: { type: 'string', minLength: 1, maxLength: 200 }, secret: { type: 'string', minLength: 1, maxLength: 4096 }, scope: { type: 'string', maxLength: 400 } } },
  ],
} as const;

/** The body of `POST /v1/services`: strict, no attribute the hub does not know. */
export const serviceInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'baseUrl'],
  properties: {
    id: { type: 'string', pattern: serviceIdPattern.source },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 4000 },
    baseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
    openapi: { type: 'object' },
    operations: { type: 'array', minItems: 1, maxItems: 200, items: operationSchema },
    auth: authSchema,
    classification: { type: 'object', maxProperties: 500, propertyNames: { pattern: classificationPointerPattern, maxLength: 400 }, additionalProperties: { enum: [...CLASSIFICATIONS] } },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
    rateLimitPerMinute: { type: 'integer', minimum: 1, maximum: 100_000 },
    concurrency: { type: 'integer', minimum: 1, maximum: 1000 },
  },
  oneOf: [{ required: ['openapi'] }, { required: ['operations'] }],
} as const;

export const validateServiceInput = ajv.compile<ServiceInput>(serviceInputSchema);

/** The body of `POST /v1/services/{id}/access-requests`. */
export const accessRequestInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose'],
  properties: {
    operations: { oneOf: [{ const: '*' }, { type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: { type: 'string', pattern: operationIdPattern.source } }] },
    purpose: { type: 'string', minLength: 10, maxLength: 2000 },
  },
} as const;

export const validateAccessRequestInput = ajv.compile<{ operations?: string[] | '*'; purpose: string }>(accessRequestInputSchema);

export const DEFAULT_SERVICE_TIMEOUT_MS = 5000;

/** The right an approved request gives: `layanan:<service>:<operation>` (or `:*`). */
export const serviceRight = (service: string, operation: string): string => `layanan:${service}:${operation}`;

/** The owner a service's secrets are sealed for (secret-box associated data): a copy onto another service does not open. */
export const serviceSecretOwner = (service: string): string => `service:${service}`;
