// Must show (issue 14): a client limited to R requests per minute gets at most 1.2 × R through
// three instances behind a round-robin balancer. (Before, each instance counted alone: 2 × R
// through two hubs.) The limit is a token bucket with a minute's worth as burst, refilled while
// the requests go out: in t seconds one instance alone lets R + R·t/60 through, and that, not a
// bare R, is what the three together may exceed by at most 20 %.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';

const R = 60;
const key = 'uji-kunci-klien-terbatas-laju';
const work = mkdtempSync(join(tmpdir(), 'penghubung-cluster-rate-'));
let cluster: TestCluster;
const figures: Record<string, number | string> = {};

beforeAll(async () => {
  const clients = parse(readFileSync(projectPath('test', 'fixtures', 'clients.yaml'), 'utf8')) as { clients: Record<string, unknown>[] };
  clients.clients.push({ id: 'uji-klien-terbatas-laju', name: 'Klien uji dengan batas laju', opd: 'Diskominfo (uji)', role: 'app', clearance: 'publik', rights: ['catalog:read'], rateLimitPerMinute: R, apiKeySha256: [createHash('sha256').update(key).digest('hex')] });
  const clientsFile = join(work, 'clients.yaml');
  writeFileSync(clientsFile, stringify(clients));
  cluster = await startTestCluster({ label: 'rate', env: { PENGHUBUNG_SECURITY__CLIENTS_FILE: clientsFile } });
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
  rmSync(work, { recursive: true, force: true });
  console.log(`[cluster rate limit] measured: ${JSON.stringify(figures)}`);
});

describe('a per-client rate limit across instances', () => {
  it(`lets at most 1.2 × what one instance would of a client limited to ${R} per minute through three instances`, async () => {
    // The limit is divided among the live members the group reports: once every instance knows all three.
    let live: number[] = [];
    await waitFor(async () => (live = await Promise.all(cluster.hubs.map(async (hub) => ((await (await hubFetch(`${hub.url}/v1/connectors`)).json()) as { live_instances?: number }).live_instances ?? 0))).every((n) => n === 3), 30_000, () => `every instance counting three live instances (${live.join(', ')})`, 250);

    // 3 × R requests, six at a time, so the minute's refill adds little to the burst.
    const started = Date.now();
    const statuses: number[] = [];
    const passedBy = cluster.hubs.map(() => 0);
    let next = 0;
    await Promise.all(Array.from({ length: 6 }, async () => {
      while (next < 3 * R) {
        next++;
        const response = await fetch(`${cluster.url}/v1/catalog`, { headers: { 'x-api-key': key } });
        await response.arrayBuffer();
        statuses.push(response.status);
        if (response.status === 200) passedBy[cluster.answeredBy(response)]! += 1;
      }
    }));
    const elapsedMs = Date.now() - started;
    const alone = R + (R * elapsedMs) / 60_000;
    figures['requests sent in s'] = elapsedMs / 1000;
    figures['one instance alone would let through'] = Math.floor(alone);
    // Well within the minute, or the refill would dominate what is measured.
    expect(elapsedMs).toBeLessThan(30_000);
    const passed = statuses.filter((status) => status === 200).length;
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    figures[`passed of ${3 * R} (limit ${R}/min, 3 instances)`] = passed;
    figures['passed by hub 1 / 2 / 3'] = passedBy.join(' / ');
    expect(passed).toBeLessThanOrEqual(1.2 * alone);
    // Not refusing the client's fair share either.
    expect(passed).toBeGreaterThanOrEqual(R / 2);
  }, 90_000);
});
