// The control state on a real Kafka broker: the StateLayer contract, and several instances on
// one control topic converging on Kafka's order.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaState } from '../../src/state/kafka-state.js';
import type { StateChange } from '../../src/state/state-layer.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { stateLayerContract } from './contract.js';

const logger = pino({ level: 'warn' });

async function started(topic: string, onPropagated?: (seconds: number) => void): Promise<KafkaState> {
  const layer = new KafkaState({ brokers: kafkaBrokers(), clientId: 'penghubung-test', topic, replicationFactor: 1, logger, ...(onPropagated ? { onPropagated } : {}) });
  await layer.start();
  return layer;
}

describe('Kafka control state: the StateLayer contract', () => {
  stateLayerContract(async () => {
    const topic = `${uniqueName('state-contract')}._control`;
    return { layer: await started(topic), reopen: () => started(topic) };
  });
});

describe('Kafka control state: several instances on one topic', () => {
  const open: KafkaState[] = [];
  const instance = async (topic: string, onPropagated?: (seconds: number) => void): Promise<KafkaState> => {
    const layer = await started(topic, onPropagated);
    open.push(layer);
    return layer;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((layer) => layer.close()));
  });

  it('shows a put and a delete made on one instance on the other within 2 s, as remote changes', async () => {
    const topic = `${uniqueName('state-two')}._control`;
    const [a, b] = await Promise.all([instance(topic), instance(topic)]);
    const heardOnA: StateChange<{ nama: string }>[] = [];
    const heardOnB: StateChange<{ nama: string }>[] = [];
    a.table<{ nama: string }>('clients').onChange((change) => heardOnA.push(change));
    b.table<{ nama: string }>('clients').onChange((change) => heardOnB.push(change));

    await a.table<{ nama: string }>('clients').put('opd-1', { nama: 'Diskominfo' });
    expect(a.table('clients').get('opd-1')).toEqual({ nama: 'Diskominfo' });
    await waitFor(() => b.table('clients').get('opd-1') !== undefined, 2000, 'the put to reach instance B');
    expect(b.table('clients').get('opd-1')).toEqual({ nama: 'Diskominfo' });

    await a.table('clients').delete('opd-1');
    await waitFor(() => b.table('clients').get('opd-1') === undefined, 2000, 'the delete to reach instance B');

    const summary = (heard: StateChange<{ nama: string }>[]): unknown[] => heard.map(({ key, value, origin }) => ({ key, value, origin }));
    // A hears its own changes once, as local, although it reads them back from the log too.
    await waitFor(() => heardOnB.length === 2, 2000, 'B to hear both changes');
    expect(summary(heardOnA)).toEqual([
      { key: 'opd-1', value: { nama: 'Diskominfo' }, origin: 'local' },
      { key: 'opd-1', value: undefined, origin: 'local' },
    ]);
    expect(summary(heardOnB)).toEqual([
      { key: 'opd-1', value: { nama: 'Diskominfo' }, origin: 'remote' },
      { key: 'opd-1', value: undefined, origin: 'remote' },
    ]);
  });

  it('propagates writes to another instance within 2 s (p50 and max printed)', async () => {
    const topic = `${uniqueName('state-lag')}._control`;
    // What B reports for the propagation metric (from the record's write time to applying it).
    const reported: number[] = [];
    const [a, b] = await Promise.all([instance(topic), instance(topic, (seconds) => reported.push(seconds))]);
    const seenAt = new Map<string, number>();
    b.table<number>('lag').onChange(({ key }) => seenAt.set(key, performance.now()));
    // From the write's start on A, and from its acknowledgement (when put returns) to B having
    // applied it (B is often first: 0). The bound is on the second.
    const fromStart: number[] = [];
    const fromAck: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const key = `k${i}`;
      const startedAt = performance.now();
      await a.table<number>('lag').put(key, i);
      const acknowledgedAt = performance.now();
      await waitFor(() => seenAt.has(key), 2000, `write ${i} to reach instance B`, 1);
      fromStart.push(seenAt.get(key)! - startedAt);
      fromAck.push(Math.max(0, seenAt.get(key)! - acknowledgedAt));
    }
    const summary = (lags: number[]): { p50: number; max: number } => {
      const sorted = [...lags].sort((x, y) => x - y);
      return { p50: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
    };
    const [started, acknowledged] = [summary(fromStart), summary(fromAck)];
    console.log(`control-state propagation over 50 writes: put started on A → applied on B p50 ${started.p50.toFixed(1)} ms, max ${started.max.toFixed(1)} ms; acknowledged on A → applied on B p50 ${acknowledged.p50.toFixed(1)} ms, max ${acknowledged.max.toFixed(1)} ms`);
    expect(acknowledged.max).toBeLessThan(2000);
    expect(b.table<number>('lag').entries()).toEqual(a.table<number>('lag').entries());
    expect(reported).toHaveLength(50);
    expect(Math.max(...reported)).toBeLessThan(2);
  });

  it('gives an instance started later every record, deletions applied', async () => {
    const topic = `${uniqueName('state-late')}._control`;
    const a = await instance(topic);
    const table = a.table<{ n: number }>('numbers');
    for (let i = 0; i < 30; i += 1) await table.put(`k${String(i).padStart(2, '0')}`, { n: i });
    for (let i = 0; i < 30; i += 3) await table.delete(`k${String(i).padStart(2, '0')}`);
    await table.put('k01', { n: 101 });
    const c = await instance(topic);
    // Loaded when start resolves: no waiting.
    expect(c.table<{ n: number }>('numbers').entries()).toEqual(table.entries());
    expect(c.table('numbers').size).toBe(20);
    expect(c.sizes()).toEqual([{ table: 'numbers', records: 20 }]);
    expect(c.table('numbers').get('k01')).toEqual({ n: 101 });
  });

  it('converges on one value when two instances write one key at once', async () => {
    const topic = `${uniqueName('state-race')}._control`;
    const [a, b] = await Promise.all([instance(topic), instance(topic)]);
    const rounds = 20;
    for (let round = 0; round < rounds; round += 1) {
      await Promise.all([
        a.table<string>('race').put('shared', `a-${round}`),
        b.table<string>('race').put('shared', `b-${round}`),
      ]);
    }
    const last = `${rounds - 1}`;
    await waitFor(() => a.table('race').get('shared') === b.table('race').get('shared'), 2000, () => `A (${String(a.table('race').get('shared'))}) and B (${String(b.table('race').get('shared'))}) to agree`);
    const agreed = a.table<string>('race').get('shared');
    expect([`a-${last}`, `b-${last}`]).toContain(agreed);
    // The log's order decides: an instance reading it fresh holds the same value.
    const c = await instance(topic);
    expect(c.table('race').get('shared')).toBe(agreed);
  });
});
