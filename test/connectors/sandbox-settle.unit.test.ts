// The sandbox prints its examples once the first polls have reached the views: it waits for the
// pollers' first runs, then for two readings in a row with nothing pending anywhere.
import { describe, expect, it } from 'vitest';
import type { Poller } from '../../src/connectors/poller.js';
import { sandboxSettled } from '../../src/connectors/sandbox-settle.js';

const poller = (firstRun: Promise<void>): Poller => ({ firstRun }) as unknown as Poller;

describe('sandboxSettled', () => {
  it('waits for every first poll, then for the consumers and the outbox to be idle twice in a row', async () => {
    let finishPoll: () => void = () => undefined;
    const firstRun = new Promise<void>((resolve) => (finishPoll = resolve));
    // Pending records fall as the consumers catch up; the outbox empties on the way.
    const pending = [3, 1, 0, 0, 0, 0, 0, 0];
    let readings = 0;
    const settled = sandboxSettled({
      pollers: [poller(Promise.resolve()), poller(firstRun)],
      outboxBacklog: () => (readings < 3 ? 2 : 0),
      pendingRecords: async () => pending[Math.min(readings++, pending.length - 1)]!,
      stopped: () => false,
    }, 5_000, 1);
    // A turn of the event loop: nothing is read while a first poll is still running.
    await new Promise((resolve) => setImmediate(resolve));
    expect(readings).toBe(0);
    finishPoll();
    expect(await settled).toBe(true);
    // Idle at the readings 3+4 and 5+6 (each reading asks the consumers before and after the outbox).
    expect(readings).toBeGreaterThanOrEqual(6);
  });

  it('gives up (false) when a first poll never ends, or when something stays pending', async () => {
    expect(await sandboxSettled({ pollers: [poller(new Promise(() => undefined))], outboxBacklog: () => 0, pendingRecords: async () => 0, stopped: () => false }, 50, 1)).toBe(false);
    expect(await sandboxSettled({ pollers: [], outboxBacklog: () => 0, pendingRecords: async () => 1, stopped: () => false }, 50, 1)).toBe(false);
    expect(await sandboxSettled({ pollers: [], outboxBacklog: () => 0, pendingRecords: () => Promise.reject(new Error('bus down')), stopped: () => false }, 50, 1)).toBe(false);
  });
});
