// The logger's own redaction, line by line: what any caller logs loses NIKs, request bodies of
// HTTP client errors, query values and person-naming path segments.
import { Writable } from 'node:stream';
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { loggableUrl } from '../../src/observability/redaction.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  return { lines, stream: new Writable({ write: (chunk: Buffer, _encoding, done) => { lines.push(chunk.toString()); done(); } }) };
}

describe('the logger', () => {
  it('scrubs 16-digit identifiers from any message, field or error', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    logger.info({ nik: '1809011704780001', nested: { kk: 1809010101080001 } }, 'no resident 1809011704780002');
    logger.warn({ err: new Error('SIAK refused NIK 1809011704780003', { cause: new Error('no_kk 1809010101080002') }) }, 'failed');
    const text = lines.join('');
    expect(text).not.toMatch(/[0-9]{16}/);
    // Every line is still JSON.
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    for (const kept of ['"nik":"[redacted]"', '"kk":"[redacted]"', 'no resident [redacted]', 'SIAK refused NIK [redacted]', 'no_kk [redacted]']) expect(text).toContain(kept);
  });

  it('scrubs phone numbers and e-mail addresses, not ids, times or durations', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    logger.info({ telepon: '081279001234', lain: '0852-6900-4411', intl: '+6282177889900', email: 'dewi.lestari@contoh.id' }, 'reporter 081366778899 wrote from ahmad.fauzi@contoh.id');
    logger.info({ trackingId: '98765432109876543210', at: '2026-11-28T08:00:00+07:00', responseTime: 812, correlation_id: 'pengaduan-disposisi:cf25a2bf41e394a26b790007:buat-naskah', request: '08123456-4a1b-4c2d-8e3f-0a1b2c3d4e5f' }, 'delivered');
    const text = lines.join('');
    for (const gone of ['081279001234', '0852-6900-4411', '6282177889900', 'dewi.lestari', '081366778899', 'ahmad.fauzi']) expect(text).not.toContain(gone);
    for (const kept of ['98765432109876543210', '2026-11-28T08:00:00+07:00', '"responseTime":812', 'cf25a2bf41e394a26b790007', '08123456-4a1b-4c2d-8e3f-0a1b2c3d4e5f']) expect(text).toContain(kept);
  });

  it('logs an HTTP client error by its message, never its request body or headers', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    const error = new axios.AxiosError('Request failed with status code 500', 'ERR_BAD_RESPONSE', { headers: new axios.AxiosHeaders({ authorization: 'Bearer rahasia-hulu' }), data: JSON.stringify({ nama_lengkap: 'SITI AMINAH' }) } as never);
    logger.error({ err: error }, 'upstream failed');
    const text = lines.join('');
    expect(text).toContain('Request failed with status code 500');
    expect(text).toContain('ERR_BAD_RESPONSE');
    expect(text).not.toContain('SITI AMINAH');
    expect(text).not.toContain('rahasia-hulu');
  });

  it('keeps route words and harmless values of a URL, nothing else', () => {
    const url = (originalUrl: string, route?: string): string => loggableUrl({ originalUrl, url: originalUrl, ...(route ? { route: { path: route }, baseUrl: '' } : {}) } as never);
    expect(url('/v1/penduduk/1809011704780001', '/v1/penduduk/:nik')).toBe('/v1/penduduk/:nik');
    expect(url('/v1/subscriptions/sub_1/deliveries?limit=5', '/v1/subscriptions/:id/deliveries')).toBe('/v1/subscriptions/sub_1/deliveries?limit=5');
    expect(url('/v1/penduduk/1809011704780001')).toBe('/v1/penduduk/:redacted');
    expect(url('/v1/warga/Siti%20Aminah?nama=Siti&limit=2')).toBe('/v1/warga/:redacted?nama=[redacted]&limit=2');
  });
});
