import { describe, it, expect } from 'vitest';
import { isRealDdmmyy } from '../../src/domain/ddmmyy.js';
import { checkRegionPrefix, KODE_PESAWARAN, PROVINSI } from '../../src/domain/wilayah.js';

describe('province codes', () => {
  it('lists the 38 provinces, Lampung included', () => {
    expect(PROVINSI.size).toBe(38);
    expect(PROVINSI.get('18')).toBe('Lampung');
    expect(PROVINSI.get('65')).toBe('Kalimantan Utara');
    expect(['93', '94', '95', '96'].map((code) => PROVINSI.get(code))).toEqual(['Papua Selatan', 'Papua Tengah', 'Papua Pegunungan', 'Papua Barat Daya']);
    expect(KODE_PESAWARAN).toBe('18.09');
  });

  it('are exactly 11-19, 21, 31-36, 51-53, 61-65, 71-76, 81-82, 91-96', () => {
    const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    const expected = [range(11, 19), ['21'], range(31, 36), range(51, 53), range(61, 65), range(71, 76), range(81, 82), range(91, 96)].flat();
    expect([...PROVINSI.keys()].sort()).toEqual(expected.sort());
  });

  it('checks the PP RR SS prefix', () => {
    expect(checkRegionPrefix('180901')).toBeNull();
    expect(checkRegionPrefix('200901')).toMatch(/province/);
    expect(checkRegionPrefix('180001')).toMatch(/regency/);
    expect(checkRegionPrefix('180900')).toMatch(/district/);
  });
});

describe('isRealDdmmyy', () => {
  it('accepts a date real in either century', () => {
    expect(isRealDdmmyy(29, 2, 0)).toBe(true); // 2000
    expect(isRealDdmmyy(29, 2, 96)).toBe(true); // 1996
    expect(isRealDdmmyy(31, 12, 99)).toBe(true);
  });

  it('rejects dates real in neither', () => {
    expect(isRealDdmmyy(29, 2, 1)).toBe(false);
    expect(isRealDdmmyy(30, 2, 0)).toBe(false);
    expect(isRealDdmmyy(31, 4, 90)).toBe(false);
    expect(isRealDdmmyy(0, 1, 90)).toBe(false);
    expect(isRealDdmmyy(1, 0, 90)).toBe(false);
    expect(isRealDdmmyy(1, 13, 90)).toBe(false);
    expect(isRealDdmmyy(1, 1, 100)).toBe(false);
  });
});
