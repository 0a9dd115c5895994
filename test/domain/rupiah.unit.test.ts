import { describe, expect, it } from 'vitest';
import { parseRupiah } from '../../src/domain/rupiah.js';

describe('parseRupiah', () => {
  it.each([
    ['Rp. 15.602.948.688,00', 15602948688, false],
    ['Rp15.602.948.688,-', 15602948688, false],
    ['15,602,948,688.00', 15602948688, false],
    ['15602948688.00', 15602948688, false],
    ['Rp 1.200.000', 1200000, false],
    ['15,9 M', 15900000000, true],
    ['750 Jt', 750000000, true],
    ['1,2 T', 1200000000000, true],
    ['250 rb', 250000, true],
    ['Rp 1,2 M', 1200000000, true],
    ['Rp. 750 Jt', 750000000, true],
    ['1,5 Miliar', 1500000000, true],
    ['IDR 2.500.000', 2500000, false],
    ['Rp 1.250.000.-', 1250000, false],
    ['2.000.000 rupiah', 2000000, false],
  ])('%s → %d (approximate: %s)', (text, nilai, perkiraan) => {
    expect(parseRupiah(text)).toEqual({ nilai, perkiraan });
  });

  it('takes numbers as exact rupiah and refuses what is not money', () => {
    expect(parseRupiah(15602948688)).toEqual({ nilai: 15602948688, perkiraan: false });
    for (const bad of ['abc', '', '-5', 'Rp', '1.2.3,4,5', -1, Number.NaN, null, {}]) expect(parseRupiah(bad)).toBeUndefined();
  });
});
