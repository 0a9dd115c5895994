// The hub's configuration: config/default.yaml, then an optional file named by
// PENGHUBUNG_CONFIG, then environment variables, then (in tests) explicit overrides.
// Validated with ajv at start; a bad value stops the process naming the key and its source.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseYaml } from '../yaml-text.js';
import { projectPath } from '../project-path.js';
import { compileStartSchema } from '../start-schemas.js';

export interface HubConfig {
  mode: 'sandbox' | 'production';
  dataDir: string;
  http: { host: string; port: number; bodyLimitBytes: number; batchMaxEvents: number; cors: { allowedOrigins: string[] } };
  bus: {
    kind: 'auto' | 'kafka' | 'embedded';
    topicPrefix: string;
    partitions: number;
    kafka: { brokers: string[]; clientId: string; replicationFactor: number };
    embedded: { file: string; pollIntervalMs: number };
  };
  outbox: { file: string; relayBatchSize: number; relayIdleMs: number; relayInFlight: number; retentionHours: number };
  events: { strictTypes: boolean; schemaDir: string; idempotencyWindowMinutes: number; pendingClaimSeconds: number; classifications?: Record<string, 'publik' | 'terbatas' | 'rahasia'> };
  flows: { directory: string };
  connectors: {
    directory: string;
    stateFile: string;
    polling: boolean;
    rejectedPerOperation: number;
    /** Sandbox: each simulator in a child process of its own (default), or in the hub's process (tests, for speed). */
    simulators?: 'process' | 'in-process';
    /** A connector folder that fails to load: skipped with one error, or the hub refuses to start. Unset: skip in sandbox, refuse in production. */
    onInvalid?: 'skip' | 'refuse';
    /** connector id → values merged over the manifest's `options` (deployment-specific paths). */
    options?: Record<string, Record<string, unknown>>;
    /** connector id → operation id → overrides of the manifest. */
    operations?: Record<string, Record<string, { pollIntervalSeconds?: number }>>;
  };
  webhooks: { attempts: number; backoffMs: number; timeoutMs: number; allowedNetworks: string[]; allowLoopback: boolean; secretKeyFile: string };
  /** OPD services registered through the API: where their URLs may point (the SSRF policy's exceptions). */
  services: {
    allowedNetworks: string[];
    allowLoopback: boolean;
    /** Calls through /v1/layanan: retries of idempotent operations and the circuit breaker of each service. */
    calls: { retries: number; breaker: { errorThresholdPercentage: number; volumeThreshold: number; resetTimeoutMs: number; rollingWindowMs: number } };
  };
  security: {
    clientsFile: string;
    tokenTtlSeconds: number;
    /** Empty: `<dataDir>-keys/state.key`, made at first start (embedded state or sandbox only). */
    stateKeyFile: string;
    metricsPublic: boolean;
    allowAuditKeyInDataDir: boolean;
    defaultRateLimitPerMinute: number;
    /** The dashboard's own reads fold into one audit row per operator per this many seconds (docs/AUDIT.md). */
    dashboardAuditWindowSeconds: number;
    tls: { enabled: boolean; certFile: string; keyFile: string; clientCaFile: string };
  };
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  shutdown: { graceMs: number };
  /** Hours each store keeps what it is done with (0: everything). */
  retention: {
    intervalSeconds: number;
    busHours: number;
    stateHours: number;
    subscriptionsHours: number;
    flowsHours: number;
    deadLettersHours: number;
    /** What became of the events apps sent (GET /v1/me/deliveries), after the last news of each. */
    deliveriesHours: number;
    rejectedHours: number;
    clientsHours: number;
    auditHours: number;
  };
}

type Tree = Record<string, unknown>;
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const envPrefix = 'PENGHUBUNG_';
/** PENGHUBUNG_* variables that are not configuration keys (the config file, CLI and key settings). */
const notConfiguration = new Set(['PENGHUBUNG_CONFIG', 'PENGHUBUNG_URL', 'PENGHUBUNG_API_KEY', 'PENGHUBUNG_AUDIT_KEY_FILE']);
const defaultFile = projectPath('config', 'default.yaml');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: DeepPartial<HubConfig> = {}): HubConfig {
  const sources = new Map<string, string>();
  const merged: Tree = {};
  mergeInto(merged, readYaml(defaultFile), sources, 'config/default.yaml');
  if (env.PENGHUBUNG_CONFIG) {
    const file = resolve(env.PENGHUBUNG_CONFIG);
    mergeInto(merged, readYaml(file), sources, file);
  }
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(envPrefix) || notConfiguration.has(name) || raw === undefined) continue;
    const path = name.slice(envPrefix.length).split('__').map(camelCase);
    mergeInto(merged, nest(path, parseYaml(raw) as unknown), sources, `environment variable ${name}`);
  }
  if (env.KAFKA_BROKERS) {
    const brokers = env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean);
    mergeInto(merged, { bus: { kafka: { brokers } } }, sources, 'environment variable KAFKA_BROKERS');
  }
  mergeInto(merged, overrides as Tree, sources, 'overrides');

  const validate = compileStartSchema('config.schema.json');
  if (!validate(merged)) {
    const lines = (validate.errors ?? []).map((error) => {
      const pointer = error.instancePath || '';
      const key = [pointer.split('/').filter(Boolean).join('.'), error.params && 'additionalProperty' in error.params ? String(error.params.additionalProperty) : '']
        .filter(Boolean).join('.');
      const source = sourceOf(sources, key) ?? 'config/default.yaml';
      return `  ${key || '(root)'}: ${error.message ?? 'is invalid'} (from ${source})`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return merged as unknown as HubConfig;
}

function readYaml(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed = parseYaml(text) as unknown;
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('the top level must be a mapping');
    return (parsed ?? {}) as Tree;
  } catch (error) {
    throw new ConfigError(`configuration file ${file} is not valid YAML: ${(error as Error).message}`);
  }
}

function mergeInto(target: Tree, layer: Tree, sources: Map<string, string>, source: string, prefix = ''): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isTree(value) && isTree(target[key])) {
      mergeInto(target[key] as Tree, value, sources, source, path);
    } else if (isTree(value)) {
      target[key] = {};
      mergeInto(target[key] as Tree, value, sources, source, path);
    } else {
      target[key] = value;
      sources.set(path, source);
    }
  }
}

function sourceOf(sources: Map<string, string>, key: string): string | undefined {
  for (let path = key; path; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') {
    const source = sources.get(path);
    if (source) return source;
  }
  return undefined;
}

const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);
const camelCase = (part: string): string => part.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const nest = (path: string[], value: unknown): Tree => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Tree;
