// One connector at run time: its upstream client, settings, quota and circuit, and the one way
// every operation calls the upstream, through the resilience kit: an overall deadline, retries
// for idempotent calls, the circuit breaker, a bulkhead (concurrency limit with a bounded
// queue), quota awareness, and the record of every call for metrics and the status API.
// With several instances the concurrency limit is the cluster's: each instance takes its share
// (shareAmong), so the upstream sees at most `concurrency` calls from the hub at once (one per
// instance when there are more instances than that).
import type { Logger } from 'pino';
import { shareOf } from '../cluster/cluster.js';
import { HubError } from '../errors/catalogue.js';
import { CallStats } from './call-stats.js';
import { BulkheadRejectedError, bulkhead, bulkheadLoad, Circuit, DeadlineExceeded, defaultBreaker, QuotaGate, Retrier, TaskCancelledError, withDeadline, type BulkheadPolicy, type CircuitState } from '../resilience/index.js';
import type { LoadedConnector } from './discovery.js';
import type { ResilienceSettings } from './manifest.js';
import { UpstreamError, type ConnectorContext, type UpstreamRequest, type UpstreamResponse } from './sdk.js';
import { UpstreamClient } from './upstream-client.js';
import { isUpstreamFailure } from './upstream-failure.js';

/** How a call ended: answered (success or a refusal such as not-found), failed, or not made. */
export type CallOutcome = 'success' | 'refused' | 'failure' | 'circuit-open' | 'quota-exhausted' | 'busy';

/** Told about every call and circuit change (the hub's metrics implement it). */
export interface ConnectorObserver {
  call(connector: string, operation: string, outcome: CallOutcome, seconds: number): void;
  circuit(connector: string, operation: string, state: CircuitState): void;
}

const defaults = { timeoutMs: 5000, retries: 2, concurrency: 8, maxQueue: 100 };
const retryBaseMs = 100;
const retryCapMs = 2000;

export class ConnectorRuntime {
  readonly id: string;
  readonly context: ConnectorContext;
  readonly quota: QuotaGate | undefined;
  readonly circuit: Circuit;
  /** Circuits of operations that have their own (manifest `circuit: operation`). */
  readonly operationCircuits = new Map<string, Circuit>();
  readonly stats = new CallStats();
  private readonly client: UpstreamClient;
  private readonly resilience: typeof defaults & { deadlineMs: number };
  /** Retries of idempotent calls, built once (not per call). */
  private readonly retrier: Retrier;
  private bulkhead: BulkheadPolicy;
  /** This instance's share of `concurrency`. */
  private slots: number;

  constructor(readonly loaded: LoadedConnector, baseUrl: string, settings: Record<string, string>, private readonly logger: Logger, private readonly observer?: ConnectorObserver, deploymentOptions: Record<string, unknown> = {}) {
    this.id = loaded.manifest.id;
    const configured: ResilienceSettings = loaded.manifest.resilience ?? {};
    this.resilience = { ...defaults, deadlineMs: configured.timeoutMs ?? defaults.timeoutMs, ...configured };
    this.client = new UpstreamClient({ baseUrl, ...this.resilience });
    this.retrier = new Retrier({ attempts: 1 + this.resilience.retries, baseMs: retryBaseMs, capMs: retryCapMs, retryable: isUpstreamFailure });
    this.slots = this.resilience.concurrency;
    this.bulkhead = bulkhead(this.slots, this.resilience.maxQueue);
    this.context = { settings, options: mergeOptions(loaded.manifest.options ?? {}, deploymentOptions), now: () => new Date() };
    this.quota = configured.dailyQuota ? new QuotaGate() : undefined;
    const breaker = { ...defaultBreaker, ...configured.breaker };
    const circuitFor = (operation: string): Circuit => new Circuit(operation === '*' ? this.id : `${this.id}:${operation}`, breaker, isUpstreamFailure, (state) => {
      this.logger.warn({ connector: this.id, operation, circuit: state }, `circuit ${state}`);
      this.observer?.circuit(this.id, operation, state);
    });
    this.circuit = circuitFor('*');
    for (const [operationId, operation] of Object.entries(loaded.manifest.operations)) {
      if ('circuit' in operation && operation.circuit === 'operation') this.operationCircuits.set(operationId, circuitFor(operationId));
    }
  }

  get baseUrl(): string {
    return this.client.baseUrl;
  }

  load(): { active: number; waiting: number } {
    return bulkheadLoad(this.bulkhead, this.slots, this.resilience.maxQueue);
  }

  /** Calls this instance may have in flight to the upstream at once. */
  get concurrency(): number {
    return this.slots;
  }

  /**
   * Takes this instance's share of the upstream's concurrency among `members` live instances.
   * Calls already in flight finish on the old limit (a brief overshoot while membership changes).
   */
  shareAmong(members: number): void {
    const slots = shareOf(this.resilience.concurrency, members);
    if (slots === this.slots) return;
    this.slots = slots;
    this.bulkhead = bulkhead(slots, this.resilience.maxQueue);
  }

  /**
   * Sends `request` and reads the answer with `read` (the mapping), within the connector's
   * deadline. Idempotent calls that fail in a retryable way are tried again with exponential
   * backoff and full jitter while the deadline allows; at the deadline the call in flight is
   * cancelled and the caller gets upstream-timeout.
   */
  async call<T>(operationId: string, request: UpstreamRequest, read: (response: UpstreamResponse) => T, options: { idempotent: boolean }): Promise<T> {
    const { deadlineMs } = this.resilience;
    try {
      // withDeadline stops waiting at the deadline, a pause between retries included.
      return await withDeadline(deadlineMs, (signal) => options.idempotent
        ? this.retrier.runWithin(() => this.attempt(operationId, request, read, signal), signal)
        : this.attempt(operationId, request, read, signal));
    } catch (error) {
      if (error instanceof DeadlineExceeded) throw new UpstreamError('upstream-timeout', `no answer within the ${deadlineMs} ms deadline`, { retryable: true });
      throw error;
    }
  }

  private async attempt<T>(operationId: string, request: UpstreamRequest, read: (response: UpstreamResponse) => T, signal: AbortSignal): Promise<T> {
    const started = performance.now();
    try {
      const blockedUntil = this.quota?.blockedUntil();
      if (blockedUntil) throw new UpstreamError('upstream-quota-exhausted', `the daily quota is used up; it resets at ${blockedUntil.toISOString()}`, { retryAt: blockedUntil });
      const circuit = this.operationCircuits.get(operationId) ?? this.circuit;
      const result = await circuit.run(() => this.bulkhead.execute(async ({ signal: slot }) => read(await this.client.send(request, slot)), signal));
      this.record(operationId, 'success', started);
      return result;
    } catch (caught) {
      const error = caught instanceof BulkheadRejectedError
        ? new HubError('upstream-busy', `${this.slots} calls are in flight and ${this.resilience.maxQueue} waiting`, { retryAfterSeconds: 1 })
        : caught instanceof TaskCancelledError ? new UpstreamError('upstream-timeout', 'the deadline passed while the call waited for a free slot', { retryable: true }) : caught;
      this.record(operationId, outcomeOf(error), started, error);
      if (error instanceof UpstreamError && error.code === 'upstream-quota-exhausted' && this.quota?.state().status !== 'exhausted') {
        this.quota?.exhaust(error.retryAt);
        this.logger.warn({ connector: this.id, operation: operationId, resetsAt: this.quota?.state().resetsAt }, 'upstream quota exhausted; calls stop until it resets');
      }
      throw error;
    }
  }

  shutdown(): void {
    this.circuit.shutdown();
    for (const circuit of this.operationCircuits.values()) circuit.shutdown();
  }

  private record(operationId: string, outcome: CallOutcome, started: number, error?: unknown): void {
    const ms = performance.now() - started;
    this.observer?.call(this.id, operationId, outcome, ms / 1000);
    if (outcome === 'success' || outcome === 'refused') this.stats.record(ms, { ok: true });
    else if (outcome === 'failure') this.stats.record(ms, { ok: false, reason: error instanceof Error ? error.message : String(error) });
  }
}

function outcomeOf(error: unknown): CallOutcome {
  if (error instanceof HubError && error.code === 'circuit-open') return 'circuit-open';
  if (error instanceof HubError && error.code === 'upstream-busy') return 'busy';
  if (error instanceof UpstreamError && error.code === 'upstream-quota-exhausted') return 'quota-exhausted';
  return isUpstreamFailure(error) ? 'failure' : 'refused';
}

/** The manifest's options with a deployment's values merged over them, objects key by key. */
export function mergeOptions(manifest: Record<string, unknown>, deployment: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...manifest };
  for (const [key, value] of Object.entries(deployment)) {
    const base = merged[key];
    const bothObjects = [base, value].every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    merged[key] = bothObjects ? mergeOptions(base as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return merged;
}
