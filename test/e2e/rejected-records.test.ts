// Tolerant reading end to end, with the test-only connector test/fixtures/connectors/uji-rekaman
// (records + mapRecord) and its simulator on a real port: good records are published, bad ones
// are quarantined with their reason (store, API, metric), pushed or polled; operators poll now
// and read each poll's outcome; pollers poll at start.
import { describe, expect, it } from 'vitest';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll, postJson, startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const connectors = { directory: 'test/fixtures/connectors' };

const hub = hubBeforeAll({ connectors: { ...connectors, polling: false } });

interface Rejection { id: number; operation: string; via: string; index: number; reason: string; detail: string; cursor: string | null; times: number; record?: unknown }
interface Outcome { started_at: string; finished_at: string | null; pages: number; read: number; published: number; unchanged: number; rejected: number; error: { code: string; detail: string } | null }

const published = (): string[] => hub().outbox.read(0, 100_000, 'uji-rekaman.rekaman.diterima').map((s) => s.event.subject!);
const good = (code: string): Record<string, unknown> => ({ code, name: `Rekaman ${code}`, updated_at: '2026-11-20T08:30:00+07:00' });
const getJson = async <T>(path: string, key: string = testKeys.operator): Promise<{ status: number; body: T }> => {
  const response = await hubFetch(`${hub().url}${path}`, {}, key);
  return { status: response.status, body: (await response.json()) as T };
};
const rejectedCount = async (reason: string): Promise<number> => {
  const text = await (await hubFetch(`${hub().url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`penghubung_records_rejected_total{connector="uji-rekaman",operation="rekaman-masuk",reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('a push with good and bad records', () => {
  it('accepts the good ones (202) and lists the rejected ones with index, reason and detail', async () => {
    const answer = await postJson(`${hub().url}/v1/connectors/uji-rekaman/inbound`, { data: [good('C-001'), { ...good('C-002'), updated_at: 'kemarin' }, good('C 3'), good('C-004')] }, 'application/json');
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(2);
    expect((answer.body.events as { subject: string }[]).map((e) => e.subject)).toEqual(['C-001', 'C-004']);
    expect(answer.body.rejected).toEqual([
      { index: 1, reason: 'date-invalid', detail: 'updated_at is not a date' },
      { index: 2, reason: 'schema-invalid', detail: expect.stringMatching(/^does not conform to uji-rekaman-rekaman\.v1: \/kode /) },
    ]);
    expect(published()).toEqual(expect.arrayContaining(['C-001', 'C-004']));
    expect(published()).not.toContain('C-002');
  });

  it('answers 422 request-invalid listing them when every record is rejected', async () => {
    const answer = await postJson(`${hub().url}/v1/connectors/uji-rekaman/inbound`, { data: [{ ...good('D-001'), updated_at: '' }, 'x'] }, 'application/json');
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('request-invalid');
    expect(answer.body.rejected).toEqual([{ index: 0, reason: 'date-invalid', detail: 'updated_at is not a date' }, { index: 1, reason: 'layout-unknown', detail: 'the record is not an object' }]);
    expect(answer.body.errors).toEqual([{ pointer: '/0', message: 'date-invalid: updated_at is not a date' }, { pointer: '/1', message: 'layout-unknown: the record is not an object' }]);
  });

  it('still refuses a document whose envelope is unreadable, rejecting no record', async () => {
    const answer = await postJson(`${hub().url}/v1/connectors/uji-rekaman/inbound`, { rows: [] }, 'application/json');
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('request-invalid');
    expect(answer.body.rejected).toBeUndefined();
  });
});

describe('a polled listing with unreadable records among good ones', () => {
  it('publishes the good records, lists the bad ones with their reason, and counts them in the metric', async () => {
    const before = await rejectedCount('date-invalid');
    const poll = await postJson(`${hub().url}/v1/connectors/uji-rekaman/operations/rekaman-masuk/poll`, '', 'application/json');
    expect(poll.status).toBe(200);
    expect(poll.body).toMatchObject({ connector: 'uji-rekaman', operation: 'rekaman-masuk', pages: 2, read: 5, published: 3, rejected: 2, error: null, finished_at: expect.any(String) });
    expect(published()).toEqual(expect.arrayContaining(['A-001', 'A-004', 'B-001']));
    expect(published()).not.toContain('A-002');
    expect(await rejectedCount('date-invalid')).toBe(before + 1);

    const { status, body } = await getJson<{ items: Rejection[]; next: string | null; record_masked: boolean }>('/v1/connectors/uji-rekaman/rejected?operation=rekaman-masuk&reason=date-invalid');
    expect(status).toBe(200);
    expect(body.record_masked).toBe(false);
    const polled = body.items.find((item) => item.via === 'poll')!;
    expect(polled).toMatchObject({ operation: 'rekaman-masuk', index: 1, reason: 'date-invalid', detail: 'updated_at is not a date', cursor: null, times: 1 });
    expect(polled.record).toEqual({ code: 'A-002', name: 'Rekaman tanpa tanggal', updated_at: 'kemarin' });
    expect(body.items.every((item) => item.reason === 'date-invalid')).toBe(true);

    // The same page polled again: the same rejections, counted again, stored once.
    await postJson(`${hub().url}/v1/connectors/uji-rekaman/operations/rekaman-masuk/poll`, '', 'application/json');
    expect(await rejectedCount('date-invalid')).toBe(before + 2);
    const again = await getJson<{ items: Rejection[] }>('/v1/connectors/uji-rekaman/rejected?reason=date-invalid');
    expect(again.body.items.filter((item) => item.via === 'poll')).toEqual([expect.objectContaining({ index: 1, times: 2 })]);
  });

  it('pages newest first, and shows the native record only to operators cleared rahasia', async () => {
    const first = await getJson<{ items: Rejection[]; next: string | null }>('/v1/connectors/uji-rekaman/rejected?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.next).not.toBeNull();
    const second = await getJson<{ items: Rejection[] }>(`/v1/connectors/uji-rekaman/rejected?limit=1&after=${first.body.next}`);
    expect(second.body.items[0]!.id).toBeLessThan(first.body.items[0]!.id);

    const created = await postJson(`${hub().url}/v1/clients`, { id: 'uji-operator-terbatas', name: 'Operator terbatas', opd: 'Diskominfo (uji)', role: 'operator', clearance: 'terbatas', rights: [] }, 'application/json');
    expect(created.status).toBe(201);
    const masked = await getJson<{ items: Rejection[]; record_masked: boolean }>('/v1/connectors/uji-rekaman/rejected', created.body.api_key as string);
    expect(masked.status).toBe(200);
    expect(masked.body.record_masked).toBe(true);
    expect(masked.body.items.length).toBeGreaterThan(0);
    expect(masked.body.items.every((item) => !('record' in item) && typeof item.reason === 'string' && typeof item.detail === 'string')).toBe(true);

    expect((await getJson('/v1/connectors/uji-rekaman/rejected', testKeys.terbatas)).status).toBe(403);
    expect((await getJson<{ code: string }>('/v1/connectors/uji-rekaman/rejected?operation=tidak-ada')).body.code).toBe('query-invalid');
    expect((await getJson<{ code: string }>('/v1/connectors/tidak-ada/rejected')).status).toBe(404);
  });

  it('shows the rejected records and the last poll in the connector status', async () => {
    const { body } = await getJson<{ polls: Record<string, { interval_seconds: number; running: boolean; last: Outcome }>; rejected_records: Record<string, { count: number }> }>('/v1/connectors/uji-rekaman');
    expect(body.polls['rekaman-masuk']).toMatchObject({ interval_seconds: 3600, running: false, last: { pages: 2, read: 5, published: 0, unchanged: 3, rejected: 2, error: null } });
    expect(body.rejected_records['rekaman-masuk']!.count).toBeGreaterThanOrEqual(4);
  });
});

describe('poll now', () => {
  it('answers 409 while the operation is being polled, then the outcome', async () => {
    const simulator = hub().connectors.simulators.get('uji-rekaman')!.url;
    await fetch(`${simulator}/_simulator/hold`, { method: 'POST' });
    const path = `${hub().url}/v1/connectors/uji-rekaman/operations/rekaman-masuk/poll`;
    const first = postJson(path, '', 'application/json');
    await waitFor(async () => ((await (await fetch(`${simulator}/_simulator/held`)).json()) as { held: number }).held === 1, 5000, 'the first poll to reach the upstream');
    const running = await getJson<{ polls: Record<string, { running: boolean; last: Outcome }> }>('/v1/connectors/uji-rekaman');
    expect(running.body.polls['rekaman-masuk']).toMatchObject({ running: true, last: { finished_at: null } });
    const second = await postJson(path, '', 'application/json');
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('poll-running');
    await fetch(`${simulator}/_simulator/release`, { method: 'POST' });
    expect((await first).status).toBe(200);
  });

  it('answers the failure as the outcome when the upstream refuses, and 404 for an operation that is not polled', async () => {
    const runtime = hub().connectors.runtimes.find((r) => r.id === 'uji-rekaman')!;
    await hub().connectors.pollCursors.save(runtime.id, 'rekaman-masuk', '99');
    const failed = await postJson(`${hub().url}/v1/connectors/uji-rekaman/operations/rekaman-masuk/poll`, '', 'application/json');
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ pages: 1, read: 0, published: 0, error: { code: 'upstream-bad-response', detail: 'the upstream answered with an error' } });
    await hub().connectors.pollCursors.save(runtime.id, 'rekaman-masuk', undefined);
    expect((await postJson(`${hub().url}/v1/connectors/uji-rekaman/operations/daftar-rekaman/poll`, '', 'application/json')).status).toBe(404);
  });
});

describe('the catalogue', () => {
  it('shows which upstream paths no public source verifies', async () => {
    const { body } = await getJson<{ upstream: { paths: Record<string, { request: string; verified: boolean; sources?: string[]; note?: string }>; unverified_paths: string[] } }>('/v1/catalog/uji-rekaman');
    expect(body.upstream.unverified_paths).toEqual(['legacy', 'unconfirmed']);
    expect(body.upstream.paths.records).toMatchObject({ verified: true, sources: ['test/fixtures/connectors/uji-rekaman/simulator.ts'] });
    expect(body.upstream.paths.legacy).toMatchObject({ request: 'GET /legacy/records', verified: false });
    expect((await getJson<{ unverified_paths: string[] }>('/v1/connectors/uji-rekaman')).body.unverified_paths).toEqual(['legacy', 'unconfirmed']);
  });
});

describe('pollers at start', () => {
  it('poll at once, so lists are filled without waiting an interval, at the configured interval', async () => {
    const polling = await startTestHub({ connectors: { ...connectors, polling: true, operations: { 'uji-rekaman': { 'rekaman-masuk': { pollIntervalSeconds: 7200 } } } } });
    try {
      const list = async (): Promise<string[]> => ((await (await hubFetch(`${polling.url}/v1/uji-rekaman/rekaman?limit=10`)).json()) as { items: { kode: string }[] }).items.map((i) => i.kode);
      await waitFor(async () => (await list()).length === 3, 20_000, 'the first poll to fill the list');
      expect((await list()).sort()).toEqual(['A-001', 'A-004', 'B-001']);
      const status = (await (await hubFetch(`${polling.url}/v1/connectors/uji-rekaman`)).json()) as { polls: Record<string, { interval_seconds: number; last: Outcome }> };
      expect(status.polls['rekaman-masuk']).toMatchObject({ interval_seconds: 7200, last: { published: 3, rejected: 2 } });
    } finally {
      await polling.close();
    }
  }, 60_000);
});
