// The EventBus contract on the embedded SQLite log, and its durability across a reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBus } from '../../src/bus/embedded-bus.js';
import type { BusRecord, OutgoingMessage } from '../../src/bus/event-bus.js';
import { LosslessNumber, parseJson } from '../../src/events/json.js';
import { waitFor } from '../support/wait.js';
import { describeBusContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'penghubung-embedded-bus-'));
let files = 0;
const newFile = (): string => join(dir, `bus-${++files}.sqlite`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeBusContract('embedded', async () => new EmbeddedBus({ file: newFile(), partitions: 3, pollIntervalMs: 20 }));

describe('EmbeddedBus', () => {
  it('keeps the log and committed offsets in its file across a close and reopen', async () => {
    const file = newFile();
    const topic = 'penghubung.pengaduan';
    const first = new EmbeddedBus({ file, partitions: 3, pollIntervalMs: 20 });
    await first.start();
    const ids = Array.from({ length: 12 }, (_, n) => `durable-${n}`);
    await first.publish(ids.map((id, n) => ({
      topic,
      key: `laporan-${n % 4}`,
      event: {
        specversion: '1.0',
        id,
        source: '/uji/durable',
        type: 'pengaduan.diterima',
        datacontenttype: 'application/json',
        data: parseJson(`{"n":${n},"nik":3201234567890123456789}`),
      },
      headers: { 'correlation-id': `corr-${n}` },
    })));
    // A group that consumes half before the close keeps its place.
    const early: BusRecord[] = [];
    const earlySub = await first.subscribe({ groupId: 'early', topic, handler: async (record) => { early.push(record); } });
    await waitFor(() => early.length === ids.length, 10_000, 'the early group');
    await earlySub.close();
    await first.close();

    const reopened = new EmbeddedBus({ file, partitions: 3, pollIntervalMs: 20 });
    await reopened.start();
    try {
      const fresh: BusRecord[] = [];
      const again: BusRecord[] = [];
      await reopened.subscribe({ groupId: 'fresh', topic, handler: async (record) => { fresh.push(record); } });
      await reopened.subscribe({ groupId: 'early', topic, handler: async (record) => { again.push(record); } });
      await waitFor(() => fresh.length >= ids.length, 10_000, () => `a new group to read the reopened log (${fresh.length}/${ids.length})`);
      expect(fresh.map((record) => record.event.id).sort()).toEqual([...ids].sort());
      for (const record of fresh) {
        const before = early.find((e) => e.event.id === record.event.id)!;
        expect(record).toStrictEqual(before);
        expect((record.event.data as { nik: unknown }).nik).toBeInstanceOf(LosslessNumber);
      }

      // New events after the reopen continue the offsets, and the early group only gets them.
      await reopened.publish([{ topic, key: 'laporan-0', event: { specversion: '1.0', id: 'after-reopen', source: '/uji/durable', type: 'pengaduan.diterima' } }]);
      await waitFor(() => again.some((record) => record.event.id === 'after-reopen'), 10_000, 'the early group to get the new event');
      expect(again.map((record) => record.event.id)).toEqual(['after-reopen']);
      const partition = again[0]!.partition;
      const lastBefore = Math.max(-1, ...early.filter((r) => r.partition === partition).map((r) => Number(r.offset)));
      expect(Number(again[0]!.offset)).toBe(lastBefore + 1);
    } finally {
      await reopened.close();
    }
  });

  it('wakes an idle consumer by the publish itself, not a poll, and a sleeping member by a replay', async () => {
    // A poll interval far longer than the test: only the wake-up on publish can deliver in time.
    // One partition, so a second member of a group gets none and the first must wake to re-read.
    const bus = new EmbeddedBus({ file: newFile(), partitions: 1, pollIntervalMs: 600_000 });
    await bus.start();
    const topic = 'penghubung.bangun';
    const event = (id: string): OutgoingMessage => ({ topic, key: id, event: { specversion: '1.0', id, source: '/uji/bangun', type: 'uji.dibuat' } });
    try {
      const seen: string[] = [];
      await bus.subscribe({
        groupId: 'bangun',
        topic,
        handler: async (record) => {
          seen.push(record.event.id);
          // Published from inside a handler: read on the consumer's next pass.
          if (record.event.id === 'pertama') await bus.publish([event('saat-membaca')]);
        },
      });
      await bus.publish([event('pertama')]);
      await waitFor(() => seen.length === 2, 5_000, () => `both events without a poll (${seen.join(', ')})`);
      await bus.publish([event('kemudian')]);
      await waitFor(() => seen.includes('kemudian'), 5_000, 'the event published to an idle consumer');
      expect([...seen].sort()).toEqual(['kemudian', 'pertama', 'saat-membaca']);

      // A replay moves the group's offsets back: the sleeping member reads everything again.
      const replayed: string[] = [];
      await bus.subscribe({ groupId: 'bangun-ulang', topic, handler: async (record) => { replayed.push(record.event.id); } });
      await waitFor(() => replayed.length === 3, 5_000, 'a second group to read all three');
      await bus.subscribe({ groupId: 'bangun-ulang', topic, replay: { from: 'earliest' }, handler: async (record) => { replayed.push(`kedua:${record.event.id}`); } });
      await waitFor(() => replayed.length === 6, 5_000, () => `the sleeping member to read the replayed events (${replayed.join(', ')})`);
      expect(replayed.filter((id) => id.startsWith('kedua:'))).toEqual([]);
    } finally {
      await bus.close();
    }
  });
});
