// SDK money helper: numbers, Indonesian text, abbreviations, "no amount yet".
import { describe, expect, it } from 'vitest';
import { moneyOf } from '../../src/connectors/money.js';
import { RecordRejected, parseJson } from '../../src/connectors/sdk.js';

describe('moneyOf', () => {
  it.each([
    ['Rp. 15.602.948.688,00', 15602948688, false],
    ['Rp 1,2 M', 1200000000, true],
    ['750 Jt', 750000000, true],
    ['Rp. 750 Juta', 750000000, true],
    ['15,9 M', 15900000000, true],
    ['1.250.000,-', 1250000, false],
  ])('%s → %d (approximate: %s)', (text, nilai, perkiraan) => {
    expect(moneyOf(text, 'hps')).toEqual({ nilai, perkiraan });
  });

  it('reads JSON numbers, lossless ones included, as exact', () => {
    expect(moneyOf(15602948688.0, 'pagu')).toEqual({ nilai: 15602948688, perkiraan: false });
    expect(moneyOf((parseJson('{"v": 15602948688.00}') as { v: unknown }).v, 'pagu')).toEqual({ nilai: 15602948688, perkiraan: false });
  });

  it('is undefined when there is no amount yet', () => {
    for (const nothing of [undefined, null, '', '-', 'Belum ada nilai kontrak', 'belum ada', 'Tidak ada nilai', 'Nihil']) expect(moneyOf(nothing, 'nilai_kontrak')).toBeUndefined();
  });

  it('rejects what is not money, naming the field', () => {
    for (const bad of ['sekitar satu miliar', 'Rp 1.2.3,4,5', -5, 'Rp 12 ribu 5']) {
      expect(() => moneyOf(bad, 'hps')).toThrow(RecordRejected);
      try {
        moneyOf(bad, 'hps');
      } catch (error) {
        expect((error as RecordRejected).reason).toBe('money-unreadable');
        expect((error as Error).message).toBe('hps is not an amount of money');
      }
    }
  });
});
