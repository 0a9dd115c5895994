// Per-client rate limiting: a token bucket refilled continuously at the client's rate per
// minute, with the minute's worth as burst. Over the limit: 429 with Retry-After. The clock is
// injected so tests move time instead of waiting for it.
//
// The limit is the cluster's: with N live instances behind a balancer each keeps a bucket of its
// share (shareOf: rate / N rounded down, at least 1), so a client spreading its requests gets at
// most its rate through all of them. (A client whose requests all land on one instance gets only
// that instance's share; a limit below the instance count still lets one request a minute
// through each.)
import { LRUCache } from 'lru-cache';
import { shareOf } from '../cluster/cluster.js';
import { HubError } from '../errors/catalogue.js';

/** What the bucket said of one request: what the RateLimit header fields advertise. */
export interface RateLimitDecision {
  /** This instance's share of the client's limit: requests per window. */
  quota: number;
  windowSeconds: number;
  /** Requests this instance lets through now, after this one. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Set when the request is refused: seconds until one fits. */
  retryAfterSeconds?: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

const windowSeconds = 60;

/**
 * Buckets kept at most: past it the least recently used client's is dropped and starts full again
 * when it returns, which changes nothing for a client idle a whole window (its bucket has refilled).
 */
const maxBuckets = 10_000;

export class RateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: maxBuckets });

  /** `now`: milliseconds since the epoch; `members`: live instances sharing each client's limit. */
  constructor(private readonly now: () => number = Date.now, private readonly members: () => number = () => 1) {}

  /** Takes one request from the client's bucket, or refuses it (`retryAfterSeconds`). */
  take(clientId: string, perMinute: number): RateLimitDecision {
    const share = shareOf(perMinute, this.members());
    const now = this.now();
    const bucket = this.buckets.get(clientId) ?? { tokens: share, updated: now };
    bucket.tokens = Math.min(share, bucket.tokens + ((now - bucket.updated) / (windowSeconds * 1000)) * share);
    bucket.updated = now;
    this.buckets.set(clientId, bucket);
    const refused = bucket.tokens < 1;
    if (!refused) bucket.tokens -= 1;
    const secondsFor = (tokens: number): number => Math.ceil((tokens / share) * windowSeconds);
    return {
      quota: share,
      windowSeconds,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: secondsFor(share - bucket.tokens),
      ...(refused ? { retryAfterSeconds: Math.max(1, secondsFor(1 - bucket.tokens)) } : {}),
    };
  }
}

/** Throws 429 rate-limited with Retry-After when the decision refused the request. */
export function enforce(decision: RateLimitDecision, perMinute: number, what = 'requests'): void {
  if (decision.retryAfterSeconds !== undefined) throw new HubError('rate-limited', `more than ${perMinute} ${what} a minute`, { retryAfterSeconds: decision.retryAfterSeconds });
}
