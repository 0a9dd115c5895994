// What an operator asks of a connector: when it last worked and last failed, and its error
// rate and latency over the last five minutes (kept in memory, one entry per call).

const windowMs = 5 * 60_000;

interface Call {
  at: number;
  ms: number;
  ok: boolean;
}

export interface CallSummary {
  last_success_at: string | null;
  last_failure_at: string | null;
  last_failure: string | null;
  calls_5m: number;
  error_rate_5m: number | null;
  latency_ms_5m: { p50: number; p95: number } | null;
}

export class CallStats {
  private calls: Call[] = [];
  private lastSuccess: number | null = null;
  private lastFailure: { at: number; reason: string } | null = null;

  record(ms: number, outcome: { ok: true } | { ok: false; reason: string }): void {
    const at = Date.now();
    this.calls.push({ at, ms, ok: outcome.ok });
    if (outcome.ok) this.lastSuccess = at;
    else this.lastFailure = { at, reason: outcome.reason };
    if (this.calls.length > 50_000 || this.calls[0]!.at < at - windowMs) this.calls = this.calls.filter((call) => call.at >= at - windowMs);
  }

  lastSuccessAt(): number | null {
    return this.lastSuccess;
  }

  lastFailureAt(): number | null {
    return this.lastFailure?.at ?? null;
  }

  summary(): CallSummary {
    const since = Date.now() - windowMs;
    const recent = this.calls.filter((call) => call.at >= since);
    const latencies = recent.map((call) => call.ms).sort((a, b) => a - b);
    const quantile = (q: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
    return {
      last_success_at: this.lastSuccess === null ? null : new Date(this.lastSuccess).toISOString(),
      last_failure_at: this.lastFailure === null ? null : new Date(this.lastFailure.at).toISOString(),
      last_failure: this.lastFailure?.reason ?? null,
      calls_5m: recent.length,
      error_rate_5m: recent.length === 0 ? null : recent.filter((call) => !call.ok).length / recent.length,
      latency_ms_5m: recent.length === 0 ? null : { p50: quantile(0.5), p95: quantile(0.95) },
    };
  }
}
