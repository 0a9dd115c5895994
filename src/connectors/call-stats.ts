// What an operator asks of a connector: when it last worked and last failed, and its error
// rate and latency over the last five minutes. Each call is kept in a ring of typed arrays
// (recording one costs the same however many are kept; expired calls leave from the head); past
// `maxLiveCalls` the oldest minute is folded into an aggregate like a snapshot's. A snapshot (the
// last success and failure, and per minute of the window its calls, errors and a bounded sample
// of latencies) is kept on the state layer (call-stats-store.ts), so the figures survive a
// restart: a restored minute counts its calls exactly and weighs its sample by them.
// The window runs on a monotonic clock (the wall clock when the figures began, plus the time
// elapsed since): a wall clock stepped back (NTP, an operator) would leave calls "in the future"
// counted long after they expired, and one stepped forward would expire them all at once. Only the
// last success and failure carry the wall clock's time, as an operator reads them.

const windowMs = 5 * 60_000;
const minuteMs = 60_000;
/** Latencies kept per minute in a snapshot: evenly spaced order statistics of that minute's. */
const samplePerMinute = 100;

/** Calls kept one by one (17 bytes each); beyond, the oldest minute is kept as a snapshot keeps it. */
const maxLiveCalls = 100_000;

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

/** The two clocks the figures read; tests give their own to step the wall clock. */
export interface CallClock {
  /** Milliseconds since the epoch, as the system says now. */
  wall(): number;
  /** Milliseconds from any origin, never going back (`performance.now()`). */
  monotonic(): number;
}

const systemClock: CallClock = { wall: () => Date.now(), monotonic: () => performance.now() };

export class CallStats {
  private readonly calls = new CallRing();
  private lastSuccess: number | null = null;
  private lastFailure: { at: number; reason: string } | null = null;
  /** Minutes kept as aggregates, older than every call in `calls`: from a snapshot taken before this process started, or folded when the calls outgrew maxLiveCalls. */
  private aggregated: CallMinute[] = [];
  /** Bumped by every call: a snapshot is written only when it moved. */
  version = 0;

  /** The wall clock's time when the monotonic clock read 0: the window's times are this plus the monotonic clock. */
  private readonly origin: number;

  constructor(private readonly clock: CallClock = systemClock) {
    this.origin = clock.wall() - clock.monotonic();
  }

  record(ms: number, outcome: { ok: true } | { ok: false; reason: string }): void {
    const at = this.now();
    this.version += 1;
    // Kept as a snapshot keeps it (0.1 ms), so the figures after a restart are the ones before it:
    // a p50 of 3.46 ms showed 3 live and 4 restored from 3.5.
    this.calls.push(at, roundMs(ms), outcome.ok);
    if (outcome.ok) this.lastSuccess = this.clock.wall();
    else this.lastFailure = { at: this.clock.wall(), reason: outcome.reason };
    const since = at - windowMs;
    this.calls.dropWhile((calledAt) => calledAt < since);
    if (this.calls.size > maxLiveCalls) this.foldOldestMinute(at - windowMs);
  }

  lastSuccessAt(): number | null {
    return this.lastSuccess;
  }

  lastFailureAt(): number | null {
    return this.lastFailure?.at ?? null;
  }

  summary(): CallSummary {
    const since = this.now() - windowMs;
    // Latencies with their weight: a live call counts once, an aggregated sample value for its share of the minute.
    const latencies = new Latencies();
    let count = 0;
    let errors = 0;
    this.calls.forEachSince(since, (_at, ms, ok) => {
      latencies.add(ms, 1);
      count += 1;
      if (!ok) errors += 1;
    });
    for (const m of this.aggregated) {
      if (m.minute + minuteMs <= since) continue;
      for (const ms of m.latencies_ms) latencies.add(ms, m.calls / m.latencies_ms.length);
      count += m.calls;
      errors += m.errors;
    }
    const [p50, p95] = latencies.size === 0 ? [] : latencies.at([0.5, 0.95]).map(Math.round);
    return {
      ...this.lastTimes(),
      calls_5m: count,
      error_rate_5m: count === 0 ? null : errors / count,
      latency_ms_5m: p50 === undefined || p95 === undefined ? null : { p50, p95 },
    };
  }

  /** The figures as the state layer keeps them: the window's minutes, aggregated ones included. */
  snapshot(): CallSnapshot {
    const since = this.now() - windowMs;
    const minutes = new Map<number, { calls: number; errors: number; latencies: Latencies }>();
    const minuteOf = (minute: number): { calls: number; errors: number; latencies: Latencies } => minutes.get(minute) ?? minutes.set(minute, { calls: 0, errors: 0, latencies: new Latencies() }).get(minute)!;
    for (const m of this.aggregated) {
      if (m.minute + minuteMs <= since) continue;
      const into = minuteOf(m.minute);
      into.calls += m.calls;
      into.errors += m.errors;
      for (const ms of m.latencies_ms) into.latencies.add(ms, m.calls / m.latencies_ms.length);
    }
    this.calls.forEachSince(since, (at, ms, ok) => {
      const into = minuteOf(at - (at % minuteMs));
      into.calls += 1;
      if (!ok) into.errors += 1;
      into.latencies.add(ms, 1);
    });
    return {
      ...this.lastTimes(),
      minutes: [...minutes].sort(([a], [b]) => a - b).map(([minute, m]) => ({ minute, calls: m.calls, errors: m.errors, latencies_ms: sample(m.latencies) })),
    };
  }

  /** The window's time: epoch milliseconds that never go back (see the top of the file). */
  private now(): number {
    return this.origin + this.clock.monotonic();
  }

  /** Takes up a snapshot from before a restart; calls recorded since this process started stay, and the newer last success or failure wins. */
  restore(snapshot: CallSnapshot): void {
    const success = snapshot.last_success_at === null ? null : Date.parse(snapshot.last_success_at);
    if (success !== null && (this.lastSuccess === null || success > this.lastSuccess)) this.lastSuccess = success;
    const failure = snapshot.last_failure_at === null ? null : Date.parse(snapshot.last_failure_at);
    if (failure !== null && (this.lastFailure === null || failure > this.lastFailure.at)) this.lastFailure = { at: failure, reason: snapshot.last_failure ?? '' };
    this.aggregated = [...snapshot.minutes.filter((m) => m.calls > 0 && m.latencies_ms.length > 0), ...this.aggregated];
  }

  /** The calls of the oldest live minute become one aggregated minute (a snapshot's), and expired aggregates leave. */
  private foldOldestMinute(since: number): void {
    const minute = this.calls.oldestAt() - (this.calls.oldestAt() % minuteMs);
    const folded = { calls: 0, errors: 0, latencies: new Latencies() };
    this.calls.dropWhile((at, ms, ok) => {
      if (at >= minute + minuteMs) return false;
      folded.calls += 1;
      if (!ok) folded.errors += 1;
      folded.latencies.add(ms, 1);
      return true;
    });
    this.aggregated = this.aggregated.filter((m) => m.minute + minuteMs > since);
    this.aggregated.push({ minute, calls: folded.calls, errors: folded.errors, latencies_ms: sample(folded.latencies) });
  }

  private lastTimes(): Pick<CallSnapshot, 'last_success_at' | 'last_failure_at' | 'last_failure'> {
    return {
      last_success_at: this.lastSuccess === null ? null : new Date(this.lastSuccess).toISOString(),
      last_failure_at: this.lastFailure === null ? null : new Date(this.lastFailure.at).toISOString(),
      last_failure: this.lastFailure?.reason ?? null,
    };
  }
}

/** Calls in the order recorded, in typed arrays used as a ring that doubles when full: no object per call for the GC to carry for five minutes. */
class CallRing {
  private at = new Float64Array(1024);
  private ms = new Float64Array(1024);
  private ok = new Uint8Array(1024);
  private head = 0;
  size = 0;

  push(at: number, ms: number, ok: boolean): void {
    if (this.size === this.at.length) this.grow();
    const i = (this.head + this.size) % this.at.length;
    this.at[i] = at;
    this.ms[i] = ms;
    this.ok[i] = ok ? 1 : 0;
    this.size += 1;
  }

  oldestAt(): number {
    return this.at[this.head]!;
  }

  /** Drops calls from the oldest while `drop` says so. */
  dropWhile(drop: (at: number, ms: number, ok: boolean) => boolean): void {
    while (this.size > 0 && drop(this.at[this.head]!, this.ms[this.head]!, this.ok[this.head] === 1)) {
      this.head = (this.head + 1) % this.at.length;
      this.size -= 1;
    }
  }

  /** Every call recorded at `since` or later, oldest first. */
  forEachSince(since: number, visit: (at: number, ms: number, ok: boolean) => void): void {
    for (let n = 0; n < this.size; n += 1) {
      const i = (this.head + n) % this.at.length;
      if (this.at[i]! >= since) visit(this.at[i]!, this.ms[i]!, this.ok[i] === 1);
    }
  }

  private grow(): void {
    const length = this.at.length * 2;
    const at = new Float64Array(length);
    const ms = new Float64Array(length);
    const ok = new Uint8Array(length);
    for (let n = 0; n < this.size; n += 1) {
      const i = (this.head + n) % this.at.length;
      at[n] = this.at[i]!;
      ms[n] = this.ms[i]!;
      ok[n] = this.ok[i]!;
    }
    this.at = at;
    this.ms = ms;
    this.ok = ok;
    this.head = 0;
  }
}

/**
 * Latencies and the calls each stands for: 1 for a live call, a share of its minute for a
 * snapshot's sample value. Live ones are sorted as a Float64Array (a numeric sort, no
 * comparator), the few weighted ones as pairs; order statistics walk both at once.
 */
class Latencies {
  private readonly live: number[] = [];
  private readonly weighted: [number, number][] = [];
  private weightedTotal = 0;

  add(ms: number, weight: number): void {
    if (weight === 1) this.live.push(ms);
    else {
      this.weighted.push([ms, weight]);
      this.weightedTotal += weight;
    }
  }

  get size(): number {
    return this.live.length + this.weighted.length;
  }

  /** The calls they stand for: a whole number (a minute's sample values share its calls), rounded so that float sums do not move a quantile's rank. */
  get total(): number {
    return this.live.length + Math.round(this.weightedTotal);
  }

  /** Every value sorted, when each stands for one call; undefined otherwise. */
  unweighted(): number[] | undefined {
    return this.weighted.length === 0 ? [...Float64Array.from(this.live).sort()] : undefined;
  }

  /** For each q (ascending), the value where the cumulative weight first passes floor(q * total): with every weight 1, the floor(q * n)-th value. */
  at(qs: readonly number[]): number[] {
    const live = Float64Array.from(this.live).sort();
    const weighted = [...this.weighted].sort((a, b) => a[0] - b[0]);
    const total = this.total;
    const targets = qs.map((q) => Math.min(total - 1, Math.floor(q * total)));
    const values: number[] = [];
    let seen = 0;
    let last = Number.NaN;
    for (let i = 0, j = 0; values.length < targets.length && (i < live.length || j < weighted.length);) {
      const fromLive = j >= weighted.length || (i < live.length && live[i]! <= weighted[j]![0]);
      last = fromLive ? live[i++]! : weighted[j]![0];
      seen += fromLive ? 1 : weighted[j++]![1];
      while (values.length < targets.length && seen > targets[values.length]!) values.push(last);
    }
    while (values.length < targets.length) values.push(last);
    return values;
  }
}

/** At most samplePerMinute evenly spaced (by weight) order statistics of weighted latencies, sorted. */
function sample(latencies: Latencies): number[] {
  const all = latencies.size <= samplePerMinute ? latencies.unweighted() : undefined;
  if (all) return all.map(roundMs);
  const count = Math.min(samplePerMinute, Math.round(latencies.total));
  return latencies.at(Array.from({ length: count }, (_, i) => (i + 0.5) / count)).map(roundMs);
}

const roundMs = (ms: number): number => Math.round(ms * 10) / 10;
