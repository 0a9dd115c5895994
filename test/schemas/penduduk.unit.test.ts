import { describe, it } from 'vitest';
import { compileSchema } from '../../src/schemas.js';
import { expectInvalid, expectValid, variant } from './expect-schema.js';

type Penduduk = Record<string, unknown> & { alamat: Record<string, unknown>; sumber: Record<string, unknown> };

const pendudukExample: Penduduk = {
  nik: '1809105508900002',
  no_kk: '1809101201150003',
  nama_lengkap: 'SITI AMINAH',
  tempat_lahir: 'PESAWARAN',
  tanggal_lahir: '1990-08-15',
  jenis_kelamin: 'PEREMPUAN',
  golongan_darah: 'O',
  agama: 'ISLAM',
  status_perkawinan: 'KAWIN',
  pendidikan_terakhir: 'SLTA/SEDERAJAT',
  pekerjaan: 'MENGURUS RUMAH TANGGA',
  nama_ibu: 'ROHAYATI',
  alamat: {
    jalan: 'DUSUN SUKAJAYA',
    rt: '002',
    rw: '001',
    kelurahan: 'HANURA',
    kecamatan: 'TELUK PANDAN',
    kabupaten: 'PESAWARAN',
    provinsi: 'LAMPUNG',
  },
  sumber: { sistem: 'SIAK', diambil_pada: '2025-03-01T08:15:00+07:00' },
};

describe('penduduk.v1', () => {
  const validate = compileSchema('penduduk.v1.json');

  it('accepts a resident from a SIAK lookup', () => {
    expectValid(validate, pendudukExample);
  });

  it('accepts a resident without the optional nama_ibu and golongan_darah', () => {
    expectValid(validate, variant(pendudukExample, (p) => { delete p.nama_ibu; delete p.golongan_darah; }));
  });

  it.each(['A', 'AB+', 'O-', 'TIDAK TAHU'])('accepts golongan_darah %s', (golongan) => {
    expectValid(validate, { ...pendudukExample, golongan_darah: golongan });
  });

  it.each(['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI'])('accepts status_perkawinan %s', (status) => {
    expectValid(validate, { ...pendudukExample, status_perkawinan: status });
  });

  it.each([
    ['a NIK with serial 0000', { nik: '1809105508900000' }, 'format', '/nik'],
    ['a NIK with day 75', { nik: '1809107508900002' }, 'format', '/nik'],
    ['a NIK with province 20', { nik: '2009105508900002' }, 'format', '/nik'],
    ['a NIK as a number', { nik: 1809105508900002 }, 'type', '/nik'],
    ['a NO_KK with +40 on the day', { no_kk: '1809105201150003' }, 'format', '/no_kk'],
    ['a NO_KK of 15 digits', { no_kk: '180910120115000' }, 'format', '/no_kk'],
    ['a SIAK date format', { tanggal_lahir: '15-08-1990' }, 'format', '/tanggal_lahir'],
    ['30 February', { tanggal_lahir: '1990-02-30' }, 'format', '/tanggal_lahir'],
    ['jenis_kelamin as a letter', { jenis_kelamin: 'P' }, 'enum', '/jenis_kelamin'],
    ['an unknown blood group', { golongan_darah: 'C' }, 'enum', '/golongan_darah'],
    ['a lower-case marital status', { status_perkawinan: 'Kawin' }, 'enum', '/status_perkawinan'],
    ['an empty name', { nama_lengkap: '' }, 'minLength', '/nama_lengkap'],
    ['a native SIAK key', { NAMA_LGKP: 'SITI AMINAH' }, 'additionalProperties', ''],
    ['another source system', { sumber: { sistem: 'SIPD', diambil_pada: '2025-03-01T08:15:00+07:00' } }, 'const', '/sumber/sistem'],
    ['a fetch time without time zone', { sumber: { sistem: 'SIAK', diambil_pada: '2025-03-01 08:15:00' } }, 'format', '/sumber/diambil_pada'],
  ])('rejects %s', (_label, change, keyword, path) => {
    expectInvalid(validate, { ...pendudukExample, ...change }, keyword, path);
  });

  it.each(['nik', 'no_kk', 'nama_lengkap', 'tanggal_lahir', 'jenis_kelamin', 'agama', 'alamat', 'sumber'])('requires %s', (field) => {
    expectInvalid(validate, variant(pendudukExample, (p) => { delete p[field]; }), 'required');
  });

  it.each([
    ['RT of one digit', { rt: '2' }, 'pattern', '/alamat/rt'],
    ['RW with letters', { rw: '0O1' }, 'pattern', '/alamat/rw'],
    ['RT as a number', { rt: 2 }, 'type', '/alamat/rt'],
    ['an extra address field', { kode_pos: '35451' }, 'additionalProperties', '/alamat'],
  ])('rejects an address with %s', (_label, change, keyword, path) => {
    expectInvalid(validate, variant(pendudukExample, (p) => { Object.assign(p.alamat, change); }), keyword, path);
  });

  it('requires every address part', () => {
    expectInvalid(validate, variant(pendudukExample, (p) => { delete p.alamat.kecamatan; }), 'required', '/alamat');
  });
});
