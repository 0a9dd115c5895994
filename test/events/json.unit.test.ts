// The lossless JSON helpers' fast paths (native JSON where it gives the same text and values)
// against lossless-json itself: the same values and text, the same refusals.
import { isSafeNumber, parse, stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { LosslessNumber, parseJson, parseStoredJson, stringifyJson } from '../../src/events/json.js';

const documents = [
  '{"id":"3e4f-9a1b","jumlah":12,"harga":1.5,"nol":-0,"daftar":[1,2,3],"teks":"é\\n\\"x\\""}',
  '{"nik":3201234567890123456789,"kecil":1}',
  '{"pecahan":0.1234567890123456789}',
  '{"eksponen":1e400,"lain":-12.0e-3}',
  '{"mikro":1e-400}',
  '{"batas":9007199254740993}',
  '{"teks":"1234567890123456789","tanggal":"2026-11-28T08:00:00+07:00"}',
  '12345678901234567890',
  '[1.50,{"a":[true,null,false]}]',
  '{"a":1,"b":{"c":"x"},"a":1}',
  '{"b":1,"1":2}',
  ' {"spasi": 1} ',
  '{\n  "a": [1, 1.50, -0.0, "x:1,2", {"b": null}],\n  "c": "é\\/"\n}',
  '{ "a\\"": 1, "b": {"k" : 1, "k": 1} }',
  '[ 0.1234567890123456789, {"nik": 9271015501900001} ]',
  '"\\ud800"',
  'null',
  JSON.stringify(Array.from({ length: 100 }, (_, n) => ({ id: `e-${n}`, data: { jumlah: n, daftar: [n, { x: 'ü' }] } }))),
  `{"a":${'['.repeat(63)}${']'.repeat(63)}}`,
  // Big numbers and exponents after whitespace, a minus or a bracket, indented and compact, and their look-alikes inside strings.
  '{"a":\t\r\n -12345678901234567,"b":[ 1.5e3 ],"c":[\n  9007199254740993\n]}',
  '[\n  -1.000000000000001,\n  2E2\n]',
  '{"t":"[\u00a01234567890123456789","u":"x, 1e5","v":"a:\u20289007199254740993"}',
  '{"t":"[ 1234567890123456789","v":",　-1e5"}',
  // Big numbers beside ids written as strings, in nested arrays, and text that spells the parser's own markers.
  '[{"idRinciSubBl":9007199254750001,"nik":"3201234567890123","n":[1,{"x":-12345678901234567890.5}],"e":2E+3}]',
  '{"a":"\\u00000","b":1e5}',
  '{"s":"\\\\u0000","big":[9007199254740993, 1.0e-2]}',
];

const lossless = (text: string): unknown => parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits)));

describe('parseJson', () => {
  it.each(documents)('reads %s as the lossless parser does', (text) => {
    expect(parseJson(text)).toStrictEqual(lossless(text));
    expect(stringify(parseJson(text))).toBe(stringify(lossless(text)));
  });

  it('refuses a key repeated with another value, as the lossless parser does', () => {
    expect(() => parseJson('{"a":1,"a":2}')).toThrow(/Duplicate key/);
    expect(() => parseJson('{ "a": 1, "b": {"k": 1, "k": 2} }')).toThrow(/Duplicate key 'k'/);
    expect(() => parseJson('{"q\\"": 1,\n "q\\u0022": 2}')).toThrow(/Duplicate key/);
  });

  it('reports invalid JSON with the lossless parser\'s message', () => {
    expect(() => parseJson('{"a":}')).toThrow(SyntaxError);
    // A big number where a key belongs, or one JSON does not allow, stays refused.
    expect(() => parseJson('{12345678901234567890:1}')).toThrow(SyntaxError);
    expect(() => parseJson('[1e5e5, 12345678901234567890]')).toThrow(SyntaxError);
    expect(() => parseJson('[012345678901234567890]')).toThrow(SyntaxError);
  });

  it('keeps every digit of a big number as a LosslessNumber', () => {
    const value = parseJson('{"nik":3201234567890123456789}') as { nik: unknown };
    expect(value.nik).toBeInstanceOf(LosslessNumber);
    expect(String(value.nik)).toBe('3201234567890123456789');
  });

  it('still refuses a forbidden key and a document nested too deeply, also in compact JSON with many brackets', () => {
    expect(() => parseJson('{"__proto__":{"x":1}}')).toThrow(/__proto__/);
    expect(() => parseJson(JSON.stringify([...Array.from({ length: 70 }, () => ({})), { constructor: 1 }]))).toThrow(/constructor/);
    expect(() => parseJson(`${'['.repeat(65)}${']'.repeat(65)}`)).toThrow(/deeper than 64/);
  });
});

describe('parseStoredJson', () => {
  // What the hub stores is what stringifyJson wrote: every document above that parses, written so.
  const stored = documents.flatMap((text) => {
    try {
      return [stringifyJson(parseJson(text))];
    } catch {
      return [];
    }
  });

  it.each(stored)('reads %s as parseJson does', (text) => {
    expect(parseStoredJson(text)).toStrictEqual(parseJson(text));
  });

  it('refuses a forbidden key and a document nested too deeply, as parseJson does', () => {
    expect(() => parseStoredJson('{"__proto__":{"x":1}}')).toThrow(/__proto__/);
    expect(() => parseStoredJson(JSON.stringify([...Array.from({ length: 70 }, () => ({})), { constructor: 1 }]))).toThrow(/constructor/);
    expect(() => parseStoredJson(`${'['.repeat(65)}${']'.repeat(65)}`)).toThrow(/deeper than 64/);
  });
});

describe('stringifyJson', () => {
  it.each(documents.filter((text) => !text.includes('"a":1,"b"')))('writes %s as lossless-json does', (text) => {
    const value = lossless(text);
    expect(stringifyJson(value)).toBe(stringify(value));
  });

  it('writes LosslessNumbers, bigints and dates with every digit, and leaves out what JSON cannot hold', () => {
    const value = { besar: new LosslessNumber('12345678901234567890'), bigint: 10n ** 20n, tanggal: new Date(0), kosong: undefined, daftar: [undefined, () => 1], teks: 'x"isLosslessNumber":true' };
    expect(stringifyJson(value)).toBe('{"besar":12345678901234567890,"bigint":100000000000000000000,"tanggal":"1970-01-01T00:00:00.000Z","daftar":[null,null],"teks":"x\\"isLosslessNumber\\":true"}');
    expect(stringifyJson(value)).toBe(stringify(value));
  });

  it('throws for a value without a JSON form', () => {
    expect(() => stringifyJson(undefined)).toThrow(TypeError);
  });
});
