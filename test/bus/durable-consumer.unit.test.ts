// The one durable consumer: dedupe by id → handle → retry by policy → park with the reason,
// with what the hub holds back (circuit open) not counted as an attempt.
import { describe, expect, it } from 'vitest';
import { DurableConsumer, StoppedError, type ConsumerHandler, type ConsumerPolicy, type Failure } from '../../src/bus/durable-consumer.js';
import type { BusRecord } from '../../src/bus/event-bus.js';

const record = (id: string, type = 'uji.dibuat'): BusRecord => ({ topic: 't', partition: 0, offset: '0', key: id, timestamp: 0, headers: {}, event: { specversion: '1.0', id, source: '/uji', type } as BusRecord['event'] });
class Refused extends Error {}
class HeldBack extends Error {}
const policy: ConsumerPolicy = { attempts: 3, baseMs: 1, capMs: 2, retryable: (error) => !(error instanceof Refused), deferral: (error) => (error instanceof HeldBack ? 5 : undefined) };

function consumer(handle: ConsumerHandler['handle'], overrides: Partial<ConsumerPolicy> = {}): { consumer: DurableConsumer; handled: Set<string>; parked: { id: string; failure: Failure }[]; attempts: number[] } {
  const handled = new Set<string>();
  const parked: { id: string; failure: Failure }[] = [];
  const attempts: number[] = [];
  const instance = new DurableConsumer({
    accepts: (r) => r.event.type === 'uji.dibuat',
    seen: (r) => handled.has(r.event.id),
    handle: async (r, attempt, signal) => {
      attempts.push(attempt);
      await handle(r, attempt, signal);
      handled.add(r.event.id);
    },
    park: async (r, failure) => void parked.push({ id: r.event.id, failure }),
  }, { ...policy, ...overrides });
  return { consumer: instance, handled, parked, attempts };
}

describe('DurableConsumer', () => {
  it('handles an event once and reports a redelivery as a duplicate, and passes over other types', async () => {
    const { consumer: c, attempts } = consumer(async () => undefined);
    expect(await c.process(record('a'))).toBe('handled');
    expect(await c.process(record('a'))).toBe('duplicate');
    expect(await c.process(record('b', 'uji.lain'))).toBe('ignored');
    expect(attempts).toEqual([1]);
  });

  it('retries a retryable failure and succeeds within the attempts', async () => {
    const { consumer: c, attempts } = consumer(async (_r, attempt) => {
      if (attempt < 3) throw new Error('flaky');
    });
    expect(await c.process(record('a'))).toBe('handled');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('parks after the attempts are spent, with the last error, and goes on with the next record', async () => {
    const { consumer: c, parked, handled } = consumer(async (r) => {
      if (r.event.id === 'racun') throw new Error('always');
    });
    expect(await c.process(record('racun'))).toBe('parked');
    expect(parked).toEqual([{ id: 'racun', failure: { error: new Error('always'), attempts: 3, why: 'exhausted' } }]);
    expect(await c.process(record('berikut'))).toBe('handled');
    expect([...handled]).toEqual(['berikut']);
  });

  it('parks a refusal at once, without retrying', async () => {
    const { consumer: c, parked, attempts } = consumer(async () => {
      throw new Refused('no');
    });
    expect(await c.process(record('a'))).toBe('parked');
    expect(attempts).toEqual([1]);
    expect(parked[0]!.failure.why).toBe('refused');
  });

  it('does not count an attempt the hub held back, and a replay answers deferred at once', async () => {
    let calls = 0;
    const { consumer: c, attempts } = consumer(async () => {
      calls++;
      if (calls === 2 || calls === 3) throw new HeldBack('circuit open');
      if (calls < 5) throw new Error('flaky');
    });
    // 1 fails, 2 and 3 held back (not counted), 4 fails as attempt 2, 5 succeeds as attempt 3.
    expect(await c.process(record('a'))).toBe('handled');
    expect(attempts).toEqual([1, 2, 2, 2, 3]);
    const held = consumer(async () => {
      throw new HeldBack('circuit open');
    });
    expect(await held.consumer.process(record('b'), 'replay')).toBe('deferred');
  });

  it('leaves a record unhandled and unparked when stopped mid-retry', async () => {
    let failedOnce: () => void = () => undefined;
    const firstFailure = new Promise<void>((resolve) => (failedOnce = resolve));
    const { consumer: c, parked } = consumer(async () => {
      failedOnce();
      throw new Error('down');
    }, { attempts: Infinity, baseMs: 10_000, capMs: 10_000 });
    const processing = c.process(record('a'));
    await firstFailure;
    await c.stop();
    await expect(processing).rejects.toBeInstanceOf(StoppedError);
    expect(parked).toEqual([]);
  });
});
