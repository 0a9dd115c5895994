// Where each poller continues from (its upstream cursor), on the control-plane state layer: on
// Kafka every instance sees it, so the instance that takes over a poller continues where the
// last leader stopped. No record: start from the beginning.
import type { StateLayer, StateTable } from '../state/state-layer.js';

interface PollCursor {
  cursor: string;
  updated_at: string;
}

export class PollCursors {
  private readonly table: StateTable<PollCursor>;

  constructor(state: StateLayer) {
    this.table = state.table<PollCursor>('poll-cursors');
  }

  get(connector: string, operation: string): string | undefined {
    return this.table.get(`${connector}:${operation}`)?.cursor;
  }

  /** Resolves once the cursor is durable; `undefined` starts the next run over. */
  async save(connector: string, operation: string, cursor: string | undefined): Promise<void> {
    const key = `${connector}:${operation}`;
    if (cursor === undefined) await this.table.delete(key);
    else await this.table.put(key, { cursor, updated_at: new Date().toISOString() });
  }
}
