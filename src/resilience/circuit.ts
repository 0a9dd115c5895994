// A circuit breaker (opossum), one per connector or operation. Only the failures `isFailure`
// names count (for upstreams: an unreachable host, a timeout, a 5xx; a refusal such as not
// found means the upstream is working). Open: calls fail at once with 503 circuit-open and Retry-After; after the reset
// timeout one probe goes through (half-open) and its outcome closes or reopens the circuit, so
// no state ever needs a restart. Operators can force it open or closed until released.
import CircuitBreaker from 'opossum';
import { HubError } from '../errors/catalogue.js';

export interface BreakerSettings {
  /** Percentage of failed calls in the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Calls in the rolling window before the percentage is judged. */
  volumeThreshold: number;
  /** How long an open circuit waits before letting a probe through. */
  resetTimeoutMs: number;
  /** The rolling window. */
  rollingWindowMs: number;
}

export type CircuitState = 'closed' | 'half-open' | 'open';
export type ForcedState = 'open' | 'closed' | null;

export const defaultBreaker: BreakerSettings = { errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 10_000, rollingWindowMs: 30_000 };

export class Circuit {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private forced: ForcedState = null;
  private openedAt = 0;

  constructor(readonly connector: string, private readonly settings: BreakerSettings, isFailure: (error: unknown) => boolean, onStateChange: (state: CircuitState) => void) {
    this.breaker = new CircuitBreaker((work: () => Promise<unknown>) => work(), {
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: 10,
      // true = "not a failure": refusals and mapping errors leave the circuit alone.
      errorFilter: (error: unknown) => !isFailure(error),
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      onStateChange('open');
    });
    this.breaker.on('halfOpen', () => onStateChange('half-open'));
    this.breaker.on('close', () => onStateChange('closed'));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.forced === 'open') throw this.openError(this.settings.resetTimeoutMs);
    if (this.forced === 'closed') return work();
    try {
      return (await this.breaker.fire(work)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') throw this.openError(Math.max(0, this.openedAt + this.settings.resetTimeoutMs - Date.now()));
      // Shut down with the hub: a request still in flight then (its retry, say) gets what a new one gets.
      if ((error as { code?: string }).code === 'ESHUTDOWN') throw new HubError('shutting-down', 'the hub stopped calling upstreams while this request was in flight; retry on another instance or after the restart', { retryAfterSeconds: 5 });
      throw error;
    }
  }

  state(): CircuitState {
    if (this.forced) return this.forced;
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  forcedState(): ForcedState {
    return this.forced;
  }

  /** `open` or `closed` holds the circuit there until `null` releases it to the breaker. */
  force(state: ForcedState): void {
    this.forced = state;
    if (state === null) this.breaker.close();
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private openError(retryInMs: number): HubError {
    return new HubError('circuit-open', `the circuit of ${this.connector} is open: its upstream failed too often; calls resume after a successful probe`, { retryAfterSeconds: Math.max(1, Math.ceil(retryInMs / 1000)) });
  }
}
