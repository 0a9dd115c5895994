// The dashboard's own reads folded into one signed audit row per operator per window: counted per
// route, written when the window ends or at shutdown, in the same verifiable chain as any entry.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AuditLog } from '../../src/security/audit/audit-log.js';
import type { AuditInput } from '../../src/security/audit/entry.js';
import { ReadSummary } from '../../src/security/audit/read-summary.js';
import { verifyAuditStore } from '../../src/security/audit/verify.js';
import { tempDir } from './audit-helpers.js';

const read = (client: string | null, route: string, status = 200): AuditInput => ({
  client, operation: 'http', connector: null, method: 'GET', route, status, outcome: 'ok', latency_ms: 1.5, correlation_id: `c-${route.length}`, request_digest: null, response_digest: 'ab'.repeat(32),
});

let log: AuditLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

it('records one summary row per operator per window, naming how many reads of which routes it stands for', async () => {
  const dir = tempDir();
  log = AuditLog.open({ file: join(dir, 'audit.db'), keyFile: join(dir, 'audit-key.pem') });
  let now = Date.parse('2026-12-07T10:00:05Z');
  const summary = new ReadSummary(log, 60_000, () => now);
  for (let i = 0; i < 20; i += 1) summary.add(read('operator-diskominfo', i % 2 ? '/v1/connectors' : '/v1/dead-letters'));
  summary.add(read('operator-rina', '/v1/flows'));
  now = Date.parse('2026-12-07T10:00:59Z');
  summary.add(read('operator-diskominfo', '/v1/flows'));
  await log.flush();
  expect(log.recent(10)).toEqual([]); // the minute is not over: nothing written yet

  // The next minute's first read closes the operator's previous window.
  now = Date.parse('2026-12-07T10:01:02Z');
  summary.add(read('operator-diskominfo', '/v1/connectors'));
  summary.flush();
  await log.flush();
  const rows = log.recent(10).reverse();
  expect(rows.map((r) => [r.client, r.operation, r.route, r.folded?.count])).toEqual([
    ['operator-diskominfo', 'dashboard:reads', '/dashboard', 21],
    ['operator-rina', 'dashboard:reads', '/dashboard', 1],
    ['operator-diskominfo', 'dashboard:reads', '/dashboard', 1],
  ]);
  expect(rows[0]!.folded).toEqual({ count: 21, first: '2026-12-07T10:00:05.000Z', last: '2026-12-07T10:00:59.000Z', routes: { 'GET /v1/connectors': 10, 'GET /v1/dead-letters': 10, 'GET /v1/flows': 1 } });
  expect(rows[0]!.time).toBe('2026-12-07T10:00:59.000Z');
  expect(rows[0]!.latency_ms).toBe(31.5);
  expect(rows[0]!.response_digest).toMatch(/^[0-9a-f]{64}$/);
  await log.close();
  log = undefined;
  expect(verifyAuditStore(join(dir, 'audit.db'))).toMatchObject({ ok: true, checked: 3 });
});

it('writes a window when it ends, though no read follows', async () => {
  const dir = tempDir();
  log = AuditLog.open({ file: join(dir, 'audit.db'), keyFile: join(dir, 'audit-key.pem'), flushIntervalMs: 10 });
  const summary = new ReadSummary(log, 1000);
  summary.add(read('operator-diskominfo', '/v1/connectors'));
  const written = log;
  await expect.poll(() => written.recent(5).length, { timeout: 3000 }).toBe(1);
  expect(written.recent(5)[0]).toMatchObject({ client: 'operator-diskominfo', folded: { count: 1 } });
});

it('refuses a summary whose routes are not patterns', () => {
  const dir = tempDir();
  log = AuditLog.open({ file: join(dir, 'audit.db'), keyFile: join(dir, 'audit-key.pem') });
  expect(() => log!.record({ ...read('operator-diskominfo', '/dashboard'), folded: { count: 1, first: '2026-12-07T10:00:05Z', last: '2026-12-07T10:00:05Z', routes: { 'GET /v1/penduduk/1809011704780001': 1 } } })).toThrow(/folded.routes/);
});
