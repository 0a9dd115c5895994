import { describe, it, expect } from 'vitest';
import { checkNik, describeNik, isNik } from '../../src/domain/nik.js';

// PP RR SS DDMMYY NNNN
const nik = (pp: string, rr: string, ss: string, ddmmyy: string, serial = '0001'): string => `${pp}${rr}${ss}${ddmmyy}${serial}`;

describe('checkNik: valid', () => {
  it.each([
    ['Pesawaran man, 15 Aug 1990', '1809011508900001'],
    ['Pesawaran woman, 15 Aug 1990 (day 15 + 40)', '1809015508900002'],
    ['woman born on the 1st (41)', nik('18', '09', '11', '410185')],
    ['woman born on 31 Dec (71)', nik('18', '09', '02', '711299', '0003')],
    ['man born on 31 Jan', nik('18', '71', '01', '310100')],
    ['29 Feb 2000 (1900 is not leap, 2000 is)', nik('18', '09', '01', '290200')],
    ['29 Feb 2004 / 1904', nik('18', '09', '01', '290204')],
    ['29 Feb 1996, woman (69)', nik('18', '09', '01', '690296')],
    ['serial 9999', nik('18', '09', '01', '010170', '9999')],
    ['regency and district 99', nik('18', '99', '99', '010170')],
    ['Aceh (11)', nik('11', '01', '01', '010170')],
    ['Kepulauan Riau (21)', nik('21', '71', '01', '010170')],
    ['DKI Jakarta (31)', nik('31', '74', '01', '010170')],
    ['Banten (36)', nik('36', '03', '01', '010170')],
    ['Bali (51)', nik('51', '71', '01', '010170')],
    ['NTT (53)', nik('53', '01', '01', '010170')],
    ['Kalimantan Utara (65)', nik('65', '01', '01', '010170')],
    ['Sulawesi Barat (76)', nik('76', '01', '01', '010170')],
    ['Maluku Utara (82)', nik('82', '01', '01', '010170')],
    ['Papua (91)', nik('91', '01', '01', '010170')],
    ['Papua Barat (92)', nik('92', '01', '01', '010170')],
    ['Papua Selatan (93)', nik('93', '01', '01', '010170')],
    ['Papua Tengah (94)', nik('94', '01', '01', '010170')],
    ['Papua Pegunungan (95)', nik('95', '01', '01', '010170')],
    ['Papua Barat Daya (96)', nik('96', '01', '01', '010170')],
  ])('%s: %s', (_label, value) => {
    expect(checkNik(value)).toBeNull();
    expect(isNik(value)).toBe(true);
  });
});

describe('checkNik: invalid', () => {
  it.each([
    ['15 digits', '180901150890001', /16 digits/],
    ['17 digits', '18090115089000011', /16 digits/],
    ['empty', '', /16 digits/],
    ['a letter O for a zero', '18090115089O0001', /digits only/],
    ['dashes', '1809-0115-0890-01', /digits only/],
    ['spaces', '1809 0115 0890 01', /digits only/],
    ['surrounding whitespace', ' 1809011508900001', /digits only/],
    ['full-width digits', '１８０９０１１５０８９００００１', /digits only/],
    ['Arabic-Indic digits', '١٨٠٩٠١١٥٠٨٩٠٠٠٠١', /digits only/],
    ['province 00', nik('00', '09', '01', '150890'), /province code 00/],
    ['province 99', nik('99', '09', '01', '150890'), /province code 99/],
    ['province 20', nik('20', '09', '01', '150890'), /province code 20/],
    ['province 10', nik('10', '09', '01', '150890'), /province code 10/],
    ['province 37', nik('37', '09', '01', '150890'), /province code 37/],
    ['province 54 (former Timor Timur)', nik('54', '09', '01', '150890'), /province code 54/],
    ['province 66', nik('66', '09', '01', '150890'), /province code 66/],
    ['province 77', nik('77', '09', '01', '150890'), /province code 77/],
    ['province 83', nik('83', '09', '01', '150890'), /province code 83/],
    ['province 90', nik('90', '09', '01', '150890'), /province code 90/],
    ['province 97', nik('97', '09', '01', '150890'), /province code 97/],
    ['regency 00', nik('18', '00', '01', '150890'), /regency code 00/],
    ['district 00', nik('18', '09', '00', '150890'), /district code 00/],
    ['day 00', nik('18', '09', '01', '000190'), /birth day 00/],
    ['day 32', nik('18', '09', '01', '320190'), /birth day 32/],
    ['day 40 (neither a man nor a woman)', nik('18', '09', '01', '400190'), /birth day 40/],
    ['day 72 (woman 32)', nik('18', '09', '01', '720190'), /birth day 72/],
    ['day 99', nik('18', '09', '01', '990190'), /birth day 99/],
    ['month 00', nik('18', '09', '01', '150090'), /month 00/],
    ['month 13', nik('18', '09', '01', '151390'), /month 13/],
    ['30 Feb', nik('18', '09', '01', '300290'), /does not exist/],
    ['30 Feb, woman (70)', nik('18', '09', '01', '700290'), /does not exist/],
    ['29 Feb 1901/2001', nik('18', '09', '01', '290201'), /does not exist/],
    ['29 Feb 1997/2097, woman (69)', nik('18', '09', '01', '690297'), /does not exist/],
    ['31 Apr', nik('18', '09', '01', '310490'), /does not exist/],
    ['31 Jun, woman (71)', nik('18', '09', '01', '710690'), /does not exist/],
    ['31 Nov', nik('18', '09', '01', '311190'), /does not exist/],
    ['serial 0000', nik('18', '09', '01', '150890', '0000'), /serial number 0000/],
  ])('%s: %s', (_label, value, reason) => {
    expect(checkNik(value)).toMatch(reason);
    expect(isNik(value)).toBe(false);
  });

  it.each([[1809011508900001], [null], [undefined], [{}], [['1809011508900001']]])('rejects a non-string %j', (value) => {
    expect(checkNik(value)).toBe('must be a string');
  });

  it('gives short reasons', () => {
    expect(checkNik('1809011508900000')).toBe('serial number 0000 is not valid');
    expect(checkNik('1809017002900001')).toBe('birth date 30-02-90 does not exist');
  });
});

describe('describeNik', () => {
  it('reads a Pesawaran man', () => {
    expect(describeNik('1809011508900001')).toEqual({
      provinsi: '18',
      kabupaten: '18.09',
      kecamatan: '18.09.01',
      tanggal_lahir_ddmmyy: '150890',
      jenis_kelamin: 'LAKI-LAKI',
    });
  });

  it('reads a woman and takes the 40 off the day', () => {
    expect(describeNik('1809105508900002')).toEqual({
      provinsi: '18',
      kabupaten: '18.09',
      kecamatan: '18.09.10',
      tanggal_lahir_ddmmyy: '150890',
      jenis_kelamin: 'PEREMPUAN',
    });
    expect(describeNik('1809024101850001').tanggal_lahir_ddmmyy).toBe('010185');
    expect(describeNik('1809027112990003').tanggal_lahir_ddmmyy).toBe('311299');
  });

  it('reads a city in another province', () => {
    expect(describeNik('3174051703010123')).toMatchObject({ provinsi: '31', kabupaten: '31.74', kecamatan: '31.74.05', jenis_kelamin: 'LAKI-LAKI' });
  });

  it('throws on an invalid NIK with the reason', () => {
    expect(() => describeNik('1809011508900000')).toThrow(/invalid NIK: serial number 0000/);
    expect(() => describeNik('123')).toThrow(TypeError);
  });
});
