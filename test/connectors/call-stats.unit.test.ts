// A connector's call figures kept as a snapshot and taken up again after a restart: last success
// and failure exactly, calls and errors per minute exactly, latency quantiles from a bounded
// sample weighed by the calls it stands for.
import { expect, it } from 'vitest';
import { CallStats, type CallClock } from '../../src/connectors/call-stats.js';

/** A clock the test moves: `advance` moves both clocks, `stepWall` the wall clock alone (NTP, an operator). */
function testClock(start = Date.parse('2026-12-07T10:00:00Z')): CallClock & { advance(ms: number): void; stepWall(ms: number): void } {
  let wall = start;
  let elapsed = 0;
  return {
    wall: () => wall,
    monotonic: () => elapsed,
    advance(ms) {
      wall += ms;
      elapsed += ms;
    },
    stepWall(ms) {
      wall += ms;
    },
  };
}

it('gives the same figures after a restart as before it', () => {
  const clock = testClock();
  const before = new CallStats(clock);
  for (let i = 0; i < 1000; i += 1) {
    clock.advance(100);
    before.record(i % 100, i % 10 === 0 ? { ok: false, reason: 'HTTP 503' } : { ok: true });
  }
  const figures = before.summary();
  expect(figures).toMatchObject({ calls_5m: 1000, error_rate_5m: 0.1, last_failure: 'HTTP 503', latency_ms_5m: { p50: 50, p95: 95 } });
  const snapshot = JSON.parse(JSON.stringify(before.snapshot())) as ReturnType<CallStats['snapshot']>;
  // 100 s of calls from 10:00:00.1: two minutes (599 and 401 calls), each kept as at most 100 latencies.
  expect(snapshot.minutes.map((m) => [m.calls, m.latencies_ms.length])).toEqual([[599, 100], [401, 100]]);

  const after = new CallStats(clock);
  after.restore(snapshot);
  const restored = after.summary();
  expect(restored).toMatchObject({ last_success_at: figures.last_success_at, last_failure_at: figures.last_failure_at, last_failure: 'HTTP 503', calls_5m: 1000, error_rate_5m: 0.1 });
  expect(Math.abs(restored.latency_ms_5m!.p50 - 50)).toBeLessThanOrEqual(1);
  expect(Math.abs(restored.latency_ms_5m!.p95 - 95)).toBeLessThanOrEqual(1);

  // New calls add to the restored minutes; minutes older than five minutes drop out.
  after.record(7, { ok: true });
  expect(after.summary().calls_5m).toBe(1001);
  expect(after.snapshot().minutes.reduce((sum, m) => sum + m.calls, 0)).toBe(1001);
  clock.advance(6 * 60_000);
  expect(after.summary()).toMatchObject({ calls_5m: 0, error_rate_5m: null, latency_ms_5m: null, last_failure: 'HTTP 503' });
});

it('counts a version that moves with every call, so only changed figures are saved', () => {
  const stats = new CallStats();
  const start = stats.version;
  stats.record(3, { ok: true });
  expect(stats.version).toBe(start + 1);
});

it('shows exactly the same quantiles after a restart when a minute holds few calls (no second rounding)', () => {
  const clock = testClock();
  const before = new CallStats(clock);
  // 3.46 ms is 3 ms rounded once, but 4 ms when rounded to 3.5 for the snapshot and again to show it.
  for (const ms of [2.2, 3.46, 3.47, 8.1]) {
    clock.advance(10);
    before.record(ms, { ok: true });
  }
  const after = new CallStats(clock);
  after.restore(JSON.parse(JSON.stringify(before.snapshot())) as ReturnType<CallStats['snapshot']>);
  expect(after.summary()).toEqual(before.summary());
});

it('keeps exact counts and close quantiles when the calls outgrow what is kept one by one', () => {
  const clock = testClock();
  const stats = new CallStats(clock);
  // 250,000 calls in 250 s (1,000 a second): more than are kept one by one, so older minutes are folded.
  for (let i = 0; i < 250_000; i += 1) {
    if (i % 4 === 0) clock.advance(4);
    stats.record(i % 100, i % 20 === 0 ? { ok: false, reason: 'HTTP 503' } : { ok: true });
  }
  const figures = stats.summary();
  expect(figures).toMatchObject({ calls_5m: 250_000, error_rate_5m: 0.05 });
  expect(Math.abs(figures.latency_ms_5m!.p50 - 50)).toBeLessThanOrEqual(1);
  expect(Math.abs(figures.latency_ms_5m!.p95 - 95)).toBeLessThanOrEqual(1);
  expect(stats.snapshot().minutes.reduce((sum, m) => sum + m.calls, 0)).toBe(250_000);
  // Past the window the folded minutes leave like the live calls.
  clock.advance(6 * 60_000);
  stats.record(5, { ok: true });
  expect(stats.summary()).toMatchObject({ calls_5m: 1, error_rate_5m: 0, latency_ms_5m: { p50: 5, p95: 5 } });
});

it('keeps its five-minute window when the wall clock steps back or forward', () => {
  const clock = testClock();
  const stats = new CallStats(clock);
  for (let i = 0; i < 10; i += 1) {
    clock.advance(1000);
    stats.record(20, { ok: true });
  }
  // Stepped back an hour: the calls before it are still 10 s old, not an hour in the future.
  clock.stepWall(-3_600_000);
  clock.advance(1000);
  stats.record(40, { ok: false, reason: 'HTTP 503' });
  expect(stats.summary()).toMatchObject({ calls_5m: 11, last_failure_at: new Date(clock.wall()).toISOString() });
  // Five minutes later by the monotonic clock, every one of them has left the window.
  clock.advance(5 * 60_000 + 1);
  expect(stats.summary()).toMatchObject({ calls_5m: 0, latency_ms_5m: null });
  stats.record(30, { ok: true });
  expect(stats.summary()).toMatchObject({ calls_5m: 1, latency_ms_5m: { p50: 30, p95: 30 } });
  // Stepped forward an hour: the call of a moment ago is still in the window.
  clock.stepWall(3_600_000);
  clock.advance(1000);
  stats.record(50, { ok: true });
  expect(stats.summary()).toMatchObject({ calls_5m: 2, last_success_at: new Date(clock.wall()).toISOString() });
  expect(stats.snapshot().minutes.reduce((sum, m) => sum + m.calls, 0)).toBe(2);
});
