import { describe, it, expect } from 'vitest';
import {
  checkKlasifikasiArsip,
  describeKlasifikasiArsip,
  isKlasifikasiArsip,
  KELAS_ARSIP,
  MAX_LENGTH,
  namaKelasArsip,
} from '../../src/domain/klasifikasi-arsip.js';
import { ajv } from '../../src/schemas.js';
import { klasifikasiProblem } from '../../connectors/sitampan/klasifikasi.js';

describe('primary classes of Permendagri 83/2022', () => {
  it('are exactly 000, 100, …, 900 with their names', () => {
    expect([...KELAS_ARSIP.keys()]).toEqual(['000', '100', '200', '300', '400', '500', '600', '700', '800', '900']);
    expect(KELAS_ARSIP.get('000')).toBe('Umum');
    expect(KELAS_ARSIP.get('100')).toBe('Pemerintahan');
    expect(KELAS_ARSIP.get('200')).toBe('Politik');
    expect(KELAS_ARSIP.get('300')).toBe('Keamanan dan Ketertiban');
    expect(KELAS_ARSIP.get('400')).toBe('Kesejahteraan Rakyat');
    expect(KELAS_ARSIP.get('500')).toBe('Perekonomian');
    expect(KELAS_ARSIP.get('600')).toBe('Pekerjaan Umum dan Ketenagaan');
    expect(KELAS_ARSIP.get('700')).toBe('Pengawasan');
    expect(KELAS_ARSIP.get('800')).toBe('Kepegawaian');
    expect(KELAS_ARSIP.get('900')).toBe('Keuangan');
  });
});

describe('checkKlasifikasiArsip', () => {
  it.each(['000', '000.1', '000.1.2', '000.1.2.3', '000.1.2.3.4', '100.3.4.2', '400.14.1.3', '800.1.11.13', '900.99.99.99.99', '500.10'])('accepts %s', (code) => {
    expect(checkKlasifikasiArsip(code)).toBeNull();
    expect(isKlasifikasiArsip(code)).toBe(true);
  });

  it('accepts the longest code and nothing longer', () => {
    expect('900.99.99.99.99'.length).toBe(MAX_LENGTH);
    expect(checkKlasifikasiArsip('900.99.99.99.99.9')).toMatch(/longer than/);
  });

  it.each([
    ['005', /superseded Permendagri 78\/2012/],
    ['010', /not a primary class/],
    ['950', /not a primary class/],
    ['1000', /not three digits/],
    ['00', /not three digits/],
    ['000.1.2.3.4.5', /5 levels below the class, at most 4/],
    ['000.123', /not 1-2 digits/],
    ['000.01', /leading zero/],
    ['000.0', /levels start at 1/],
    ['000..1', /level 1 is empty/],
    ['000.', /level 1 is empty/],
    ['.000', /not three digits/],
    ['000.1a', /digits and dots only/],
    ['000/1', /digits and dots only/],
    [' 000.1', /digits and dots only/],
    ['', /must not be empty/],
  ])('refuses %j', (code, reason) => {
    expect(checkKlasifikasiArsip(code)).toMatch(reason);
    expect(isKlasifikasiArsip(code)).toBe(false);
  });

  it.each([0, 100, null, undefined, ['000']])('refuses the non-string %j', (value) => {
    expect(checkKlasifikasiArsip(value)).toBe('must be a string');
  });
});

describe('the class name and description', () => {
  it('names the class of a code', () => {
    expect(namaKelasArsip('000.1.2.3')).toBe('Umum');
    expect(namaKelasArsip('800.1.11')).toBe('Kepegawaian');
    expect(namaKelasArsip('900')).toBe('Keuangan');
    expect(namaKelasArsip('005')).toBeUndefined();
    expect(namaKelasArsip(42)).toBeUndefined();
  });

  it('describes a valid code', () => {
    expect(describeKlasifikasiArsip('000.1.2.3')).toEqual({
      kode: '000.1.2.3', kelas: '000', nama_kelas: 'Umum', sub: [1, 2, 3], tingkat: 3, jalur: ['000', '000.1', '000.1.2', '000.1.2.3'],
    });
    expect(describeKlasifikasiArsip('700')).toEqual({ kode: '700', kelas: '700', nama_kelas: 'Pengawasan', sub: [], tingkat: 0, jalur: ['700'] });
  });

  it('throws on an invalid code', () => {
    expect(() => describeKlasifikasiArsip('000.01')).toThrow(/invalid klasifikasi arsip "000.01": level 1 \(01\) has a leading zero/);
  });
});

describe('shared ajv: klasifikasi-arsip format', () => {
  const validate = ajv.compile({ type: 'string', format: 'klasifikasi-arsip' });

  it('validates with the domain rules', () => {
    expect(validate('000.1.2.3')).toBe(true);
    expect(validate('005')).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'format', params: { format: 'klasifikasi-arsip' } });
    expect(validate('000.1.2.3.4.5')).toBe(false);
  });
});

describe('the SITAMPAN mapping\'s copy of the rules (the SDK does not export this validator)', () => {
  it('accepts and refuses exactly what the domain validator does', () => {
    const segments = ['0', '00', '1', '01', '9', '10', '99', '100', 'a', ''];
    const codes = new Set<string>(['', '.', '005', '1000', '950', 'abc', '000.1.2.3.4.5', '900.99.99.99.99', '900.99.99.99.99.9', ' 000']);
    for (const kelas of ['000', '100', '500', '900', '005', '050', '00', '0000']) {
      codes.add(kelas);
      for (const a of segments) {
        codes.add(`${kelas}.${a}`);
        for (const b of segments) {
          codes.add(`${kelas}.${a}.${b}`);
          codes.add(`${kelas}.1.${a}.2.${b}`);
          codes.add(`${kelas}.1.2.${a}.${b}`);
        }
      }
    }
    const disagreements = [...codes].filter((code) => (klasifikasiProblem(code) === null) !== isKlasifikasiArsip(code));
    expect(disagreements).toEqual([]);
    expect(codes.size).toBeGreaterThan(1000);
  });
});
