import { describe, expect, it } from 'vitest';
import {
  checkKodeRekening,
  checkKodeSkpd,
  checkKodeSubKegiatan,
  describeKodeRekening,
  describeKodeSkpd,
  describeKodeSubKegiatan,
  isKodeRekening,
  isKodeSkpd,
  isKodeSubKegiatan,
  kodeRekeningLevel,
} from '../../src/domain/kode-anggaran.js';
import { ajv } from '../../src/schemas.js';

describe('checkKodeSubKegiatan', () => {
  it.each([
    ['current form (Kesehatan)', '1.02.02.2.01.0001'],
    ['current form (PUPR, jalan)', '1.03.10.2.01.0029'],
    ['current form (Kominfo)', '2.16.03.2.02.0004'],
    ['current form, sub-kegiatan 9999', '1.01.02.2.01.9999'],
    ['legacy form, two-digit tail', '1.02.02.2.01.01'],
    ['legacy form, tail 99', '1.02.02.1.01.99'],
  ])('valid: %s (%s)', (_label, value) => {
    expect(checkKodeSubKegiatan(value)).toBeNull();
    expect(isKodeSubKegiatan(value)).toBe(true);
  });

  it.each([
    ['not a string', 1020220010001, /string/],
    ['empty', '', /empty/],
    ['letters (X.XX nomenclature placeholder)', 'X.XX.01.2.01.0001', /digits and dots/],
    ['spaces', '1.02.02.2.01. 0001', /digits and dots/],
    ['dash', '1-02-02-2-01-0001', /digits and dots/],
    ['trailing dot', '1.02.02.2.01.0001.', /empty segment/],
    ['double dot', '1.02..02.2.01.0001', /empty segment/],
    ['five segments (a kegiatan)', '1.02.02.2.01', /6 segments/],
    ['seven segments', '1.02.02.2.01.0001.1', /6 segments/],
    ['three-digit tail', '1.02.02.2.01.001', /4 digits/],
    ['urusan with two digits', '10.02.02.2.01.0001', /urusan "10" must have 1 digit/],
    ['bidang with one digit', '1.2.02.2.01.0001', /bidang urusan "2" must have 2 digits/],
    ['program with three digits', '1.02.002.2.01.0001', /program "002"/],
    ['K with two digits', '1.02.02.02.01.0001', /kegiatan \(K\)/],
    ['urusan 0', '0.02.02.2.01.0001', /urusan 0 is not a valid number/],
    ['bidang 00', '1.00.02.2.01.0001', /bidang urusan 00/],
    ['program 00', '1.02.00.2.01.0001', /program 00/],
    ['kegiatan 00', '1.02.02.2.00.0001', /kegiatan \(KK\) 00/],
    ['sub-kegiatan 0000', '1.02.02.2.01.0000', /sub-kegiatan 0000/],
    ['legacy sub-kegiatan 00', '1.02.02.2.01.00', /sub-kegiatan 00/],
  ])('invalid: %s', (_label, value, reason) => {
    expect(checkKodeSubKegiatan(value)).toMatch(reason);
    expect(isKodeSubKegiatan(value)).toBe(false);
  });

  it('describes the hierarchy a code encodes, in both forms', () => {
    expect(describeKodeSubKegiatan('1.02.02.2.01.0001')).toEqual({
      form: 'current', urusan: '1', bidangUrusan: '1.02', program: '1.02.02', kegiatan: '1.02.02.2.01', subKegiatan: '1.02.02.2.01.0001',
    });
    expect(describeKodeSubKegiatan('1.02.02.2.01.01')).toMatchObject({ form: 'legacy', kegiatan: '1.02.02.2.01' });
    expect(() => describeKodeSubKegiatan('1.02.02.2.01')).toThrow(/invalid kode sub-kegiatan/);
  });
});

describe('checkKodeRekening', () => {
  it.each([
    ['5', 'akun'],
    ['5.1', 'kelompok'],
    ['5.1.02', 'jenis'],
    ['5.1.02.01', 'objek'],
    ['5.1.02.01.01', 'rincian-objek'],
    ['5.1.02.01.01.0001', 'sub-rincian-objek'],
    ['5.2.04.01.01.0012', 'sub-rincian-objek'],
    ['4.1.01.09.01.0001', 'sub-rincian-objek'],
    ['6.1.01', 'jenis'],
  ])('%s is valid at level %s', (value, level) => {
    expect(checkKodeRekening(value)).toBeNull();
    expect(isKodeRekening(value)).toBe(true);
    expect(kodeRekeningLevel(value)).toBe(level);
  });

  it.each([
    ['not a string', 5, /string/],
    ['empty', '', /empty/],
    ['letters', '5.1.O2', /digits and dots/],
    ['akun with two digits', '51.02', /akun "51" must have 1 digit/],
    ['kelompok with two digits', '5.11.02', /kelompok "11" must have 1 digit/],
    ['jenis with one digit', '5.1.2', /jenis "2" must have 2 digits/],
    ['objek with three digits', '5.1.02.001', /objek "001" must have 2 digits/],
    ['rincian objek with one digit', '5.1.02.01.1', /rincian-objek "1" must have 2 digits/],
    ['sub rincian objek with two digits (not a level)', '5.1.02.01.01.01', /sub-rincian-objek "01" must have 4 digits/],
    ['seven segments', '5.1.02.01.01.0001.1', /at most 6/],
    ['akun 0', '0.1.02', /akun 0/],
    ['jenis 00', '5.1.00', /jenis 00/],
    ['sub rincian objek 0000', '5.1.02.01.01.0000', /sub-rincian-objek 0000/],
    ['trailing dot', '5.1.', /empty segment/],
  ])('invalid: %s', (_label, value, reason) => {
    expect(checkKodeRekening(value)).toMatch(reason);
    expect(kodeRekeningLevel(value)).toBeUndefined();
  });

  it('describes a code with its ancestors', () => {
    expect(describeKodeRekening('5.1.02.01.01.0001')).toEqual({
      level: 'sub-rincian-objek', akun: '5', kelompok: '5.1', jenis: '5.1.02', objek: '5.1.02.01', 'rincian-objek': '5.1.02.01.01', 'sub-rincian-objek': '5.1.02.01.01.0001',
    });
    expect(describeKodeRekening('5.2')).toEqual({ level: 'kelompok', akun: '5', kelompok: '5.2' });
    expect(() => describeKodeRekening('5.1.2')).toThrow(/invalid kode rekening/);
  });
});

describe('checkKodeSkpd', () => {
  it.each([
    ['Dinas Kesehatan', '1.02.0.00.0.00.01.0000'],
    ['Dinas PUPR', '1.03.0.00.0.00.01.0000'],
    ['Dinas Pendidikan dan Kebudayaan (two bidang)', '1.01.2.22.0.00.01.0000'],
    ['Diskominfo (three bidang)', '2.16.2.20.2.21.01.0000'],
    ['a puskesmas (sub-unit)', '1.02.0.00.0.00.01.0012'],
    ['Sekretariat Daerah', '4.01.0.00.0.00.01.0000'],
  ])('valid: %s (%s)', (_label, value) => {
    expect(checkKodeSkpd(value)).toBeNull();
    expect(isKodeSkpd(value)).toBe(true);
  });

  it.each([
    ['not a string', 1020000000010000, /string/],
    ['seven segments', '1.02.0.00.0.00.01', /8 segments/],
    ['unit with one digit', '1.02.0.00.0.00.1.0000', /unit "1" must have 2 digits/],
    ['sub-unit with two digits', '1.02.0.00.0.00.01.00', /sub-unit "00" must have 4 digits/],
    ['bidang with one digit', '1.2.0.00.0.00.01.0000', /bidang 1 "2"/],
    ['main bidang zero', '0.00.0.00.0.00.01.0000', /main bidang urusan 0.00/],
    ['main urusan zero', '0.02.0.00.0.00.01.0000', /main bidang urusan 0.02/],
    ['second pair half set', '1.02.2.00.0.00.01.0000', /second bidang urusan 2.00/],
    ['third pair half set', '2.16.2.20.0.21.01.0000', /third bidang urusan 0.21/],
    ['third without second', '2.16.0.00.2.21.01.0000', /needs a second/],
    ['unit 00', '1.02.0.00.0.00.00.0000', /unit 00/],
    ['letters', '1.02.0.00.0.00.O1.0000', /digits and dots/],
  ])('invalid: %s', (_label, value, reason) => {
    expect(checkKodeSkpd(value)).toMatch(reason);
    expect(isKodeSkpd(value)).toBe(false);
  });

  it('describes the bidang urusan, unit and sub-unit', () => {
    expect(describeKodeSkpd('2.16.2.20.2.21.01.0000')).toEqual({ bidangUrusan: ['2.16', '2.20', '2.21'], unit: '01', subUnit: '0000', isSubUnit: false });
    expect(describeKodeSkpd('1.02.0.00.0.00.01.0012')).toEqual({ bidangUrusan: ['1.02'], unit: '01', subUnit: '0012', isSubUnit: true });
    expect(() => describeKodeSkpd('1.02')).toThrow(/invalid kode SKPD/);
  });
});

describe('ajv formats', () => {
  it.each([
    ['kode-sub-kegiatan', '1.02.02.2.01.0001', '1.02.02.2.01'],
    ['kode-sub-kegiatan', '1.02.02.2.01.01', '1.02.02.2.01.001'],
    ['kode-rekening', '5.1.02.01.01.0001', '5.1.02.01.01.01'],
    ['kode-rekening', '5', '05'],
    ['kode-skpd', '1.02.0.00.0.00.01.0000', '1.02.0.00.0.00.01'],
  ])('%s accepts %s and refuses %s', (format, valid, invalid) => {
    const validate = ajv.compile({ type: 'string', format });
    expect(validate(valid)).toBe(true);
    expect(validate(invalid)).toBe(false);
  });
});
