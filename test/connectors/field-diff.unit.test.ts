// The contract kit's fixture mismatch message: one line per differing field.
import { LosslessNumber } from 'lossless-json';
import { expect, it } from 'vitest';
import { fieldDiff } from '../../src/connectors/field-diff.js';

it('names each differing field by JSON pointer, with expected and actual', () => {
  expect(fieldDiff('differs', { a: 1, b: [1, 2], c: { 'x/y': 'p' } }, { a: 2, b: [1], c: { 'x/y': 'q' }, d: null })).toBe([
    'differs (4 fields):',
    '  /a: expected 1, actual 2',
    '  /b/1: expected 2, actual (absent)',
    '  /c/x~1y: expected "p", actual "q"',
    '  /d: expected (absent), actual null',
  ].join('\n'));
});

it('compares integers beyond 2^53 by their digits', () => {
  const nik = (digits: string): LosslessNumber => new LosslessNumber(digits);
  expect(fieldDiff('differs', { nik: nik('1809011704780000001') }, { nik: nik('1809011704780000002') })).toBe('differs (1 field):\n  /nik: expected 1809011704780000001, actual 1809011704780000002');
});

it('shows at most twenty lines and counts the rest', () => {
  const many = (value: number): Record<string, number> => Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, value]));
  const lines = fieldDiff('differs', many(1), many(2)).split('\n');
  expect(lines).toHaveLength(22);
  expect(lines.at(-1)).toBe('  … and 5 more');
});
