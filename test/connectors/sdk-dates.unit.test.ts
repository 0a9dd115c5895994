// SDK date helpers: the formats Indonesian upstreams write, zones WIB/WITA/WIT, epochs.
import { describe, expect, it } from 'vitest';
import { dateOf, dateTimeOf, epochMsOf, formatWib, isoDateOf, parseDate } from '../../src/connectors/dates.js';
import { RecordRejected, parseJson } from '../../src/connectors/sdk.js';

describe('dateOf', () => {
  it.each([
    ['2026-03-02', '2026-03-02'],
    ['2026/03/02', '2026-03-02'],
    ['02-03-2026', '2026-03-02'],
    ['02/03/2026', '2026-03-02'],
    ['2.3.2026', '2026-03-02'],
    ['12 Januari 2026', '2026-01-12'],
    ['12 januari 2026', '2026-01-12'],
    ['2 Mar 2026', '2026-03-02'],
    ['02-Mar-2026', '2026-03-02'],
    ['17 Agustus 2026', '2026-08-17'],
    ['17 Agt 2026', '2026-08-17'],
    ['5 Nopember 2026', '2026-11-05'],
    ['5 Pebruari 2026', '2026-02-05'],
    ['Senin, 02 Mar 2026 10:15 WIB', '2026-03-02'],
    ['Sabtu, 28 November 2026', '2026-11-28'],
    ['2026-11-27T17:00:00Z', '2026-11-28'],
    ['2026-11-27T23:30:00+07:00', '2026-11-27'],
    ['2026-11-28 00:30 WITA', '2026-11-27'],
    ['2026-11-28 01:30 WIT', '2026-11-27'],
    ['1795798800', '2026-11-28'],
    ['1795798800000', '2026-11-28'],
  ])('%s → %s', (text, date) => {
    expect(dateOf(text, 'tanggal')).toBe(date);
  });

  it('reads epoch numbers, also lossless ones', () => {
    expect(dateOf(1795798800, 'tanggal')).toBe('2026-11-28');
    expect(dateOf((parseJson('{"t": 1795798800000}') as { t: unknown }).t, 'tanggal')).toBe('2026-11-28');
  });

  it('is undefined when absent and rejects unreadable or impossible dates, naming the field', () => {
    for (const nothing of [undefined, null, '', '-']) expect(dateOf(nothing, 'tanggal')).toBeUndefined();
    for (const bad of ['31-02-2026', '2026-13-01', 'kemarin', '12 Foo 2026', '2026-03-02 25:00', '2026-03-02T10:00:00+15:00', '29/02/2025']) {
      let thrown: unknown;
      try {
        dateOf(bad, 'tgl_pengumuman');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RecordRejected);
      expect((thrown as RecordRejected).reason).toBe('date-invalid');
      expect((thrown as RecordRejected).message).toMatch(/^tgl_pengumuman /);
      expect((thrown as RecordRejected).message).not.toContain(bad);
    }
  });
});

describe('dateTimeOf', () => {
  it.each([
    ['2026-11-27 14:03:11', '2026-11-27T14:03:11+07:00'],
    ['27/11/2026 14.03', '2026-11-27T14:03:00+07:00'],
    ['27 November 2026 pukul 14.03 WITA', '2026-11-27T13:03:00+07:00'],
    ['27 November 2026, 14:03 WIT', '2026-11-27T12:03:00+07:00'],
    ['2026-11-27T07:03:11Z', '2026-11-27T14:03:11+07:00'],
    ['2026-11-27T14:03:11+0700', '2026-11-27T14:03:11+07:00'],
    ['2026-11-27', '2026-11-27T00:00:00+07:00'],
    ['1795762991', '2026-11-27T14:03:11+07:00'],
  ])('%s → %s', (text, instant) => {
    expect(dateTimeOf(text, 'waktu')).toBe(instant);
  });

  it('gives the UTC form when asked', () => {
    expect(dateTimeOf('2026-11-27 14:03:11 WIB', 'waktu', { utc: true })).toBe('2026-11-27T07:03:11.000Z');
    expect(dateTimeOf('2026-11-26T10:30:00.250+07:00', 'waktu', { utc: true })).toBe('2026-11-26T03:30:00.250Z');
  });

  it('keeps the calendar parts of a date without a time', () => {
    expect(parseDate('28-11-2026')).toEqual({ year: 2026, month: 11, day: 28 });
    expect(parseDate('not a date')).toBeUndefined();
  });

  it('keeps a zone written after a date alone, for connectors that honour or refuse it; dateOf and dateTimeOf ignore it', () => {
    expect(parseDate('2026-11-27 WITA')).toEqual({ year: 2026, month: 11, day: 27, zoneMinutes: 8 * 60 });
    expect(parseDate('2026-11-27Z')).toEqual({ year: 2026, month: 11, day: 27, zoneMinutes: 0 });
    expect(parseDate('2026-11-27 +25:00')).toBeUndefined();
    expect(dateOf('2026-11-27 WITA', 'tanggal')).toBe('2026-11-27');
    expect(dateTimeOf('2026-11-27 WITA', 'waktu')).toBe('2026-11-27T00:00:00+07:00');
  });

  it('reads a month by its first three letters only when asked', () => {
    expect(parseDate('27 Febuari 2026')).toBeUndefined();
    expect(parseDate('27 Febuari 2026', { monthByPrefix: true })).toEqual({ year: 2026, month: 2, day: 27 });
    expect(parseDate('27 Novembre 2026', { monthByPrefix: true })).toEqual({ year: 2026, month: 11, day: 27 });
    expect(parseDate('27 Foo 2026', { monthByPrefix: true })).toBeUndefined();
  });

  it('reads fractions of a second of any length', () => {
    expect(dateTimeOf('2026-11-27T14:03:11.1234567890123Z', 'waktu', { utc: true })).toBe('2026-11-27T14:03:11.123Z');
  });

  it('reads a weekday followed by a comma and no space, or by the day at once', () => {
    expect(dateOf('Sabtu,28 November 2026', 'tanggal')).toBe('2026-11-28');
    expect(dateOf('Sabtu28 November 2026', 'tanggal')).toBe('2026-11-28');
    expect(dateOf('Monday, 2 Mar 2026', 'tanggal')).toBe('2026-03-02');
  });

  it('formats what parseDate read: the WIB date of an instant, a date alone at 00:00 WIB', () => {
    const instant = parseDate('2026-11-27T17:00:00Z')!;
    expect(isoDateOf(instant)).toBe('2026-11-28');
    expect(formatWib(epochMsOf(instant))).toBe('2026-11-28T00:00:00+07:00');
    const day = parseDate('28 November 2026')!;
    expect(isoDateOf(day)).toBe('2026-11-28');
    expect(formatWib(epochMsOf(day))).toBe('2026-11-28T00:00:00+07:00');
  });
});
