// The hub's control-plane state: small tables of records keyed by a string (clients and key
// hashes, subscriptions, named cursors, dead-letter decisions, circuit overrides, signing keys,
// poll cursors, flow progress, OPD services and grants). Every instance keeps all of it in
// memory and reads from there; a write resolves once it is durable (Kafka: acknowledged by every
// in-sync replica of the compacted control topic; embedded: committed to SQLite) and the writer
// sees it at once. Other instances see it once they have followed the change (within 2 s).
// Kafka Connect keeps its configs, offsets and status the same way.

/** One change to a table, from this instance (`local`) or from another one (`remote`). */
export interface StateChange<T> {
  table: string;
  key: string;
  /** undefined: the record was deleted. */
  value: T | undefined;
  origin: 'local' | 'remote';
}

export interface StateTable<T> {
  readonly name: string;
  get(key: string): T | undefined;
  /** A snapshot, in key order. */
  entries(): [string, T][];
  readonly size: number;
  /** Resolves once the record is durable; visible to `get` on this instance when it resolves. */
  put(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  /** Called after every change, local or remote; returns the function that stops it. */
  onChange(listener: (change: StateChange<T>) => void): () => void;
}

export interface StateLayer {
  /** `kafka`: shared by every instance on the cluster; `embedded`: this process only. */
  readonly kind: 'kafka' | 'embedded';
  /** The same table object for the same name; usable once `start` has resolved. */
  table<T>(name: string): StateTable<T>;
  /** Loads every table (Kafka: reads the control topic to its end) and follows changes. */
  start(): Promise<void>;
  /** Records held per table (for the metrics). */
  sizes(): { table: string; records: number }[];
  close(): Promise<void>;
}

const tableName = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * What both backends share: the in-memory copy of every table and its listeners. A backend
 * supplies how a change is made durable and then visible here (`persist`, which calls `apply`
 * once the change is durable) and calls `apply` for every change it reads back from its log.
 */
export abstract class MaterialisedState implements StateLayer {
  abstract readonly kind: 'kafka' | 'embedded';
  private readonly records = new Map<string, Map<string, unknown>>();
  private readonly listeners = new Map<string, Set<(change: StateChange<unknown>) => void>>();
  private readonly tables = new Map<string, StateTable<unknown>>();

  abstract start(): Promise<void>;
  abstract close(): Promise<void>;
  /** Makes a change durable, then applies it here (read-your-own-write); `value` undefined deletes. */
  protected abstract persist(table: string, key: string, value: unknown): Promise<void>;

  sizes(): { table: string; records: number }[] {
    return [...this.records].map(([table, rows]) => ({ table, records: rows.size }));
  }

  table<T>(name: string): StateTable<T> {
    if (!tableName.test(name)) throw new Error(`state table name "${name}" must be lowercase letters, digits and dashes`);
    let table = this.tables.get(name);
    if (!table) {
      table = this.makeTable(name);
      this.tables.set(name, table);
    }
    return table as StateTable<T>;
  }

  /**
   * Records a change read from the backend's log (or just persisted) and tells the listeners,
   * only when it changes something: an instance reading back its own write, or a record it
   * already holds, stays silent.
   */
  protected apply(table: string, key: string, value: unknown, origin: 'local' | 'remote'): void {
    let rows = this.records.get(table);
    if (!rows) {
      rows = new Map();
      this.records.set(table, rows);
    }
    if (value === undefined) {
      if (!rows.delete(key)) return;
    } else {
      if (rows.has(key) && JSON.stringify(rows.get(key)) === JSON.stringify(value)) return;
      rows.set(key, value);
    }
    for (const listener of this.listeners.get(table) ?? []) {
      try {
        listener({ table, key, value, origin });
      } catch {
        // A listener's failure is its own; the state is already applied and others still hear of it.
      }
    }
  }

  private makeTable(name: string): StateTable<unknown> {
    const rows = (): Map<string, unknown> => this.records.get(name) ?? new Map<string, unknown>();
    const write = (key: string, value: unknown): Promise<void> => this.persist(name, key, value);
    return {
      name,
      get: (key) => rows().get(key),
      entries: () => [...rows().entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      get size() {
        return rows().size;
      },
      put: (key, value) => write(key, value),
      delete: (key) => write(key, undefined),
      onChange: (listener) => {
        let set = this.listeners.get(name);
        if (!set) {
          set = new Set();
          this.listeners.set(name, set);
        }
        set.add(listener);
        return () => set.delete(listener);
      },
    };
  }
}
