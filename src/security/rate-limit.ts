// Per-client rate limiting: a token bucket refilled continuously at the client's rate per
// minute, with the minute's worth as burst. Over the limit: 429 with Retry-After. The clock is
// injected so tests move time instead of waiting for it.
//
// The limit is the cluster's: with N live instances behind a balancer each keeps a bucket of
// rate / N, so a client spreading its requests gets at most its rate through all of them. (A
// client whose requests all land on one instance gets only that instance's share; a limit below
// the instance count still lets one request a time through each.)
import { HubError } from '../errors/catalogue.js';

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `now`: milliseconds since the epoch; `members`: live instances sharing each client's limit. */
  constructor(private readonly now: () => number = Date.now, private readonly members: () => number = () => 1) {}

  /** Takes one request from the client's bucket; answers how many more this instance lets through now. */
  take(clientId: string, perMinute: number): number {
    const share = perMinute / Math.max(1, this.members());
    // Room for one request at least, so a limit below the instance count still lets requests through.
    const burst = Math.max(1, share);
    const now = this.now();
    const bucket = this.buckets.get(clientId) ?? { tokens: burst, updated: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) / 60_000) * share);
    bucket.updated = now;
    if (bucket.tokens < 1) {
      this.buckets.set(clientId, bucket);
      const waitSeconds = Math.max(1, Math.ceil(((1 - bucket.tokens) / share) * 60));
      throw new HubError('rate-limited', `more than ${perMinute} requests a minute`, { retryAfterSeconds: waitSeconds });
    }
    bucket.tokens -= 1;
    this.buckets.set(clientId, bucket);
    return Math.floor(bucket.tokens);
  }
}
