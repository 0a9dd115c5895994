// Per-client rate limiting: a token bucket refilled continuously at the client's rate per
// minute, with the minute's worth as burst. Over the limit: 429 with Retry-After. The clock is
// injected so tests move time instead of waiting for it.
import { HubError } from '../errors/catalogue.js';

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `now`: milliseconds since the epoch. */
  constructor(private readonly now: () => number = Date.now) {}

  take(clientId: string, perMinute: number): void {
    const now = this.now();
    const bucket = this.buckets.get(clientId) ?? { tokens: perMinute, updated: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.updated) / 60_000) * perMinute);
    bucket.updated = now;
    if (bucket.tokens < 1) {
      this.buckets.set(clientId, bucket);
      const waitSeconds = Math.max(1, Math.ceil(((1 - bucket.tokens) / perMinute) * 60));
      throw new HubError('rate-limited', `more than ${perMinute} requests a minute`, { retryAfterSeconds: waitSeconds });
    }
    bucket.tokens -= 1;
    this.buckets.set(clientId, bucket);
  }
}
