import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { compileSchema, projectPath } from '../../src/schemas.js';
import { expectInvalid, expectValid, variant } from './expect-schema.js';

type Naskah = Record<string, unknown> & {
  pengirim: Record<string, unknown>;
  tujuan: Record<string, unknown>[];
  lampiran: Record<string, unknown>[];
  disposisi: Record<string, unknown>[];
  sumber?: Record<string, unknown>;
};

const naskahExample: Naskah = {
  id: 'sitampan-3f6c1a52-8d7e-4b1a-9c2d-5e6f7a8b9c0d',
  nomor: '000.1.2.3/123/IV.01/2026',
  tanggal: '2026-11-27',
  hal: 'Undangan Rapat Koordinasi Penerapan SPBE',
  sifat: 'biasa',
  urgensi: 'segera',
  klasifikasi_arsip: '000.1.2.3',
  pengirim: { nama: 'Drs. Hendra Saputra, M.Si.', jabatan: 'Sekretaris Daerah', instansi: 'Sekretariat Daerah Kabupaten Pesawaran' },
  tujuan: [{ jabatan: 'Kepala Dinas Komunikasi dan Informatika', instansi: 'Dinas Komunikasi dan Informatika Kabupaten Pesawaran' }],
  tembusan: [{ instansi: 'Pemerintah Kabupaten Pesawaran' }],
  ringkasan: 'Mengundang Saudara menghadiri rapat.\nMohon membawa data aplikasi & layanan (< 10 berkas).',
  lampiran: [{ nama: 'undangan.pdf', jenis: 'application/pdf', ukuran_byte: 183204, url: 'https://sitampan.pesawarankab.go.id/berkas/undangan.pdf' }],
  disposisi: [{ dari: 'Kepala Dinas', kepada: 'Sekretaris Dinas', instruksi: 'Hadiri.', tanggal: '2026-11-27T10:15:00+07:00', batas_waktu: '2026-11-30' }],
  sumber: { sistem: 'SITAMPAN', diterima_pada: '2026-11-28T01:00:00.000Z' },
};

describe('naskah-dinas.v1', () => {
  const validate = compileSchema('naskah-dinas.v1.json');

  it('accepts a letter received from SITAMPAN', () => {
    expectValid(validate, naskahExample);
  });

  it('accepts a letter an OPD application creates: no sumber, no copies, attachments or dispositions', () => {
    expectValid(validate, variant(naskahExample, (n) => {
      delete n.sumber;
      delete n.tembusan;
      n.lampiran = [];
      n.disposisi = [];
    }));
  });

  it('accepts a sender by position and unit without a name, and a dated-less disposition that has only a note', () => {
    expectValid(validate, variant(naskahExample, (n) => {
      delete n.pengirim.nama;
      n.disposisi = [{ dari: 'Kepala Dinas', kepada: 'Sekretaris Dinas', catatan: 'Koordinasikan dengan Bagian Umum.', batas_waktu: '2026-11-30' }];
    }));
  });

  it('keeps what the upstream sent beyond the canonical fields in tambahan', () => {
    expectValid(validate, { ...naskahExample, tambahan: { no_agenda: '12', disposisi: [{ status: 'Selesai' }] } });
  });

  it.each(['biasa', 'penting', 'rahasia', 'sangat_rahasia'])('accepts sifat %s', (sifat) => {
    expectValid(validate, { ...naskahExample, sifat });
  });

  it.each(['biasa', 'segera', 'sangat_segera'])('accepts urgensi %s', (urgensi) => {
    expectValid(validate, { ...naskahExample, urgensi });
  });

  it.each([
    ['an id without the sitampan- prefix', { id: '3f6c1a52-8d7e-4b1a-9c2d-5e6f7a8b9c0d' }, 'pattern', '/id'],
    ['an upper-case UUID', { id: 'sitampan-3F6C1A52-8D7E-4B1A-9C2D-5E6F7A8B9C0D' }, 'pattern', '/id'],
    ['a nomor with spaces around a slash', { nomor: '000.1.2.3 / 123/IV.01/2026' }, 'pattern', '/nomor'],
    ['an impossible date', { tanggal: '2026-04-31' }, 'format', '/tanggal'],
    ['a date-time as tanggal', { tanggal: '2026-11-27T00:00:00+07:00' }, 'format', '/tanggal'],
    ['HTML in hal', { hal: 'Undangan <b>rapat</b>' }, 'pattern', '/hal'],
    ['a line break in hal', { hal: 'Undangan\nrapat' }, 'pattern', '/hal'],
    ['an entity in ringkasan', { ringkasan: 'Senin,&nbsp;30 November' }, 'pattern', '/ringkasan'],
    ['sifat terbatas', { sifat: 'terbatas' }, 'enum', '/sifat'],
    ['sifat as shown in the UI', { sifat: 'Sangat Rahasia' }, 'enum', '/sifat'],
    ['urgensi kilat', { urgensi: 'kilat' }, 'enum', '/urgensi'],
    ['an old classification code', { klasifikasi_arsip: '005' }, 'format', '/klasifikasi_arsip'],
    ['a classification code five levels deep', { klasifikasi_arsip: '000.1.2.3.4.5' }, 'format', '/klasifikasi_arsip'],
    ['no addressee', { tujuan: [] }, 'minItems', '/tujuan'],
    ['an empty copy list (absent instead)', { tembusan: [] }, 'minItems', '/tembusan'],
    ['another sistem', { sumber: { sistem: 'SRIKANDI', diterima_pada: '2026-11-28T01:00:00Z' } }, 'const', '/sumber/sistem'],
    ['an unknown field', { perihal: 'x' }, 'additionalProperties', ''],
  ])('refuses %s', (_name, change, keyword, path) => {
    expectInvalid(validate, { ...naskahExample, ...change }, keyword, path);
  });

  it.each([
    ['a sender without a position', (n: Naskah) => void delete n.pengirim.jabatan, 'required', '/pengirim'],
    ['a sender without a unit', (n: Naskah) => void delete n.pengirim.instansi, 'required', '/pengirim'],
    ['an addressee without an agency', (n: Naskah) => void delete n.tujuan[0]!.instansi, 'required', '/tujuan/0'],
    ['an attachment without a media type', (n: Naskah) => void delete n.lampiran[0]!.jenis, 'required', '/lampiran/0'],
    ['a media type with parameters', (n: Naskah) => void (n.lampiran[0]!.jenis = 'application/pdf; charset=binary'), 'pattern', '/lampiran/0/jenis'],
    ['a negative size', (n: Naskah) => void (n.lampiran[0]!.ukuran_byte = -1), 'minimum', '/lampiran/0/ukuran_byte'],
    ['a relative url', (n: Naskah) => void (n.lampiran[0]!.url = '/storage/a.pdf'), 'format', '/lampiran/0/url'],
    ['a disposition without a time zone', (n: Naskah) => void (n.disposisi[0]!.tanggal = '2026-11-27T10:15:00'), 'format', '/disposisi/0/tanggal'],
    ['a disposition with neither instruction nor note', (n: Naskah) => void delete n.disposisi[0]!.instruksi, 'required', '/disposisi/0'],
    ['HTML in a disposition note', (n: Naskah) => void (n.disposisi[0]!.catatan = '<p>Segera</p>'), 'pattern', '/disposisi/0/catatan'],
  ])('refuses %s', (_name, change, keyword, path) => {
    expectInvalid(validate, variant(naskahExample, change), keyword, path);
  });
});

describe('naskah-dinas.v1: classification', () => {
  const schema = JSON.parse(readFileSync(projectPath('schemas', 'naskah-dinas.v1.json'), 'utf8')) as Record<string, unknown>;
  const levelOf = (path: string): unknown => {
    let node: Record<string, unknown> = schema;
    for (const part of path.split('/').filter(Boolean)) {
      node = (part === '[]' ? node.items : (node.properties as Record<string, unknown>)[part]) as Record<string, unknown>;
    }
    return node['x-classification'];
  };

  it('keeps the body of the letter terbatas: subject, summary, attachments, dispositions, names', () => {
    for (const path of ['/hal', '/ringkasan', '/lampiran', '/lampiran/[]', '/lampiran/[]/url', '/disposisi', '/disposisi/[]', '/disposisi/[]/instruksi', '/disposisi/[]/catatan', '/disposisi/[]/dari',
      '/pengirim', '/pengirim/nama', '/tujuan', '/tujuan/[]/nama', '/tembusan/[]/nama']) {
      expect(levelOf(path), path).toBe('terbatas');
    }
  });

  it('leaves the register data publik: number, date, nature, urgency, class, agencies, provenance', () => {
    for (const path of ['/id', '/nomor', '/tanggal', '/sifat', '/urgensi', '/klasifikasi_arsip', '/pengirim/jabatan', '/pengirim/instansi', '/tujuan/[]/instansi', '/sumber', '/sumber/sistem']) {
      expect(levelOf(path), path).toBe('publik');
    }
  });

  it('keeps the upstream\'s extras rahasia', () => {
    expect(levelOf('/tambahan')).toBe('rahasia');
  });

  it('says that a rahasia or sangat_rahasia letter is rahasia as a whole', () => {
    expect(schema.description).toMatch(/`rahasia` or `sangat_rahasia` must be\s+treated as rahasia as a whole/);
  });
});
