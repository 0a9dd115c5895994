// The token bucket on an injected clock: the burst, the refusal with its wait, the refill after
// exactly that wait, and buckets kept apart per client.
import { describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors/catalogue.js';
import { RateLimiter } from '../../src/security/rate-limit.js';

function refusal(take: () => void): HubError {
  try {
    take();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('RateLimiter', () => {
  it('lets a minute’s worth through at once, then refuses with the seconds until a request fits', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 60; i++) limiter.take('aplikasi', 60);
    const refused = refusal(() => limiter.take('aplikasi', 60));
    expect(refused.code).toBe('rate-limited');
    expect(refused.retryAfterSeconds).toBe(1);
    now += 999;
    expect(() => limiter.take('aplikasi', 60)).toThrow(HubError);
    now += 1;
    expect(() => limiter.take('aplikasi', 60)).not.toThrow();
    expect(() => limiter.take('aplikasi', 60)).toThrow(HubError);
  });

  it('refills continuously up to the burst, never beyond it', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 6; i++) limiter.take('lambat', 6);
    expect(refusal(() => limiter.take('lambat', 6)).retryAfterSeconds).toBe(10);
    now += 3_600_000;
    for (let i = 0; i < 6; i++) limiter.take('lambat', 6);
    expect(() => limiter.take('lambat', 6)).toThrow(HubError);
  });

  it('keeps each client’s bucket apart', () => {
    const limiter = new RateLimiter(() => 0);
    limiter.take('satu', 1);
    expect(() => limiter.take('satu', 1)).toThrow(HubError);
    expect(() => limiter.take('dua', 1)).not.toThrow();
  });
});

describe('RateLimiter in a cluster', () => {
  it('keeps the live members’ share of each client’s limit: three instances, 60 a minute, 20 each', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now, () => 3);
    for (let i = 0; i < 20; i++) limiter.take('aplikasi', 60);
    const refused = refusal(() => limiter.take('aplikasi', 60));
    expect(refused.message).toContain('60 requests a minute');
    expect(refused.retryAfterSeconds).toBe(3);
    now += 3000;
    expect(() => limiter.take('aplikasi', 60)).not.toThrow();
    expect(() => limiter.take('aplikasi', 60)).toThrow(HubError);
  });

  it('follows the member count: a bucket shrinks to the new share when an instance joins', () => {
    let members = 1;
    const limiter = new RateLimiter(() => 0, () => members);
    limiter.take('aplikasi', 60);
    members = 2;
    for (let i = 0; i < 30; i++) limiter.take('aplikasi', 60);
    expect(() => limiter.take('aplikasi', 60)).toThrow(HubError);
  });

  it('lets one request through each instance when the limit is below the member count', () => {
    const limiter = new RateLimiter(() => 0, () => 3);
    limiter.take('jarang', 1);
    expect(() => limiter.take('jarang', 1)).toThrow(HubError);
  });
});
