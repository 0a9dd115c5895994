// The index behind GET /v1/me/deliveries: two instances that read the same status records in a
// different order (a replay, another writer's clock) answer the same; only the sender's events
// are listed; a status filter and the cursor page them; retention forgets what has no news.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { DeliveryIndex } from '../../src/deliveries/delivery-index.js';
import { DeliveryStatus, unpackPublished, type StatusReport } from '../../src/deliveries/delivery-status.js';
import type { CloudEvent } from '../../src/events/cloudevent.js';
import { eventKey } from '../../src/events/event-key.js';
import { stringifyJson } from '../../src/events/json.js';
import { storeCacheKib, StoreError } from '../../src/storage/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'penghubung-deliveries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (id: string, sender?: string): CloudEvent => ({ specversion: '1.0', id, source: '/opd/uji', type: 'uji.dibuat', subject: `uji-${id}`, data: { nomor: id }, ...(sender ? { penghubungclient: sender } : {}) });
const status = new DeliveryStatus('uji', 'instance-a');
const reportOf = (message: { event: CloudEvent } | undefined): StatusReport => message!.event.data as StatusReport;
const upstream = { kind: 'upstream', connector: 'lapor', operation: 'kirim' } as const;
const webhook = { kind: 'webhook', subscription: 'sub_1' } as const;
const at = (report: StatusReport, time: string): StatusReport => ({ ...report, at: time });
/** A `published` report as another instance reads it from the packed record the relay writes. */
const published = (one: CloudEvent, acceptedAt: number): StatusReport => {
  const { messages } = status.packedPublished([{ event: one, eventJson: stringifyJson(one), acceptedAt }], 3);
  const { reports, skipped } = unpackPublished(messages[0]!.event);
  expect({ records: messages.length, reports: reports.length, skipped }).toEqual({ records: 1, reports: 1, skipped: 0 });
  return reports[0]!;
};

it('answers the same whatever order the records come in, worst target first', () => {
  const one = event('ev-1', 'aplikasi-a');
  const records = [
    at(published(one, Date.parse('2026-12-01T08:00:00.000Z')), '2026-12-01T08:00:00.010Z'),
    at(reportOf(status.outcome(one, upstream, 'retrying', { attempts: 1, code: 'upstream-unavailable', reason: 'LAPOR! answered 503' })), '2026-12-01T08:00:01.000Z'),
    at(reportOf(status.outcome(one, upstream, 'dead-lettered', { attempts: 5, code: 'upstream-unavailable', reason: 'LAPOR! answered 503' })), '2026-12-01T08:00:09.000Z'),
    at(reportOf(status.outcome(one, webhook, 'delivered', { attempts: 1 })), '2026-12-01T08:00:00.500Z'),
  ];
  const forward = new DeliveryIndex(join(dir, 'forward.db'));
  const backward = new DeliveryIndex(join(dir, 'backward.db'));
  for (const record of records) forward.apply(record);
  for (const record of [...records].reverse()) backward.apply(record);
  // Seen twice changes nothing.
  backward.apply(records[1]!);

  for (const index of [forward, backward]) {
    const [delivery] = index.bySender('aplikasi-a', { limit: 10 });
    expect(delivery).toMatchObject({
      event_id: 'ev-1', status: 'dead-lettered', accepted_at: '2026-12-01T08:00:00.000Z', published_at: '2026-12-01T08:00:00.010Z', updated_at: '2026-12-01T08:00:09.000Z',
      targets: [
        { kind: 'upstream', connector: 'lapor', operation: 'kirim', status: 'dead-lettered', attempts: 5, code: 'upstream-unavailable', reason: 'LAPOR! answered 503' },
        { kind: 'webhook', subscription: 'sub_1', status: 'delivered', attempts: 1, code: null, reason: null },
      ],
      event: { id: 'ev-1', data: { nomor: 'ev-1' } },
    });
  }
  // A replay delivers after all: the later record stands.
  forward.apply(at(reportOf(status.outcome(one, upstream, 'delivered', { attempts: 6 })), '2026-12-01T09:00:00.000Z'));
  expect(forward.bySender('aplikasi-a', { limit: 1 })[0]).toMatchObject({ status: 'delivered' });
  forward.close();
  backward.close();
});

it('lists only the sender’s events, filtered by status, page by page, and forgets them after retention', () => {
  const index = new DeliveryIndex(join(dir, 'pages.db'));
  for (const own of [event('hub-made'), event('hub-made', 'penghubung')]) {
    expect(status.packedPublished([{ event: own, eventJson: stringifyJson(own), acceptedAt: Date.now() }], 3)).toEqual({ messages: [], entries: [] });
  }
  for (const [n, sender] of [[1, 'aplikasi-a'], [2, 'aplikasi-b'], [3, 'aplikasi-a'], [4, 'aplikasi-a']] as const) {
    index.apply(at(published(event(`ev-${n}`, sender), Date.parse(`2026-12-01T08:00:0${n}.000Z`)), `2026-12-01T08:00:0${n}.000Z`));
  }
  index.apply(at(reportOf(status.outcome(event('ev-3', 'aplikasi-a'), upstream, 'delivered', { attempts: 1 })), '2026-12-01T08:00:05.000Z'));

  const ids = (rows: { event_id: string }[]): string[] => rows.map((r) => r.event_id);
  expect(ids(index.bySender('aplikasi-a', { limit: 10 }))).toEqual(['ev-4', 'ev-3', 'ev-1']);
  expect(ids(index.bySender('aplikasi-a', { status: 'published', limit: 10 }))).toEqual(['ev-4', 'ev-1']);
  expect(ids(index.bySender('aplikasi-a', { status: 'delivered', limit: 10 }))).toEqual(['ev-3']);
  expect(index.bySender('aplikasi-c', { limit: 10 })).toEqual([]);
  const [first] = index.bySender('aplikasi-a', { limit: 1 });
  expect(ids(index.bySender('aplikasi-a', { after: [first!.accepted_at, first!.key], limit: 10 }))).toEqual(['ev-3', 'ev-1']);

  expect(index.prune(Date.parse('2026-12-01T08:00:04.500Z'))).toBe(3);
  expect(ids(index.bySender('aplikasi-a', { limit: 10 }))).toEqual(['ev-3']);
  index.close();
});

it('indexes a `published` report alike from the packed record, from the relay\'s own entry and in the one-report form of earlier versions; refuses lines that are not reports', () => {
  const one = event('ev-packed', 'aplikasi-a');
  const { messages, entries } = status.packedPublished([{ event: one, eventJson: stringifyJson(one), acceptedAt: Date.parse('2026-12-01T08:00:00.000Z') }], 3);
  const packed = unpackPublished(messages[0]!.event).reports[0]!;
  const earlier: StatusReport = {
    stage: 'published', event: { key: eventKey(one), id: one.id, source: one.source, type: one.type, subject: one.subject!, sender: 'aplikasi-a' },
    accepted_at: '2026-12-01T08:00:00.000Z', at: packed.at, cloudevent: one,
  };
  expect(packed).toEqual(earlier);
  const answers = [[packed], entries, [earlier]].map((reports, n) => {
    const index = new DeliveryIndex(join(dir, `forms-${n}.db`));
    index.applyAll(reports);
    const listed = index.bySender('aplikasi-a', { limit: 10 });
    index.close();
    return listed;
  });
  expect(answers[0]).toHaveLength(1);
  expect(answers[1]).toEqual(answers[0]);
  expect(answers[2]).toEqual(answers[0]);

  const record = messages[0]!.event;
  expect(unpackPublished({ ...record, data: `${String(record.data)}\nnot json\n{"accepted_at":"2026-12-01T08:00:00.000Z","cloudevent":{"id":"x"}}\n{"accepted_at":"2026-12-01T08:00:00.000Z","cloudevent":${stringifyJson(event('hub-made'))}}` }))
    .toMatchObject({ reports: [packed], skipped: 3 });
  expect(unpackPublished({ ...record, time: undefined })).toEqual({ reports: [], skipped: 1 });
});

it('moves an index of the first schema (rows ordered by their random key) to rows in arrival order, keeping every answer', () => {
  const file = join(dir, 'first-schema.db');
  const first = new Database(file);
  first.exec(`
    CREATE TABLE deliveries (key TEXT PRIMARY KEY, sender TEXT NOT NULL, event_id TEXT NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL,
      subject TEXT, status TEXT NOT NULL, accepted_at TEXT NOT NULL, published_at TEXT, updated_at TEXT NOT NULL, event TEXT) WITHOUT ROWID;
    CREATE INDEX deliveries_by_sender ON deliveries (sender, accepted_at, key);
    CREATE INDEX deliveries_by_sender_status ON deliveries (sender, status, accepted_at, key);
    CREATE INDEX deliveries_by_update ON deliveries (updated_at);
    CREATE TABLE targets (key TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, status TEXT NOT NULL,
      attempts INTEGER NOT NULL, code TEXT, reason TEXT, at TEXT NOT NULL, PRIMARY KEY (key, target)) WITHOUT ROWID;
    PRAGMA user_version = 1;
  `);
  const one = event('ev-lama', 'aplikasi-a');
  first.prepare("INSERT INTO deliveries VALUES (?, 'aplikasi-a', 'ev-lama', '/opd/uji', 'uji.dibuat', 'uji-ev-lama', 'delivered', '2026-12-01T08:00:00.000Z', '2026-12-01T08:00:00.010Z', '2026-12-01T08:00:01.000Z', ?)").run(eventKey(one), stringifyJson(one));
  first.prepare(`INSERT INTO targets VALUES (?, 'upstream:lapor:kirim', ?, 'delivered', 1, NULL, NULL, '2026-12-01T08:00:01.000Z')`).run(eventKey(one), JSON.stringify(upstream));
  first.close();

  const index = new DeliveryIndex(file);
  const db = (index as unknown as { db: Database.Database }).db;
  expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'deliveries'").pluck().get()).not.toMatch(/WITHOUT ROWID/);
  expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'deliveries' AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual(['deliveries_by_sender', 'deliveries_by_sender_status', 'deliveries_by_update']);
  expect(index.bySender('aplikasi-a', { limit: 10 })).toMatchObject([{ event_id: 'ev-lama', status: 'delivered', targets: [{ kind: 'upstream', status: 'delivered' }], event: { id: 'ev-lama', data: { nomor: 'ev-lama' } } }]);
  // Still one row per event: its next news updates it.
  index.apply(at(published(one, Date.parse('2026-12-01T08:00:00.000Z')), '2026-12-01T08:00:00.010Z'));
  index.apply(at(published(event('ev-baru', 'aplikasi-a'), Date.parse('2026-12-01T09:00:00.000Z')), '2026-12-01T09:00:00.010Z'));
  expect(index.bySender('aplikasi-a', { limit: 10 }).map((d) => [d.event_id, d.status])).toEqual([['ev-baru', 'published'], ['ev-lama', 'delivered']]);
  index.close();
});

it('opens its file as every store does: owner-only, bounded cache, WAL without an fsync per commit, an untrustworthy file refused', () => {
  const file = join(dir, 'opened.db');
  const index = new DeliveryIndex(file);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const db = (index as unknown as { db: Database.Database }).db;
  expect(db.pragma('cache_size', { simple: true })).toBe(-storeCacheKib);
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('synchronous', { simple: true })).toBe(1);
  index.close();

  const empty = join(dir, 'empty.db');
  writeFileSync(empty, '');
  expect(() => new DeliveryIndex(empty)).toThrow(StoreError);
  expect(() => new DeliveryIndex(empty)).toThrow(/the deliveries store .*empty\.db is empty/);
});
