// Connector manifests: connectors/<id>/manifest.yaml, validated against
// schemas/connector-manifest.schema.json. A bad manifest stops the hub with a message naming
// the file and the field.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { compileSchema } from '../schemas.js';
import type { BreakerSettings } from '../resilience/circuit.js';
import type { Classification } from './sdk.js';

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

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

export function readManifest(file: string, displayName: string): ConnectorManifest {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`${displayName}: not valid YAML: ${(error as Error).message}`);
  }
  const validate = compileSchema('connector-manifest.schema.json');
  if (!validate(parsed)) {
    // oneOf over operation kinds reports every branch; the errors of the branch matching the
    // operation's `kind` are the useful ones, so prefer the deepest paths.
    const errors = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
    const deepest = errors[0]!.instancePath.length;
    const lines = errors
      .filter((error) => error.instancePath.length === deepest && error.keyword !== 'oneOf' && error.keyword !== 'const')
      .map((error) => {
        const named = 'additionalProperty' in error.params ? error.params.additionalProperty : 'missingProperty' in error.params ? error.params.missingProperty : undefined;
        const field = [...error.instancePath.split('/').filter(Boolean), ...(named === undefined ? [] : [String(named)])].join('.');
        return `  ${field || '(top level)'}: ${error.message ?? 'is invalid'}`;
      });
    throw new ManifestError(`${displayName}: invalid manifest:\n${[...new Set(lines)].join('\n') || `  ${errors[0]!.instancePath}: ${errors[0]!.message}`}`);
  }
  return parsed as ConnectorManifest;
}
