import { describe, it, expect } from 'vitest';
import { ajv } from '../../src/schemas.js';

describe('shared ajv: x-classification keyword', () => {
  it.each(['publik', 'terbatas', 'rahasia'])('accepts %s as an annotation that does not change validation', (level) => {
    const validate = ajv.compile({ type: 'object', properties: { a: { type: 'string', 'x-classification': level } } });
    expect(validate({ a: 'x' })).toBe(true);
    expect(validate({ a: 1 })).toBe(false);
  });

  it.each(['public', 'secret', 'PUBLIK', '', 1, null])('refuses to compile a schema classified %j', (level) => {
    expect(() => ajv.compile({ type: 'object', properties: { a: { type: 'string', 'x-classification': level } } }))
      .toThrow(/x-classification.*invalid/);
  });
});

describe('shared ajv: nik and no-kk formats', () => {
  const nik = ajv.compile({ type: 'string', format: 'nik' });
  const noKk = ajv.compile({ type: 'string', format: 'no-kk' });

  it('validates a NIK with the domain rules', () => {
    expect(nik('1809015508900002')).toBe(true);
    expect(nik('1809017002900001')).toBe(false); // 30 Feb, woman
    expect(nik('1809011508900000')).toBe(false); // serial 0000
    expect(nik('2009011508900001')).toBe(false); // province 20
    expect(nik.errors?.[0]).toMatchObject({ keyword: 'format', params: { format: 'nik' } });
  });

  it('validates a family card number with the domain rules', () => {
    expect(noKk('1809011201150003')).toBe(true);
    expect(noKk('1809014101150003')).toBe(false); // no +40 on a family card
    expect(noKk.errors?.[0]).toMatchObject({ keyword: 'format', params: { format: 'no-kk' } });
  });
});
