// Calls to an OPD service through the hub (issue 17 items 3–5): the example e-kinerja simulator
// on a real port, registered by its owner from its OpenAPI document, called at /v1/layanan/...
// through a connector runtime: grants decide who calls, answers are masked by the declared
// classification, XML passes with XXE refused both ways, the circuit opens when the service goes
// down and closes alone, an `emits` operation publishes its event, and the audit chain has every
// call and verifies.
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/cli/audit.js';
import { callSimulator } from '../../src/connectors/sdk.js';
import { initialPegawai } from '../../src/services/sandbox/ekinerja-data.js';
import { ekinerjaServiceInput } from '../../src/services/sandbox/ekinerja-service.js';
import { startEkinerjaSimulator } from '../../src/services/sandbox/ekinerja-simulator.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

let simulator: Awaited<ReturnType<typeof startEkinerjaSimulator>>;
const keys: Record<string, string> = {};
const [rudi] = initialPegawai;
const resetMs = 400;

interface Answer {
  status: number;
  type: string;
  text: string;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, key: string, body?: string, contentType = 'application/json'): Promise<Answer> {
  const response = await hubFetch(`${hub().url}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': contentType }, body } : {}) }, key);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, text, body: text && /json/.test(type) ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const received = (path: string): number => simulator.requests({ path }).length;

/** A GET sent with the path exactly as given (no URL resolution on the way). */
function rawGet(path: string, key: string): Promise<{ status: number; code: unknown }> {
  const { hostname, port } = new URL(hub().url);
  return new Promise((done, fail) => {
    const request = httpRequest({ host: hostname, port, path, method: 'GET', headers: { 'x-api-key': key } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => done({ status: response.statusCode ?? 0, code: (JSON.parse(text) as { code?: unknown }).code }));
    });
    request.on('error', fail);
    request.end();
  });
}

beforeAll(async () => {
  simulator = await startEkinerjaSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

const hub = hubBeforeAll({
  services: { allowLoopback: true, calls: { retries: 1, breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: resetMs, rollingWindowMs: 10_000 } } },
});

beforeAll(async () => {
  const clients = [
    { id: 'opd-bkpsdm', opd: 'BKPSDM', clearance: 'terbatas', rights: ['catalog:read', 'services:publish', 'services:request'] },
    { id: 'opd-dinkes', opd: 'Dinas Kesehatan', clearance: 'publik', rights: ['catalog:read', 'services:request', 'events:subscribe:kinerja.*'] },
    { id: 'opd-lain', opd: 'Dinas Sosial', clearance: 'terbatas', rights: ['catalog:read', 'services:request'] },
  ];
  // The owner first: a right to the service's events names something only once it is registered.
  const [owner, ...members] = clients;
  const createClient = async (client: (typeof clients)[number]): Promise<void> => {
    const created = await call('POST', '/v1/clients', testKeys.operator, JSON.stringify({ ...client, name: client.opd, role: 'app' }));
    expect(created.status, created.text).toBe(201);
    keys[client.id] = created.body.api_key as string;
  };
  await createClient(owner!);
  const registered = await call('POST', '/v1/services', keys['opd-bkpsdm']!, JSON.stringify(ekinerjaServiceInput(simulator.url)));
  expect(registered.status, registered.text).toBe(201);
  for (const client of members) await createClient(client);
  const asked = await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-dinkes']!, JSON.stringify({ purpose: 'Verifikasi data pegawai untuk layanan kesehatan ASN' }));
  expect(asked.status, asked.text).toBe(201);
  const approved = await call('POST', `/v1/services/ekinerja/access-requests/${String(asked.body.id)}/approve`, keys['opd-bkpsdm']!);
  expect(approved.status, approved.text).toBe(200);
  // The owner calls its own service through the hub only with a grant, as any member.
  const own = await call('POST', '/v1/services/ekinerja/access-requests', keys['opd-bkpsdm']!, JSON.stringify({ operations: ['detail-pegawai', 'kinerja-pegawai'], purpose: 'Uji layanan sendiri melalui penghubung' }));
  expect((await call('POST', `/v1/services/ekinerja/access-requests/${String(own.body.id)}/approve`, keys['opd-bkpsdm']!)).status).toBe(200);
});

describe('calls to an OPD service through the hub', () => {
  it('refuses a client without a grant with 403, and calls nothing', async () => {
    const before = received('/api/v1/pegawai/');
    const refused = await call('GET', `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}`, keys['opd-lain']!);
    expect(refused.status).toBe(403);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.code).toBe('forbidden');
    expect(received('/api/v1/pegawai/')).toBe(before);
  });

  it('answers a grantee through the service, authenticated as declared, masked to its clearance', async () => {
    const answer = await call('GET', `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}`, keys['opd-dinkes']!);
    expect(answer.status, answer.text).toBe(200);
    // publik fields as they are; nama (terbatas) as initials for a publik grantee; the NIK and the
    // phone number, which the owner did not classify, masked as rahasia.
    expect(answer.body).toMatchObject({ nip: rudi!.nip, jabatan: rudi!.jabatan, unit_kerja: rudi!.unit_kerja, nama: 'R. H.' });
    expect(answer.body.nik).toBe(`${rudi!.nik.slice(0, 4)}••••••••${rudi!.nik.slice(12)}`);
    expect(answer.body.telepon).not.toBe(rudi!.telepon);
    expect(answer.text).not.toContain(rudi!.nik);
    expect(answer.text).not.toContain(rudi!.telepon);
    // The simulator answers 401 without its key: the hub sent it, and told who was calling.
    const [sent] = simulator.requests({ path: `/api/v1/pegawai/${rudi!.nip}` }).slice(-1);
    expect(sent!.headers['x-api-key']).toBe('<redacted>');
    expect(sent!.headers['x-penghubung-client']).toBe('opd-dinkes');
  });

  it('shows a grantee cleared for terbatas the terbatas fields, and still masks the unclassified ones', async () => {
    const answer = await call('GET', `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}`, keys['opd-bkpsdm']!);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ nip: rudi!.nip, nama: rudi!.nama });
    expect(answer.body.nik).toBe(`${rudi!.nik.slice(0, 4)}••••••••${rudi!.nik.slice(12)}`);
    // For a publik grantee a terbatas number is withheld and a terbatas text hidden.
    const score = await call('GET', `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}/kinerja?tahun=2025`, keys['opd-dinkes']!);
    expect(score.body).toEqual({ nip: rudi!.nip, tahun: 2025, predikat: '••••' });
    const whole = await call('GET', `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}/kinerja?tahun=2025`, keys['opd-bkpsdm']!);
    expect(whole.body).toEqual({ nip: rudi!.nip, tahun: 2025, nilai: 91.5, predikat: 'Sangat Baik' });
  });

  it('passes the query string and lists masked per item', async () => {
    const answer = await call('GET', '/v1/layanan/ekinerja/api/v1/pegawai?unit_kerja=BKPSDM', keys['opd-dinkes']!);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.total).toBe(1);
    expect(answer.body.items).toEqual([expect.objectContaining({ nip: rudi!.nip, nama: 'R. H.', jabatan: rudi!.jabatan })]);
  });

  it('answers 404 for an unknown operation or record, and 422 for a body outside the registered schema (not forwarded)', async () => {
    expect((await call('GET', '/v1/layanan/ekinerja/api/v2/tidak-ada', keys['opd-dinkes']!)).body.code).toBe('service-operation-not-found');
    expect((await call('GET', '/v1/layanan/tidak-ada/x', keys['opd-dinkes']!)).body.code).toBe('service-not-found');
    const unknown = await call('GET', '/v1/layanan/ekinerja/api/v1/pegawai/199912312020121999', keys['opd-dinkes']!);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'upstream-record-not-found']);
    const before = received('/api/v1/sasaran-kinerja');
    const invalid = await call('POST', '/v1/layanan/ekinerja/api/v1/sasaran-kinerja', keys['opd-dinkes']!, JSON.stringify({ nip: rudi!.nip, sasaran: 'x', target: 'banyak' }));
    expect([invalid.status, invalid.body.code]).toEqual([422, 'request-invalid']);
    expect(received('/api/v1/sasaran-kinerja')).toBe(before);
  });

  it("calls the service only at the operation's own path: a dot segment is refused, an encoded slash stays inside one segment", async () => {
    const before = simulator.requests().length;
    // fetch resolves dot segments before sending; a client on raw HTTP need not.
    for (const climb of ['..', '%2E%2E', '.']) {
      const refused = await rawGet(`/v1/layanan/ekinerja/api/v1/pegawai/${climb}/kinerja`, keys['opd-dinkes']!);
      expect([climb, refused.status, refused.code]).toEqual([climb, 422, 'request-invalid']);
    }
    expect(simulator.requests().length).toBe(before);
    const encoded = await call('GET', '/v1/layanan/ekinerja/api/v1/pegawai/..%2F..%2Fsasaran-kinerja', keys['opd-dinkes']!);
    expect(encoded.status).toBe(404);
    expect(simulator.requests().slice(-1)[0]!.path).toBe('/api/v1/pegawai/..%2F..%2Fsasaran-kinerja');
  });

  it('refuses with 502 an answer outside the registered response schema', async () => {
    await callSimulator(simulator.url, 'POST', '/_simulator/faults', { path: `/api/v1/pegawai/${rudi!.nip}`, kind: 'garbage', failNext: 1, body: '{"nip": 42}', contentType: 'application/json' });
    const answer = await call('GET', `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}`, keys['opd-dinkes']!);
    expect([answer.status, answer.body.code]).toEqual([502, 'service-response-invalid']);
  });

  it('passes XML through both ways, masked, and refuses a DOCTYPE from the client (400) and from the service (502)', async () => {
    const request = `<?xml version="1.0"?><permintaan><nip>${rudi!.nip}</nip><bulan>2026-11</bulan></permintaan>`;
    const answer = await call('POST', '/v1/layanan/ekinerja/api/v1/kehadiran/rekap', keys['opd-dinkes']!, request, 'application/xml');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.type).toContain('application/xml');
    expect(answer.text).toContain(`<nip>${rudi!.nip}</nip>`);
    expect(answer.text).toContain('<nama>R. H.</nama>');
    expect(answer.text).toContain('<hadir>••••</hadir>');
    expect(simulator.requests({ path: '/api/v1/kehadiran/rekap' }).slice(-1)[0]).toMatchObject({ body: request, headers: { 'content-type': 'application/xml; charset=utf-8' } });

    const before = received('/api/v1/kehadiran/rekap');
    const xxe = `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><permintaan><nip>&x;</nip></permintaan>`;
    const refused = await call('POST', '/v1/layanan/ekinerja/api/v1/kehadiran/rekap', keys['opd-dinkes']!, xxe, 'application/xml');
    expect([refused.status, refused.body.code]).toEqual([400, 'xml-forbidden']);
    expect(received('/api/v1/kehadiran/rekap')).toBe(before);

    await callSimulator(simulator.url, 'POST', '/_simulator/faults', { path: '/api/v1/kehadiran/rekap', kind: 'garbage', failNext: 1, body: xxe.replace('permintaan', 'rekap'), contentType: 'application/xml' });
    const fromService = await call('POST', '/v1/layanan/ekinerja/api/v1/kehadiran/rekap', keys['opd-dinkes']!, request, 'application/xml');
    expect([fromService.status, fromService.body.code]).toEqual([502, 'upstream-bad-response']);
  });

  it('publishes the event an operation emits, masked for each subscriber by the classification', async () => {
    const posted = await call('POST', '/v1/layanan/ekinerja/api/v1/sasaran-kinerja', keys['opd-dinkes']!, JSON.stringify({ nip: rudi!.nip, tahun: 2026, sasaran: 'Menyelesaikan 12 laporan analisis jabatan', target: 12, satuan: 'laporan' }));
    expect(posted.status, posted.text).toBe(201);
    expect(posted.body).toMatchObject({ status: 'diajukan', satuan: 'laporan' });
    expect(posted.body.sasaran).not.toContain('laporan analisis');
    expect(simulator.sasaran()).toHaveLength(1);

    // On Kafka the pull API reads the topic: the event is there once the outbox relay has published it.
    let pulled: Answer | undefined;
    await waitFor(async () => {
      pulled = await call('GET', '/v1/events?type=kinerja.sasaran.diajukan', keys['opd-dinkes']!);
      return pulled.status === 200 && (pulled.body.events as unknown[]).length > 0;
    }, 10_000, () => `the emitted event in the pull API (last answer ${pulled?.status} ${pulled?.text.slice(0, 300)})`, 200);
    const events = pulled!.body.events as Record<string, unknown>[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'kinerja.sasaran.diajukan', source: '/layanan/ekinerja', subject: 'ajukan-sasaran-kinerja', penghubungclient: 'opd-dinkes' });
    const data = events[0]!.data as Record<string, unknown>;
    expect(data).toMatchObject({ id: posted.body.id, nip: rudi!.nip, status: 'diajukan' });
    expect(data.sasaran).not.toBe('Menyelesaikan 12 laporan analisis jabatan');
    // The operator, cleared for rahasia, sees the event whole.
    const whole = await call('GET', '/v1/events?type=kinerja.sasaran.diajukan', testKeys.operator);
    expect(((whole.body.events as Record<string, unknown>[])[0]!.data as Record<string, unknown>).sasaran).toBe('Menyelesaikan 12 laporan analisis jabatan');
  });

  it('opens the circuit when the service goes down (fast 503), shows it in the status API, and closes it alone when the service returns', async () => {
    const path = `/v1/layanan/ekinerja/api/v1/pegawai/${rudi!.nip}`;
    await callSimulator(simulator.url, 'POST', '/_simulator/faults', { path: '/', kind: 'error', status: 503, failNext: 1000 });
    await waitFor(async () => (await call('GET', path, keys['opd-dinkes']!)).body.code === 'circuit-open', 10_000, 'the circuit to open');
    const before = simulator.requests().length;
    const started = performance.now();
    const fast = await call('GET', path, keys['opd-dinkes']!);
    expect([fast.status, fast.body.code]).toEqual([503, 'circuit-open']);
    expect(performance.now() - started).toBeLessThan(200);
    expect(simulator.requests().length).toBe(before);
    const status = await call('GET', '/v1/connectors/layanan:ekinerja', testKeys.operator);
    expect(status.body).toMatchObject({ id: 'layanan:ekinerja', state: 'down', circuit: { state: 'open' } });
    const listed = await call('GET', '/v1/connectors', testKeys.operator);
    expect((listed.body.connectors as { id: string }[]).map((c) => c.id)).toContain('layanan:ekinerja');

    await callSimulator(simulator.url, 'POST', '/_simulator/faults', { path: '/', failNext: 0 });
    await waitFor(async () => (await call('GET', path, keys['opd-dinkes']!)).status === 200, 10_000, 'the circuit to close once the service answers');
    expect((await call('GET', '/v1/connectors/layanan:ekinerja', testKeys.operator)).body).toMatchObject({ circuit: { state: 'closed' } });
  });

  it('calls the new address once the owner publishes a new version, with no restart', async () => {
    const moved = await startEkinerjaSimulator();
    try {
      const updated = await call('PUT', '/v1/services/ekinerja', keys['opd-bkpsdm']!, JSON.stringify(ekinerjaServiceInput(moved.url)));
      expect(updated.status, updated.text).toBe(200);
      const before = received('/api/v1/pegawai');
      const answer = await call('GET', '/v1/layanan/ekinerja/api/v1/pegawai', keys['opd-dinkes']!);
      expect(answer.status, answer.text).toBe(200);
      expect(moved.requests({ path: '/api/v1/pegawai' })).toHaveLength(1);
      expect(received('/api/v1/pegawai')).toBe(before);
    } finally {
      await moved.close();
    }
  });

  it('has every call in the audit chain, with its operation and client, and the chain verifies', async () => {
    await hub().audit.flush();
    const entries = hub().audit.recent(1000).filter((entry) => entry.operation.startsWith('layanan:ekinerja:'));
    const seen = (operation: string, client: string, status: number): boolean => entries.some((e) => e.operation === `layanan:ekinerja:${operation}` && e.client === client && e.status === status && e.connector === 'layanan:ekinerja');
    expect(seen('detail-pegawai', 'opd-lain', 403)).toBe(true);
    expect(seen('detail-pegawai', 'opd-dinkes', 200)).toBe(true);
    expect(seen('detail-pegawai', 'opd-dinkes', 502)).toBe(true);
    expect(seen('detail-pegawai', 'opd-dinkes', 503)).toBe(true);
    expect(seen('rekap-kehadiran', 'opd-dinkes', 400), JSON.stringify(entries.map((e) => [e.operation, e.status]))).toBe(true);
    expect(seen('ajukan-sasaran-kinerja', 'opd-dinkes', 201)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(rudi!.nip);

    const lines: string[] = [];
    const code = await audit(['verify', '--file', join(hub().config.dataDir, 'audit.db'), '--json'], { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(code, lines.join('\n')).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ ok: true });
  });
});
