// Masking fails closed: a field whose schema gives no classification, or one outside
// publik/terbatas/rahasia, is masked as rahasia; only a declared level below clearance shows.
import { expect, it } from 'vitest';
import { maskBySchema } from '../../src/security/masking.js';

const schema = {
  type: 'object',
  properties: {
    kode: { type: 'string', 'x-classification': 'publik' },
    catatan: { type: 'string', 'x-classification': 'rahsia' },
    keterangan: { type: 'string' },
  },
};

it.each(['publik', 'terbatas'] as const)('masks unclassified and misclassified fields for a %s client', (clearance) => {
  const masked = maskBySchema(schema, { kode: '1.02', catatan: 'Siti Rahmawati', keterangan: 'Jalan Melati 4' }, clearance) as Record<string, unknown>;
  expect(masked.kode).toBe('1.02');
  expect(masked.catatan).not.toBe('Siti Rahmawati');
  expect(masked.keterangan).not.toBe('Jalan Melati 4');
});

it('shows them to a rahasia client', () => {
  expect(maskBySchema(schema, { catatan: 'x', keterangan: 'y' }, 'rahasia')).toEqual({ catatan: 'x', keterangan: 'y' });
});

// Nothing is above rahasia: such a client gets the value itself, not a walked copy of it, while
// one step below still has the undescribed and nested fields masked.
it('answers a rahasia client with the value as it is, and masks the same value below it', () => {
  const value = { kode: '1.02', keterangan: 'Jalan Melati 4', rincian: [{ nama: 'Siti Rahmawati' }], lain: { nik: '1809011704780001' } };
  expect(maskBySchema(schema, value, 'rahasia')).toBe(value);
  expect(maskBySchema(schema, value, 'terbatas')).toEqual({ kode: '1.02', keterangan: '••••', rincian: [{ nama: 'S. R.' }], lain: { nik: '1809••••••••0001' } });
});

// $refs are resolved once per schema node and kept: the second answer is masked as the first,
// each schema by its own $defs, and the referring node's own classification still wins.
const withRefs = (level: 'publik' | 'rahasia') => ({
  type: 'object',
  $defs: { uang: { type: 'string', 'x-classification': level } },
  properties: { pagu: { $ref: '#/$defs/uang' }, realisasi: { $ref: '#/$defs/uang', 'x-classification': 'rahasia' } },
  patternProperties: { '^catatan_\\d+$': { type: 'string', 'x-classification': 'publik' } },
});

it('follows $refs and patternProperties the same way on every answer, per schema', () => {
  const open = withRefs('publik');
  const closed = withRefs('rahasia');
  const value = { pagu: '1000', realisasi: '900', catatan_1: 'ok', catatan_x: 'rahasia' };
  for (let round = 0; round < 2; round++) {
    expect(maskBySchema(open, value, 'publik')).toEqual({ pagu: '1000', realisasi: '••••', catatan_1: 'ok', catatan_x: '••••' });
    expect(maskBySchema(closed, value, 'publik')).toEqual({ pagu: '••••', realisasi: '••••', catatan_1: 'ok', catatan_x: '••••' });
    expect(maskBySchema(open, value, 'rahasia')).toEqual(value);
  }
});
