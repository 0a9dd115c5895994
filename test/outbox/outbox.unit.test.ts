// The durable outbox and its relay, on real SQLite files.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { EmbeddedBus } from '../../src/bus/embedded-bus.js';
import type { EventBus, OutgoingMessage } from '../../src/bus/event-bus.js';
import { loadConfig } from '../../src/config/config.js';
import type { CloudEvent } from '../../src/events/cloudevent.js';
import { Outbox, type OutboxEntry } from '../../src/outbox/outbox.js';
import { OutboxRelay } from '../../src/outbox/relay.js';
import { waitFor } from '../support/wait.js';

const silent = pino({ level: 'silent' });
const tempFile = (name: string): string => join(mkdtempSync(join(tmpdir(), 'penghubung-outbox-')), name);

const entry = (id: string, key = 'kunci'): OutboxEntry => ({
  topic: 'penghubung.uji',
  key,
  headers: { 'correlation-id': `c-${id}` },
  event: { specversion: '1.0', id, source: '/uji', type: 'uji.dibuat', datacontenttype: 'application/json', data: { nomor: id } } as CloudEvent,
});

describe('Outbox', () => {
  it('commits concurrent appends together and keeps them across a reopen, in order', async () => {
    const file = tempFile('outbox.db');
    const outbox = new Outbox(file);
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => outbox.append([entry(`e${i}`)])));
    expect(results.flat().map((r) => r.duplicate)).toEqual(Array(300).fill(false));
    outbox.close();

    const reopened = new Outbox(file);
    const pending = reopened.pending(1000);
    expect(pending.map((p) => p.event.id)).toEqual(Array.from({ length: 300 }, (_, i) => `e${i}`));
    expect(pending[0]!.headers).toEqual({ 'correlation-id': 'c-e0' });
    expect(reopened.backlog().count).toBe(300);
    reopened.close();
  });

  it('fsyncs every append, also after marking events published (which needs no fsync of its own), and keeps the marks across a reopen', async () => {
    const file = tempFile('outbox.db');
    const outbox = new Outbox(file);
    const db = (outbox as unknown as { db: Database.Database }).db;
    const full = 2;
    expect(db.pragma('synchronous', { simple: true })).toBe(full);
    await outbox.append([entry('m1'), entry('m2'), entry('m3')]);
    outbox.markPublished(outbox.pending(2).map((stored) => stored.seq));
    expect(db.pragma('synchronous', { simple: true })).toBe(full);
    // markPublished is synchronous and sets FULL again before it returns, so an append's flush
    // (a later turn) never runs while NORMAL is set; m4 stays pending for the reopen below.
    const appended = outbox.append([entry('m4')]);
    outbox.markPublished(outbox.pending(1).map((stored) => stored.seq));
    await appended;
    expect(db.pragma('synchronous', { simple: true })).toBe(full);
    outbox.close();

    const reopened = new Outbox(file);
    expect(reopened.pending(10).map((stored) => stored.event.id)).toEqual(['m4']);
    reopened.close();
  });

  it('stores an event id once per source, within one batch and across batches', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    const [first, again] = await outbox.append([entry('sama'), entry('sama')]);
    const [later] = await outbox.append([entry('sama')]);
    const otherSource = await outbox.append([{ ...entry('sama'), event: { ...entry('sama').event, source: '/lain' } }]);
    expect(first).toEqual({ seq: 1, duplicate: false });
    expect(again).toEqual({ seq: 1, duplicate: true });
    expect(later).toEqual({ seq: 1, duplicate: true });
    expect(otherSource[0]!.duplicate).toBe(false);
    expect(outbox.backlog().count).toBe(2);
    outbox.close();
  });

  it('counts its backlog as events are appended and marked, across a reopen, duplicates and marks repeated', async () => {
    const file = tempFile('outbox.db');
    const outbox = new Outbox(file);
    expect(outbox.backlog()).toEqual({ count: 0, oldestAcceptedAt: null });
    const before = Date.now();
    await outbox.append([entry('a'), entry('b'), entry('a')]);
    await Promise.all([outbox.append([entry('c')]), outbox.append([entry('b'), entry('d')])]);
    expect(outbox.backlog().count).toBe(4);
    const seq = Object.fromEntries(outbox.pending(10).map((stored) => [stored.event.id, stored.seq]));
    outbox.markPublished([seq.a!, seq.c!]);
    outbox.markPublished([seq.a!]);
    const { count, oldestAcceptedAt } = outbox.backlog();
    expect(count).toBe(2);
    expect(oldestAcceptedAt).toBe(outbox.pending(10)[0]!.acceptedAt);
    expect(oldestAcceptedAt).toBeGreaterThanOrEqual(before);
    // What the count says is what the table holds, also for a new process on the same file.
    expect(outbox.pending(10).map((stored) => stored.event.id)).toEqual(['b', 'd']);
    outbox.close();
    const reopened = new Outbox(file);
    expect(reopened.backlog().count).toBe(2);
    reopened.markPublished([seq.b!, seq.d!]);
    expect(reopened.backlog()).toEqual({ count: 0, oldestAcceptedAt: null });
    reopened.close();
  });

  it('prunes published events past retention and never unpublished ones', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    await outbox.append([entry('a'), entry('b')]);
    outbox.markPublished([1]);
    expect(outbox.prune(Date.now() + 1)).toBe(1);
    expect(outbox.read(0, 10).map((e) => e.event.id)).toEqual(['b']);
    outbox.close();
  });
});

/** A bus that refuses the first `failures` publishes, then records what it is given. */
class FlakyBus implements EventBus {
  readonly kind = 'embedded' as const;
  readonly published: OutgoingMessage[] = [];
  attempts = 0;
  constructor(private failures: number) {}
  async start(): Promise<void> {}
  async ensureTopics(): Promise<void> {}
  async publish(messages: OutgoingMessage[]): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('broker unreachable');
    }
    this.published.push(...messages);
  }
  async subscribe(): Promise<never> {
    throw new Error('not used');
  }
  async lag(): Promise<number> {
    return 0;
  }
  async healthy(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

/** A bus whose publishes take a turn of the event loop; every third one fails. Counts publishes in flight. */
class LaneBus extends FlakyBus {
  inFlight = 0;
  mostInFlight = 0;
  failed = 0;
  constructor() {
    super(0);
  }
  override async publish(messages: OutgoingMessage[]): Promise<void> {
    this.attempts++;
    const attempt = this.attempts;
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    if (attempt % 3 === 0) {
      this.failed++;
      throw new Error('broker unreachable');
    }
    this.published.push(...messages);
  }
}

describe('OutboxRelay', () => {
  it('retries a failing bus and publishes everything once, in acceptance order', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    const bus = new FlakyBus(3);
    const relay = new OutboxRelay(outbox, bus, { batchSize: 7, idleMs: 10, logger: silent });
    await outbox.append(Array.from({ length: 50 }, (_, i) => entry(`r${i}`, `k${i % 3}`)));
    relay.start();
    await waitFor(() => outbox.backlog().count === 0, 15_000, 'the relay to drain');
    await relay.stop();
    expect(bus.attempts).toBeGreaterThan(3);
    expect(bus.published.map((m) => m.event.id)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    expect(bus.published[0]!.headers).toEqual({ 'correlation-id': 'c-r0' });
    outbox.close();
  });

  it('keeps several batches in flight with a backlog, each key in acceptance order, also when a lane fails', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    const bus = new LaneBus();
    const relay = new OutboxRelay(outbox, bus, { batchSize: 10, inFlight: 4, idleMs: 10, logger: silent });
    const ids = Array.from({ length: 200 }, (_, i) => `l${i}`);
    await outbox.append(ids.map((id, i) => entry(id, `k${i % 7}`)));
    relay.start();
    await waitFor(() => outbox.backlog().count === 0, 15_000, 'the relay to drain');
    await relay.stop();
    expect(bus.mostInFlight).toBeGreaterThan(1);
    expect(bus.mostInFlight).toBeLessThanOrEqual(4);
    expect(bus.failed).toBeGreaterThan(0);
    expect(bus.published.map((m) => m.event.id).sort()).toEqual([...ids].sort());
    for (let k = 0; k < 7; k++) {
      expect(bus.published.filter((m) => m.key === `k${k}`).map((m) => m.event.id)).toEqual(ids.filter((_, i) => i % 7 === k));
    }
    outbox.close();
  });

  it('sends a lane\'s companions in its publish and tells them it was acknowledged before the lane is marked, never for a failed lane', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    const bus = new LaneBus();
    const seen: { ids: string[]; pendingWhenAcknowledged: number }[] = [];
    const relay = new OutboxRelay(outbox, bus, {
      batchSize: 10, inFlight: 4, idleMs: 10, logger: silent,
      companions: (lane) => {
        const ids = lane.map((stored) => stored.event.id);
        return {
          messages: [{ topic: 'uji._deliveries', key: ids[0]!, event: { specversion: '1.0', id: `status-${ids.join(',')}`, source: '/uji', type: '_uji.status' } }],
          acknowledged: () => seen.push({ ids, pendingWhenAcknowledged: outbox.pending(1000).filter((stored) => ids.includes(stored.event.id)).length }),
        };
      },
    });
    const ids = Array.from({ length: 120 }, (_, i) => `c${i}`);
    await outbox.append(ids.map((id, i) => entry(id, `k${i % 5}`)));
    relay.start();
    await waitFor(() => outbox.backlog().count === 0, 15_000, 'the relay to drain');
    await relay.stop();
    expect(bus.failed).toBeGreaterThan(0);
    // Each acknowledged lane's events were all still pending when told, and every event was told once.
    expect(seen.every((lane) => lane.pendingWhenAcknowledged === lane.ids.length)).toBe(true);
    expect(seen.flatMap((lane) => lane.ids).sort()).toEqual([...ids].sort());
    // The companion went in the same publish as its lane: published exactly for the lanes told.
    const companions = bus.published.filter((m) => m.topic === 'uji._deliveries').map((m) => m.event.id);
    expect(companions.sort()).toEqual(seen.map((lane) => `status-${lane.ids.join(',')}`).sort());
    outbox.close();
  });

  it('marks the lanes the bus acknowledged when it stops while another lane hangs, so the restart sends only the hung one', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    const hung: string[] = [];
    const bus = new (class extends FlakyBus {
      override async publish(messages: OutgoingMessage[]): Promise<void> {
        // The lane with k0 never hears back (a broker gone mid-send); the others are acknowledged.
        if (messages.some((m) => m.key === 'k0')) {
          hung.push(...messages.map((m) => m.event.id));
          return new Promise<void>(() => undefined);
        }
        this.published.push(...messages);
      }
    })(0);
    const relay = new OutboxRelay(outbox, bus, { batchSize: 10, inFlight: 4, idleMs: 10, logger: silent });
    const ids = Array.from({ length: 40 }, (_, i) => `h${i}`);
    await outbox.append(ids.map((id, i) => entry(id, `k${i % 10}`)));
    relay.start();
    await waitFor(() => hung.length > 0 && bus.published.length + hung.length === ids.length, 5_000, 'every lane sent');
    await relay.stop(50);
    expect(bus.published.length).toBeGreaterThan(0);
    expect(outbox.pending(1000).map((stored) => stored.event.id).sort()).toEqual([...hung].sort());
    outbox.close();
  });

  it('publishes an append at once: the append wakes the relay, its idle look is minutes away', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    const bus = new FlakyBus(0);
    const relay = new OutboxRelay(outbox, bus, { batchSize: 10, idleMs: 600_000, logger: silent });
    const looks = vi.spyOn(outbox, 'pending');
    relay.start();
    // Idle: it looked once and sleeps until woken.
    await waitFor(() => looks.mock.calls.length === 1, 5_000, 'the relay\'s first look');
    for (let i = 0; i < 3; i++) {
      await outbox.append([entry(`w${i}`)]);
      await waitFor(() => bus.published.length === i + 1, 5_000, `event w${i} published after its append`);
    }
    expect(bus.published.map((m) => m.event.id)).toEqual(['w0', 'w1', 'w2']);
    await relay.stop();
    outbox.close();
  });

  it('looks at an idle outbox at the configured pace, far less often than every 200 ms', async () => {
    const { relayIdleMs } = loadConfig({}).outbox;
    const outbox = new Outbox(tempFile('outbox.db'));
    const relay = new OutboxRelay(outbox, new FlakyBus(0), { batchSize: 10, idleMs: relayIdleMs, logger: silent });
    const looks = vi.spyOn(outbox, 'pending');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      relay.start();
      await vi.advanceTimersByTimeAsync(60_000);
    } finally {
      vi.useRealTimers();
    }
    // One look at the start, then one per idle period: the old 200 ms pace made 301 in a minute.
    expect(looks.mock.calls.length).toBe(1 + Math.floor(60_000 / relayIdleMs));
    expect(looks.mock.calls.length).toBeLessThanOrEqual(13);
    await relay.stop();
    outbox.close();
  });

  it('delivers through the embedded bus with per-key order intact', async () => {
    const outbox = new Outbox(tempFile('outbox.db'));
    const bus = new EmbeddedBus({ file: tempFile('bus.db'), partitions: 3, pollIntervalMs: 10 });
    await bus.start();
    const relay = new OutboxRelay(outbox, bus, { batchSize: 16, idleMs: 10, logger: silent });
    relay.start();
    const seen = new Map<string, string[]>();
    const subscription = await bus.subscribe({
      groupId: 'urutan',
      topic: 'penghubung.uji',
      handler: async (record) => void seen.set(record.key!, [...(seen.get(record.key!) ?? []), record.event.id]),
    });
    for (let i = 0; i < 60; i++) await outbox.append([entry(`o${i}`, `k${i % 4}`)]);
    await waitFor(() => [...seen.values()].flat().length === 60, 10_000, 'all 60 events consumed');
    for (let k = 0; k < 4; k++) {
      expect(seen.get(`k${k}`)).toEqual(Array.from({ length: 15 }, (_, j) => `o${j * 4 + k}`));
    }
    await subscription.close();
    await relay.stop();
    await bus.close();
    outbox.close();
  });
});
