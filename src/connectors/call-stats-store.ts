// Keeps each connector's (and OPD service's) call figures (call-stats.ts) on the state layer, so the dashboard's
// "last success", "last failure", error rate and latency survive a restart. Keyed by instance and
// connector: each instance's figures are its own calls, taken up again by the same instance (its
// id lives in dataDir) at its next start. Written every few seconds while calls change, and at stop.
import type { Logger } from 'pino';
import type { StateLayer, StateTable } from '../state/state-layer.js';
import type { CallSnapshot, CallStats } from './call-stats.js';

const everyMs = 5_000;
const stopWaitMs = 2_000;

export class CallStatsStore {
  private readonly table: StateTable<CallSnapshot>;
  private readonly written = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(state: StateLayer, private readonly instance: string, private readonly stats: () => { id: string; stats: CallStats }[], private readonly logger: Logger) {
    this.table = state.table<CallSnapshot>('connector-call-stats');
  }

  /** Restores each connector's figures from its last snapshot, then saves them while they change. */
  start(): void {
    for (const { id, stats } of this.stats()) this.adopt(id, stats);
    this.timer = setInterval(() => void this.save(), everyMs);
    this.timer.unref();
  }

  /** Saves what changed, and stops; waits at most 2 s (a state layer that is down does not hold up shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    let bounded: NodeJS.Timeout | undefined;
    await Promise.race([this.save(), new Promise<void>((done) => (bounded = setTimeout(done, stopWaitMs)))]);
    clearTimeout(bounded);
  }

  /** Saves every connector whose figures moved since its last save (one save at a time). */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      for (const { id, stats } of this.stats()) {
        this.adopt(id, stats);
        const version = stats.version;
        if (this.written.get(id) === version) continue;
        try {
          await this.table.put(this.key(id), stats.snapshot());
          this.written.set(id, version);
        } catch (error) {
          // The state layer is down (Kafka): the figures stay in memory and are saved on a later try.
          this.logger.warn({ err: error, connector: id }, 'could not save the connector call figures; retrying later');
        }
      }
    });
    return this.saving;
  }

  /** A connector seen for the first time (an OPD service registered later too): its figures from before the restart. */
  private adopt(id: string, stats: CallStats): void {
    if (this.written.has(id)) return;
    const snapshot = this.table.get(this.key(id));
    if (snapshot) stats.restore(snapshot);
    // Version 0: no call yet, nothing new to save; calls made before this (a service's) are saved at the next tick.
    this.written.set(id, 0);
  }

  private key(connector: string): string {
    return `${this.instance}/${connector}`;
  }
}
