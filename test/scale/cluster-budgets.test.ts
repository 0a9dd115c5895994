// Cluster-wide budgets (issue 14, item 6): three hubs on one Kafka divide each client's rate
// limit and each upstream's concurrency limit among the live members the group reports.
// - A client limited to 60 requests a minute, its requests alternating over the three hubs,
//   gets at most 1.2 × 60 through (each hub keeps a bucket of 20).
// - SIAK allows 4 calls at once (its manifest): 12 queries at once, 4 through each hub, reach
//   the upstream at most 4 at a time (a proxy in front of the one simulator counts what is in flight).
// - SIAK's daily quota used up, as heard through one hub, stops the other two from calling it
//   (shared through the state layer), and reopening it on one reopens it on all.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../connectors/siak/simulator.js';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { callSimulator, type Simulator } from '../../src/connectors/sdk.js';
import type { Hub } from '../../src/hub.js';
import { hubFetch } from '../support/auth.js';
import { uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { startHubs, untilMembers } from './three-hubs.js';

const RATE = 60;
const thriftyKey = 'uji-kunci-hemat-bersama';

let siak: Simulator;
let proxy: InFlightProxy;
let hubs: Hub[] = [];

beforeAll(async () => {
  // The test clients plus one limited to RATE a minute, the same file on every hub.
  const dir = mkdtempSync(join(tmpdir(), 'penghubung-budgets-'));
  const clientsFile = join(dir, 'clients.yaml');
  writeFileSync(clientsFile, `clients:
  - id: uji-operator
    name: Operator uji
    opd: Diskominfo (uji)
    role: operator
    clearance: rahasia
    rights: ["*"]
    rateLimitPerMinute: 1000000
    apiKeySha256: [${createHash('sha256').update('uji-kunci-operator-rahasia').digest('hex')}]
  - id: uji-hemat
    name: Aplikasi hemat
    opd: Diskominfo (uji)
    role: app
    clearance: publik
    rights: ["catalog:read"]
    rateLimitPerMinute: ${RATE}
    apiKeySha256: [${createHash('sha256').update(thriftyKey).digest('hex')}]
`);
  siak = await startSimulator({ host: '127.0.0.1', port: 0 });
  proxy = await startInFlightProxy(siak.url, 300);
  hubs = await startHubs(3, uniqueName('budgets').toLowerCase(), { security: { clientsFile } }, () => ({ SIAK_BASE_URL: proxy.url }));
  await untilMembers(hubs);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(hubs.map((hub) => hub.close()));
  await proxy?.close();
  await siak?.close();
});

describe('budgets shared by three instances', () => {
  it(`lets a client limited to ${RATE} a minute through at most 1.2 × ${RATE} times, its requests alternating over the hubs`, async () => {
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 3 * RATE; i++) statuses.push((await hubFetch(`${hubs[i % 3]!.url}/v1/catalog`, {}, thriftyKey)).status);
    const seconds = (Date.now() - started) / 1000;
    const allowed = statuses.filter((s) => s === 200).length;
    console.log(`[leader] rate limit ${RATE}/min through 3 hubs: ${allowed} of ${statuses.length} allowed in ${seconds.toFixed(1)} s`);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(allowed).toBeLessThanOrEqual(1.2 * RATE);
    // Each hub's share is a third: together they still allow the whole limit.
    expect(allowed).toBeGreaterThanOrEqual(RATE - 3);
  });

  it('keeps the calls in flight to SIAK within its concurrency of 4 across the three hubs', async () => {
    for (const hub of hubs) {
      const status = (await (await hubFetch(`${hub.url}/v1/connectors/siak`)).json()) as { in_flight: { limit: number } };
      expect(status.in_flight.limit).toBe(1);
    }
    const nik = RESIDENTS.find((r) => r.status === 'aktif' && !r.nik.startsWith('92'))!.nik;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => hubFetch(`${hubs[i % 3]!.url}/v1/penduduk/${nik}`).then((r) => r.status)));
    console.log(`[leader] SIAK concurrency 4 through 3 hubs: at most ${proxy.maxInFlight} calls in flight for ${answers.length} queries at once`);
    expect(answers.filter((s) => s !== 200)).toEqual([]);
    expect(proxy.calls).toBeGreaterThanOrEqual(12);
    expect(proxy.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(proxy.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('stops every hub calling SIAK once one hears its daily quota is used up, and reopens them together', async () => {
    const quotaOf = async (hub: Hub): Promise<string> => ((await (await hubFetch(`${hub.url}/v1/connectors/siak`)).json()) as { quota: { status: string } }).quota.status;
    const nik = RESIDENTS.find((r) => r.status === 'aktif' && !r.nik.startsWith('92'))!.nik;
    expect((await callSimulator(siak.url, 'POST', '/_simulator/quota', { limit: 1, used: 1 })).status).toBe(200);
    try {
      const refused = await hubFetch(`${hubs[0]!.url}/v1/penduduk/${nik}`);
      expect(refused.status).toBe(429);
      const heard = Date.now();
      await waitFor(async () => (await Promise.all(hubs.map(quotaOf))).every((status) => status === 'exhausted'), 5000, 'every hub to hold the quota exhausted');
      console.log(`[leader] SIAK quota exhausted on one hub → on all three after ${Date.now() - heard} ms`);
      const callsBefore = proxy.calls;
      for (const hub of hubs.slice(1)) {
        const answer = await hubFetch(`${hub.url}/v1/penduduk/${nik}`);
        expect(answer.status).toBe(429);
        expect(((await answer.json()) as { code: string }).code).toBe('upstream-quota-exhausted');
      }
      expect(proxy.calls).toBe(callsBefore);
    } finally {
      expect((await callSimulator(siak.url, 'POST', '/_simulator/reset')).status).toBe(204);
    }
    hubs[2]!.connectors.runtimes.find((r) => r.id === 'siak')!.quota!.reopen();
    await waitFor(async () => (await Promise.all(hubs.map(quotaOf))).every((status) => status === 'available'), 5000, 'every hub to hold the quota available again');
    expect((await hubFetch(`${hubs[0]!.url}/v1/penduduk/${nik}`)).status).toBe(200);
  });
});

interface InFlightProxy {
  url: string;
  calls: number;
  maxInFlight: number;
  close(): Promise<void>;
}

/** Forwards every call to `target` after `delayMs`, noting the most calls it ever held at once. */
async function startInFlightProxy(target: string, delayMs: number): Promise<InFlightProxy> {
  const upstream = new URL(target);
  let inFlight = 0;
  const proxy: InFlightProxy = { url: '', calls: 0, maxInFlight: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      proxy.calls++;
      inFlight++;
      proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
      setTimeout(() => {
        const outgoing = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            inFlight--;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        });
        outgoing.on('error', () => {
          inFlight--;
          res.writeHead(502).end();
        });
        outgoing.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return proxy;
}
