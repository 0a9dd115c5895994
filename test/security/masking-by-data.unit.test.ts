// A classification that depends on the data: `x-rahasia-when` in a schema (pengaduan.v1 declares
// it on pelapor with {anonim: true}) withholds the field whole from every client below rahasia.
import { describe, expect, it } from 'vitest';
import { maskEntity, maskBySchema } from '../../src/security/masking.js';

const complaint = {
  id: 'lapor-lokal-0123456789abcdef0123456789abcdef', isi: 'Lampu jalan mati.', kategori: 'Infrastruktur', tanggal_laporan: '2026-11-28T08:00:00+07:00', status: 'baru',
  instansi_tujuan: 'Pemerintah Kabupaten Pesawaran', asal: 'lokal', rahasia: false, anonim: true, pelapor: { nama: 'Siti Rahmawati', telepon: '081277881234' }, lampiran: [],
  sumber: { sistem: 'SP4N-LAPOR!', diterima_pada: '2026-11-28T01:00:00Z' },
};

describe('x-rahasia-when', () => {
  it.each(['terbatas', 'publik'] as const)('withholds the reporter of an anonymous complaint whole from a %s client', (clearance) => {
    const masked = maskEntity('pengaduan.v1', complaint, clearance) as Record<string, unknown>;
    expect(masked).not.toHaveProperty('pelapor');
    expect(masked).toMatchObject({ id: complaint.id, anonim: true, status: 'baru' });
  });

  it('shows it to a rahasia client', () => {
    expect((maskEntity('pengaduan.v1', complaint, 'rahasia') as { pelapor: unknown }).pelapor).toEqual(complaint.pelapor);
  });

  it('masks a named reporter as before (initials, part of the phone) when the complaint is not anonymous', () => {
    expect((maskEntity('pengaduan.v1', { ...complaint, anonim: false }, 'terbatas') as { pelapor: unknown }).pelapor).toEqual({ nama: 'S. R.', telepon: '0812••••••34' });
  });

  it('matches on every named sibling, and an absent sibling does not match', () => {
    const schema = { type: 'object', properties: { a: { 'x-classification': 'publik' }, b: { 'x-classification': 'publik' }, x: { 'x-classification': 'terbatas', 'x-rahasia-when': { a: true, b: 'y' } } } };
    expect(maskBySchema(schema, { a: true, b: 'y', x: 'geheim' }, 'terbatas')).toEqual({ a: true, b: 'y' });
    expect(maskBySchema(schema, { a: true, b: 'z', x: 'terlihat' }, 'terbatas')).toEqual({ a: true, b: 'z', x: 'terlihat' });
    expect(maskBySchema(schema, { b: 'y', x: 'terlihat' }, 'terbatas')).toEqual({ b: 'y', x: 'terlihat' });
  });
});
