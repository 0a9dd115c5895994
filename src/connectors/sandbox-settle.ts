// The sandbox prints its examples once its lists hold what the first polls read: every poller's
// first run has finished, the outbox has published it all and every consumer (views, flows,
// delivery workers) has caught up, so a listing copied from the start-up output is never empty.
// Readiness does not wait for this (it would slow every start): only the printed guide does.
import { setTimeout as delay } from 'node:timers/promises';
import type { Poller } from './poller.js';

export interface SettleDeps {
  /** The pollers that poll at start (none when polling is off). */
  pollers: Poller[];
  outboxBacklog(): number;
  /** Records the hub's consumers have not committed yet. */
  pendingRecords(): Promise<number>;
  /** Stops waiting (the hub is closing). */
  stopped(): boolean;
}

/** Resolves true once settled, false when `timeoutMs` passed first (or the hub is closing). */
export async function sandboxSettled(deps: SettleDeps, timeoutMs = 20_000, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const firstRuns = Promise.all(deps.pollers.map((poller) => poller.firstRun)).then(() => true);
  if (!(await Promise.race([firstRuns, delay(timeoutMs, false, { ref: false })]))) return false;
  // A chain (a poll's event → a flow → its event in the outbox → a view) is idle only when two
  // readings in a row find nothing waiting: the consumers, then the outbox, then the consumers.
  const pending = (): Promise<number> => deps.pendingRecords().catch(() => Number.POSITIVE_INFINITY);
  let idleReadings = 0;
  while (Date.now() < deadline && !deps.stopped()) {
    const idle = (await pending()) === 0 && deps.outboxBacklog() === 0 && (await pending()) === 0;
    idleReadings = idle ? idleReadings + 1 : 0;
    if (idleReadings === 2) return true;
    await delay(intervalMs, undefined, { ref: false });
  }
  return false;
}
