// The SDK's remembered(): a string function's answers kept (normaliseKey, the LPSE wordings, SIAK's
// key names), within bounds an upstream cannot push past however many distinct inputs it sends.
import { expect, it } from 'vitest';
import { remembered } from '../../src/connectors/sdk.js';

/** `read` counting its calls per input. */
function counted<T>(answer: (input: string) => T): { read: (input: string) => T; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return { calls, read: (input) => (calls.set(input, (calls.get(input) ?? 0) + 1), answer(input)) };
}

it('reads each input once, an undefined answer included', () => {
  const { read, calls } = counted((input) => (input.startsWith('x') ? undefined : input.toUpperCase()));
  const upper = remembered(read, { max: 8 });
  for (let round = 0; round < 3; round++) {
    expect(upper('abc')).toBe('ABC');
    expect(upper('xyz')).toBeUndefined();
  }
  expect(Object.fromEntries(calls)).toEqual({ abc: 1, xyz: 1 });
});

it('keeps at most max answers: a new input past the bound empties what it kept', () => {
  const { read, calls } = counted((input) => input.length);
  const length = remembered(read, { max: 4 });
  for (const input of ['a', 'b', 'c', 'd']) length(input);
  length('a');
  expect(calls.get('a')).toBe(1);
  length('e'); // the fifth: the four kept are dropped, 'e' is kept
  length('a');
  length('e');
  expect([calls.get('a'), calls.get('e')]).toEqual([2, 1]);
});

it('reads an input longer than maxInputLength every time, and keeps none of it', () => {
  const { read, calls } = counted((input) => input.length);
  const length = remembered(read, { max: 4, maxInputLength: 5 });
  const long = 'x'.repeat(6);
  for (let round = 0; round < 3; round++) length(long);
  length('short');
  length('short');
  expect([calls.get(long), calls.get('short')]).toEqual([3, 1]);
});
