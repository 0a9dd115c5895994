// SDK field helpers: aliases tolerant of casing and spelling, scalars, placeholders, extras.
import { describe, expect, it } from 'vitest';
import { parseJson, parseXml } from '../../src/connectors/sdk.js';
import { digitsOf, extrasOf, flagOf, holdsKey, isPlaceholder, pick, present, scalar } from '../../src/connectors/fields.js';

describe('pick', () => {
  it('finds a field under any casing or separator of its aliases, in alias order', () => {
    for (const key of ['kd_tender', 'KD_TENDER', 'kdTender', 'Kd-Tender', 'kdtender']) expect(pick({ [key]: 7 }, ['kd_tender', 'kode_tender'])).toBe(7);
    expect(pick({ kode_tender: 'b', kdTender: 'a' }, ['kdtender', 'kodetender'])).toBe('a');
    expect(pick({ kodeTender: 'b' }, ['kd_tender', 'kode_tender'])).toBe('b');
  });

  it('reads misspellings listed as aliases and skips null values', () => {
    expect(pick({ nama_lgkp: 'x' }, ['nama_lengkap', 'nama_lgkp'])).toBe('x');
    expect(pick({ kd_tender: null, KdTender: 9 }, ['kd_tender'])).toBe(9);
    expect(pick({ other: 1 }, ['kd_tender'])).toBeUndefined();
  });

  it('reads a document the same way on every pick, also after a value it indexed was cleared', () => {
    const doc: Record<string, unknown> = { KD_TENDER: 7, kode_tender: 8, nama: 'a' };
    const aliases = ['kd_tender', 'kode_tender'];
    expect(pick(doc, aliases)).toBe(7);
    expect(pick(doc, aliases)).toBe(7);
    expect(pick(doc, ['NAMA'])).toBe('a');
    doc.KD_TENDER = null;
    expect(pick(doc, aliases)).toBe(8);
    doc.kode_tender = undefined;
    expect(pick(doc, aliases)).toBeUndefined();
  });

  it('reads XML attributes and elements the same way', () => {
    const doc = parseXml('<lapor token="t"><TrackingId>12</TrackingId></lapor>') as { lapor: Record<string, unknown> };
    expect(pick(doc.lapor, ['token'])).toBe('t');
    expect(scalar(pick(doc.lapor, ['tracking_id']))).toBe('12');
  });
});

describe('holdsKey', () => {
  it('says whether a key of that normal form holds a value, as pick finds it', () => {
    const doc = { KD_TENDER: 7, nama: null, '@jenis': 'x' };
    expect(holdsKey(doc, 'kdtender')).toBe(true);
    expect(holdsKey(doc, 'jenis')).toBe(true);
    expect(holdsKey(doc, 'nama')).toBe(false);
    expect(holdsKey(doc, 'kode')).toBe(false);
  });

  it('answers as pick does after the document changed since it was indexed', () => {
    const doc: Record<string, unknown> = { kd_tender: 7, KdTender: 8 };
    expect(holdsKey(doc, 'kdtender')).toBe(true);
    doc.kd_tender = null;
    expect(holdsKey(doc, 'kdtender')).toBe(true);
    expect(pick(doc, ['kd_tender'])).toBe(8);
    doc.KdTender = undefined;
    expect(holdsKey(doc, 'kdtender')).toBe(false);
    expect(pick(doc, ['kd_tender'])).toBeUndefined();
  });
});

describe('present, scalar and digitsOf', () => {
  it('treats placeholders as absent and collapses whitespace', () => {
    for (const nothing of ['', '  ', '-', '—', 'null', 'N/A', 'tidak ada', undefined, null]) expect(present(nothing)).toBeUndefined();
    expect(present('  Dinas \n PUPR ')).toBe('Dinas PUPR');
    expect(present(0)).toBe('0');
  });

  it('keeps the digits of big integers and drops a float tail', () => {
    const { id } = parseJson('{"id": 10023001000000000001}') as { id: unknown };
    expect(digitsOf(id)).toBe('10023001000000000001');
    expect(digitsOf('0012.00')).toBe('12');
    expect(digitsOf('12a')).toBeUndefined();
    expect(digitsOf(0)).toBeUndefined();
  });
});

describe('flagOf', () => {
  it('reads yes and no as upstreams write them, and nothing else', () => {
    for (const yes of [true, 1, '1', 'Ya', 'y', 'TRUE', 'iya']) expect(flagOf(yes)).toBe(true);
    for (const no of [false, 0, '0', 'tidak', 'N', 'false', 'Tdk']) expect(flagOf(no)).toBe(false);
    for (const neither of [undefined, null, '', '-', 'mungkin', 2]) expect(flagOf(neither)).toBeUndefined();
  });
});

describe('extrasOf', () => {
  it('collects the keys a mapping did not read, compared like aliases', () => {
    const record = { KD_TENDER: 1, nama_paket: 'x', catatan: 'segera', lokasi_pekerjaan: null, kualifikasi: 'Kecil' };
    expect(extrasOf(record, ['kd_tender', 'namaPaket', 'lokasi_pekerjaan'])).toEqual({ catatan: 'segera', kualifikasi: 'Kecil' });
  });

  it('is undefined when nothing is left, or for a non-object', () => {
    expect(extrasOf({ a: 1 }, ['A'])).toBeUndefined();
    expect(extrasOf('text', [])).toBeUndefined();
    expect(extrasOf([1], [])).toBeUndefined();
  });
});

describe('isPlaceholder', () => {
  it('is true exactly where present gives nothing for tidy text', () => {
    for (const text of ['', '-', '---', '–', '—', '.', 'n/a', 'N/A', 'null', 'Tidak Ada', 'belum ada', 'nihil']) expect(isPlaceholder(text), text).toBe(true);
    for (const text of ['0', 'a', '-1', 'tidak ada data', 'Belum ada jadwal', 'Pengadaan Barang']) expect(isPlaceholder(text), text).toBe(false);
    for (const text of ['', '-', 'n/a', 'kosong', 'x', '- -', 'belum  ada'.replace(/\s+/g, ' ')]) expect(isPlaceholder(text)).toBe(present(text) === undefined);
  });
});
