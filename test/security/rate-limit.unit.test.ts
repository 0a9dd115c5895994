// The token bucket on an injected clock: the burst, the refusal with its wait, the refill after
// exactly that wait, the figures the RateLimit header fields carry, and buckets kept apart per
// client and shared out among a cluster's instances.
import { describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors/catalogue.js';
import { enforce, RateLimiter } from '../../src/security/rate-limit.js';

const refused = (limiter: RateLimiter, client: string, perMinute: number): boolean => limiter.take(client, perMinute).retryAfterSeconds !== undefined;

describe('RateLimiter', () => {
  it('lets a minute’s worth through at once, then refuses with the seconds until a request fits', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('aplikasi', 60).retryAfterSeconds).toBeUndefined();
    const refusal = limiter.take('aplikasi', 60);
    expect(refusal).toMatchObject({ quota: 60, windowSeconds: 60, remaining: 0, retryAfterSeconds: 1 });
    now += 999;
    expect(refused(limiter, 'aplikasi', 60)).toBe(true);
    now += 1;
    expect(refused(limiter, 'aplikasi', 60)).toBe(false);
    expect(refused(limiter, 'aplikasi', 60)).toBe(true);
  });

  it('keeps a bounded number of buckets: the least recently used client\'s is dropped and starts full', () => {
    const limiter = new RateLimiter(() => 0);
    for (let i = 0; i < 2; i++) limiter.take('aplikasi', 2);
    expect(refused(limiter, 'aplikasi', 2)).toBe(true);
    for (let i = 0; i < 9_999; i++) limiter.take(`klien-${i}`, 2);
    // 10,000 buckets: aplikasi's is still there, and still empty.
    expect(refused(limiter, 'aplikasi', 2)).toBe(true);
    for (let i = 9_999; i < 19_999; i++) limiter.take(`klien-${i}`, 2);
    expect(limiter.take('aplikasi', 2)).toMatchObject({ remaining: 1 });
  });

  it('answers the quota, what remains and the seconds until the bucket is full again', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    expect(limiter.take('aplikasi', 600)).toEqual({ quota: 600, windowSeconds: 60, remaining: 599, resetSeconds: 1 });
    expect(limiter.take('aplikasi', 600)).toEqual({ quota: 600, windowSeconds: 60, remaining: 598, resetSeconds: 1 });
    for (let i = 0; i < 298; i++) limiter.take('aplikasi', 600);
    // Half the bucket used: half a minute until it is full.
    expect(limiter.take('aplikasi', 600)).toMatchObject({ remaining: 299, resetSeconds: 31 });
    now += 30_100;
    expect(limiter.take('aplikasi', 600)).toMatchObject({ remaining: 599, resetSeconds: 1 });
  });

  it('refills continuously up to the burst, never beyond it', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 6; i++) limiter.take('lambat', 6);
    expect(limiter.take('lambat', 6).retryAfterSeconds).toBe(10);
    now += 3_600_000;
    for (let i = 0; i < 6; i++) expect(refused(limiter, 'lambat', 6)).toBe(false);
    expect(refused(limiter, 'lambat', 6)).toBe(true);
  });

  it('keeps each client’s bucket apart', () => {
    const limiter = new RateLimiter(() => 0);
    limiter.take('satu', 1);
    expect(refused(limiter, 'satu', 1)).toBe(true);
    expect(refused(limiter, 'dua', 1)).toBe(false);
  });

  it('enforce turns a refusal into 429 rate-limited with Retry-After, and lets the rest through', () => {
    const limiter = new RateLimiter(() => 0);
    expect(() => enforce(limiter.take('satu', 1), 1)).not.toThrow();
    let error: unknown;
    try {
      enforce(limiter.take('satu', 1), 1);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'rate-limited', status: 429, retryAfterSeconds: 60, message: 'more than 1 requests a minute' });
  });
});

describe('RateLimiter in a cluster', () => {
  it('keeps the live members’ share of each client’s limit: three instances, 60 a minute, 20 each', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now, () => 3);
    const first = limiter.take('aplikasi', 60);
    expect(first).toMatchObject({ quota: 20, remaining: 19 });
    for (let i = 0; i < 19; i++) limiter.take('aplikasi', 60);
    expect(limiter.take('aplikasi', 60).retryAfterSeconds).toBe(3);
    now += 3000;
    expect(refused(limiter, 'aplikasi', 60)).toBe(false);
    expect(refused(limiter, 'aplikasi', 60)).toBe(true);
  });

  it('rounds the share down, so the instances together never let more through than the limit', () => {
    const limiter = new RateLimiter(() => 0, () => 3);
    expect(limiter.take('aplikasi', 100).quota).toBe(33);
  });

  it('follows the member count: a bucket shrinks to the new share when an instance joins', () => {
    let members = 1;
    const limiter = new RateLimiter(() => 0, () => members);
    limiter.take('aplikasi', 60);
    members = 2;
    for (let i = 0; i < 30; i++) expect(refused(limiter, 'aplikasi', 60)).toBe(false);
    expect(refused(limiter, 'aplikasi', 60)).toBe(true);
  });

  it('lets one request through each instance when the limit is below the member count', () => {
    const limiter = new RateLimiter(() => 0, () => 3);
    limiter.take('jarang', 1);
    expect(refused(limiter, 'jarang', 1)).toBe(true);
  });
});
