// retrying() on a long-lived signal (a consumer's stop signal, an embedded-bus member's) must
// leave nothing behind on it: one listener per handled record would grow without bound.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { retrying } from '../../src/resilience/policies.js';

describe('retrying', () => {
  it('removes its abort listener from the caller signal once each run settles', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 50; i++) await retrying(async () => i, { attempts: 3, baseMs: 1, capMs: 1 }, stop.signal);
    await expect(retrying(async () => Promise.reject(new Error('nope')), { attempts: 2, baseMs: 1, capMs: 1 }, stop.signal)).rejects.toThrow('nope');
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('still stops waiting when the caller signal aborts mid-run', async () => {
    const stop = new AbortController();
    const running = retrying(() => new Promise<never>(() => undefined), { attempts: 1, baseMs: 1, capMs: 1 }, stop.signal);
    stop.abort(new Error('stopping'));
    await expect(running).rejects.toThrow('stopping');
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
