// Input hardening through the real routes of a real hub: XML external entities and entity
// expansion refused without reading a file or growing the heap, JSON nested too deeply or
// carrying prototype keys refused with their codes, oversized bodies and wrong content types
// refused, security headers on every answer; and the server's guard against slow clients.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/errors/catalogue.js';
import { hardenServer, securityHeaders } from '../../src/gateway/hardening.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';
import { hubBeforeAll, sampleEvent } from '../support/hub.js';

const bodyLimitBytes = 64 * 1024;

const hub = hubBeforeAll({ connectors: { polling: false }, http: { bodyLimitBytes } });

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

/** Every request of this file goes through here (credentials included). */
async function send(path: string, body: string | Uint8Array<ArrayBuffer>, contentType?: string, method = 'POST'): Promise<Answer> {
  const response = await hubFetch(`${hub().url}${path}`, { method, headers: contentType ? { 'content-type': contentType } : {}, ...(method === 'GET' ? {} : { body }) });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the assertions on `body` fail and say so
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A 4xx problem+json with a code from the catalogue whose status is the answer's. */
function expectProblem(answer: Answer, code?: string): void {
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.text).toBeLessThan(500);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Object.keys(errorCatalogue)).toContain(answer.body.code);
  expect(answer.body.status).toBe(answer.status);
  if (code !== undefined) expect(answer.body.code, answer.text).toBe(code);
}

const xmlRoutes = ['/v1/connectors/lapor/inbound', '/v1/connectors/sitampan/inbound'];
const jsonRoutes: { path: string; contentType: string }[] = [
  { path: '/v1/events', contentType: 'application/cloudevents+json' },
  { path: '/v1/connectors/lapor/inbound', contentType: 'application/json' },
  { path: '/v1/connectors/sitampan/inbound', contentType: 'application/json' },
  { path: '/v1/naskah-dinas', contentType: 'application/json' },
  { path: '/v1/penduduk/verifikasi', contentType: 'application/json' },
];

const fixture = (path: string): string => readFileSync(projectPath('connectors', path), 'utf8');
const laporXml = fixture('lapor/fixtures/pengaduan-masuk/kembar-pelapor-xml.native.xml');
const sitampanXml = fixture('sitampan/fixtures/naskah-masuk/kembar-undangan-xml.native.xml');

// Lines of the file an XXE would read: none may appear in an answer.
const passwdLines = readFileSync('/etc/passwd', 'utf8').split('\n').filter((line) => line.includes(':') && line.length > 8);

const xxeSystem = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lapor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<lapor token="t"><laporan rahasia="0" anonim="0"><trackingid>4522011</trackingid><judul>&xxe;</judul><isi>&xxe;</isi><tanggal>2026-11-26 08:30:00</tanggal></laporan></lapor>`;
const xxeExternalDtd = '<?xml version="1.0"?><!DOCTYPE naskah SYSTEM "file:///etc/passwd"><naskah id="x"><hal>a</hal></naskah>';
const xxeParameter = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><x>a</x>';
const xxePublic = '<!DOCTYPE lapor PUBLIC "-//P//DTD//EN" "http://127.0.0.1:9/evil.dtd"><lapor/>';
const xxeLowercase = '<!doctype lapor [<!entity xxe system "file:///etc/passwd">]><lapor>&xxe;</lapor>';
const entityOnly = '<!ENTITY xxe SYSTEM "file:///etc/passwd"><lapor>&xxe;</lapor>';

function billionLaughs(levels = 10): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let level = 1; level < levels; level++) entities.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${entities.join('\n')}\n]>\n<lapor><laporan><judul>&lol${levels - 1};</judul></laporan></lapor>`;
}
const quadraticBlowup = `<?xml version="1.0"?><!DOCTYPE kaboom [<!ENTITY a "${'a'.repeat(20_000)}">]><kaboom>${'&a;'.repeat(10_000)}</kaboom>`;

describe('XML push routes', () => {
  it('accept a well-formed document (the routes under test work)', async () => {
    const lapor = await send(xmlRoutes[0]!, laporXml, 'application/xml');
    expect(lapor.status, lapor.text).toBe(202);
    const sitampan = await send(xmlRoutes[1]!, sitampanXml, 'text/xml');
    expect(sitampan.status, sitampan.text).toBe(202);
  });

  it.each(xmlRoutes)('%s refuses external entities and DTDs with xml-forbidden and reads no file', async (path) => {
    for (const payload of [xxeSystem, xxeExternalDtd, xxeParameter, xxePublic, xxeLowercase, entityOnly]) {
      for (const contentType of ['application/xml', 'text/xml; charset=utf-8']) {
        const answer = await send(path, payload, contentType);
        expectProblem(answer, 'xml-forbidden');
        for (const line of passwdLines) expect(answer.text).not.toContain(line);
      }
    }
  });

  it.each(xmlRoutes)('%s refuses a DOCTYPE sent as UTF-16 too', async (path) => {
    const utf16 = new Uint8Array(Buffer.from(`\ufeff${xxeSystem.replace('UTF-8', 'UTF-16')}`, 'utf16le'));
    expectProblem(await send(path, utf16, 'application/xml; charset=utf-16le'), 'xml-forbidden');
    // Without the charset the bytes do not decode to XML at all: refused as malformed.
    const unlabelled = await send(path, utf16, 'application/xml');
    expectProblem(unlabelled);
    expect(['xml-forbidden', 'body-invalid-xml']).toContain(unlabelled.body.code);
  });

  it.each(xmlRoutes)('%s refuses entity expansion bombs and deep nesting', async (path) => {
    expectProblem(await send(path, billionLaughs(), 'application/xml'), 'xml-forbidden');
    expectProblem(await send(path, quadraticBlowup.slice(0, bodyLimitBytes - 100), 'application/xml'), 'xml-forbidden');
    expectProblem(await send(path, `${'<a>'.repeat(5_000)}x${'</a>'.repeat(5_000)}`, 'application/xml'), 'xml-forbidden');
  });

  it('keeps memory bounded across 200 XXE and billion-laughs requests', async () => {
    const gc = exposeGc();
    const payloads = [xxeSystem, billionLaughs(), billionLaughs(12), xxeParameter, quadraticBlowup.slice(0, bodyLimitBytes - 100)];
    const warm = async (count: number): Promise<void> => {
      const answers = await inParallel(count, 8, (index) => send(xmlRoutes[index % 2]!, payloads[index % payloads.length]!, 'application/xml'));
      for (const answer of answers) {
        expectProblem(answer, 'xml-forbidden');
        expect(answer.text).not.toContain('lollollol');
      }
    };
    await warm(20);
    gc();
    const before = process.memoryUsage();
    await warm(200);
    gc();
    const after = process.memoryUsage();
    const megabytes = (bytes: number): number => bytes / 1024 / 1024;
    console.info(`200 refused XML bombs: heapUsed ${megabytes(before.heapUsed).toFixed(1)} → ${megabytes(after.heapUsed).toFixed(1)} MB, rss ${megabytes(before.rss).toFixed(1)} → ${megabytes(after.rss).toFixed(1)} MB`);
    expect(megabytes(after.heapUsed - before.heapUsed)).toBeLessThan(50);
    expect(megabytes(after.rss - before.rss)).toBeLessThan(50);
  });
});

describe('JSON entry points', () => {
  const deepArrays = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  const deepInEvent = JSON.stringify(sampleEvent('dalam-1')).replace('"data uji"', `${'['.repeat(100)}1${']'.repeat(100)}`);

  it.each(jsonRoutes)('$path refuses JSON nested 10,000 deep with body-too-deep', async ({ path, contentType }) => {
    expectProblem(await send(path, deepArrays, contentType), 'body-too-deep');
    expectProblem(await send(path, `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`, contentType), 'body-too-deep');
    expectProblem(await send(path, deepInEvent, contentType), 'body-too-deep');
    // Unclosed: still too deep, not a crash.
    expectProblem(await send(path, '['.repeat(60_000), contentType), 'body-too-deep');
  });

  const pollution = [
    '{"__proto__":{"polluted":"ya"}}',
    JSON.stringify(sampleEvent('proto-1')).replace('"keterangan"', '"__proto__":{"polluted":"ya"},"keterangan"'),
    '{"constructor":{"prototype":{"polluted":"ya"}}}',
    '{"naskah":{"id":"x","prototype":{"polluted":"ya"}}}',
    '[{"a":[{"b":{"\\u005f_proto__":{"polluted":"ya"}}}]}]',
    '{"c\\u006fnstructor" : {"polluted":"ya"}}',
  ];

  it.each(jsonRoutes)('$path refuses __proto__, constructor and prototype keys with body-forbidden-key', async ({ path, contentType }) => {
    for (const body of pollution) expectProblem(await send(path, body, contentType), 'body-forbidden-key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('still accepts those words as values, and an ordinary event', async () => {
    const event = sampleEvent('kata-1', { data: { nama: '__proto__', jenis: 'constructor', pola: ['prototype'] } });
    const answer = await send('/v1/events', JSON.stringify(event), 'application/cloudevents+json');
    expect(answer.status, answer.text).toBe(202);
  });
});

describe('bodies and content types', () => {
  const oversized = (kind: 'json' | 'xml'): string => {
    const filler = 'x'.repeat(bodyLimitBytes + 1024);
    return kind === 'json' ? JSON.stringify(sampleEvent('besar-1', { data: { filler } })) : `<lapor><laporan><isi>${filler}</isi></laporan></lapor>`;
  };

  it.each(jsonRoutes)('$path answers 413 body-too-large to an oversized JSON body', async ({ path, contentType }) => {
    expectProblem(await send(path, oversized('json'), contentType), 'body-too-large');
  });

  it.each(xmlRoutes)('%s answers 413 body-too-large to an oversized XML body', async (path) => {
    expectProblem(await send(path, oversized('xml'), 'application/xml'), 'body-too-large');
  });

  it.each(jsonRoutes)('$path answers 415 to content types it does not take', async ({ path }) => {
    const refused = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/yaml', 'text/html'];
    if (!xmlRoutes.includes(path)) refused.push('application/xml', 'text/xml');
    for (const contentType of refused) expectProblem(await send(path, '{"a":1}', contentType), 'content-type-unsupported');
    expectProblem(await send(path, new TextEncoder().encode('{"a":1}')), 'content-type-unsupported');
  });
});

// Needs the wiring in src/gateway/app.ts: app.use(securityHeaders()) before the routes.
describe('security headers', () => {
  it('are on every answer: success, problem, public and authenticated', async () => {
    const answers = [
      await send('/health/live', '', undefined, 'GET'),
      await send('/v1/catalog', '', undefined, 'GET'),
      await send('/v1/tidak-ada', '', undefined, 'GET'),
      await send('/v1/events', '{', 'application/cloudevents+json'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 400]);
    for (const { headers } of answers) {
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('strict-transport-security')).toBeNull();
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('securityHeaders', () => {
  /** The headers an express app with `middleware` first answers GET /ok with. */
  async function headersWith(middleware: express.RequestHandler): Promise<Record<string, string>> {
    const app = express();
    app.use(middleware);
    app.get('/ok', (_req, res) => void res.json({ ok: true }));
    const server = await new Promise<Server>((ok) => {
      const listening = app.listen(0, '127.0.0.1', () => ok(listening));
    });
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ok`);
      await response.text();
      const { date: _date, ...headers } = Object.fromEntries(response.headers);
      return headers;
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  }

  it('sets helmet headers taken once, on every answer alike, HSTS only when asked', async () => {
    const plain = await headersWith(securityHeaders());
    expect(plain['content-security-policy']).toBe("default-src 'self';script-src 'self';script-src-attr 'none';style-src 'self';img-src 'self';connect-src 'self';font-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'");
    expect(plain).toMatchObject({ 'cross-origin-opener-policy': 'same-origin', 'origin-agent-cluster': '?1', 'x-dns-prefetch-control': 'off', 'x-download-options': 'noopen', 'x-permitted-cross-domain-policies': 'none', 'x-xss-protection': '0' });
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(plain['x-powered-by']).toBeUndefined();
    expect(await headersWith(securityHeaders())).toStrictEqual(plain);
    expect((await headersWith(securityHeaders({ hsts: true })))['strict-transport-security']).toBe('max-age=31536000');
    expect((await headersWith(securityHeaders({ hsts: { maxAgeSeconds: 600, includeSubDomains: true } })))['strict-transport-security']).toBe('max-age=600; includeSubDomains');
  });
});

describe('hardenServer', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const app = express();
    app.get('/ok', (_req, res) => void res.json({ ok: true }));
    server = await new Promise<Server>((ok) => {
      const listening = app.listen(0, '127.0.0.1', () => ok(listening));
    });
    hardenServer(server, { headersTimeoutMs: 500 });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('sets the timeouts and the header count', () => {
    expect(server.headersTimeout).toBe(500);
    expect(server.requestTimeout).toBe(30_000);
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(server.maxHeadersCount).toBe(100);
    expect(server.timeout).toBe(120_000);
  });

  it('answers 408 and closes a client that trickles its headers', async () => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => void (received += chunk.toString('latin1')));
    socket.write('GET /ok HTTP/1.1\r\nHost: uji\r\n');
    const trickle = setInterval(() => void (socket.destroyed || socket.write('X-Lambat: 1\r\n')), 100);
    await new Promise((closed) => socket.once('close', closed));
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('leaves a keep-alive connection idle between requests alone', async () => {
    const first = await fetch(`http://127.0.0.1:${port}/ok`);
    expect(first.status).toBe(200);
    await first.text();
    // Idle time is the subject here, so this waits: longer than the 500 ms header deadline a
    // trickling client is cut at, which must not apply to a connection between requests.
    await new Promise((wait) => setTimeout(wait, 800));
    expect((await fetch(`http://127.0.0.1:${port}/ok`)).status).toBe(200);
  });
});

/** `count` calls of `task`, at most `limit` at a time, answers in order. */
async function inParallel<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  }));
  return results;
}

function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
