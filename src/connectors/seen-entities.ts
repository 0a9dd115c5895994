// What each inbound entity looked like when the hub last published it (its fingerprints), on
// the control-plane state layer. On Kafka every instance sees it, so the instance that takes
// over a poller after its leader died publishes only what changed since that leader's last run,
// not again everything it never saw itself.
import type { StateLayer, StateTable } from '../state/state-layer.js';
import { tablesSize } from '../state/table-size.js';
import type { PrunableStore } from '../storage/retention.js';
import type { StoreSize } from '../storage/sqlite-store.js';

export interface SeenEntity {
  fingerprint: string;
  /** Fingerprint of the fields an operation tracks for `changes` events. */
  tracked: string;
  eventId: string;
}

interface SeenRecord extends SeenEntity {
  /** When this version was published (ms since the epoch), for retention. */
  seenAt: number;
}

export class SeenEntities implements PrunableStore {
  readonly storeName = 'seen-entities';
  private readonly table: StateTable<SeenRecord>;

  constructor(state: StateLayer) {
    this.table = state.table<SeenRecord>('seen-entities');
  }

  /** The last version of an inbound entity the hub published. */
  seen(connector: string, operation: string, identity: string): SeenEntity | undefined {
    const record = this.table.get(keyOf(connector, operation, identity));
    return record && { fingerprint: record.fingerprint, tracked: record.tracked, eventId: record.eventId };
  }

  /** Resolves once every version is durable (on Kafka: visible to the next leader). */
  async save(connector: string, operation: string, entities: ({ identity: string } & SeenEntity)[]): Promise<void> {
    const seenAt = Date.now();
    await Promise.all(entities.map(({ identity, fingerprint, tracked, eventId }) => this.table.put(keyOf(connector, operation, identity), { fingerprint, tracked, eventId, seenAt })));
  }

  async prune(cutoff: number): Promise<number> {
    const old = this.table.entries().filter(([, record]) => record.seenAt < cutoff);
    await Promise.all(old.map(([key]) => this.table.delete(key)));
    return old.length;
  }

  size(): StoreSize {
    return tablesSize([this.table as StateTable<unknown>]);
  }
}

const keyOf = (connector: string, operation: string, identity: string): string => `${connector}\u0000${operation}\u0000${identity}`;
