// The daily quota on an injected clock: exhausted until the next midnight WIB (UTC+7), open
// again the moment it passes, and reopened early by an operator.
import { describe, expect, it } from 'vitest';
import { QuotaGate } from '../../src/resilience/quota.js';

describe('QuotaGate', () => {
  it('blocks until the next midnight WIB, then lets calls out again', () => {
    let now = new Date('2026-11-28T10:00:00Z'); // 17:00 WIB
    const quota = new QuotaGate(() => now);
    expect(quota.state()).toEqual({ status: 'available', resetsAt: null });
    quota.exhaust();
    expect(quota.state()).toEqual({ status: 'exhausted', resetsAt: '2026-11-28T17:00:00.000Z' });
    now = new Date('2026-11-28T16:59:59.999Z');
    expect(quota.blockedUntil()?.toISOString()).toBe('2026-11-28T17:00:00.000Z');
    now = new Date('2026-11-28T17:00:00.000Z');
    expect(quota.blockedUntil()).toBeUndefined();
    expect(quota.state().status).toBe('available');
  });

  it('takes the reset time the upstream names, and an operator’s reopening', () => {
    const now = new Date('2026-11-28T01:00:00Z');
    const quota = new QuotaGate(() => now);
    quota.exhaust(new Date('2026-11-28T02:00:00Z'));
    expect(quota.state().resetsAt).toBe('2026-11-28T02:00:00.000Z');
    quota.reopen();
    expect(quota.state()).toEqual({ status: 'available', resetsAt: null });
  });
});
