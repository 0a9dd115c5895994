import { describe, it, expect } from 'vitest';
import { compileSchema } from '../../src/schemas.js';
import { expectInvalid, expectValid, variant } from './expect-schema.js';

type Pengaduan = Record<string, unknown> & { pelapor?: Record<string, unknown>; lampiran: Array<Record<string, unknown>> };

// Tracking ids beyond 2^53 arrive as JSON numbers upstream; canonical is a digit string.
const trackingId = '9007199254740993123';

const pengaduanExample: Pengaduan = {
  id: `lapor-${trackingId}`,
  nomor_pelacakan: trackingId,
  judul: 'Jalan rusak di Desa Hanura',
  isi: 'Jalan desa berlubang sejak Januari.\nJarak < 5 km dari kantor kecamatan & belum diperbaiki.',
  kategori: 'Infrastruktur',
  tanggal_laporan: '2025-02-27T09:30:00+07:00',
  status: 'diverifikasi',
  instansi_tujuan: 'Pemerintah Kabupaten Pesawaran',
  rahasia: false,
  anonim: false,
  pelapor: { nama: 'Budi Santoso', email: 'budi@example.id', telepon: '+6281234567890', nik: '1809011508900001' },
  lokasi: 'Desa Hanura, Kecamatan Teluk Pandan',
  lampiran: [{ nama: 'foto-jalan.jpg', url: 'https://www.lapor.go.id/files/foto-jalan.jpg' }],
  sumber: { sistem: 'SP4N-LAPOR!', diterima_pada: '2025-02-27T02:31:05Z' },
};

describe('pengaduan.v1', () => {
  const validate = compileSchema('pengaduan.v1.json');

  it('accepts a complaint with its reporter', () => {
    expectValid(validate, pengaduanExample);
  });

  it('accepts an anonymous, confidential complaint without reporter, location or attachments', () => {
    expectValid(validate, variant(pengaduanExample, (p) => {
      p.anonim = true;
      p.rahasia = true;
      delete p.pelapor;
      delete p.lokasi;
      p.lampiran = [];
    }));
  });

  it('accepts an SMS complaint that only carries a phone number', () => {
    expectValid(validate, { ...pengaduanExample, pelapor: { telepon: '081234567890' } });
  });

  it('keeps a tracking id beyond 2^53 exact', () => {
    expect(BigInt(trackingId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expectValid(validate, pengaduanExample);
  });

  it.each(['baru', 'diverifikasi', 'diproses', 'selesai', 'ditutup'])('accepts status %s', (status) => {
    expectValid(validate, { ...pengaduanExample, status });
  });

  it.each([
    ['an id without the lapor- prefix', { id: '123' }, 'pattern', '/id'],
    ['an upper-case id prefix', { id: 'LAPOR-123' }, 'pattern', '/id'],
    ['a non-numeric id', { id: 'lapor-abc' }, 'pattern', '/id'],
    ['the tracking id as a number', { nomor_pelacakan: 1234567 }, 'type', '/nomor_pelacakan'],
    ['a tracking id with letters', { nomor_pelacakan: '12a4' }, 'pattern', '/nomor_pelacakan'],
    ['a tracking id in scientific notation', { nomor_pelacakan: '9.007199254740993e18' }, 'pattern', '/nomor_pelacakan'],
    ['HTML in the body', { isi: '<p>Jalan rusak</p>' }, 'pattern', '/isi'],
    ['a line break tag in the body', { isi: 'Jalan rusak<br/>parah' }, 'pattern', '/isi'],
    ['an HTML comment in the body', { isi: 'Jalan rusak <!-- x -->' }, 'pattern', '/isi'],
    ['a named entity in the body', { isi: 'Jalan &amp; jembatan' }, 'pattern', '/isi'],
    ['a numeric entity in the body', { isi: 'Jalan&#160;rusak' }, 'pattern', '/isi'],
    ['a control character in the body', { isi: 'Jalan\u0000rusak' }, 'pattern', '/isi'],
    ['HTML in the title', { judul: '<b>Jalan rusak</b>' }, 'pattern', '/judul'],
    ['an empty body', { isi: '' }, 'minLength', '/isi'],
    ['an unknown status', { status: 'Selesai' }, 'enum', '/status'],
    ['a date-only report time', { tanggal_laporan: '2025-02-27' }, 'format', '/tanggal_laporan'],
    ['rahasia as a string', { rahasia: 'true' }, 'type', '/rahasia'],
    ['a reporter on an anonymous complaint', { anonim: true }, 'not', ''],
    ['an empty reporter', { pelapor: {} }, 'minProperties', '/pelapor'],
    ['a reporter e-mail that is not one', { pelapor: { nama: 'Budi', email: 'budi(at)example.id' } }, 'format', '/pelapor/email'],
    ['a reporter NIK that is not one', { pelapor: { nama: 'Budi', nik: '1809011508900000' } }, 'format', '/pelapor/nik'],
    ['a reporter phone with separators', { pelapor: { telepon: '0812-3456-7890' } }, 'pattern', '/pelapor/telepon'],
    ['an unknown reporter field', { pelapor: { nama: 'Budi', alamat: 'Hanura' } }, 'additionalProperties', '/pelapor'],
    ['another source system', { sumber: { sistem: 'LAPOR', diterima_pada: '2025-02-27T02:31:05Z' } }, 'const', '/sumber/sistem'],
    ['a native LAPOR! key', { trackingid: trackingId }, 'additionalProperties', ''],
  ])('rejects %s', (_label, change, keyword, path) => {
    expectInvalid(validate, { ...pengaduanExample, ...change }, keyword, path);
  });

  it.each([
    ['a javascript: URL', { nama: 'x', url: 'javascript:alert(1)' }, 'pattern', '/lampiran/0/url'],
    ['a file: URL', { nama: 'x', url: 'file:///etc/passwd' }, 'pattern', '/lampiran/0/url'],
    ['a relative URL', { nama: 'x', url: '/files/x.jpg' }, 'format', '/lampiran/0/url'],
    ['no name', { url: 'https://www.lapor.go.id/files/x.jpg' }, 'required', '/lampiran/0'],
    ['an extra field', { nama: 'x', url: 'https://www.lapor.go.id/files/x.jpg', ukuran: 10 }, 'additionalProperties', '/lampiran/0'],
  ])('rejects an attachment with %s', (_label, lampiran, keyword, path) => {
    expectInvalid(validate, { ...pengaduanExample, lampiran: [lampiran] }, keyword, path);
  });

  it('accepts a local complaint (asal lokal) without tracking number or title, and its anonymous reporter', () => {
    expectValid(validate, variant(pengaduanExample, (p) => { delete p.nomor_pelacakan; delete p.judul; p.id = 'lapor-lokal-0123456789abcdef0123456789abcdef'; p.asal = 'lokal'; p.anonim = true; p.pelapor = { nama: 'Siti Rahmawati', telepon: '081277881234' }; }));
  });

  it('keeps refusing the reporter of an anonymous complaint from LAPOR!', () => {
    expectInvalid(validate, variant(pengaduanExample, (p) => { p.anonim = true; p.pelapor = { nama: 'Siti Rahmawati' }; }), 'not');
  });

  it.each(['id', 'nomor_pelacakan', 'isi', 'status', 'rahasia', 'anonim', 'lampiran', 'sumber'])('requires %s', (field) => {
    expectInvalid(validate, variant(pengaduanExample, (p) => { delete p[field]; }), 'required');
  });
});

const tindakLanjutExample = {
  id: 'tl-2025-0001',
  pengaduan_id: `lapor-${trackingId}`,
  nomor_pelacakan: trackingId,
  isi: 'Perbaikan jalan dijadwalkan pada APBD Perubahan 2025.',
  status_baru: 'diproses',
  tanggal: '2025-03-05T10:00:00+07:00',
  petugas: { nama: 'Rina Marlina', instansi: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
  lampiran: [{ nama: 'surat-jawaban.pdf', url: 'https://penghubung.pesawarankab.go.id/files/surat-jawaban.pdf' }],
};

describe('tindak-lanjut-pengaduan.v1', () => {
  const validate = compileSchema('tindak-lanjut-pengaduan.v1.json');

  it('accepts a follow-up', () => {
    expectValid(validate, tindakLanjutExample);
  });

  it('accepts a follow-up without attachments', () => {
    expectValid(validate, variant(tindakLanjutExample, (t) => { delete (t as Partial<typeof t>).lampiran; }));
    expectValid(validate, { ...tindakLanjutExample, lampiran: [] });
  });

  it.each([
    ['a complaint id without prefix', { pengaduan_id: trackingId }, 'pattern', '/pengaduan_id'],
    ['a complaint id without number', { pengaduan_id: 'lapor-' }, 'pattern', '/pengaduan_id'],
    ['a tracking id with letters', { nomor_pelacakan: '12a' }, 'pattern', '/nomor_pelacakan'],
    ['HTML in the text', { isi: '<p>Sudah ditangani</p>' }, 'pattern', '/isi'],
    ['an unknown status', { status_baru: 'closed' }, 'enum', '/status_baru'],
    ['a time without zone', { tanggal: '2025-03-05T10:00:00' }, 'format', '/tanggal'],
    ['an officer without agency', { petugas: { nama: 'Rina' } }, 'required', '/petugas'],
    ['an officer with a NIP field', { petugas: { nama: 'Rina', instansi: 'DPUPR', nip: '198001012005012001' } }, 'additionalProperties', '/petugas'],
    ['an attachment that is not http(s)', { lampiran: [{ nama: 'x', url: 'ftp://example.id/x' }] }, 'pattern', '/lampiran/0/url'],
    ['an unknown field', { catatan: 'x' }, 'additionalProperties', ''],
  ])('rejects %s', (_label, change, keyword, path) => {
    expectInvalid(validate, { ...tindakLanjutExample, ...change }, keyword, path);
  });

  it.each(['id', 'pengaduan_id', 'nomor_pelacakan', 'isi', 'status_baru', 'tanggal', 'petugas'])('requires %s', (field) => {
    expectInvalid(validate, variant(tindakLanjutExample, (t) => { delete (t as Record<string, unknown>)[field]; }), 'required');
  });
});
