// The dashboard's own reads, folded: a dashboard left open refreshes every few seconds, and one
// signed row per read (four per refresh, ~115,000 a day per tab) would bury the exchanges an
// investigation looks for. A read the dashboard makes for itself (GET or HEAD, answered below
// 400) is added to its operator's summary for the current clock minute instead; when the minute
// ends, one entry is recorded in the same signed chain, carrying how many reads it stands for,
// per route, and a digest over their answers. Refused and failed reads, and every change, stay
// one entry each. docs/AUDIT.md describes the summary row.
import { createHash, type Hash } from 'node:crypto';
import type { AuditFolded, AuditInput } from './entry.js';

/** The summary's operation, route and method. */
export const dashboardReads = { operation: 'dashboard:reads', route: '/dashboard', method: 'GET' } as const;

interface Window {
  /** The window's start (ms since the epoch, a multiple of windowMs). */
  start: number;
  client: string | null;
  count: number;
  latencyMs: number;
  first: string;
  last: string;
  firstCorrelation: string;
  routes: Map<string, number>;
  answers: Hash;
}

export class ReadSummary {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: { record(entry: AuditInput): void },
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(windowMs) || windowMs < 1000) throw new TypeError(`ReadSummary: the window must be at least 1000 ms, not ${windowMs}`);
  }

  /** Folds one read (an entry auditHttp would have recorded) into its client's current window. */
  add(entry: AuditInput): void {
    const at = this.now();
    const start = at - (at % this.windowMs);
    const key = entry.client ?? '';
    let window = this.windows.get(key);
    if (window && window.start !== start) {
      this.emit(window);
      window = undefined;
    }
    const time = new Date(at).toISOString();
    if (!window) {
      window = { start, client: entry.client, count: 0, latencyMs: 0, first: time, last: time, firstCorrelation: entry.correlation_id, routes: new Map(), answers: createHash('sha256') };
      this.windows.set(key, window);
    }
    window.count += 1;
    window.latencyMs += entry.latency_ms;
    window.last = time;
    const route = `${entry.method} ${entry.route}`;
    window.routes.set(route, (window.routes.get(route) ?? 0) + 1);
    window.answers.update(`${route}\n${entry.status}\n${entry.response_digest ?? '-'}\n`);
    this.schedule();
  }

  /** Records every open window now (at shutdown, before the audit log closes). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const window of this.windows.values()) this.emit(window);
  }

  /** Wakes at the end of the earliest open window, so its summary is written even when the tab closed. */
  private schedule(): void {
    if (this.timer) return;
    const earliest = Math.min(...[...this.windows.values()].map((w) => w.start));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const current = this.now() - (this.now() % this.windowMs);
      for (const window of [...this.windows.values()]) if (window.start < current) this.emit(window);
      if (this.windows.size) this.schedule();
    }, Math.max(0, earliest + this.windowMs - this.now()) + 5);
    this.timer.unref();
  }

  private emit(window: Window): void {
    this.windows.delete(window.client ?? '');
    const folded: AuditFolded = { count: window.count, first: window.first, last: window.last, routes: Object.fromEntries([...window.routes].sort(([a], [b]) => a.localeCompare(b))) };
    this.log.record({
      time: window.last,
      client: window.client,
      operation: dashboardReads.operation,
      connector: null,
      method: dashboardReads.method,
      route: dashboardReads.route,
      status: 200,
      outcome: 'ok',
      latency_ms: window.latencyMs,
      correlation_id: window.firstCorrelation,
      request_digest: null,
      response_digest: window.answers.digest('hex'),
      folded,
    });
  }
}
