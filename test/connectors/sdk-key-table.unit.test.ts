// SDK keyTable: a record's fields read in one pass give what pick and extrasOf give field by field.
import { describe, expect, it } from 'vitest';
import { keyTable } from '../../src/connectors/sdk.js';
import { extrasOf, pick } from '../../src/connectors/fields.js';

const aliases = {
  kode: ['kd_tender', 'kode_tender', 'kdlelang'],
  nama: ['nama_paket', 'nm_paket', 'paket'],
  status: ['status_tender', 'status'],
  // `status` names two fields, with other preferences in each.
  tahap: ['status', 'tahap'],
} as const;

describe('keyTable', () => {
  const read = keyTable(aliases);

  it('reads each field under any spelling of its aliases, the most preferred alias first, and leaves the rest as extras', () => {
    const record = { Status: 'Pengumuman', KodeTender: 8, kd_tender: 7, KD_TENDER: 9, NAMA_PAKET: null, nmPaket: 'Jalan', lokasi: 'Gedong Tataan', catatan: null };
    expect(read(record)).toEqual({ fields: { status: 'Pengumuman', tahap: 'Pengumuman', kode: 7, nama: 'Jalan' }, extras: { lokasi: 'Gedong Tataan' } });
    expect(read({ kdlelang: 1 })).toEqual({ fields: { kode: 1 }, extras: undefined });
  });

  it('gives what pick and extrasOf give, on records with keys respelled, repeated and null', () => {
    const spellings = (alias: string): string[] => [alias, alias.toUpperCase(), alias.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()), `-${alias}`, alias.replace(/_/g, '')];
    const keys = [...Object.values(aliases).flat().flatMap(spellings), 'lokasi', 'LOKASI', 'catatan', '1', '0'];
    const values = [null, undefined, '', 0, 'a', 'b', 2026, { nested: true }];
    let seed = 11;
    const random = (below: number): number => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * below);
    for (let i = 0; i < 5000; i++) {
      const record: Record<string, unknown> = {};
      for (let k = random(8); k > 0; k--) record[keys[random(keys.length)]!] = values[random(values.length)];
      const { fields, extras } = read(record);
      for (const field of Object.keys(aliases) as (keyof typeof aliases)[]) expect(fields[field], JSON.stringify(record)).toBe(pick(record, aliases[field]));
      expect(extras).toEqual(extrasOf(record, Object.values(aliases).flat()));
    }
  });
});
