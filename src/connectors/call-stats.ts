// What an operator asks of a connector: when it last worked and last failed, and its error
// rate and latency over the last five minutes (one entry per call in memory). A snapshot (the
// last success and failure, and per minute of the window its calls, errors and a bounded sample
// of latencies) is kept on the state layer (call-stats-store.ts), so the figures survive a
// restart: a restored minute counts its calls exactly and weighs its sample by them.

const windowMs = 5 * 60_000;
const minuteMs = 60_000;
/** Latencies kept per minute in a snapshot: evenly spaced order statistics of that minute's. */
const samplePerMinute = 100;

interface Call {
  at: number;
  ms: number;
  ok: boolean;
}

/** One minute of calls as a snapshot keeps it. */
export interface CallMinute {
  /** The minute's start, ms since the epoch. */
  minute: number;
  calls: number;
  errors: number;
  /** Sorted; at most 100, standing for all `calls`. */
  latencies_ms: number[];
}

export interface CallSnapshot {
  last_success_at: string | null;
  last_failure_at: string | null;
  last_failure: string | null;
  minutes: CallMinute[];
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
  /** Minutes from before this process started (a snapshot), older than every call in `calls`. */
  private restored: CallMinute[] = [];
  /** Bumped by every call: a snapshot is written only when it moved. */
  version = 0;

  constructor(private readonly now: () => number = Date.now) {}

  record(ms: number, outcome: { ok: true } | { ok: false; reason: string }): void {
    const at = this.now();
    this.version += 1;
    // Kept as a snapshot keeps it (0.1 ms), so the figures after a restart are the ones before it:
    // a p50 of 3.46 ms showed 3 live and 4 restored from 3.5.
    this.calls.push({ at, ms: roundMs(ms), ok: outcome.ok });
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
    const since = this.now() - windowMs;
    const recent = this.calls.filter((call) => call.at >= since);
    const earlier = this.restored.filter((m) => m.minute + minuteMs > since);
    // Latencies with their weight: a live call counts once, a restored sample value for its share of the minute.
    const weighted: [number, number][] = recent.map((call) => [call.ms, 1]);
    for (const m of earlier) for (const ms of m.latencies_ms) weighted.push([ms, m.calls / m.latencies_ms.length]);
    const count = recent.length + earlier.reduce((sum, m) => sum + m.calls, 0);
    const errors = recent.filter((call) => !call.ok).length + earlier.reduce((sum, m) => sum + m.errors, 0);
    return {
      ...this.lastTimes(),
      calls_5m: count,
      error_rate_5m: count === 0 ? null : errors / count,
      latency_ms_5m: weighted.length === 0 ? null : { p50: quantile(weighted, 0.5), p95: quantile(weighted, 0.95) },
    };
  }

  /** The figures as the state layer keeps them: the window's minutes, restored ones included. */
  snapshot(): CallSnapshot {
    const since = this.now() - windowMs;
    const minutes = new Map<number, { calls: number; errors: number; latencies: [number, number][] }>();
    const minuteOf = (minute: number): { calls: number; errors: number; latencies: [number, number][] } => minutes.get(minute) ?? minutes.set(minute, { calls: 0, errors: 0, latencies: [] }).get(minute)!;
    for (const m of this.restored) {
      if (m.minute + minuteMs <= since) continue;
      const into = minuteOf(m.minute);
      into.calls += m.calls;
      into.errors += m.errors;
      for (const ms of m.latencies_ms) into.latencies.push([ms, m.calls / m.latencies_ms.length]);
    }
    for (const call of this.calls) {
      if (call.at < since) continue;
      const into = minuteOf(call.at - (call.at % minuteMs));
      into.calls += 1;
      if (!call.ok) into.errors += 1;
      into.latencies.push([call.ms, 1]);
    }
    return {
      ...this.lastTimes(),
      minutes: [...minutes].sort(([a], [b]) => a - b).map(([minute, m]) => ({ minute, calls: m.calls, errors: m.errors, latencies_ms: sample(m.latencies) })),
    };
  }

  /** Takes up a snapshot from before a restart; calls recorded since this process started stay, and the newer last success or failure wins. */
  restore(snapshot: CallSnapshot): void {
    const success = snapshot.last_success_at === null ? null : Date.parse(snapshot.last_success_at);
    if (success !== null && (this.lastSuccess === null || success > this.lastSuccess)) this.lastSuccess = success;
    const failure = snapshot.last_failure_at === null ? null : Date.parse(snapshot.last_failure_at);
    if (failure !== null && (this.lastFailure === null || failure > this.lastFailure.at)) this.lastFailure = { at: failure, reason: snapshot.last_failure ?? '' };
    this.restored = snapshot.minutes.filter((m) => m.calls > 0 && m.latencies_ms.length > 0);
  }

  private lastTimes(): Pick<CallSnapshot, 'last_success_at' | 'last_failure_at' | 'last_failure'> {
    return {
      last_success_at: this.lastSuccess === null ? null : new Date(this.lastSuccess).toISOString(),
      last_failure_at: this.lastFailure === null ? null : new Date(this.lastFailure.at).toISOString(),
      last_failure: this.lastFailure?.reason ?? null,
    };
  }
}

/** The weighted q-quantile, rounded to a whole ms (what the status API shows). */
function quantile(weighted: [number, number][], q: number): number {
  return Math.round(quantileOf(weighted, q, weighted.reduce((sum, [, w]) => sum + w, 0)));
}

/** The value where the cumulative weight first passes floor(q * total): with every weight 1, the floor(q * n)-th value. */
function quantileOf(weighted: [number, number][], q: number, total: number): number {
  return quantileOfSorted([...weighted].sort((a, b) => a[0] - b[0]), q, total);
}

/** quantileOf over latencies already sorted by value (sorting once for many quantiles). */
function quantileOfSorted(sorted: [number, number][], q: number, total: number): number {
  const target = Math.min(total - 1, Math.floor(q * total));
  let seen = 0;
  for (const [value, weight] of sorted) {
    seen += weight;
    if (seen > target) return value;
  }
  return sorted[sorted.length - 1]![0];
}

/** At most samplePerMinute evenly spaced (by weight) order statistics of weighted latencies, sorted. */
function sample(weighted: [number, number][]): number[] {
  if (weighted.length <= samplePerMinute && weighted.every(([, w]) => w === 1)) return weighted.map(([ms]) => roundMs(ms)).sort((a, b) => a - b);
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  const count = Math.min(samplePerMinute, Math.round(total));
  const sorted = [...weighted].sort((a, b) => a[0] - b[0]);
  return Array.from({ length: count }, (_, i) => quantileOfSorted(sorted, (i + 0.5) / count, total)).map(roundMs);
}

const roundMs = (ms: number): number => Math.round(ms * 10) / 10;
