// Ids remembered for a while, each to be taken once: two generations, the older dropped when a
// window has passed since the newer began, so an id nobody takes (its record read back before it
// was added) is forgotten after one to two windows instead of piling up.
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  private since: number;

  constructor(private readonly windowMs: number, private readonly now: () => number = Date.now) {
    this.since = now();
  }

  add(ids: readonly string[]): void {
    if (this.now() - this.since >= this.windowMs) {
      this.previous = this.current;
      this.current = new Set();
      this.since = this.now();
    }
    for (const id of ids) this.current.add(id);
  }

  /** True once for an id added within the last one to two windows (and forgets it). */
  take(id: string): boolean {
    return this.current.delete(id) || this.previous.delete(id);
  }
}
