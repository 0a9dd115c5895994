// The nearest right a refusal names: within the right's family, a pattern corrected at its start.
import { expect, it } from 'vitest';
import { unknownRights } from '../../src/security/right-names.js';

const known = ['catalog:read', 'siak:cari-penduduk', 'siak:verifikasi-penduduk', 'sipd:daftar-sub-kegiatan', 'sipd:daftar-nomenklatur', 'events:publish:pengaduan.diterima', 'events:subscribe:pengaduan.diterima'];

it('accepts rights and patterns that name an operation', () => {
  expect(unknownRights(['*', 'siak:*', 'sipd:daftar-*', 'events:*:pengaduan.diterima', 'catalog:read'], known)).toEqual([]);
});

it('names each unknown right by its index with the nearest known right', () => {
  expect(unknownRights(['catalog:read', 'siakk:cari-penduduk', 'sipd:*-kegiatann', 'sipd:dafter-*'], known)).toEqual([
    { pointer: '/rights/1', message: 'siakk:cari-penduduk names no operation; the nearest right is siak:cari-penduduk' },
    { pointer: '/rights/2', message: 'sipd:*-kegiatann names no operation; the nearest right is sipd:daftar-sub-kegiatan' },
    { pointer: '/rights/3', message: 'sipd:dafter-* names no operation; the nearest right is sipd:daftar-*' },
  ]);
});

it('looks for the nearest within the same family first', () => {
  expect(unknownRights(['events:subscribe:kinerja.*'], known, (index) => `/operations/${index}`)).toEqual([
    { pointer: '/operations/0', message: 'events:subscribe:kinerja.* names no operation; the nearest right is events:subscribe:pengaduan.diterima' },
  ]);
});
