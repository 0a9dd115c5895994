// Retention prunes every store of what it finished with, and leaves what is still pending.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EmbeddedBus } from '../../src/bus/embedded-bus.js';
import { DeadLetterStore } from '../../src/connectors/dead-letters.js';
import { SeenEntities } from '../../src/connectors/seen-entities.js';
import { StateStore } from '../../src/connectors/state-store.js';
import type { CloudEvent } from '../../src/events/cloudevent.js';
import { FlowStore } from '../../src/flows/flow-store.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { AuditLog } from '../../src/security/audit/audit-log.js';
import { verifyAuditStore } from '../../src/security/audit/verify.js';
import { ClientRegistry } from '../../src/security/clients.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';
import { Retention } from '../../src/storage/retention.js';
import { DeliveryLog } from '../../src/subscriptions/delivery-log.js';
import { sampleEntry } from '../security/audit-helpers.js';

const event = (id: string): CloudEvent => ({ specversion: '1.0', id, source: '/uji', type: 'uji.dibuat', datacontenttype: 'application/json', data: { nomor: id } }) as CloudEvent;

describe('Retention', () => {
  it('prunes each of the eight stores with a short retention, keeping what is pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'penghubung-retention-'));
    const file = (name: string): string => join(dir, name);

    const outbox = new Outbox(file('outbox.db'));
    await outbox.append([{ topic: 't', key: 'k', event: event('published'), headers: {} }, { topic: 't', key: 'k', event: event('pending'), headers: {} }]);
    outbox.markPublished([1]);

    const bus = new EmbeddedBus({ file: file('bus.db'), partitions: 1, pollIntervalMs: 20 });
    await bus.start();
    await bus.publish([{ topic: 't', key: 'k', event: event('b1') }, { topic: 't', key: 'k', event: event('b2') }, { topic: 't', key: 'k', event: event('b3') }]);

    const state = new StateStore(file('state.db'));
    state.saveDelivery('siak', 'kirim', 'ev-1', 'up-1');
    state.upsertEntity('siak.cari', 'x', '{}', new Date().toISOString());

    // Delivery records of a live subscription and of one deleted since (its dead letters go too).
    const subscription = { id: 'sub_live' };
    const subscriptions = new DeliveryLog(file('subscriptions.db'), (id) => id === subscription.id);
    subscriptions.record({ subscription_id: subscription.id, event_id: 'ev-1', attempt: 1, outcome: 'delivered', http_status: 204, error: null, duration_ms: 3, at: new Date().toISOString() }, 'msg_ev-1');
    for (const eventId of ['parked', 'replayed']) subscriptions.park({ subscription_id: subscription.id, event_id: eventId, type: 'uji.dibuat', reason: 'HTTP 410', attempts: 1, parked_at: new Date().toISOString(), payload: '{}' });
    subscriptions.park({ subscription_id: 'sub_deleted', event_id: 'orphaned', type: 'uji.dibuat', reason: 'HTTP 410', attempts: 1, parked_at: new Date().toISOString(), payload: '{}' });
    subscriptions.markReplayed(subscriptions.deadLetters(subscription.id, 10).find((d) => d.event_id === 'replayed')!.id);

    const control = new EmbeddedState(file('control.db'));
    await control.start();
    const seen = new SeenEntities(control);
    await seen.save('siak', 'cari', [{ identity: 'x', fingerprint: 'f', tracked: 't', eventId: 'ev-2' }]);
    const flows = new FlowStore(control);
    await flows.begin('done', 'pengaduan', { id: 'ev-1', source: '/uji' }, undefined);
    await flows.saveStep('done', 0, { step: 's', outcome: 'done', result: null, error: null, attempts: 1, started_at: new Date().toISOString(), finished_at: new Date().toISOString() });
    await flows.finish('done', 'completed');
    await flows.begin('running', 'pengaduan', { id: 'ev-2', source: '/uji' }, undefined);

    const deadLetters = new DeadLetterStore(file('dead-letters.db'), control);
    for (const offset of ['1', '2']) deadLetters.index({ topic: 'dlq', partition: 0, offset, key: null, timestamp: Date.now(), event: event(`dl-${offset}`), headers: {} });
    await deadLetters.resolve('dlq:0:1', 'discarded', 'test');

    const clients = new ClientRegistry(control, undefined);
    await clients.create({ id: 'opd-a', name: 'OPD A', opd: 'a', role: 'app', clearance: 'publik', rights: [] });
    await clients.rotate('opd-a');
    // Ended sessions are kept until they would have expired anyway (a real clock, not the retention's).
    await clients.endSession('expired', new Date(Date.now() - 1000));
    await clients.endSession('current', new Date(Date.now() + 3_600_000));

    const audit = AuditLog.open({ file: file('audit.db'), keyFile: file('audit-key.pem'), batchSize: 2, env: {} });
    for (let i = 1; i <= 6; i++) audit.record(sampleEntry(i));
    await audit.flush();

    const stores = [outbox, bus, state, seen, subscriptions, flows, deadLetters, clients, audit];
    const rowsBefore = Object.fromEntries(stores.map((s) => [s.storeName, s.size().rows]));
    // One hour from now, with a one-millisecond retention: everything finished is past it.
    const retention = new Retention(stores.map((store) => ({ store, retentionMs: 1 })), { intervalMs: 60_000, logger: pino({ level: 'silent' }), now: () => Date.now() + 3_600_000 });
    const pruned = await retention.runOnce();

    // dead-letters: the discarded letter's index row and its shared decision.
    expect(pruned).toEqual({ outbox: 1, bus: 2, state: 1, 'seen-entities': 1, subscriptions: 4, flows: 1, 'dead-letters': 2, clients: 2, audit: 6 });
    // The audit store also notes where its chain now starts (one row in meta).
    for (const { store, rows } of retention.sizes()) expect(rows, store).toBe(rowsBefore[store]! - pruned[store]! + (store === 'audit' ? 1 : 0));

    expect(outbox.pending(10).map((e) => e.event.id)).toEqual(['pending']);
    expect(await bus.lag('new-group', 't')).toBe(1);
    expect(state.entity('siak.cari', 'x')?.data).toBe('{}');
    expect(seen.seen('siak', 'cari', 'x')).toBeUndefined();
    expect(subscriptions.wasDelivered(subscription.id, 'msg_ev-1')).toBe(false);
    // A parked delivery not yet replayed is pending work: retention leaves it.
    expect(subscriptions.deadLetters(subscription.id, 10).map((d) => d.event_id)).toEqual(['parked']);
    expect(subscriptions.deadLetters('sub_deleted', 10)).toEqual([]);
    expect(flows.instance('running')?.status).toBe('running');
    expect(flows.instance('done')).toBeUndefined();
    expect(deadLetters.list().map((d) => d.id)).toEqual(['dlq:0:2']);
    expect([clients.sessionEnded('expired'), clients.sessionEnded('current')]).toEqual([false, true]);
    expect(clients.list().map((c) => c.id)).toEqual(['opd-a']);
    await audit.close();
    const verified = verifyAuditStore(file('audit.db'));
    expect(verified).toMatchObject({ ok: true, checked: 2, head: { seq: 6 } });

    for (const store of [outbox, state, subscriptions, deadLetters]) store.close();
    await control.close();
    await bus.close();
  });
});
