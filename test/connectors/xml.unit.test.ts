// The hardened XML decoder: entity tricks, depth and size are refused with coded errors.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildXml, parseXml } from '../../src/connectors/xml.js';
import { HubError } from '../../src/errors/catalogue.js';

const codeOf = (act: () => unknown): string => {
  try {
    act();
  } catch (error) {
    if (error instanceof HubError) return error.code;
    throw error;
  }
  throw new Error('no error thrown');
};

describe('parseXml', () => {
  it('keeps values as text, so identifiers keep their digits and leading zeros', () => {
    const doc = parseXml('<lapor token="abc"><laporan rahasia="0"><trackingid>92710155019000041234</trackingid><rt>003</rt></laporan></lapor>');
    expect(doc).toEqual({ lapor: { '@token': 'abc', laporan: { '@rahasia': '0', trackingid: '92710155019000041234', rt: '003' } } });
  });

  it('decodes the predefined entities', () => {
    expect(parseXml('<a>Jalan &amp; Jembatan &lt;rusak&gt;</a>')).toEqual({ a: 'Jalan & Jembatan <rusak>' });
  });

  it('refuses billion laughs', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(codeOf(() => parseXml(bomb))).toBe('xml-forbidden');
  });

  it('refuses external entities (XXE)', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
    expect(codeOf(() => parseXml(xxe))).toBe('xml-forbidden');
  });

  it('refuses documents nested deeper than the limit', () => {
    const deep = `${'<a>'.repeat(40)}x${'</a>'.repeat(40)}`;
    expect(codeOf(() => parseXml(deep, { maxDepth: 32 }))).toBe('xml-forbidden');
    expect(parseXml(`${'<a>'.repeat(10)}x${'</a>'.repeat(10)}`, { maxDepth: 32 })).toBeTruthy();
  });

  it('refuses documents above the size limit', () => {
    expect(codeOf(() => parseXml(`<a>${'x'.repeat(2000)}</a>`, { maxBytes: 1000 }))).toBe('body-too-large');
  });

  it('refuses malformed XML with the line and column', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/line 1/);
    expect(codeOf(() => parseXml('<a><b></a>'))).toBe('body-invalid-xml');
  });

  // fast-xml-parser's parser alone reads a cut-off page as the records before the cut (it closes
  // what is open); the well-formedness pass is what refuses it, so no page silently loses records.
  it('refuses every truncation of the connectors\' XML fixtures', () => {
    const folders = ['connectors/lapor/fixtures/pengaduan-masuk', 'connectors/sitampan/fixtures/naskah-masuk'];
    let cuts = 0;
    for (const folder of folders) {
      for (const file of readdirSync(folder).filter((name) => name.endsWith('.native.xml'))) {
        const text = readFileSync(join(folder, file), 'utf8');
        let whole: unknown;
        try {
          whole = parseXml(text);
        } catch {
          continue; // a fixture of a refused document
        }
        expect(whole).toBeTruthy();
        const end = text.trimEnd().length;
        for (let at = 1; at < end; at += 1) {
          expect(codeOf(() => parseXml(text.slice(0, at))), `${file} cut at ${at}`).toBe('body-invalid-xml');
          cuts += 1;
        }
      }
    }
    expect(cuts).toBeGreaterThan(5000);
  });

  it('builds what it parses', () => {
    const doc = { lapor: { '@token': 't', tindaklanjut: { '@trackingid': '1', isi: 'Sudah & selesai' } } };
    expect(parseXml(buildXml(doc))).toEqual(doc);
  });
});
