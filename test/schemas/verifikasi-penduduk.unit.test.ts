import { describe, it } from 'vitest';
import { compileSchema } from '../../src/schemas.js';
import { expectInvalid, expectValid } from './expect-schema.js';

describe('verifikasi-penduduk-permintaan.v1', () => {
  const validate = compileSchema('verifikasi-penduduk-permintaan.v1.json');
  const nik = '1809011508900001';

  it.each([
    ['one element', { nik, nama_lengkap: 'BUDI SANTOSO' }],
    ['several elements and a threshold', { nik, nama_lengkap: 'BUDI SANTOSO', tanggal_lahir: '1990-08-15', tempat_lahir: 'GEDONG TATAAN', ambang: 80 }],
    ['every element', { nik, nama_lengkap: 'BUDI', tempat_lahir: 'PESAWARAN', tanggal_lahir: '1990-08-15', jenis_kelamin: 'LAKI-LAKI', nama_ibu: 'SITI', alamat: 'DUSUN SUKAJAYA RT 002 RW 001', ambang: 0 }],
    ['only the mother name', { nik, nama_ibu: 'SITI' }],
    ['threshold 100', { nik, alamat: 'JL. RAYA HANURA', ambang: 100 }],
  ])('accepts %s', (_label, data) => {
    expectValid(validate, data);
  });

  it.each([
    ['the NIK alone', { nik }, 'anyOf', ''],
    ['the NIK and a threshold only', { nik, ambang: 80 }, 'anyOf', ''],
    ['no NIK', { nama_lengkap: 'BUDI' }, 'required', ''],
    ['an invalid NIK', { nik: '1809011508900000', nama_lengkap: 'BUDI' }, 'format', '/nik'],
    ['a threshold above 100', { nik, nama_lengkap: 'BUDI', ambang: 101 }, 'maximum', '/ambang'],
    ['a negative threshold', { nik, nama_lengkap: 'BUDI', ambang: -1 }, 'minimum', '/ambang'],
    ['a fractional threshold', { nik, nama_lengkap: 'BUDI', ambang: 80.5 }, 'type', '/ambang'],
    ['a native SIAK key', { nik, TRESHOLD: 80, NAMA_LGKP: 'BUDI' }, 'additionalProperties', ''],
    ['a SIAK date format', { nik, tanggal_lahir: '15-08-1990' }, 'format', '/tanggal_lahir'],
    ['an unknown sex', { nik, jenis_kelamin: 'L' }, 'enum', '/jenis_kelamin'],
    ['a structured address', { nik, alamat: { rt: '002' } }, 'type', '/alamat'],
    ['an empty name', { nik, nama_lengkap: '' }, 'minLength', '/nama_lengkap'],
  ])('rejects %s', (_label, data, keyword, path) => {
    expectInvalid(validate, data, keyword, path);
  });
});

describe('verifikasi-penduduk.v1', () => {
  const validate = compileSchema('verifikasi-penduduk.v1.json');
  const base = { nik: '1809011508900001', sumber: { sistem: 'SIAK', diambil_pada: '2025-03-01T01:15:00Z' } };

  it.each([
    ['every element matched', { ...base, hasil: { nama_lengkap: { sesuai: true, skor: 100 }, tanggal_lahir: { sesuai: true } }, sesuai_semua: true }],
    ['one element did not match', { ...base, hasil: { nama_lengkap: { sesuai: true, skor: 92 }, nama_ibu: { sesuai: false, skor: 0 } }, sesuai_semua: false }],
    ['a single failed element', { ...base, hasil: { alamat: { sesuai: false } }, sesuai_semua: false }],
  ])('accepts an answer where %s', (_label, data) => {
    expectValid(validate, data);
  });

  it.each([
    ['an element that cannot be verified', { ...base, hasil: { agama: { sesuai: true } }, sesuai_semua: true }, 'propertyNames', '/hasil'],
    ['the threshold as an element', { ...base, hasil: { ambang: { sesuai: true } }, sesuai_semua: true }, 'propertyNames', '/hasil'],
    ['no element', { ...base, hasil: {}, sesuai_semua: true }, 'minProperties', '/hasil'],
    ['registered data leaking into a result', { ...base, hasil: { nama_lengkap: { sesuai: false, nilai: 'BUDI SANTOSO' } }, sesuai_semua: false }, 'additionalProperties', '/hasil/nama_lengkap'],
    ['registered data beside the results', { ...base, hasil: { nama_lengkap: { sesuai: true } }, sesuai_semua: true, penduduk: { nama_lengkap: 'BUDI' } }, 'additionalProperties', ''],
    ['a score above 100', { ...base, hasil: { nama_lengkap: { sesuai: true, skor: 101 } }, sesuai_semua: true }, 'maximum', '/hasil/nama_lengkap/skor'],
    ['the upstream wording as the result', { ...base, hasil: { nama_lengkap: { sesuai: 'Sesuai (100)' } }, sesuai_semua: true }, 'type', '/hasil/nama_lengkap/sesuai'],
    ['a missing sesuai', { ...base, hasil: { nama_lengkap: { skor: 100 } }, sesuai_semua: true }, 'required', '/hasil/nama_lengkap'],
    ['sesuai_semua true over a failed element', { ...base, hasil: { nama_lengkap: { sesuai: true }, nama_ibu: { sesuai: false } }, sesuai_semua: true }, 'const', '/hasil/nama_ibu/sesuai'],
    ['sesuai_semua false over all matched', { ...base, hasil: { nama_lengkap: { sesuai: true } }, sesuai_semua: false }, 'not', ''],
    ['another source system', { ...base, sumber: { sistem: 'SIPD', diambil_pada: '2025-03-01T01:15:00Z' }, hasil: { nama_lengkap: { sesuai: true } }, sesuai_semua: true }, 'const', '/sumber/sistem'],
    ['no sesuai_semua', { ...base, hasil: { nama_lengkap: { sesuai: true } } }, 'required', ''],
  ])('rejects %s', (_label, data, keyword, path) => {
    expectInvalid(validate, data, keyword, path);
  });
});
