// The SITAMPAN connector against its simulator over real HTTP: letters delivered as XML (and
// the simulator's answers: berhasil, the same id again, a taken nomor, a wrong key, faults with
// HTTP 5xx and with HTTP 200), letters pushed to a hub stand-in in XML and JSON (twins), a new
// disposition as a change of the tracked field only, and the interface's own JSON Schema.
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildXml, caughtAsync, parseJson, parseXml, plainText, simulatorUnderTest, UpstreamError, type ConnectorContext, type UpstreamResponse } from '../../src/connectors/sdk.js';
import connector, { NASKAH_PATH, type NaskahDinas } from './mapping.js';
import { nativeJson, nativeXml, toNative, type KeyCasing } from './naskah.js';
import { SANDBOX_API_KEY, sandboxLetters } from './sandbox-data.js';
import { startSimulator, type RecordedLetter } from './simulator.js';
import { normaliseDate, normaliseDateTime } from './dates.js';

const here = dirname(fileURLToPath(import.meta.url));
const inbound = connector.inbound!['naskah-masuk']!;
const outbound = connector.outbound!['kirim-naskah']!;
const context: ConnectorContext = { settings: { apiKey: SANDBOX_API_KEY }, options: {}, now: () => new Date('2026-11-28T01:00:00Z') };
const { send, control } = simulatorUnderTest(startSimulator, { beforeAll, afterAll, beforeEach });

const received = async (): Promise<RecordedLetter[]> => (await control('GET', '/_simulator/naskah')).body as RecordedLetter[];

/** What kirim-naskah's delivery worker does with one entity: request, send, check the answer. */
async function deliver(entity: NaskahDinas, ctx = context): Promise<{ upstreamId?: string }> {
  return outbound.response(await send(outbound.request(entity, ctx)), entity, ctx);
}
const deliveryError = (entity: NaskahDinas, ctx = context): Promise<UpstreamError> => caughtAsync(() => deliver(entity, ctx));

const fixture = (path: string): { canonical: NaskahDinas } => JSON.parse(readFileSync(join(here, 'fixtures', path), 'utf8')) as { canonical: NaskahDinas };
const letter = (): NaskahDinas => structuredClone(fixture('kirim-naskah/undangan-dengan-lampiran.expected.json').canonical);
const withoutSource = ({ sumber: _sumber, ...rest }: NaskahDinas): Omit<NaskahDinas, 'sumber'> => rest;

describe('kirim-naskah: letters delivered to SITAMPAN as XML', () => {
  it('posts <naskah> with the API key and records SITAMPAN\'s id', async () => {
    const entity = letter();
    const request = outbound.request(entity, context);
    expect(request).toMatchObject({ method: 'POST', path: NASKAH_PATH, headers: { 'content-type': 'application/xml', 'X-Api-Key': SANDBOX_API_KEY } });
    const upstream = await send(request);
    expect(upstream.status).toBe(200);
    expect(upstream.body).toEqual({ hasil: { status: 'berhasil', id: '9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4' } });
    expect(outbound.response(upstream, entity, context)).toEqual({ upstreamId: '9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4' });

    const [recorded, ...more] = await received();
    expect(more).toEqual([]);
    expect(recorded).toMatchObject({ id: '9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4', nomor: entity.nomor, format: 'xml' });
    // The interface reads back exactly what was sent: the XML is a faithful carrier of the entity.
    expect(recorded!.naskah).toEqual(entity);
    expect(recorded!.dokumen).toBe(buildXml(nativeXml(toNative(entity))));
  });

  it.each(readdirSync(join(here, 'fixtures', 'kirim-naskah')).filter((f) => f.endsWith('.expected.json')))('round-trips %s through SITAMPAN unchanged', async (file) => {
    const entity = fixture(`kirim-naskah/${file}`).canonical;
    await deliver(entity);
    const [recorded] = await received();
    expect(recorded!.naskah).toEqual(entity);
  });

  it('acknowledges the same letter sent again (at-least-once delivery) without recording it twice', async () => {
    const entity = letter();
    const first = await deliver(entity);
    const again = await deliver(entity);
    expect(again).toEqual(first);
    expect(await received()).toHaveLength(1);
  });

  it('refuses another letter with a nomor SITAMPAN already holds: 409, not retried', async () => {
    await deliver(letter());
    const other = { ...letter(), id: 'sitampan-11111111-2222-4333-8444-555555555555' };
    const error = await deliveryError(other);
    expect(error.code).toBe('upstream-request-rejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/HTTP 409, nomor_sudah_ada/);
  });

  it('is refused with a wrong API key (401) and refuses to send without one', async () => {
    const error = await deliveryError(letter(), { ...context, settings: { apiKey: 'kunci-salah' } });
    expect(error.code).toBe('upstream-credentials-rejected');
    expect(error.message).toMatch(/kunci_tidak_valid/);
    expect(() => outbound.request(letter(), { ...context, settings: {} })).toThrow(expect.objectContaining({ code: 'upstream-credentials-rejected' }));
    expect(await received()).toEqual([]);
  });

  it('retries a 503 maintenance page, then delivers', async () => {
    await control('POST', '/_simulator/faults', { path: NASKAH_PATH, failNext: 1, status: 503 });
    const error = await deliveryError(letter());
    expect(error.code).toBe('upstream-unavailable');
    expect(error.retryable).toBe(true);
    expect(await deliver(letter())).toEqual({ upstreamId: '9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4' });
  });

  it('reads <status>gagal</status> sent with HTTP 200 as the error it is', async () => {
    await control('POST', '/_simulator/faults', { path: NASKAH_PATH, failNext: 1, status: 200, message: 'Basis data sedang sibuk' });
    const upstream = await send(outbound.request(letter(), context));
    expect(upstream.status).toBe(200);
    expect(upstream.body).toEqual({ hasil: { status: 'gagal', kode: 'gangguan', pesan: 'Basis data sedang sibuk' } });
    let error: unknown;
    try {
      outbound.response(upstream, letter(), context);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'upstream-unavailable', retryable: true });
    expect(await received()).toEqual([]);
  });

  it('is told with HTTP 200 when a letter breaks the interface (data_tidak_valid): not retried', async () => {
    const broken = nativeXml(toNative(letter()));
    (broken.naskah as Record<string, unknown>).klasifikasi = '005';
    const upstream = await send({ method: 'POST', path: NASKAH_PATH, headers: { 'content-type': 'application/xml', 'X-Api-Key': SANDBOX_API_KEY }, body: { xml: buildXml(broken) } });
    expect(upstream.status).toBe(200);
    expect(upstream.body).toMatchObject({ hasil: { status: 'gagal', kode: 'data_tidak_valid' } });
    expect(() => outbound.response(upstream, letter(), context)).toThrow(expect.objectContaining({ code: 'upstream-request-rejected', retryable: false }));
  });

  it('answers a JSON letter in JSON, which the mapping reads too', async () => {
    const upstream = await send({ method: 'POST', path: NASKAH_PATH, headers: { 'content-type': 'application/json', 'X-Api-Key': SANDBOX_API_KEY }, body: { json: nativeJson(toNative(letter()), 'camel') } });
    expect(upstream.body).toEqual({ hasil: { status: 'berhasil', id: '9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4' } });
    expect(outbound.response(upstream, letter(), context)).toEqual({ upstreamId: '9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4' });
    const [recorded] = await received();
    expect(recorded).toMatchObject({ format: 'json' });
    expect(recorded!.naskah).toEqual(letter());
  });

  it.each([
    [{ status: 200, headers: {}, body: '<html><body>Selamat datang</body></html>' }, 'upstream-bad-response'],
    [{ status: 200, headers: {}, body: { hasil: { status: 'menunggu' } } }, 'upstream-bad-response'],
    [{ status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, 'upstream-unavailable'],
    [{ status: 404, headers: {}, body: { hasil: { status: 'gagal', kode: 'tidak_ditemukan', pesan: 'Alamat tidak ditemukan' } } }, 'upstream-request-rejected'],
    [{ status: 403, headers: {}, body: 'Forbidden' }, 'upstream-credentials-rejected'],
    [{ status: 200, headers: {}, body: { status: 'gagal', pesan: 'API key kedaluwarsa' } }, 'upstream-credentials-rejected'],
    [{ status: 422, headers: {}, body: { Hasil: { Status: 'GAGAL', Kode: 'DATA_TIDAK_VALID', Pesan: 'tujuan wajib diisi' } } }, 'upstream-request-rejected'],
  ] as [UpstreamResponse, string][])('maps the answer %j to %s', (upstream, code) => {
    expect(() => outbound.response(upstream, letter(), context)).toThrow(expect.objectContaining({ code }));
  });

  it('accepts a success without an id, recording none', () => {
    expect(outbound.response({ status: 201, headers: {}, body: { hasil: { status: 'berhasil' } } }, letter(), context)).toEqual({});
  });
});

describe('naskah-masuk: letters SITAMPAN pushes to the hub', () => {
  let hub: Server;
  let hubUrl: string;
  const pushed: { contentType: string; body: string }[] = [];

  beforeAll(async () => {
    // A stand-in for the hub's push endpoint: records what arrives, answers as the gateway does.
    const app = express();
    app.post('/v1/connectors/sitampan/inbound', express.text({ type: () => true }), (req, res) => {
      pushed.push({ contentType: req.get('content-type') ?? '', body: req.body as string });
      res.status(202).json({ accepted: 1, events: [] });
    });
    hub = await new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    const address = hub.address() as { port: number };
    hubUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => hub.close(resolve));
  });
  beforeEach(() => {
    pushed.length = 0;
  });

  /** The hub's side: the body decoded as the gateway does, then mapped. */
  const mapPushed = (index: number): NaskahDinas[] => {
    const { contentType, body } = pushed[index]!;
    return inbound.map(contentType.includes('xml') ? parseXml(body) : parseJson(body), context) as NaskahDinas[];
  };

  it.each(sandboxLetters().map((s) => [s.letter.nomor, s.casing] as [string, KeyCasing]))('pushes %s as XML and as JSON (%s keys) that map to the identical entity', async (nomor) => {
    for (const format of ['xml', 'json']) {
      const answer = await control('POST', '/_simulator/push', { hubUrl, format, nomor });
      expect(answer).toMatchObject({ status: 200, body: { status: 202, format } });
    }
    expect(pushed.map((p) => p.contentType)).toEqual(['application/xml', 'application/json']);
    const [fromXml, fromJson] = [mapPushed(0), mapPushed(1)];
    expect(fromXml).toHaveLength(1);
    expect(fromJson).toEqual(fromXml);
    expect(fromXml[0]!.nomor).toBe(nomor);
  });

  it('pushes the letter again with one more disposition: the same identity, only disposisi changes', async () => {
    await control('POST', '/_simulator/push', { hubUrl, format: 'xml', disposisi: 2 });
    await control('POST', '/_simulator/push', { hubUrl, format: 'json', disposisi: 3 });
    const [before, after] = [mapPushed(0)[0]!, mapPushed(1)[0]!];
    expect(inbound.identify(after)).toBe(inbound.identify(before));
    expect(before.disposisi).toHaveLength(2);
    expect(after.disposisi).toHaveLength(3);
    expect(after.disposisi.slice(0, 2)).toEqual(before.disposisi);
    // What the runtime compares (the entity without sumber, and the tracked field): only disposisi differs.
    const { disposisi: _a, ...restBefore } = withoutSource(before);
    const { disposisi: _b, ...restAfter } = withoutSource(after);
    expect(restAfter).toEqual(restBefore);
  });

  it('pushes a letter of one\'s own and forwards the hub credentials given', async () => {
    const own = toNative(letter());
    const answer = await control('POST', '/_simulator/push', { hubUrl, format: 'json', naskah: own, headers: { authorization: 'Bearer uji' } });
    expect(answer.status).toBe(200);
    expect(mapPushed(0).map(withoutSource)).toEqual([letter()]);
  });

  it('lists its sample letters and refuses bad push requests', async () => {
    const samples = (await control('GET', '/_simulator/contoh')).body as { nomor: string; disposisi: number }[];
    expect(samples.map((s) => s.nomor)).toEqual(sandboxLetters().map((s) => s.letter.nomor));
    expect((await control('POST', '/_simulator/push', { hubUrl: 'bukan-url', format: 'xml' })).status).toBe(400);
    expect((await control('POST', '/_simulator/push', { hubUrl, format: 'yaml' })).status).toBe(400);
    expect((await control('POST', '/_simulator/push', { hubUrl, nomor: '999/1/2026' })).status).toBe(404);
    expect((await control('POST', '/_simulator/push', { hubUrl, disposisi: -1 })).status).toBe(400);
    expect((await control('POST', '/_simulator/push', { hubUrl: 'http://127.0.0.1:9', format: 'xml' })).status).toBe(502);
    expect(pushed).toEqual([]);
  });
});

describe('the interface', () => {
  const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(here, 'interface', 'naskah.schema.json'), 'utf8')) as object);

  it('documents as JSON Schema the JSON the hub writes (every outbound fixture, as a letter, wrapped and listed)', () => {
    for (const file of readdirSync(join(here, 'fixtures', 'kirim-naskah')).filter((f) => f.endsWith('.expected.json'))) {
      const json = nativeJson(toNative(fixture(`kirim-naskah/${file}`).canonical));
      for (const document of [json, { naskah: json }, { daftar_naskah: [json] }, [json]]) {
        expect(validate(document), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });

  it('gives README examples that are twins, the JSON one valid against the JSON Schema', () => {
    const xml = parseXml(readFileSync(join(here, 'interface', 'contoh-naskah.xml'), 'utf8'));
    const json = parseJson(readFileSync(join(here, 'interface', 'contoh-naskah.json'), 'utf8'));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const [fromXml] = inbound.map(xml, context) as NaskahDinas[];
    expect(inbound.map(json, context)).toEqual([fromXml]);
    expect(fromXml!.disposisi.map((d) => d.kepada)).toEqual(['Sekretaris Dinas Komunikasi dan Informatika', 'Kepala Bidang Aplikasi Informatika', 'Kepala Bidang Persandian dan Statistik']);
    const readme = readFileSync(join(here, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(join(here, 'interface', 'contoh-naskah.xml'), 'utf8').trim());
    expect(readme).toContain(readFileSync(join(here, 'interface', 'contoh-naskah.json'), 'utf8').trim());
    expect(readme).toContain(JSON.stringify(fromXml, null, 2));
    expect(readme).toContain(readFileSync(join(here, 'interface', 'naskah.xsd'), 'utf8').trim());
    expect(readme).toContain(readFileSync(join(here, 'interface', 'naskah.schema.json'), 'utf8').trim());
  });

  it('reads the README\'s answers', () => {
    const ok = parseXml(readFileSync(join(here, 'interface', 'contoh-hasil.xml'), 'utf8'));
    expect(outbound.response({ status: 200, headers: {}, body: ok }, letter(), context)).toEqual({ upstreamId: '3f6c1a52-8d7e-4b1a-9c2d-5e6f7a8b9c0d' });
    const refused = parseXml(readFileSync(join(here, 'interface', 'contoh-hasil-gagal.xml'), 'utf8'));
    expect(() => outbound.response({ status: 409, headers: {}, body: refused }, letter(), context)).toThrow(expect.objectContaining({ code: 'upstream-request-rejected' }));
  });

  it('refuses in its JSON Schema what the hub refuses', () => {
    const json = nativeJson(toNative(letter()));
    expect(validate({ ...json, klasifikasi: '005' })).toBe(false);
    expect(validate({ ...json, klasifikasi: '000.01' })).toBe(false);
    expect(validate({ ...json, id: '12345' })).toBe(false);
    const { sifat: _sifat, ...withoutSifat } = json;
    expect(validate(withoutSifat)).toBe(false);
    expect(validate({ ...json, tujuan: [] })).toBe(false);
  });

  it('writes every canonical enum value as the interface value the hub reads back', () => {
    for (const sifat of ['biasa', 'penting', 'rahasia', 'sangat_rahasia'] as const) {
      for (const urgensi of ['biasa', 'segera', 'sangat_segera'] as const) {
        const entity = { ...letter(), sifat, urgensi };
        const [back] = inbound.map(parseXml(buildXml(nativeXml(toNative(entity)))), context) as NaskahDinas[];
        expect(withoutSource(back!)).toEqual(entity);
      }
    }
  });
});

describe('helpers', () => {
  it.each([
    ['28-11-2026', '2026-11-28'],
    ['2026-11-28', '2026-11-28'],
    ['28/11/2026', '2026-11-28'],
    ['28.11.2026', '2026-11-28'],
    ['28 November 2026', '2026-11-28'],
    ['Sabtu, 28 November 2026', '2026-11-28'],
    ["Jum'at, 27 Nopember 2026", '2026-11-27'],
    ['1 Agt 2026', '2026-08-01'],
    ['2026-11-27T17:00:00Z', '2026-11-28'],
    ['29-02-2028', '2028-02-29'],
  ])('reads the date %j as %s', (text, date) => {
    expect(normaliseDate(text)).toBe(date);
  });

  it.each(['31-04-2026', '29-02-2026', '2026-13-01', '28 Novembre 2026', '28 Nov', '2026-11-28 WIB', '11/28/2026', ''])('refuses the date %j', (text) => {
    expect(normaliseDate(text)).toBeUndefined();
  });

  it.each([
    ['2026-11-28 09:15:00', '2026-11-28T09:15:00+07:00'],
    ['28-11-2026 09:15', '2026-11-28T09:15:00+07:00'],
    ['28 November 2026 09.15 WIB', '2026-11-28T09:15:00+07:00'],
    ['28 November 2026, pukul 09.15', '2026-11-28T09:15:00+07:00'],
    ['2026-11-28T02:15:00Z', '2026-11-28T09:15:00+07:00'],
    ['2026-11-28 10:15 WITA', '2026-11-28T09:15:00+07:00'],
    ['2026-11-28', '2026-11-28T00:00:00+07:00'],
  ])('reads the time %j as %s', (text, dateTime) => {
    expect(normaliseDateTime(text)).toBe(dateTime);
  });

  it.each(['2026-11-28 24:00', '2026-11-28 09:60', '2026-11-28 09:15 +25:00'])('refuses the time %j', (text) => {
    expect(normaliseDateTime(text)).toBeUndefined();
  });

  it('turns editor HTML into plain text with line breaks and bullets', () => {
    expect(plainText('<p>Satu&nbsp;dua</p><ul><li>a &amp; b</li><li>c</li></ul>Tiga<br/>empat')).toBe('Satu dua\n- a & b\n- c\nTiga\nempat');
    expect(plainText('Teks biasa\n\n  baris dua  ')).toBe('Teks biasa\nbaris dua');
    expect(plainText('a &lt;b&gt; c')).toBe('a c');
    expect(plainText('x < y & z')).toBe('x < y & z');
  });
});
