// The contract every StateLayer backend passes (embedded here, Kafka in kafka-state.test.ts).
import { expect, it } from 'vitest';
import type { StateChange, StateLayer } from '../../src/state/state-layer.js';

export function stateLayerContract(open: () => Promise<{ layer: StateLayer; reopen: () => Promise<StateLayer> }>): void {
  it('reads its own write at once, and lists records in key order', async () => {
    const { layer } = await open();
    const table = layer.table<{ n: number }>('numbers');
    await table.put('b', { n: 2 });
    await table.put('a', { n: 1 });
    expect(table.get('a')).toEqual({ n: 1 });
    expect(table.entries()).toEqual([['a', { n: 1 }], ['b', { n: 2 }]]);
    expect(table.size).toBe(2);
    await layer.close();
  });

  it('keeps records and deletions across a restart', async () => {
    const { layer, reopen } = await open();
    const table = layer.table<string>('names');
    await table.put('kept', 'yes');
    await table.put('gone', 'no');
    await table.delete('gone');
    await layer.close();
    const again = await reopen();
    expect(again.table<string>('names').entries()).toEqual([['kept', 'yes']]);
    await again.close();
  });

  it('tells listeners of each change once, and not after they stop', async () => {
    const { layer } = await open();
    const table = layer.table<number>('counted');
    const heard: StateChange<number>[] = [];
    const stop = table.onChange((change) => heard.push(change));
    await table.put('x', 1);
    await table.delete('x');
    await table.delete('never-there');
    stop();
    await table.put('y', 2);
    expect(heard.map(({ key, value, origin }) => ({ key, value, origin }))).toEqual([
      { key: 'x', value: 1, origin: 'local' },
      { key: 'x', value: undefined, origin: 'local' },
    ]);
    await layer.close();
  });

  it('keeps tables apart and refuses names that are not simple', async () => {
    const { layer } = await open();
    await layer.table<number>('left').put('k', 1);
    expect(layer.table<number>('right').get('k')).toBeUndefined();
    expect(layer.table('left')).toBe(layer.table('left'));
    expect(() => layer.table('Bad Name')).toThrow(/lowercase/);
    await layer.close();
  });
}
