// The ids of records a process indexed on acknowledgement: each skips one read-back, and ids never
// taken (their record read back first) are forgotten after one to two windows.
import { expect, it } from 'vitest';
import { RecentIds } from '../../src/deliveries/recent-ids.js';

it('takes an id once, keeps it through one more window and forgets it after two', () => {
  let now = 0;
  const ids = new RecentIds(1_000, () => now);
  ids.add(['a', 'b', 'c']);
  expect(ids.take('a')).toBe(true);
  expect(ids.take('a')).toBe(false);
  expect(ids.take('unknown')).toBe(false);

  now = 1_000;
  ids.add(['d']);
  // 'b' and 'c' are a window old: still taken.
  expect(ids.take('b')).toBe(true);

  now = 2_000;
  ids.add(['e']);
  // 'c' was never taken and is two windows old: forgotten ('d' is not).
  expect(ids.take('c')).toBe(false);
  expect(ids.take('d')).toBe(true);
  expect(ids.take('e')).toBe(true);
});
