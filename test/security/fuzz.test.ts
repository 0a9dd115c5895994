// Fuzzing every inbound route of a real hub with generated malformed JSON and XML: a seeded
// generator (the same bodies on every run) makes truncations, byte flips, wrong types, huge
// numbers, odd unicode, deep nesting, duplicate and forbidden keys, random trees, unclosed tags,
// entity references, CDATA, control characters and mismatched content types. The hub must
// answer each with 2xx or a 4xx problem+json whose code is in the catalogue, stay live, and
// store nothing it refused.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { errorCatalogue } from '../../src/errors/catalogue.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';
import { hubBeforeAll, sampleEvent } from '../support/hub.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';

const SEED = 0x5eed_2026;
const CASES = 5_200;
const CONCURRENCY = 16;

// No flows: the complaint flow would add its own events to the outbox for every complaint
// accepted, and this test counts exactly what the fuzzed requests stored.
const hub = hubBeforeAll({ connectors: { polling: false }, flows: { directory: mkdtempSync(join(tmpdir(), 'penghubung-no-flows-')) }, http: { bodyLimitBytes: 256 * 1024 } });

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Every request of this file goes through here (credentials included). */
async function send(path: string, body: string | Uint8Array<ArrayBuffer> | undefined, contentType: string | undefined, method = 'POST'): Promise<Answer> {
  const response = await hubFetch(`${hub().url}${path}`, { method, headers: contentType === undefined ? {} : { 'content-type': contentType }, ...(body === undefined ? {} : { body }) });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

// ─── a deterministic generator ─────────────────────────────────────────────────────────────

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Gen {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks by weight: [[weight, value], …]. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    let roll = this.next() * entries.reduce((sum, [weight]) => sum + weight, 0);
    for (const [weight, value] of entries) if ((roll -= weight) < 0) return value;
    return entries.at(-1)![1];
  }
}

const oddText = [
  '', ' ', 'é', 'Ünïcödé', '中文字符', 'العربية', '\u202egnirts desrever', 'zero\u200bwidth', '\ufeffbom', 'e\u0301\u0301\u0301', '😀🙈👨‍👩‍👧', '\u0000', '\u0007bell',
  'line\nbreak', 'tab\there', '"quoted"', "'single'", '\\backslash', '</script>', '<b>markup</b>', '&amp;', ']]>', '${jndi:ldap://x}', "' OR 1=1 --", '../../etc/passwd',
  '\ud800', '\udfff', 'x'.repeat(5000),
];
const hugeNumbers = ['1e999999', '-1e999999', '123456789012345678901234567890123456789', '1.7976931348623157e309', '0.' + '0'.repeat(400) + '1', '-0', '1E+2', '9007199254740993', '-9223372036854775809', `1${'0'.repeat(2000)}`];
const forbiddenKeys = ['__proto__', 'constructor', 'prototype', '\\u005f_proto__', 'c\\u006fnstructor', '\\u0070rototype'];
const controlChars = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).concat('\u007f', '\u0085', '\u2028', '\u2029', '\ufffe', '\uffff');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function randomJson(gen: Gen, depth = 0): Json {
  const kind = gen.int(0, depth > 4 ? 3 : 5);
  switch (kind) {
    case 0: return null;
    case 1: return gen.chance(0.5);
    case 2: return gen.chance(0.5) ? gen.int(-1e6, 1e6) : gen.float() * 1e12;
    case 3: return gen.pick(oddText);
    case 4: return Array.from({ length: gen.int(0, 4) }, () => randomJson(gen, depth + 1));
    default: return Object.fromEntries(Array.from({ length: gen.int(0, 4) }, () => [gen.pick(['id', 'a', 'data', 'nik', 'naskah', 'type', gen.pick(oddText)]), randomJson(gen, depth + 1)]));
  }
}

/** A random place in a JSON value: the parent and the key (or index) there. */
function randomSlot(gen: Gen, root: Json): { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined {
  let node: Json = root;
  let slot: { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined;
  for (let step = 0; step < 6 && node !== null && typeof node === 'object'; step++) {
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, index) => index) : Object.keys(node);
    if (keys.length === 0) break;
    const key = gen.pick(keys);
    slot = { parent: node, key };
    node = (node as Record<string | number, Json>)[key]!;
    if (gen.chance(0.35)) break;
  }
  return slot;
}

function setSlot(slot: { parent: Json[] | { [key: string]: Json }; key: string | number }, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

function nested(gen: Gen, depth: number, inner: string): string {
  let text = inner;
  for (let level = 0; level < depth; level++) text = gen.chance(0.5) ? `[${text}]` : `{"k":${text}}`;
  return text;
}

function insertAt(gen: Gen, text: string, insert: string): string {
  const at = gen.int(0, text.length);
  return text.slice(0, at) + insert + text.slice(at);
}

function flipBytes(gen: Gen, text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const flips = gen.int(1, Math.max(1, Math.min(40, bytes.length / 20)));
  for (let flip = 0; flip < flips && bytes.length > 0; flip++) bytes[gen.int(0, bytes.length - 1)] = gen.int(0, 255);
  return bytes;
}

function randomBytes(gen: Gen): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: gen.int(0, 2048) }, () => gen.int(0, 255));
}

/** One malformed (sometimes valid) JSON body made from a valid one. */
function jsonBody(gen: Gen, base: () => Json): { kind: string; body: string | Uint8Array<ArrayBuffer> } {
  const kind = gen.weighted<string>([
    [4, 'valid'], [8, 'truncate'], [8, 'flip'], [10, 'wrong-type'], [6, 'huge-number'], [8, 'unicode'], [8, 'deep'], [6, 'duplicate-key'],
    [6, 'forbidden-key'], [6, 'random'], [6, 'control-char'], [3, 'garbage'], [3, 'empty'], [3, 'xml-as-json'], [5, 'syntax'],
  ]);
  const value = base();
  const text = JSON.stringify(value);
  switch (kind) {
    case 'valid': return { kind, body: text };
    case 'truncate': return { kind, body: text.slice(0, gen.int(0, text.length - 1)) };
    case 'flip': return { kind, body: flipBytes(gen, text) };
    case 'wrong-type': {
      const slot = randomSlot(gen, value);
      if (slot) setSlot(slot, gen.pick<Json>([null, true, 0, -1, 3.5, '', 'teks', [], {}, [1, 'a'], { x: 1 }]));
      return { kind, body: JSON.stringify(gen.chance(0.1) ? gen.pick<Json>([null, 1, 'x', [], true]) : value) };
    }
    case 'huge-number': {
      const slot = randomSlot(gen, value);
      if (slot) setSlot(slot, '\u0000HUGE\u0000');
      return { kind, body: JSON.stringify(value).replace('"\\u0000HUGE\\u0000"', gen.pick(hugeNumbers)) };
    }
    case 'unicode': {
      for (let count = gen.int(1, 4); count > 0; count--) {
        const slot = randomSlot(gen, value);
        if (slot) setSlot(slot, gen.pick(oddText) + gen.pick(oddText));
      }
      const written = JSON.stringify(value);
      // Sometimes as \u escapes (a lone surrogate too), sometimes raw.
      return { kind, body: gen.chance(0.3) ? written.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : written };
    }
    case 'deep': {
      const depth = gen.weighted([[3, gen.int(60, 70)], [3, gen.int(100, 2_000)], [1, gen.int(10_000, 50_000)]]);
      const inner = nested(gen, depth, gen.chance(0.5) ? '1' : '"x"');
      if (gen.chance(0.5)) return { kind, body: gen.chance(0.2) ? inner.slice(0, inner.length / 2) : inner };
      const slot = randomSlot(gen, value);
      if (slot) setSlot(slot, '\u0000DEEP\u0000');
      return { kind, body: JSON.stringify(value).replace('"\\u0000DEEP\\u0000"', inner) };
    }
    case 'duplicate-key': {
      const key = gen.pick(['id', 'type', 'nik', 'naskah', 'tracking_id', 'specversion', 'source']);
      return { kind, body: text.replace(/^\s*\{/, `{"${key}":${JSON.stringify(randomJson(gen))},"${key}":${JSON.stringify(randomJson(gen))},`) };
    }
    case 'forbidden-key': {
      const key = gen.pick(forbiddenKeys);
      const member = `"${key}":${gen.pick(['{"polluted":"ya"}', '{"prototype":{"polluted":"ya"}}', '1', 'null', '[]'])}`;
      const at = [...text.matchAll(/\{/g)].map((match) => match.index);
      const where = at.length > 0 ? gen.pick(at) : -1;
      const body = where < 0 ? `{${member}}` : `${text.slice(0, where + 1)}${member}${text[where + 1] === '}' ? '' : ','}${text.slice(where + 1)}`;
      return { kind, body: gen.chance(0.2) ? body.replace(/"\s*:/, '" :') : body };
    }
    case 'random': return { kind, body: JSON.stringify(randomJson(gen)) };
    case 'control-char': {
      let body = text;
      for (let count = gen.int(1, 5); count > 0; count--) body = insertAt(gen, body, gen.pick(controlChars));
      return { kind, body };
    }
    case 'garbage': return { kind, body: randomBytes(gen) };
    case 'empty': return { kind, body: gen.pick(['', ' ', '\n\t', '\ufeff', `\ufeff${text}`, 'null', '""', '[]', '{}']) };
    case 'xml-as-json': return { kind, body: gen.pick([laporXml, sitampanXml, '<a/>', '<?xml version="1.0"?>']) };
    default: {
      const broken = gen.pick([
        (t: string) => t.replace(/,/, ',,'), (t: string) => t.replace(/:/, ''), (t: string) => t.replace(/"/, "'"), (t: string) => `${t},`, (t: string) => `${t}${t}`,
        (t: string) => t.replace(/\}$/, ',}'), (t: string) => t.replace(/"([a-z_]+)":/, '$1:'), (t: string) => `// komentar\n${t}`, (t: string) => t.replace(/true|false|null/, 'undefined'),
        (t: string) => t.replace(/\d+/, 'NaN'), (t: string) => t.replace(/\d+/, 'Infinity'), (t: string) => t.replace(/\d+/, '0x1F'), (t: string) => t.replace(/\d+/, '01'),
      ]);
      return { kind: 'syntax', body: broken(text) };
    }
  }
}

function randomName(gen: Gen): string {
  return gen.weighted([
    [6, gen.pick(['lapor', 'laporan', 'naskah', 'judul', 'isi', 'trackingid', 'hal', 'nomor', 'tujuan', 'penerima', 'pelapor', 'x', 'a:b', 'xi:include'])],
    [2, `t${gen.int(0, 9999)}`],
    [1, gen.pick(['1abc', '-x', 'a b', 'é', '中', '', 'a>b', 'xml', 'a"b', '.', '_'])],
  ]);
}

function randomXml(gen: Gen, depth = 0): string {
  const name = randomName(gen);
  const attributes = Array.from({ length: gen.int(0, 3) }, () => {
    const attribute = gen.chance(0.1) ? name : randomName(gen);
    const value = gen.pick(['1', '', 'ya', '&amp;', '&lt;', '"', "'", '<', '&', gen.pick(oddText)]);
    return gen.chance(0.1) ? ` ${attribute}=${value}` : ` ${attribute}="${value.replaceAll('"', '&quot;')}"`;
  }).join('');
  if (gen.chance(0.2)) return `<${name}${attributes}/>`;
  const children = depth > 4 ? '' : Array.from({ length: gen.int(0, 3) }, () => (gen.chance(0.6) ? randomXml(gen, depth + 1) : gen.pick(oddText))).join('');
  return `<${name}${attributes}>${children}</${name}>`;
}

const xmlPreludes = [
  '<!DOCTYPE lapor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
  '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">',
  '<!doctype x>',
  '<!ENTITY % p SYSTEM "file:///etc/hostname">',
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?xml version="1.1" encoding="ISO-8859-1" standalone="yes"?>',
  '<?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?>',
  '<!-- komentar -->',
  '<!-- -- ganda -- -->',
  '<?php echo 1; ?>',
  '\ufeff',
];
const entityRefs = ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x41;', '&#0;', '&#xD800;', '&#1114112;', '&#x110000;', '&nbsp;', '&xxe;', '&', '&#;', '&#x;', '&lol9;', '&amp'];
const cdata = ['<![CDATA[teks]]>', '<![CDATA[<b>markup</b>]]>', '<![CDATA[ ]]> ]]>', '<![CDATA[tanpa akhir', '<![CDATA[]]>', '<![cdata[x]]>', '<![CDATA[<![CDATA[x]]>]]>'];

/** One malformed (sometimes valid) XML body made from a valid one. */
function xmlBody(gen: Gen, base: string): { kind: string; body: string | Uint8Array<ArrayBuffer> } {
  const kind = gen.weighted<string>([
    [4, 'valid'], [8, 'truncate'], [8, 'flip'], [10, 'random-tree'], [8, 'unclosed'], [6, 'mismatch'], [8, 'entity-ref'], [6, 'prelude'],
    [6, 'cdata'], [6, 'control-char'], [6, 'deep'], [3, 'garbage'], [3, 'empty'], [3, 'json-as-xml'], [4, 'attributes'],
  ]);
  const tags = [...base.matchAll(/<\/?([a-zA-Z_][\w.-]*)/g)];
  switch (kind) {
    case 'valid': return { kind, body: base };
    case 'truncate': return { kind, body: base.slice(0, gen.int(0, base.length - 1)) };
    case 'flip': return { kind, body: flipBytes(gen, base) };
    case 'random-tree': return { kind, body: (gen.chance(0.3) ? gen.pick(xmlPreludes.slice(5)) : '') + randomXml(gen) };
    case 'unclosed': {
      const closing = tags.filter((match) => match[0].startsWith('</'));
      if (closing.length === 0 || gen.chance(0.3)) return { kind, body: insertAt(gen, base, `<${randomName(gen)}>`) };
      const cut = gen.pick(closing);
      const end = base.indexOf('>', cut.index) + 1;
      return { kind, body: base.slice(0, cut.index) + base.slice(end) };
    }
    case 'mismatch': {
      const closing = tags.filter((match) => match[0].startsWith('</'));
      if (closing.length === 0) return { kind, body: `<a>${base}</b>` };
      const swap = gen.pick(closing);
      return { kind, body: `${base.slice(0, swap.index)}</${randomName(gen)}${base.slice(swap.index + swap[0].length)}` };
    }
    case 'entity-ref': {
      let body = base;
      for (let count = gen.int(1, 4); count > 0; count--) {
        const textAt = [...body.matchAll(/>[^<]/g)].map((match) => match.index + 1);
        const at = textAt.length > 0 ? gen.pick(textAt) : 0;
        body = body.slice(0, at) + gen.pick(entityRefs) + body.slice(at);
      }
      return { kind, body };
    }
    case 'prelude': {
      const prelude = Array.from({ length: gen.int(1, 3) }, () => gen.pick(xmlPreludes)).join('\n');
      return { kind, body: gen.chance(0.8) ? prelude + base.replace(/^<\?xml[^>]*\?>/, '') : insertAt(gen, base, prelude) };
    }
    case 'cdata': {
      const textAt = [...base.matchAll(/>[^<]/g)].map((match) => match.index + 1);
      const at = textAt.length > 0 ? gen.pick(textAt) : 0;
      return { kind, body: base.slice(0, at) + gen.pick(cdata) + base.slice(at) };
    }
    case 'control-char': {
      let body = base;
      for (let count = gen.int(1, 5); count > 0; count--) body = insertAt(gen, body, gen.pick(controlChars));
      return { kind, body };
    }
    case 'deep': {
      const depth = gen.weighted([[3, gen.int(28, 40)], [3, gen.int(100, 2_000)], [1, gen.int(5_000, 20_000)]]);
      const name = gen.pick(['a', 'isi', 'x']);
      const inner = `${`<${name}>`.repeat(depth)}x${gen.chance(0.8) ? `</${name}>`.repeat(depth) : ''}`;
      const textAt = [...base.matchAll(/>[^<]/g)].map((match) => match.index + 1);
      return { kind, body: gen.chance(0.5) || textAt.length === 0 ? inner : insertAt(gen, base, inner) };
    }
    case 'garbage': return { kind, body: randomBytes(gen) };
    case 'empty': return { kind, body: gen.pick(['', ' ', '<', '<>', '</>', '<?xml version="1.0"?>', '<a>', '<a/><b/>', 'teks saja']) };
    case 'json-as-xml': return { kind, body: JSON.stringify(randomJson(gen)) };
    default: {
      const element = tags.length > 0 ? gen.pick(tags.filter((match) => !match[0].startsWith('</'))) : undefined;
      if (!element) return { kind: 'attributes', body: base };
      const extra = Array.from({ length: gen.weighted([[5, gen.int(1, 5)], [1, gen.int(200, 2_000)]]) }, (_, index) => ` ${gen.chance(0.2) ? 'id' : `a${index}`}="${gen.pick(oddText).replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('&', '&amp;')}"`).join('');
      const at = element.index + element[0].length;
      return { kind: 'attributes', body: base.slice(0, at) + extra + base.slice(at) };
    }
  }
}

// ─── the routes and their valid bodies ─────────────────────────────────────────────────────

const fixture = (path: string): string => readFileSync(projectPath('connectors', path), 'utf8');
const laporXml = fixture('lapor/fixtures/pengaduan-masuk/kembar-pelapor-xml.native.xml');
const laporJson = fixture('lapor/fixtures/pengaduan-masuk/kembar-pelapor-json.native.json');
const sitampanXml = fixture('sitampan/fixtures/naskah-masuk/kembar-undangan-xml.native.xml');
const sitampanJson = fixture('sitampan/fixtures/naskah-masuk/kembar-undangan-json.native.json');
const naskahDinas = {
  id: 'sitampan-0b7e8f6a-1c2d-4e3f-9a4b-5c6d7e8f9a0b', nomor: '000.1.2.3/902/IV.01/2026', tanggal: '2026-11-28', hal: 'Contoh naskah dari OPD', sifat: 'biasa', urgensi: 'biasa', klasifikasi_arsip: '000.1.2.3',
  pengirim: { nama: 'Contoh Pejabat', jabatan: 'Kepala Dinas Komunikasi dan Informatika', instansi: 'Dinas Komunikasi dan Informatika Kabupaten Pesawaran' },
  tujuan: [{ jabatan: 'Kepala Bagian Organisasi', instansi: 'Sekretariat Daerah Kabupaten Pesawaran' }], ringkasan: 'Contoh ringkasan.', lampiran: [], disposisi: [],
};
const verifikasi = { nik: '1809011704780001', nama_lengkap: 'AHMAD SUPRIYADI', tanggal_lahir: '1978-04-17' };

const plain = (text: string) => (): Json => JSON.parse(text) as Json;
const allContentTypes = [
  'application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json', 'application/xml', 'text/xml', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=batas', 'application/octet-stream', 'APPLICATION/JSON', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/xml; charset=utf-16',
  'application/json, application/xml', ';', 'json', 'application/*', '*/*', 'text/html', 'application/problem+json',
];

interface Case {
  index: number;
  path: string;
  contentType: string | undefined;
  kind: string;
  body: string | Uint8Array<ArrayBuffer>;
}

function generate(count: number, seed: number): Case[] {
  const gen = new Gen(seed);
  const cases: Case[] = [];
  for (let index = 0; index < count; index++) {
    const eventId = `fuzz-${index}`;
    const target = gen.weighted<{ path: string; format: 'json' | 'xml'; types: string[]; base: () => Json; xml?: string }>([
      [3, { path: '/v1/events', format: 'json', types: ['application/cloudevents+json', 'application/json'], base: () => sampleEvent(eventId, { subject: `fuzz-${gen.int(0, 50)}` }) as Json }],
      [1, { path: '/v1/events', format: 'json', types: ['application/cloudevents-batch+json', 'application/json'], base: () => Array.from({ length: gen.int(1, 4) }, (_, n) => sampleEvent(`${eventId}-${n}`)) as Json }],
      [2, { path: '/v1/connectors/lapor/inbound', format: 'json', types: ['application/json'], base: plain(laporJson) }],
      [2, { path: '/v1/connectors/lapor/inbound', format: 'xml', types: ['application/xml', 'text/xml'], base: plain('null'), xml: laporXml }],
      [2, { path: '/v1/connectors/sitampan/inbound', format: 'json', types: ['application/json'], base: plain(sitampanJson) }],
      [2, { path: '/v1/connectors/sitampan/inbound', format: 'xml', types: ['application/xml', 'text/xml; charset=utf-8'], base: plain('null'), xml: sitampanXml }],
      [4, { path: '/v1/naskah-dinas', format: 'json', types: ['application/json'], base: () => structuredClone(naskahDinas) as Json }],
      [4, { path: '/v1/penduduk/verifikasi', format: 'json', types: ['application/json'], base: () => structuredClone(verifikasi) as Json }],
    ]);
    const made = target.format === 'xml' ? xmlBody(gen, target.xml!) : jsonBody(gen, target.base);
    const mixed = gen.chance(0.12);
    const contentType = mixed ? (gen.chance(0.1) ? undefined : gen.pick(allContentTypes)) : gen.pick(target.types);
    cases.push({ index, path: target.path, contentType, kind: `${target.format}:${made.kind}${mixed ? '+mixed-type' : ''}`, body: made.body });
  }
  return cases;
}

// ─── the run ───────────────────────────────────────────────────────────────────────────────

interface Accepted {
  ids: string[];
}

/** The event ids a 2xx answer says it stored (duplicates are not stored again). */
function storedBy(path: string, text: string): Accepted {
  if (path === '/v1/penduduk/verifikasi') return { ids: [] };
  const body = JSON.parse(text) as { id?: string; duplicate?: boolean; events?: { id: string; duplicate: boolean }[]; event?: { id: string; duplicate: boolean } };
  const events = body.events ?? (body.event ? [body.event] : body.id !== undefined ? [{ id: body.id, duplicate: body.duplicate ?? false }] : []);
  return { ids: events.filter((event) => !event.duplicate).map((event) => event.id) };
}

it(`answers ${CASES} generated malformed bodies on every inbound route with 2xx or a coded 4xx, and stores only what it accepted`, async () => {
  const cases = generate(CASES, SEED);
  const startSeq = hub().outbox.lastSeq();
  const codes = new Set(Object.keys(errorCatalogue));
  const failures: string[] = [];
  const distribution = new Map<string, number>();
  const byKind = new Map<string, Map<number, number>>();
  const acceptedIds: string[] = [];
  let next = 0;
  const started = Date.now();

  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < cases.length) {
      const testCase = cases[next++]!;
      let answer: Answer;
      try {
        answer = await send(testCase.path, testCase.body, testCase.contentType);
      } catch (error) {
        failures.push(`#${testCase.index} ${testCase.kind} ${testCase.path}: no answer (${(error as Error).message})`);
        continue;
      }
      const kindCounts = byKind.get(testCase.kind) ?? new Map<number, number>();
      kindCounts.set(answer.status, (kindCounts.get(answer.status) ?? 0) + 1);
      byKind.set(testCase.kind, kindCounts);
      if (answer.status >= 200 && answer.status < 300) {
        distribution.set(`${answer.status}`, (distribution.get(`${answer.status}`) ?? 0) + 1);
        acceptedIds.push(...storedBy(testCase.path, answer.text).ids);
        continue;
      }
      let code: unknown;
      try {
        code = (JSON.parse(answer.text) as { code?: unknown; status?: unknown }).code;
      } catch {
        code = undefined;
      }
      distribution.set(`${answer.status} ${String(code)}`, (distribution.get(`${answer.status} ${String(code)}`) ?? 0) + 1);
      const problem = answer.status >= 400 && answer.status < 500 && answer.contentType.startsWith('application/problem+json') && typeof code === 'string' && codes.has(code) && errorCatalogue[code as keyof typeof errorCatalogue].status === answer.status;
      if (!problem) failures.push(`#${testCase.index} ${testCase.kind} ${testCase.path} (${String(testCase.contentType)}): ${answer.status} ${answer.contentType} ${answer.text.slice(0, 300)}`);
    }
  }));
  const seconds = (Date.now() - started) / 1000;

  const summary = [...distribution.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key}: ${count}`).join(', ');
  console.info(`fuzz: ${cases.length} bodies in ${seconds.toFixed(1)} s, concurrency ${CONCURRENCY}; ${summary}`);
  if (process.env.FUZZ_VERBOSE) for (const [kind, counts] of [...byKind.entries()].sort()) console.info(`  ${kind}: ${[...counts.entries()].sort().map(([status, n]) => `${status}×${n}`).join(' ')}`);

  expect(failures.slice(0, 20), `${failures.length} answers were not 2xx or a coded 4xx`).toEqual([]);

  const live = await send('/health/live', undefined, undefined, 'GET');
  expect(live.status).toBe(200);

  // Nothing refused reached the outbox: what is new there is exactly what 2xx answers stored.
  const stored = hub().outbox.read(startSeq, 1_000_000).map((entry) => entry.event.id);
  expect(stored.length).toBe(acceptedIds.length);
  expect(new Set(stored)).toEqual(new Set(acceptedIds));
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}, 120_000);
