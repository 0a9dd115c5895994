// An app's dead letters (GET /v1/me/dead-letters) are found by the sender the hub stamped, and
// paged by values in the dead-letter record itself: two instances that indexed the same records
// in a different order continue each other's pages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { BusRecord } from '../../src/bus/event-bus.js';
import { DeadLetterStore } from '../../src/connectors/dead-letters.js';
import type { CloudEvent } from '../../src/events/cloudevent.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';

const dir = mkdtempSync(join(tmpdir(), 'penghubung-dead-letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (offset: number, sender: string, failedAt: string): BusRecord => ({
  topic: 'uji.dlq', partition: 0, offset: String(offset), key: null, timestamp: Date.parse(failedAt),
  event: { specversion: '1.0', id: `ev-${offset}`, source: '/opd/uji', type: 'uji.dibuat', penghubungclient: sender, data: { nomor: offset } } as CloudEvent,
  headers: { 'dlq-connector': 'uji', 'dlq-operation': 'kirim', 'dlq-code': 'upstream-unavailable', 'dlq-reason': 'upstream answered 503', 'dlq-attempts': '5', 'dlq-failed-at': failedAt },
});

it('lists only the sender’s letters, newest first, in pages any instance continues', async () => {
  const state = new EmbeddedState(join(dir, 'control.db'));
  await state.start();
  // Two letters failed in the same millisecond: the id orders them.
  const records = [record(1, 'aplikasi-a', '2026-12-01T08:00:00.000Z'), record(2, 'aplikasi-b', '2026-12-01T08:00:01.000Z'), record(3, 'aplikasi-a', '2026-12-01T08:00:02.000Z'), record(4, 'aplikasi-a', '2026-12-01T08:00:02.000Z')];
  const one = new DeadLetterStore(join(dir, 'one.db'), state);
  const other = new DeadLetterStore(join(dir, 'other.db'), state);
  for (const r of records) one.index(r);
  for (const r of [...records].reverse()) other.index(r);

  const ids = (letters: { id: string }[]): string[] => letters.map((l) => l.id);
  expect(ids(one.bySender('aplikasi-a', { limit: 10 }))).toEqual(['uji.dlq:0:4', 'uji.dlq:0:3', 'uji.dlq:0:1']);
  expect(ids(other.bySender('aplikasi-a', { limit: 10 }))).toEqual(['uji.dlq:0:4', 'uji.dlq:0:3', 'uji.dlq:0:1']);
  expect(one.bySender('aplikasi-a', { limit: 1 })[0]).toMatchObject({ event_id: 'ev-4', code: 'upstream-unavailable', reason: 'upstream answered 503', attempts: 5, status: 'parked' });
  expect(ids(one.bySender('aplikasi-b', { limit: 10 }))).toEqual(['uji.dlq:0:2']);
  expect(one.bySender('aplikasi-c', { limit: 10 })).toEqual([]);

  // A page read on one instance continues on the other.
  const first = one.bySender('aplikasi-a', { limit: 1 })[0]!;
  const second = other.bySender('aplikasi-a', { after: [first.failed_at, first.id], limit: 1 })[0]!;
  expect(second.id).toBe('uji.dlq:0:3');
  expect(ids(one.bySender('aplikasi-a', { after: [second.failed_at, second.id], limit: 5 }))).toEqual(['uji.dlq:0:1']);

  one.close();
  other.close();
  await state.close();
});
