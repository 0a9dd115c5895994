// auditHttp: every exchange through an express app is recorded with its route pattern and the
// digests of the bytes that passed; the personal data in URLs and bodies never reaches the store.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';
import { AuditLog, type StoredAuditEntry } from '../../src/security/audit/audit-log.js';
import { auditHttp } from '../../src/security/audit/http.js';
import { verifyAuditStore } from '../../src/security/audit/verify.js';
import { tempDir } from './audit-helpers.js';

const nik = '1809011704780001';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('auditHttp', () => {
  let file: string;
  let log: AuditLog;
  let server: ReturnType<express.Express['listen']>;
  let base: string;

  beforeAll(async () => {
    const dir = tempDir();
    file = join(dir, 'audit.db');
    log = AuditLog.open({ file, keyFile: join(dir, 'key.pem'), flushIntervalMs: 10, env: {} });
    const app = express();
    app.use((req, res, next) => {
      res.locals.correlationId = req.headers['x-correlation-id'] ?? 'generated-1';
      next();
    });
    app.use(auditHttp(log, { connectorIds: ['siak'] }));
    app.get('/health/live', (_req, res) => {
      res.json({ status: 'ok' });
    });
    app.get('/v1/penduduk/:nik', (req, res) => {
      res.locals.clientId = 'opd-dinsos';
      res.locals.auditOperation = 'siak:cari-penduduk'; // the connector follows from the prefix
      res.json({ nik: req.params.nik, nama_lengkap: 'BUDI SANTOSO' });
    });
    app.post('/v1/events', express.text({ type: '*/*' }), (_req, res) => {
      res.locals.auditOperation = 'events:publish';
      res.status(202).json({ accepted: 1 });
    });
    // The same answer in pieces (an empty one among them), in one piece, and none.
    app.get('/v1/potongan', (_req, res) => {
      res.type('application/json');
      res.write('{"nama":');
      res.write('');
      res.end(Buffer.from('"BUDI SANTOSO"}'));
    });
    app.get('/v1/utuh', (_req, res) => {
      res.type('application/json').end('{"nama":"BUDI SANTOSO"}');
    });
    app.delete('/v1/kosong', (_req, res) => {
      res.status(204).end();
    });
    app.use((_req, res) => {
      res.status(404).type('application/problem+json').send('{"code":"route-not-found"}');
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await log.close();
  });

  async function newest(count: number): Promise<StoredAuditEntry[]> {
    await log.flush();
    return log.recent(count).reverse();
  }

  it('records a query with its route pattern, client, operation and response digest', async () => {
    const response = await fetch(`${base}/v1/penduduk/${nik}`, { headers: { 'x-correlation-id': 'abc-123' } });
    const body = await response.text();
    // The entry is written when the response has finished on the server, which may be after the
    // client read it.
    await waitFor(async () => (await newest(1))[0]?.correlation_id === 'abc-123', 5_000, 'the audit entry of the query');
    const [entry] = await newest(1);
    expect(entry).toMatchObject({
      client: 'opd-dinsos', operation: 'siak:cari-penduduk', connector: 'siak', method: 'GET', route: '/v1/penduduk/:nik',
      status: 200, outcome: 'ok', correlation_id: 'abc-123', request_digest: null, response_digest: sha256(body),
    });
    expect(entry!.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('records a publish with the digest of the request body, and unmatched URLs without their path', async () => {
    const event = JSON.stringify({ specversion: '1.0', id: 'e-1', source: '/opd/dinsos', type: 'uji.dibuat', data: { nik } });
    await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: event });
    await fetch(`${base}/v1/warga/${nik}?nama=BUDI`);
    await fetch(`${base}/health/live`);
    await waitFor(async () => (await newest(1))[0]?.route === 'unmatched', 5_000, 'the audit entry of the unmatched URL');
    const [publish, unmatched] = await newest(2);
    expect(publish).toMatchObject({ operation: 'events:publish', connector: null, client: null, method: 'POST', route: '/v1/events', status: 202, outcome: 'ok', request_digest: sha256(event), response_digest: sha256('{"accepted":1}') });
    expect(unmatched).toMatchObject({ operation: 'http', connector: null, route: 'unmatched', status: 404, outcome: 'refused', correlation_id: 'generated-1' });
    expect(log.recent(10).some((entry) => entry.route.startsWith('/health'))).toBe(false);
  });

  it('leaves no personal data in the store, which verifies', async () => {
    await log.flush();
    const db = readFileSync(file);
    const wal = (() => {
      try {
        return readFileSync(`${file}-wal`);
      } catch {
        return Buffer.alloc(0);
      }
    })();
    for (const bytes of [db, wal]) {
      expect(bytes.includes(nik)).toBe(false);
      expect(bytes.includes('BUDI')).toBe(false);
    }
    expect(verifyAuditStore(file)).toMatchObject({ ok: true, checked: 3 });
  });

  it('gives an answer written in pieces the digest of all its bytes, as one in one piece, and none to an empty one', async () => {
    const body = '{"nama":"BUDI SANTOSO"}';
    for (const [path, method] of [['/v1/potongan', 'GET'], ['/v1/utuh', 'GET'], ['/v1/kosong', 'DELETE']] as const) {
      const response = await fetch(`${base}${path}`, { method, headers: { 'x-correlation-id': `piece-${path.slice(4)}` } });
      expect(await response.text()).toBe(method === 'GET' ? body : '');
    }
    await waitFor(async () => (await newest(1))[0]?.correlation_id === 'piece-kosong', 5_000, 'the audit entry of the empty answer');
    const [pieces, whole, empty] = await newest(3);
    expect([pieces!.route, whole!.route, empty!.route]).toEqual(['/v1/potongan', '/v1/utuh', '/v1/kosong']);
    expect(pieces!.response_digest).toBe(sha256(body));
    expect(whole!.response_digest).toBe(sha256(body));
    expect(empty!.response_digest).toBeNull();
  });
});
