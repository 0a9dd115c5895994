// The rejected-records store on a real SQLite file: bounded per connector and operation, a
// record rejected again is one row (moved to the top, counted), filters and paging, pruning.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RejectedStore } from '../../src/connectors/rejected-store.js';

let directory: string;
let store: RejectedStore;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'penghubung-rejected-'));
  store = new RejectedStore(join(directory, 'rejected-records.db'), 3);
});
afterEach(() => {
  store.close();
  rmSync(directory, { recursive: true, force: true });
});

const record = (n: number, reason = 'date-invalid') => ({ index: n, reason, detail: `record ${n}`, record: { n } });

describe('RejectedStore', () => {
  it('keeps the newest N per connector and operation, newest first', () => {
    store.add({ connector: 'lpse', operation: 'paket-masuk', via: 'poll', records: [record(1), record(2), record(3), record(4)] });
    store.add({ connector: 'sipd', operation: 'sub-kegiatan-masuk', via: 'push', records: [record(9)] });
    expect(store.list({ connector: 'lpse', limit: 10 }).map((r) => r.index)).toEqual([4, 3, 2]);
    expect(store.list({ connector: 'sipd', limit: 10 }).map((r) => r.record)).toEqual([{ n: 9 }]);
    expect(store.counts()).toEqual(expect.arrayContaining([expect.objectContaining({ connector: 'lpse', operation: 'paket-masuk', count: 3 }), expect.objectContaining({ connector: 'sipd', count: 1 })]));
  });

  it('stores a record rejected again once, on top, with its count and both times', () => {
    store.add({ connector: 'lpse', operation: 'paket-masuk', via: 'poll', cursor: '50', records: [record(1), record(2)] }, new Date('2026-11-28T01:00:00Z'));
    store.add({ connector: 'lpse', operation: 'paket-masuk', via: 'poll', cursor: '50', records: [record(1)] }, new Date('2026-11-28T02:00:00Z'));
    const [top, next] = store.list({ connector: 'lpse', limit: 10 });
    expect(top).toMatchObject({ index: 1, times: 2, cursor: '50', first_rejected_at: '2026-11-28T01:00:00.000Z', last_rejected_at: '2026-11-28T02:00:00.000Z' });
    expect(next).toMatchObject({ index: 2, times: 1 });
    // The same record with another reason is another rejection.
    store.add({ connector: 'lpse', operation: 'paket-masuk', via: 'poll', records: [record(1, 'money-unreadable')] });
    expect(store.list({ connector: 'lpse', reason: 'money-unreadable', limit: 10 })).toHaveLength(1);
  });

  it('filters by operation and reason, pages by id, and forgets what was not rejected again', () => {
    store.add({ connector: 'lpse', operation: 'a', via: 'poll', records: [record(1), record(2, 'layout-unknown')] }, new Date('2026-11-01T00:00:00Z'));
    store.add({ connector: 'lpse', operation: 'b', via: 'poll', records: [record(3)] }, new Date('2026-11-20T00:00:00Z'));
    expect(store.list({ connector: 'lpse', operation: 'a', limit: 10 }).map((r) => r.index)).toEqual([2, 1]);
    expect(store.list({ connector: 'lpse', reason: 'date-invalid', limit: 10 }).map((r) => r.index)).toEqual([3, 1]);
    const [first] = store.list({ connector: 'lpse', limit: 1 });
    expect(store.list({ connector: 'lpse', before: first!.id, limit: 10 }).map((r) => r.index)).toEqual([2, 1]);
    expect(store.prune(Date.parse('2026-11-10T00:00:00Z'))).toBe(2);
    expect(store.list({ connector: 'lpse', limit: 10 }).map((r) => r.index)).toEqual([3]);
    expect(store.size().rows).toBe(1);
  });
});
