import { describe, expect, it } from 'vitest';
import { oneLine, plainText } from '../../src/connectors/sdk.js';

// plainText skips its HTML passes when a text has no tag, entity, line break, control character
// or unusual whitespace; these pin that the short way gives what the long way gave.
describe('plainText', () => {
  it('trims plain words and keeps single spaces', () => {
    expect(plainText('Pengadaan Barang - 2025')).toBe('Pengadaan Barang - 2025');
    expect(plainText('  Dinas Pendidikan ')).toBe('Dinas Pendidikan');
    expect(plainText('')).toBe('');
  });

  it('drops a lone dash as a blank line, with or without spaces around it', () => {
    expect(plainText('-')).toBe('');
    expect(plainText('  -  ')).toBe('');
    expect(plainText('--')).toBe('--');
  });

  it('collapses runs and unusual whitespace the way the full pass does', () => {
    expect(plainText('a  b')).toBe('a b');
    expect(plainText('a\tb')).toBe('a b');
    expect(plainText('a\u00a0b')).toBe('a b');
    expect(plainText('\ufeffa b\u2003')).toBe('a b');
    expect(plainText('a\u0001b\u007fc')).toBe('a b c');
  });

  it('keeps line breaks of plain text and drops blank lines', () => {
    expect(plainText('satu\r\n\r\n  dua  \n-\ntiga')).toBe('satu\ndua\ntiga');
    expect(oneLine('satu\ndua')).toBe('satu dua');
    expect(oneLine('satu dua')).toBe('satu dua');
  });

  it('still strips tags and decodes entities', () => {
    expect(plainText('<p>Jalan <b>rusak</b></p><p>R&amp;D</p>')).toBe('Jalan rusak\nR&D');
    expect(oneLine('<ul><li>satu</li><li>dua</li></ul>')).toBe('- satu - dua');
    expect(plainText('a<b')).toBe('a< b');
  });
});
