// Reading reference codes: every level of each kind, the old spellings read into the current
// one, and the reasons a malformed code is refused.
import { describe, expect, it } from 'vitest';
import { bacaKode } from '../../src/referensi/kode-referensi.js';

const ok = (jenis: Parameters<typeof bacaKode>[0], kode: string): { kode_normal: string; level: string; induk: string[] } => {
  const bacaan = bacaKode(jenis, kode);
  if (bacaan.status !== 'ok') throw new Error(`${kode}: ${bacaan.status}`);
  return { kode_normal: bacaan.kode.kode_normal, level: bacaan.kode.level, induk: bacaan.kode.induk.map((i) => `${i.level}:${i.kode}`) };
};
const reason = (jenis: Parameters<typeof bacaKode>[0], kode: string): string => {
  const bacaan = bacaKode(jenis, kode);
  if (bacaan.status !== 'malformed') throw new Error(`${kode}: ${bacaan.status}`);
  return bacaan.alasan;
};

describe('sub-kegiatan nomenclature codes', () => {
  it('reads every level and the levels above it', () => {
    expect(ok('sub-kegiatan', '1')).toEqual({ kode_normal: '1', level: 'urusan', induk: [] });
    expect(ok('sub-kegiatan', '1.02')).toMatchObject({ level: 'bidang-urusan', induk: ['urusan:1'] });
    expect(ok('sub-kegiatan', '1.02.02')).toMatchObject({ level: 'program' });
    expect(ok('sub-kegiatan', '1.02.02.2.01')).toMatchObject({ level: 'kegiatan', induk: ['urusan:1', 'bidang-urusan:1.02', 'program:1.02.02'] });
    expect(ok('sub-kegiatan', '1.02.02.2.01.0001')).toMatchObject({ level: 'sub-kegiatan', induk: ['urusan:1', 'bidang-urusan:1.02', 'program:1.02.02', 'kegiatan:1.02.02.2.01'] });
  });

  it('writes a pre-2022 two-digit sub-kegiatan number with four digits', () => {
    expect(ok('sub-kegiatan', '2.18.01.2.01.02').kode_normal).toBe('2.18.01.2.01.0002');
  });

  it('says what is wrong with a malformed code', () => {
    expect(reason('sub-kegiatan', '1.02.02.2')).toMatch(/not 4/);
    expect(reason('sub-kegiatan', '1.2.02.2.01.0001')).toMatch(/bidang urusan "2" must have 2 digits/);
    expect(reason('sub-kegiatan', '1.02.00')).toMatch(/program 00 is not a valid number/);
    expect(reason('sub-kegiatan', '1.02.02.2.01.001')).toMatch(/4 digits/);
    expect(reason('sub-kegiatan', '1..02')).toMatch(/empty segment/);
    expect(reason('sub-kegiatan', 'X.XX.01')).toMatch(/digits and dots/);
    expect(reason('sub-kegiatan', '')).toMatch(/empty/);
  });
});

describe('kode rekening', () => {
  it('reads every level, padding the segments exports write short', () => {
    expect(ok('kode-rekening', '5')).toMatchObject({ level: 'akun' });
    expect(ok('kode-rekening', '5.1.02.01.01.0024')).toMatchObject({ kode_normal: '5.1.02.01.01.0024', level: 'sub-rincian-objek' });
    expect(ok('kode-rekening', '5.1.2.1.1.24').kode_normal).toBe('5.1.02.01.01.0024');
    expect(ok('kode-rekening', '5.2.4').kode_normal).toBe('5.2.04');
  });

  it('refuses segments too wide, too many segments and zeros', () => {
    expect(reason('kode-rekening', '5.1.002')).toMatch(/jenis "002" must have 2 digits/);
    expect(reason('kode-rekening', '5.1.02.01.01.0001.1')).toMatch(/at most 6/);
    expect(reason('kode-rekening', '5.0')).toMatch(/kelompok 0 is not a valid number/);
  });
});

describe('klasifikasi arsip', () => {
  it('reads a class and its sub-levels, dropping leading zeros', () => {
    expect(ok('klasifikasi-arsip', '000')).toEqual({ kode_normal: '000', level: 'kelas', induk: [] });
    expect(ok('klasifikasi-arsip', '000.01.02')).toMatchObject({ kode_normal: '000.1.2', level: 'sub-2', induk: ['kelas:000', 'sub-1:000.1'] });
  });

  it('tells a class the regulation does not have (unknown) from a malformed code', () => {
    expect(bacaKode('klasifikasi-arsip', '050.1')).toMatchObject({ status: 'unknown', kode_normal: '050.1' });
    expect(bacaKode('klasifikasi-arsip', '005')).toMatchObject({ status: 'unknown' });
    expect(reason('klasifikasi-arsip', '000.0')).toMatch(/levels start at 1/);
    expect(reason('klasifikasi-arsip', '000.1.2.3.4.5')).toMatch(/at most 4/);
    expect(reason('klasifikasi-arsip', '00.1')).toMatch(/three digits/);
  });
});
