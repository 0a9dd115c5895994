import { describe, it } from 'vitest';
import { compileSchema } from '../../src/schemas.js';
import { expectInvalid, expectValid, variant } from './expect-schema.js';

type Paket = Record<string, unknown> & { tanggal: Record<string, unknown>; pagu: Record<string, unknown>; satuan_kerja: Record<string, unknown> };

// Tender codes can exceed 2^53 upstream; canonical is a digit string.
const kode = '20260279000000017';

const paket: Paket = {
  id: `lpse-${kode}`,
  kode_tender: kode,
  kode_rup: '40000001',
  nama_paket: 'Rekonstruksi Ruas Jalan Kedondong – Way Lima & Jembatan <5 m',
  instansi: 'Pemerintah Daerah Kabupaten Pesawaran',
  satuan_kerja: { kode: '184061', nama: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
  jenis_pengadaan: 'pekerjaan_konstruksi',
  metode_pengadaan: 'tender',
  tahun: 2026,
  pagu: { nilai: 15_900_000_000, perkiraan: false },
  hps: { nilai: 15_900_000_000, perkiraan: true },
  nilai_kontrak: { nilai: 15_100_000_000, perkiraan: false },
  status: 'kontrak',
  tanggal: { pengumuman: '2026-03-02', penetapan_pemenang: '2026-04-20', kontrak: '2026-04-30' },
  kode_sub_kegiatan: '1.03.10.2.01.0015',
  lpse: { kode: '279', nama: 'LPSE Kabupaten Pesawaran' },
  sumber: { sistem: 'LPSE', diambil_pada: '2026-11-28T01:00:00.000Z' },
};

describe('paket-pengadaan.v1', () => {
  const validate = compileSchema('paket-pengadaan.v1.json');

  it('accepts a package with every field, and one with only the required ones', () => {
    expectValid(validate, paket);
    expectValid(validate, variant(paket, (p) => {
      for (const field of ['kode_rup', 'hps', 'nilai_kontrak', 'kode_sub_kegiatan']) delete p[field];
      p.tanggal = { pengumuman: '2026-03-02' };
      p.status = 'pengumuman';
    }));
  });

  it('accepts a legacy two-digit sub-kegiatan code', () => {
    expectValid(validate, variant(paket, (p) => void (p.kode_sub_kegiatan = '1.05.03.2.01.01')));
  });

  it('keeps identifiers as digit strings tied to the id', () => {
    expectInvalid(validate, variant(paket, (p) => void (p.kode_tender = 20260279)), 'type', '/kode_tender');
    expectInvalid(validate, variant(paket, (p) => void (p.kode_tender = '020260279')), 'pattern', '/kode_tender');
    expectInvalid(validate, variant(paket, (p) => void (p.id = 'tender-1')), 'pattern', '/id');
    expectInvalid(validate, variant(paket, (p) => void (p.kode_rup = 'RUP-1')), 'pattern', '/kode_rup');
  });

  it('takes money as whole rupiah with the approximation flag', () => {
    expectInvalid(validate, variant(paket, (p) => void (p.pagu = { nilai: 1.5, perkiraan: false })), 'type', '/pagu/nilai');
    expectInvalid(validate, variant(paket, (p) => void (p.pagu = { nilai: -1, perkiraan: false })), 'minimum', '/pagu/nilai');
    expectInvalid(validate, variant(paket, (p) => void (p.pagu = { nilai: 1 })), 'required', '/pagu');
    expectInvalid(validate, variant(paket, (p) => void ((p as Record<string, unknown>).pagu = 'Rp. 15.900.000.000,00')), 'type', '/pagu');
  });

  it('takes only the canonical enums, not SPSE wordings', () => {
    expectInvalid(validate, variant(paket, (p) => void (p.status = 'Tender Sedang Berjalan')), 'enum', '/status');
    expectInvalid(validate, variant(paket, (p) => void (p.jenis_pengadaan = 'Pekerjaan Konstruksi')), 'enum', '/jenis_pengadaan');
    expectInvalid(validate, variant(paket, (p) => void (p.metode_pengadaan = 'e-Lelang Umum')), 'enum', '/metode_pengadaan');
  });

  it('takes calendar dates, a plausible year, and a valid sub-kegiatan code', () => {
    expectInvalid(validate, variant(paket, (p) => void (p.tanggal.pengumuman = '02-03-2026')), 'format', '/tanggal/pengumuman');
    expectInvalid(validate, variant(paket, (p) => void (p.tanggal = {})), 'minProperties', '/tanggal');
    expectInvalid(validate, variant(paket, (p) => void (p.tahun = 26)), 'minimum', '/tahun');
    expectInvalid(validate, variant(paket, (p) => void (p.kode_sub_kegiatan = '1.03.10.2.01')), 'format', '/kode_sub_kegiatan');
  });

  it('refuses HTML in the package name and unknown fields', () => {
    expectInvalid(validate, variant(paket, (p) => void (p.nama_paket = '<a href="/x">Jalan</a>')), 'pattern', '/nama_paket');
    expectInvalid(validate, variant(paket, (p) => void (p.nama_paket = 'Jalan &amp; Jembatan')), 'pattern', '/nama_paket');
    expectInvalid(validate, variant(paket, (p) => void (p.nama_ppk = 'Budi')), 'additionalProperties');
    expectInvalid(validate, variant(paket, (p) => void (p.satuan_kerja.alamat = 'Gedong Tataan')), 'additionalProperties', '/satuan_kerja');
    expectInvalid(validate, variant(paket, (p) => void (p.sumber = { sistem: 'SIPD', diambil_pada: '2026-11-28T01:00:00Z' })), 'const', '/sumber/sistem');
  });
});
