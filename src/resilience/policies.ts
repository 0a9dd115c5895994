// The hub's resilience policies, all on cockatiel: an overall deadline, retries with capped
// exponential backoff and full jitter, and bulkheads (a concurrency limit with a bounded
// queue). Every retry in the hub goes through `retrying`, so there is one backoff formula.
import { bulkhead as cockatielBulkhead, ExponentialBackoff, fullJitterGenerator, handleAll, handleWhen, retry, TaskCancelledError, timeout, TimeoutStrategy, type BulkheadPolicy, type RetryPolicy } from 'cockatiel';

export { BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
export type { BulkheadPolicy } from 'cockatiel';

export interface RetrySettings {
  /** Tries in all, the first included; `Infinity` retries until cancelled. */
  attempts: number;
  /** The first pause is up to this long. */
  baseMs: number;
  /** No pause is longer. */
  capMs: number;
  /** Which errors are worth another try (default: all). */
  retryable?: (error: unknown) => boolean;
  /** Told before each pause (logs, metrics). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `work` until it succeeds, an error is not retryable, the attempts are spent or `signal`
 * aborts; the last error is thrown. `attempt` counts from 1.
 */
export function retrying<T>(work: (attempt: number, signal: AbortSignal) => Promise<T>, settings: RetrySettings, signal?: AbortSignal): Promise<T> {
  return new Retrier(settings).run(work, signal);
}

/**
 * `retrying` with its policy built once, for settings used on every call (a connector's): the
 * policy, its backoff and its predicate are then not rebuilt per call.
 */
export class Retrier {
  private readonly policy: RetryPolicy;

  constructor(settings: RetrySettings) {
    // Full jitter (AWS, "Exponential backoff and jitter"): each pause drawn from [0, min(cap, base·2ⁿ)).
    // cockatiel retries only while the signal given to execute() is not aborted.
    this.policy = retry(settings.retryable ? handleWhen(settings.retryable) : handleAll, {
      maxAttempts: settings.attempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: settings.baseMs, maxDelay: settings.capMs, generator: fullJitterGenerator }),
    });
    if (settings.onRetry) this.policy.onRetry((event) => 'error' in event && settings.onRetry!(event.error, event.attempt, event.delay));
  }

  /** As `retrying`: when `signal` aborts, stops waiting at once, even in a pause between attempts. */
  async run<T>(work: (attempt: number, signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = this.runWithin(work, signal);
    if (!signal) return run;
    // cockatiel's pause between attempts does not listen to the signal: stop waiting for it.
    // The listener goes once the run settles: long-lived signals (a consumer's stop signal)
    // would otherwise keep one closure per record ever handled.
    run.catch(() => undefined);
    let cancelled: (() => void) | undefined;
    try {
      return await Promise.race([run, new Promise<never>((_, reject) => {
        cancelled = (): void => reject(signal.reason instanceof Error ? signal.reason : new TaskCancelledError('cancelled'));
        if (signal.aborted) cancelled();
        else signal.addEventListener('abort', cancelled, { once: true });
      })]);
    } finally {
      if (cancelled) signal.removeEventListener('abort', cancelled);
    }
  }

  /**
   * For a caller that already stops waiting when `signal` aborts (withDeadline rejects at its
   * deadline): no attempt starts after the abort, but a pause under way is not cut short.
   */
  runWithin<T>(work: (attempt: number, signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.policy.execute(({ attempt, signal: inner }) => {
      if (inner.aborted) throw new TaskCancelledError('cancelled between attempts');
      return work(attempt + 1, inner);
    }, signal);
  }
}

/**
 * Runs `work` under an overall deadline: at `ms` the returned promise rejects with
 * `DeadlineExceeded` and `work`'s signal aborts, whatever it was doing (waiting for a slot,
 * a call, a pause between retries).
 */
export async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  let inner: AbortSignal | undefined;
  try {
    return await deadlinePolicy(ms).execute(({ signal: given }) => work((inner = given)), signal);
  } catch (error) {
    // Whichever settles first at the deadline: the timeout itself, or the work reacting to its
    // aborted signal. The policy aborts that signal only at the deadline or with the caller's
    // (abortOnReturn off); the clock is no witness, since a timer may fire a fraction of a
    // millisecond before performance.now() says the deadline passed.
    const expired = error instanceof TaskCancelledError || inner?.aborted === true;
    if (expired && !signal?.aborted) throw new DeadlineExceeded(ms);
    throw error;
  }
}

const deadlinePolicies = new Map<number, ReturnType<typeof timeout>>();

/**
 * One timeout policy per deadline length, made once (the deadlines in use are a few settings).
 * Its signal aborts only at the deadline: aborting it after the work returned, cockatiel's
 * default, cancels nothing that is still running and builds a DOMException on every call.
 */
function deadlinePolicy(ms: number): ReturnType<typeof timeout> {
  let policy = deadlinePolicies.get(ms);
  if (!policy) {
    policy = timeout(ms, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
    deadlinePolicies.set(ms, policy);
  }
  return policy;
}

export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within the ${ms} ms deadline`);
    this.name = 'DeadlineExceeded';
  }
}

/** At most `limit` at once, `queue` more waiting; beyond that `BulkheadRejectedError` at once. */
export function bulkhead(limit: number, queue: number): BulkheadPolicy {
  return cockatielBulkhead(limit, queue);
}

/** Calls in flight and waiting in a bulkhead. */
export function bulkheadLoad(policy: BulkheadPolicy, limit: number, queue: number): { active: number; waiting: number } {
  return { active: limit - policy.executionSlots, waiting: queue - policy.queueSlots };
}

/** A pause that ends early (resolving) when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
