// The size of a store kept on the state layer, for the store-size metric: its records, and the
// bytes of their JSON (what the control log or file holds of them, give or take framing).
import type { StoreSize } from '../storage/sqlite-store.js';
import type { StateTable } from './state-layer.js';

export function tablesSize(tables: StateTable<unknown>[]): StoreSize {
  let rows = 0;
  let bytes = 0;
  for (const table of tables) {
    for (const [key, value] of table.entries()) {
      rows += 1;
      bytes += Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value));
    }
  }
  return { rows, bytes };
}
