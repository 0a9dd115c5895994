// Retention for every store: on a timer, each store forgets what it finished with longer ago
// than its configured window (published events, consumed bus records, old delivery attempts,
// finished flow instances, resolved dead letters…). What is still pending is never pruned.
import type { Logger } from 'pino';
import type { StoreSize } from './sqlite-store.js';

export interface PrunableStore {
  /** Short name for metrics and logs. */
  readonly storeName: string;
  /** Forgets what was finished before `cutoff` (ms since the epoch); returns how many rows went (a store on the state layer: once durable). */
  prune(cutoff: number): number | Promise<number>;
  size(): StoreSize;
}

export interface RetainedStore {
  store: PrunableStore;
  /** 0 keeps everything. */
  retentionMs: number;
}

export interface RetentionObserver {
  pruned(store: string, rows: number): void;
}

/** Counting every row is linear in the store: scrapes within this long reuse the last count. */
const sizesFreshMs = 30_000;

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private measured: { at: number; sizes: { store: string; rows: number; bytes: number }[] } | undefined;

  constructor(
    private readonly stores: RetainedStore[],
    private readonly options: { intervalMs: number; logger: Logger; observer?: RetentionObserver; now?: () => number },
  ) {}

  start(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Prunes every store once; a failing store is logged and the others still pruned. */
  async runOnce(): Promise<Record<string, number>> {
    const now = (this.options.now ?? Date.now)();
    const pruned: Record<string, number> = {};
    this.measured = undefined;
    for (const { store, retentionMs } of this.stores) {
      if (retentionMs <= 0) continue;
      try {
        const rows = await store.prune(now - retentionMs);
        pruned[store.storeName] = rows;
        if (rows > 0) {
          this.options.observer?.pruned(store.storeName, rows);
          this.options.logger.debug({ store: store.storeName, rows }, 'pruned rows past retention');
        }
      } catch (error) {
        this.options.logger.warn({ err: error, store: store.storeName }, 'pruning a store failed; retried at the next interval');
      }
    }
    return pruned;
  }

  /** Rows and bytes of every store, measured at most every 30 s (and after each pruning). */
  sizes(): { store: string; rows: number; bytes: number }[] {
    const now = Date.now();
    if (!this.measured || now - this.measured.at >= sizesFreshMs) this.measured = { at: now, sizes: this.stores.map(({ store }) => ({ store: store.storeName, ...store.size() })) };
    return this.measured.sizes;
  }
}
