import { describe, it, expect } from 'vitest';
import { checkNoKk, isNoKk } from '../../src/domain/no-kk.js';

describe('checkNoKk', () => {
  it.each([
    ['Pesawaran, issued 12 Jan 2015', '1809011201150003'],
    ['issued 31 Dec 1999', '1809103112990001'],
    ['issued 29 Feb 2016', '1809012902160001'],
    ['issued 29 Feb 2000', '1809012902000001'],
    ['serial 9999', '1809010101109999'],
    ['Papua Barat Daya (96)', '9601010101230001'],
    ['Kalimantan Utara (65)', '6501010101230001'],
  ])('valid: %s (%s)', (_label, value) => {
    expect(checkNoKk(value)).toBeNull();
    expect(isNoKk(value)).toBe(true);
  });

  it.each([
    ['15 digits', '180901120115000', /16 digits/],
    ['17 digits', '18090112011500031', /16 digits/],
    ['letters', '18090112O1150003', /digits only/],
    ['province 00', '0009011201150003', /province code 00/],
    ['province 99', '9909011201150003', /province code 99/],
    ['province 20', '2009011201150003', /province code 20/],
    ['regency 00', '1800011201150003', /regency code 00/],
    ['district 00', '1809001201150003', /district code 00/],
    ['day 00', '1809010001150003', /does not exist/],
    ['day 41: no +40 on a family card', '1809014101150003', /does not exist/],
    ['day 32', '1809013201150003', /does not exist/],
    ['month 00', '1809011200150003', /month 00/],
    ['month 13', '1809011213150003', /month 13/],
    ['30 Feb', '1809013002150003', /does not exist/],
    ['29 Feb 2015', '1809012902150003', /does not exist/],
    ['31 Sep', '1809013109150003', /does not exist/],
    ['serial 0000', '1809011201150000', /serial number 0000/],
  ])('invalid: %s (%s)', (_label, value, reason) => {
    expect(checkNoKk(value)).toMatch(reason);
    expect(isNoKk(value)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(checkNoKk(1809011201150003)).toBe('must be a string');
    expect(checkNoKk(null)).toBe('must be a string');
  });
});
