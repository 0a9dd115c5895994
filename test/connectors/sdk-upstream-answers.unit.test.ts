// SDK answer helpers: HTTP statuses, bodies left as text, errors inside HTTP 200.
import { describe, expect, it } from 'vitest';
import { assertHttpOk, assertNoErrorInside, decodeTextBody, errorInside, refusalOf, safeMessage, saysNoData, unreadableText } from '../../src/connectors/upstream-answers.js';
import { UpstreamError } from '../../src/connectors/sdk.js';

const codeOf = (act: () => unknown): string | undefined => {
  try {
    act();
  } catch (error) {
    return error instanceof UpstreamError ? `${error.code}${error.retryable ? ' (retryable)' : ''}` : 'not an UpstreamError';
  }
  return undefined;
};

describe('errorInside', () => {
  it.each([
    [{ status: false, message: 'Token tidak valid' }, 'Token tidak valid'],
    [{ status: 'error', msg: 'Parameter tahun wajib diisi' }, 'Parameter tahun wajib diisi'],
    [{ Status: 'GAGAL', Pesan: 'Sesi berakhir' }, 'Sesi berakhir'],
    [{ success: false, errors: { message: 'Unauthorized' } }, 'Unauthorized'],
    [{ status_code: 401, message: 'Unauthenticated.' }, 'Unauthenticated.'],
    [{ error: 'not_found' }, 'not_found'],
    [{ status: false }, 'no message'],
  ])('%j is an error: %s', (doc, message) => {
    expect(errorInside(doc)).toBe(message);
  });

  it.each([[{ status: true, data: [] }], [{ status: 'success', data: [1] }], [{ code: 500, data: [] }], [{ error: null, data: [] }], [{ error: '' }], [[1, 2]], ['text']])('%j is no error', (doc) => {
    expect(errorInside(doc)).toBeUndefined();
  });
});

describe('refusalOf and assertNoErrorInside', () => {
  it('classifies by what the upstream says', () => {
    expect(refusalOf('Token kedaluwarsa', 'SIPD').code).toBe('upstream-credentials-rejected');
    expect(refusalOf('Server sedang pemeliharaan', 'SIPD')).toMatchObject({ code: 'upstream-unavailable', retryable: true });
    expect(refusalOf('Data tidak ditemukan', 'LAPOR!', { notFound: true }).code).toBe('upstream-record-not-found');
    expect(refusalOf('Data tidak ditemukan', 'LAPOR!').code).toBe('upstream-bad-response');
    expect(refusalOf('Parameter tahun tidak valid', 'SIPD').code).toBe('upstream-request-rejected');
    expect(refusalOf('something odd', 'SIPD').code).toBe('upstream-bad-response');
    expect(codeOf(() => assertNoErrorInside({ status: false, message: 'login gagal' }, 'SIPD'))).toBe('upstream-credentials-rejected');
    expect(codeOf(() => assertNoErrorInside({ status: true, data: [] }, 'SIPD'))).toBeUndefined();
  });

  it('tells an empty listing from a failure', () => {
    expect(saysNoData('Data tidak ditemukan')).toBe(true);
    expect(saysNoData('Belum ada data untuk tahun ini')).toBe(true);
    expect(saysNoData('Token tidak valid')).toBe(false);
  });

  it('never repeats long digit runs (a NIK, a phone) from the message', () => {
    const error = refusalOf('NIK 3171234567890001 tidak terdaftar, hubungi 081234567890', 'SIAK');
    expect(error.message).not.toMatch(/\d{8,}/);
    expect(error.message).toContain('[16 digits]');
    expect(safeMessage('x'.repeat(500))).toHaveLength(160);
  });

  it('never repeats a phone number written with separators or an e-mail address', () => {
    const message = safeMessage('Pelapor 0812-3456-7890 / +62 812 3456 7890 / budi.s@contoh.go.id tidak ditemukan');
    expect(message).not.toMatch(/3456|7890|budi|contoh\.go\.id/);
    expect(message).toContain('tidak ditemukan');
  });
});

describe('assertHttpOk and decodeTextBody', () => {
  it('maps statuses to catalogue codes', () => {
    expect(codeOf(() => assertHttpOk({ status: 200 }, 'X'))).toBeUndefined();
    expect(codeOf(() => assertHttpOk({ status: 503 }, 'X'))).toBe('upstream-unavailable (retryable)');
    expect(codeOf(() => assertHttpOk({ status: 429 }, 'X'))).toBe('upstream-unavailable (retryable)');
    expect(codeOf(() => assertHttpOk({ status: 403 }, 'X'))).toBe('upstream-credentials-rejected');
    expect(codeOf(() => assertHttpOk({ status: 404 }, 'X'))).toBe('upstream-request-rejected');
    expect(codeOf(() => assertHttpOk({ status: 302 }, 'X'))).toBe('upstream-bad-response');
  });

  it('decodes JSON and XML left as text, and refuses maintenance pages and other text', () => {
    expect(decodeTextBody(' {"data": [1]} ', 'X')).toEqual({ data: [1] });
    expect(decodeTextBody('<hasil><status>ok</status></hasil>', 'X')).toEqual({ hasil: { status: 'ok' } });
    expect(decodeTextBody({ already: true }, 'X')).toEqual({ already: true });
    expect(codeOf(() => decodeTextBody('<!DOCTYPE html><html><body>Sedang maintenance</body></html>', 'X'))).toBe('upstream-unavailable (retryable)');
    expect(codeOf(() => decodeTextBody('{"broken": ', 'X'))).toBe('upstream-bad-response');
    expect(codeOf(() => decodeTextBody('hello', 'X'))).toBe('upstream-bad-response');
  });

  it('reads unreadable text as an outage or a bad answer without repeating a word of it', () => {
    const page = '<html><body>Data NIK 3201234567890123 atas nama Siti Aminah, Jl. Melati 5: sedang dalam pemeliharaan</body></html>';
    const outage = unreadableText(page, 'SIAK', 'JSON');
    expect([outage.code, outage.retryable]).toEqual(['upstream-unavailable', true]);
    const other = unreadableText('Data NIK 3201234567890123 atas nama Siti Aminah', 'SIAK', 'JSON');
    expect(other.code).toBe('upstream-bad-response');
    for (const error of [outage, other]) {
      expect(error.message).not.toMatch(/3201|Siti|Melati/);
      expect(error.message).toMatch(/^SIAK answered /);
    }
  });
});
