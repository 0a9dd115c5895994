// Named pull consumers' committed positions (PUT /v1/events/cursors/{consumer}), on the
// control-plane state layer, so a consumer continues where it committed whichever instance
// answers its next GET /v1/events.
import type { StateLayer, StateTable } from '../state/state-layer.js';

interface PullCursor {
  client_id: string;
  consumer: string;
  cursor: string;
  updated_at: string;
}

export class PullCursorStore {
  private readonly table: StateTable<PullCursor>;

  constructor(state: StateLayer) {
    this.table = state.table<PullCursor>('pull-cursors');
  }

  get(clientId: string, consumer: string): string | undefined {
    return this.table.get(keyOf(clientId, consumer))?.cursor;
  }

  async set(clientId: string, consumer: string, cursor: string): Promise<void> {
    await this.table.put(keyOf(clientId, consumer), { client_id: clientId, consumer, cursor, updated_at: new Date().toISOString() });
  }

  /** Takes a cursor kept by an earlier version unless the consumer has committed one since. */
  async adopt(clientId: string, consumer: string, cursor: string): Promise<void> {
    if (this.get(clientId, consumer) === undefined) await this.set(clientId, consumer, cursor);
  }
}

// The consumer name (letters, digits, . _ -) holds no line break: the key splits one way only.
const keyOf = (clientId: string, consumer: string): string => `${clientId}\n${consumer}`;
