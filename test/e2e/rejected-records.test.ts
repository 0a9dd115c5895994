// Tolerant reading end to end, with the test-only connector test/fixtures/connectors/uji-rekaman
// (records + mapRecord) and its simulator on a real port: good records are published, bad ones
// are quarantined with their reason, pushed or polled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { postJson, startTestHub } from '../support/hub.js';

let hub: Hub;

beforeAll(async () => {
  hub = await startTestHub({ connectors: { directory: 'test/fixtures/connectors', polling: false } });
}, 60_000);
afterAll(async () => {
  await hub?.close();
});

const published = (): string[] => hub.outbox.read(0, 100_000, 'uji-rekaman.rekaman.diterima').map((s) => s.event.subject!);
const good = (code: string): Record<string, unknown> => ({ code, name: `Rekaman ${code}`, updated_at: '2026-11-20T08:30:00+07:00' });

describe('a push with good and bad records', () => {
  it('accepts the good ones (202) and lists the rejected ones with index, reason and detail', async () => {
    const answer = await postJson(`${hub.url}/v1/connectors/uji-rekaman/inbound`, { data: [good('C-001'), { ...good('C-002'), updated_at: 'kemarin' }, good('C 3'), good('C-004')] }, 'application/json');
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
    const answer = await postJson(`${hub.url}/v1/connectors/uji-rekaman/inbound`, { data: [{ ...good('D-001'), updated_at: '' }, 'x'] }, 'application/json');
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('request-invalid');
    expect(answer.body.rejected).toEqual([{ index: 0, reason: 'date-invalid', detail: 'updated_at is not a date' }, { index: 1, reason: 'layout-unknown', detail: 'the record is not an object' }]);
    expect(answer.body.errors).toEqual([{ pointer: '/0', message: 'date-invalid: updated_at is not a date' }, { pointer: '/1', message: 'layout-unknown: the record is not an object' }]);
  });

  it('still refuses a document whose envelope is unreadable', async () => {
    const answer = await postJson(`${hub.url}/v1/connectors/uji-rekaman/inbound`, { rows: [] }, 'application/json');
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('request-invalid');
    expect(answer.body.rejected).toBeUndefined();
  });
});

describe('a polled listing with unreadable records among good ones', () => {
  it('publishes the good records and counts the rejected ones', async () => {
    const run = await hub.connectors.pollers.get('uji-rekaman:rekaman-masuk')!.runOnce();
    expect(run).toMatchObject({ pages: 2, read: 5, published: 3, rejected: 2 });
    expect(published()).toEqual(expect.arrayContaining(['A-001', 'A-004', 'B-001']));
    expect(published()).not.toContain('A-002');
  });
});
