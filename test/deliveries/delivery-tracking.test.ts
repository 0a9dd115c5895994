// The `published` records on real Kafka: the relay's packed records reach another instance's index
// whole; the writing process indexes its own when Kafka acknowledged them and does not index them
// again when it reads them back; a later run of the same instance (a restart that had not indexed
// them) reads them like any other instance's; its own records read back before the acknowledgement
// was handled, or after indexing them then failed, are indexed as they are read (and, read first,
// not again on acknowledgement).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, expect, it, vi } from 'vitest';
import { KafkaBus } from '../../src/bus/kafka-bus.js';
import { statusTopic } from '../../src/deliveries/delivery-status.js';
import { DeliveryTracking } from '../../src/deliveries/delivery-tracking.js';
import type { CloudEvent } from '../../src/events/cloudevent.js';
import { parseJson, stringifyJson } from '../../src/events/json.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'penghubung-delivery-tracking-'));
const prefix = uniqueName('delivery-tracking').toLowerCase();
// 'error': the failed index below logs a warning on purpose.
const logger = pino({ level: 'error' });
const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('penghubung-test'), partitions: 3, replicationFactor: 1, logger });
const trackings: DeliveryTracking[] = [];
afterAll(async () => {
  for (const tracking of trackings) await tracking.stop();
  await bus.close();
  for (const tracking of trackings) tracking.close();
  rmSync(dir, { recursive: true, force: true });
});

const tracking = (instance: string, file: string): DeliveryTracking => {
  const made = new DeliveryTracking({ bus, topicPrefix: prefix, instance, partitions: 3, file: join(dir, file), logger });
  trackings.push(made);
  return made;
};
const groupOf = (instance: string): string => `${prefix}.delivery-index.${instance}`;

// A big integer in the data: the index keeps its digits wherever the record was read.
const eventText = (n: number, sender: string | undefined): string =>
  `{"specversion":"1.0","id":"ev-${n}","source":"/opd/uji","type":"uji.dibuat","subject":"uji-${n}","data":{"nomor":${n},"nik":320123456789012345${n % 10}}${sender ? `,"penghubungclient":"${sender}"` : ''}}`;
/** Events `from`… of a relay lane; every tenth is the hub's own (no sender), the others alternate between two apps. */
const laneOf = (from: number, count: number): { event: CloudEvent; eventJson: string; acceptedAt: number }[] =>
  Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const eventJson = eventText(n, n % 10 === 9 ? undefined : n % 2 === 0 ? 'aplikasi-a' : 'aplikasi-b');
    return { event: parseJson(eventJson) as CloudEvent, eventJson, acceptedAt: Date.parse('2026-12-01T08:00:00.000Z') + n };
  });
const lane = laneOf(0, 60);
const listed = (of: DeliveryTracking): unknown => ['aplikasi-a', 'aplikasi-b'].map((sender) => of.index.bySender(sender, { limit: 100 }).map((delivery) => ({ ...delivery, event: stringifyJson(delivery.event) })));

it('packs a lane per partition, indexes it on acknowledgement in the writer, whole on another instance, and again after the writer restarts', async () => {
  await bus.start();
  const writer = tracking('instance-a', 'a.db');
  const other = tracking('instance-b', 'b.db');
  await writer.start();
  await other.start();

  const { messages, acknowledged } = writer.publishedRecords(lane);
  // 54 client events (the hub's own 6 have no app to tell), in one record per partition.
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.length).toBeLessThanOrEqual(3);
  expect(messages.every((message) => message.topic === statusTopic(prefix))).toBe(true);
  expect(messages.map((message) => String(message.event.data).split('\n').length).reduce((a, b) => a + b, 0)).toBe(54);
  const applied = vi.spyOn(writer.index, 'applyAll');
  await bus.publish(messages);
  acknowledged();
  expect(applied).toHaveBeenCalledTimes(1);
  expect(writer.index.bySender('aplikasi-a', { limit: 100 })).toHaveLength(30);

  await waitFor(() => other.index.bySender('aplikasi-b', { limit: 100 }).length === 24 && other.index.bySender('aplikasi-a', { limit: 100 }).length === 30, 30_000, 'instance B indexed the packed records');
  expect(listed(other)).toEqual(listed(writer));
  const [first] = writer.index.bySender('aplikasi-a', { limit: 100 }).reverse();
  expect(first).toMatchObject({ event_id: 'ev-0', status: 'published', accepted_at: '2026-12-01T08:00:00.000Z', targets: [] });
  expect(stringifyJson(first!.event)).toContain('"nik":3201234567890123450');

  // The writer read its own records back (its group caught up) without indexing them again.
  await waitFor(async () => (await bus.lag(groupOf('instance-a'), statusTopic(prefix))) === 0, 30_000, 'instance A read the status topic to its end');
  expect(applied).toHaveBeenCalledTimes(1);

  // Acknowledged, but the process stopped before indexing them (their events stay pending and
  // go out again): the next run of the instance reads this run's records like another's.
  const crashed = tracking('instance-c', 'c-before.db');
  const again = crashed.publishedRecords(laneOf(100, 10));
  await bus.publish(again.messages);
  const restarted = tracking('instance-c', 'c-after.db');
  await restarted.start();
  const indexed = (of: DeliveryTracking): string[] => of.index.bySender('aplikasi-a', { limit: 100 }).concat(of.index.bySender('aplikasi-b', { limit: 100 })).map((delivery) => delivery.event_id);
  await waitFor(() => indexed(restarted).length === 54 + 9, 30_000, () => `the restarted instance indexed every record, its earlier run's too (it has ${indexed(restarted).length})`);
  expect(indexed(restarted)).toEqual(expect.arrayContaining(['ev-100', 'ev-101', 'ev-108']));
  expect(crashed.index.bySender('aplikasi-a', { limit: 100 })).toEqual([]);
}, 90_000);

it('indexes its own records when it reads them back once indexing them on acknowledgement failed', async () => {
  await bus.start();
  const own = tracking('instance-d', 'd.db');
  const { messages, acknowledged } = own.publishedRecords(laneOf(200, 10));
  await bus.publish(messages);
  vi.spyOn(own.index, 'applyAll').mockImplementationOnce(() => {
    throw new Error('database or disk is full');
  });
  acknowledged();
  expect(own.index.bySender('aplikasi-a', { limit: 100 })).toEqual([]);
  await own.start();
  const ids = (): string[] => own.index.bySender('aplikasi-a', { limit: 100 }).concat(own.index.bySender('aplikasi-b', { limit: 100 })).map((delivery) => delivery.event_id);
  await waitFor(() => ids().includes('ev-200') && ids().includes('ev-201'), 30_000, () => `the failed events indexed when read back (indexed: ${ids().join(', ')})`);
}, 60_000);

it('indexes its own records read back before their acknowledgement was handled, and not again on acknowledgement', async () => {
  await bus.start();
  const own = tracking('instance-e', 'e.db');
  await own.start();
  const { messages, acknowledged } = own.publishedRecords(laneOf(300, 10));
  await bus.publish(messages);
  // Kafka can answer the consumer's fetch before the producer's acks: the records are read back,
  // indexed and their offsets committed before the relay calls acknowledged().
  await waitFor(async () => (await bus.lag(groupOf('instance-e'), statusTopic(prefix))) === 0, 30_000, 'instance E read its own records back');
  // The topic also holds the earlier tests' records, which this instance reads like another's.
  const ids = (): string[] => own.index.bySender('aplikasi-a', { limit: 200 }).concat(own.index.bySender('aplikasi-b', { limit: 200 })).map((delivery) => delivery.event_id).filter((id) => /^ev-30\d$/.test(id)).sort();
  const nine = ['ev-300', 'ev-301', 'ev-302', 'ev-303', 'ev-304', 'ev-305', 'ev-306', 'ev-307', 'ev-308'];
  expect(ids()).toEqual(nine);
  const applied = vi.spyOn(own.index, 'applyAll');
  acknowledged();
  expect(applied).not.toHaveBeenCalled();
  expect(ids()).toEqual(nine);
}, 60_000);
