// Connector manifests: connectors/<id>/manifest.yaml, validated against
// schemas/connector-manifest.schema.json. A bad manifest is refused with a message naming the
// file, each field (a JSON pointer) and, where the schema lists them, the allowed values.
import type { ErrorObject } from 'ajv';
import { compileStartSchema, startSchemaPart } from '../start-schemas.js';
import type { BreakerSettings } from '../resilience/circuit.js';
import type { Classification } from './sdk.js';
import { takeManifestYaml } from './manifest-yaml.js';

export interface ResilienceSettings {
  timeoutMs?: number;
  /** The most one call may take in all: waiting for a slot, every attempt and the pauses between them. */
  deadlineMs?: number;
  retries?: number;
  concurrency?: number;
  maxQueue?: number;
  dailyQuota?: boolean;
  breaker?: Partial<BreakerSettings>;
}

interface OperationBase {
  summary: string;
  /** `operation`: a circuit of its own instead of the connector's. */
  circuit?: 'connector' | 'operation';
  /** A request to try in the sandbox; `{hub}` stands for the hub's URL. */
  example?: string;
  classification: Classification;
}

export interface QueryOperation extends OperationBase {
  kind: 'query';
  http: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string };
  input: object;
  output: string;
  idempotent: boolean;
}

export interface InboundOperation extends OperationBase {
  kind: 'inbound';
  modes: ('push' | 'poll')[];
  eventType: string;
  schema: string;
  poll?: { intervalSeconds: number; maxPagesPerRun?: number };
  /** An entity seen before whose listed fields changed is published as `changes.eventType`. */
  changes?: { eventType: string; fields: string[] };
  /** An entity without `field` is published as `eventType` (a local complaint not yet numbered upstream). */
  untracked?: { field: string; eventType: string };
  /** Fields filled from a view (`<connector>.<view operation>`) before validation, when absent. */
  enrich?: { field: string; view: string; key: string; take: string }[];
}

/** Who owns the record an operation acts on (see schemas/connector-manifest.schema.json#/$defs/owner). */
export interface OwnerRule {
  field: string;
  key?: string;
  views?: string[];
  newRecords?: boolean;
  claims?: string[];
}

export interface CommandOperation extends OperationBase {
  kind: 'command';
  http: { method: 'POST'; path: string };
  eventType: string;
  schema: string;
  idField: string;
  owner?: OwnerRule;
  /** A JSON Schema the posted entity must also satisfy, beyond its canonical schema. */
  accepts?: Record<string, unknown>;
}

export interface OutboundOperation extends OperationBase {
  kind: 'outbound';
  eventType: string;
  schema: string;
  delivery: { attempts: number; backoffMs: number };
  owner?: OwnerRule;
  /** The inbound operation that publishes the entity the response returns. */
  publishesAnswer?: string;
}

export interface ViewOperation extends OperationBase {
  kind: 'view';
  path: string;
  eventTypes: string[];
  schema: string;
  idField: string;
  filters?: (string | { param: string; field: string })[];
  pathFilters?: Record<string, string>;
}

export type Operation = QueryOperation | InboundOperation | OutboundOperation | ViewOperation | CommandOperation;

export interface ConnectorManifest {
  id: string;
  name: string;
  owner: string;
  version: string;
  description: string;
  formats: ('json' | 'xml')[];
  quirks: string[];
  upstream: {
    baseUrlEnv: string;
    settings: Record<string, { env: string; secret?: boolean; sandbox?: string }>;
    docs?: string;
    /** A bare string is a path no public source confirms yet. */
    paths?: Record<string, string | UpstreamPath>;
  };
  resilience?: ResilienceSettings;
  options?: Record<string, unknown>;
  operations: Record<string, Operation>;
}

/** An upstream path the connector calls, and whether a public source confirms it. */
export interface UpstreamPath {
  request: string;
  verified: boolean;
  sources?: string[];
  /** Required when not verified: why. */
  note?: string;
}

/** The manifest's upstream paths, each in the object form (a bare string: unverified). */
export function upstreamPaths(manifest: ConnectorManifest): Record<string, UpstreamPath> {
  return Object.fromEntries(Object.entries(manifest.upstream.paths ?? {}).map(([name, path]) => [name, typeof path === 'string' ? { request: path, verified: false, note: 'no public source cited' } : path]));
}

/** One thing wrong in a connector folder: where (a JSON pointer into the file) and what. */
export interface ManifestProblem {
  pointer: string;
  message: string;
  /** The values the schema allows there (its enum, or the operation kinds), when it lists them. */
  allowed?: unknown[];
}

export class ManifestError extends Error {
  constructor(message: string, readonly file?: string, readonly problems: ManifestProblem[] = []) {
    super(message);
    this.name = 'ManifestError';
  }
}

const manifestSchemaId = 'urn:penghubung:schema:connector-manifest';
const operationKinds = ['query', 'inbound', 'outbound', 'view', 'command'] as const;

export function readManifest(file: string, displayName: string): ConnectorManifest {
  let parsed: unknown;
  try {
    parsed = takeManifestYaml(file);
  } catch (error) {
    throw new ManifestError(`${displayName}: not valid YAML: ${(error as Error).message}`, displayName);
  }
  const validate = compileStartSchema('connector-manifest.schema.json');
  if (!validate(parsed)) {
    const problems = manifestProblems(parsed, validate.errors ?? []);
    const lines = problems.map((problem) => `  ${problem.pointer || '(top level)'}: ${problem.message}`);
    throw new ManifestError(`${displayName}: invalid manifest:\n${[...new Set(lines)].join('\n')}`, displayName, problems);
  }
  return parsed as ConnectorManifest;
}

/**
 * ajv's errors as problems a connector author can act on. Operations are a oneOf over their
 * kinds, which reports every branch; an operation is judged against its own kind's schema
 * alone, and one whose kind is none of them is told the kinds there are.
 */
function manifestProblems(manifest: unknown, errors: ErrorObject[]): ManifestProblem[] {
  const operations = (manifest as { operations?: Record<string, { kind?: unknown }> } | null)?.operations ?? {};
  const problems: ManifestProblem[] = [];
  const judged = new Set<string>();
  for (const error of errors) {
    const operation = /^\/operations\/([^/]+)/.exec(error.instancePath)?.[1];
    const definition = operation === undefined ? undefined : operations[operation.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (operation === undefined || definition === undefined || typeof definition !== 'object' || definition === null) {
      if (error.keyword !== 'oneOf') problems.push(problemOf('', error));
      continue;
    }
    if (judged.has(operation)) continue;
    judged.add(operation);
    const kind = definition.kind;
    if (!operationKinds.includes(kind as (typeof operationKinds)[number])) {
      problems.push({ pointer: `/operations/${operation}/kind`, message: `${kind === undefined ? 'missing' : `unknown kind ${JSON.stringify(kind)}`}; must be one of: ${operationKinds.join(', ')}`, allowed: [...operationKinds] });
      continue;
    }
    const ofKind = startSchemaPart(`${manifestSchemaId}#/$defs/${String(kind)}`)!;
    ofKind(definition);
    for (const inner of ofKind.errors ?? []) if (inner.keyword !== 'oneOf') problems.push(problemOf(`/operations/${operation}`, inner));
  }
  return problems;
}

function problemOf(prefix: string, error: ErrorObject): ManifestProblem {
  const params = error.params as { additionalProperty?: string; missingProperty?: string; allowedValues?: unknown[]; allowedValue?: unknown };
  const named = params.additionalProperty ?? params.missingProperty;
  const pointer = `${prefix}${error.instancePath}${named === undefined ? '' : `/${named}`}`;
  const allowed = params.allowedValues ?? (error.keyword === 'const' ? [params.allowedValue] : undefined);
  const message = params.additionalProperty !== undefined ? 'not a manifest field here' : params.missingProperty !== undefined ? 'missing' : allowed ? `must be one of: ${allowed.map(String).join(', ')}` : (error.message ?? 'is invalid');
  return { pointer, message, ...(allowed ? { allowed } : {}) };
}
