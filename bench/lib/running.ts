// The processes a benchmark has started (its children, nginx), so each is stopped once: by the
// benchmark when it is done with one, and whatever is left when the benchmark ends or fails.
export interface Stoppable {
  stop(): Promise<void>;
}

export class Running {
  readonly #all = new Set<Stoppable>();

  /** Keeps `child` to stop at the end; returns it. */
  add<T extends Stoppable>(child: T): T {
    this.#all.add(child);
    return child;
  }

  async stop(child: Stoppable): Promise<void> {
    this.#all.delete(child);
    await child.stop();
  }

  /** Stops every one left, all at once; a failure to stop one does not keep the others running. */
  async stopAll(): Promise<void> {
    const left = [...this.#all];
    this.#all.clear();
    await Promise.allSettled(left.map((child) => child.stop()));
  }
}
