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
