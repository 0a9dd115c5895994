// The canonical event API end to end on the embedded bus: a real hub on a real port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusRecord } from '../../src/bus/event-bus.js';
import { LosslessNumber } from '../../src/events/json.js';
import { PullCursorCodec } from '../../src/events/pull-cursor.js';
import { hubBeforeAll, postJson, sampleEvent, startTestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch } from '../support/auth.js';

const received: BusRecord[] = [];
let closeSubscription: () => Promise<void>;

const hub = hubBeforeAll({ events: { strictTypes: true, schemaDir: 'test/fixtures/event-types' }, http: { batchMaxEvents: 50, bodyLimitBytes: 64 * 1024 } });

beforeAll(async () => {
  const subscription = await hub().bus.subscribe({ groupId: 'events-api-test', topic: 'penghubung.uji', handler: async (record) => void received.push(record) });
  closeSubscription = () => subscription.close();
});

afterAll(async () => {
  await closeSubscription();
});

const publishedIds = (): string[] => received.map((record) => record.event.id);

/**
 * Posts `marker` and waits until it is on the bus and the test's consumer has handled all that
 * was published: the relay publishes in acceptance order, so anything accepted before the
 * marker (a late duplicate, say) has been seen by then.
 */
async function settleAfter(marker: Record<string, unknown>): Promise<void> {
  expect((await postJson(`${hub().url}/v1/events`, marker)).status).toBe(202);
  await waitFor(async () => publishedIds().includes(marker.id as string) && (await hub().bus.lag('events-api-test', 'penghubung.uji')) === 0, 5000, `${String(marker.id)} and all before it handled`);
}

describe('POST /v1/events', () => {
  it('accepts one structured CloudEvent with 202 and publishes it with the correlation id', async () => {
    const answer = await postJson(`${hub().url}/v1/events`, sampleEvent('single-1'), 'application/cloudevents+json', { 'X-Correlation-Id': 'uji-korelasi-1' });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ id: 'single-1', source: '/opd/diskominfo/uji', topic: 'penghubung.uji', duplicate: false });
    expect(answer.headers.get('x-correlation-id')).toBe('uji-korelasi-1');
    await waitFor(() => publishedIds().includes('single-1'), 5000, 'single-1 on the bus');
    const record = received.find((r) => r.event.id === 'single-1')!;
    expect(record.event).toEqual({ ...sampleEvent('single-1'), penghubungclient: 'uji-operator' });
    expect(record.key).toBe('uji-single-1');
    expect(record.headers['correlation-id']).toBe('uji-korelasi-1');
  });

  it('takes the correlation id from traceparent when no X-Correlation-Id is sent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const answer = await postJson(`${hub().url}/v1/events`, sampleEvent('trace-1'), 'application/cloudevents+json', { traceparent });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-correlation-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    await waitFor(() => publishedIds().includes('trace-1'), 5000, 'trace-1 on the bus');
    expect(received.find((r) => r.event.id === 'trace-1')!.headers.traceparent).toBe(traceparent);
  });

  it('accepts a batch and a plain JSON array', async () => {
    const batch = [sampleEvent('batch-1'), sampleEvent('batch-2'), sampleEvent('batch-3')];
    const answer = await postJson(`${hub().url}/v1/events`, batch, 'application/cloudevents-batch+json');
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(3);
    const plain = await postJson(`${hub().url}/v1/events`, [sampleEvent('plain-1')], 'application/json');
    expect(plain.status).toBe(202);
    await waitFor(() => ['batch-1', 'batch-2', 'batch-3', 'plain-1'].every((id) => publishedIds().includes(id)), 5000, 'the batch on the bus');
  });

  it('treats the event id as the idempotency key: a retried post is not published twice', async () => {
    const first = await postJson(`${hub().url}/v1/events`, sampleEvent('retry-1'));
    const second = await postJson(`${hub().url}/v1/events`, sampleEvent('retry-1'));
    expect(first.body.duplicate).toBe(false);
    expect(second.status).toBe(202);
    expect(second.body.duplicate).toBe(true);
    await settleAfter(sampleEvent('retry-1-after'));
    expect(publishedIds().filter((id) => id === 'retry-1')).toHaveLength(1);
  });

  it('keeps every digit of an integer above 2^53 in data', async () => {
    const body = JSON.stringify(sampleEvent('big-1')).replace('"keterangan":"data uji"', '"keterangan":"data uji","nik":1809014101900004123');
    const answer = await postJson(`${hub().url}/v1/events`, body);
    expect(answer.status).toBe(202);
    await waitFor(() => publishedIds().includes('big-1'), 5000, 'big-1 on the bus');
    const data = received.find((r) => r.event.id === 'big-1')!.event.data as { nik: LosslessNumber };
    expect(data.nik).toBeInstanceOf(LosslessNumber);
    expect(data.nik.toString()).toBe('1809014101900004123');
    const pulled = await (await hubFetch(`${hub().url}/v1/events?type=uji.dibuat&limit=1000`)).text();
    expect(pulled).toContain('"nik":1809014101900004123');
  });
});

describe('malformed requests get 4xx problem+json and publish nothing', () => {
  const cases: { name: string; body: string; contentType: string; status: number; code: string }[] = [
    { name: 'invalid JSON', body: '{"specversion":"1.0",', contentType: 'application/cloudevents+json', status: 400, code: 'body-invalid-json' },
    { name: 'wrong content type', body: JSON.stringify(sampleEvent('bad-ct')), contentType: 'text/plain', status: 415, code: 'content-type-unsupported' },
    { name: 'XML where JSON is expected', body: '<event/>', contentType: 'application/xml', status: 415, code: 'content-type-unsupported' },
    { name: 'oversized body', body: JSON.stringify(sampleEvent('bad-big', { data: { nomor: 'x', keterangan: 'x'.repeat(70 * 1024) } })), contentType: 'application/cloudevents+json', status: 413, code: 'body-too-large' },
    { name: 'missing id and source', body: JSON.stringify({ specversion: '1.0', type: 'uji.dibuat' }), contentType: 'application/cloudevents+json', status: 422, code: 'event-invalid' },
    { name: 'wrong specversion', body: JSON.stringify(sampleEvent('bad-spec', { specversion: '0.3' })), contentType: 'application/cloudevents+json', status: 422, code: 'event-invalid' },
    { name: 'time that is not RFC 3339', body: JSON.stringify(sampleEvent('bad-time', { time: '28-11-2026' })), contentType: 'application/cloudevents+json', status: 422, code: 'event-invalid' },
    { name: 'unknown type where types are strict', body: JSON.stringify(sampleEvent('bad-type', { type: 'tidak.dikenal' })), contentType: 'application/cloudevents+json', status: 422, code: 'event-type-unknown' },
    { name: 'data that breaks its type schema', body: JSON.stringify(sampleEvent('bad-data', { data: { keterangan: 'tanpa nomor' } })), contentType: 'application/cloudevents+json', status: 422, code: 'event-data-invalid' },
    { name: 'a JSON string instead of an event', body: '"halo"', contentType: 'application/cloudevents+json', status: 422, code: 'event-invalid' },
    { name: 'an object sent as a batch', body: JSON.stringify(sampleEvent('bad-batch')), contentType: 'application/cloudevents-batch+json', status: 422, code: 'event-invalid' },
    { name: 'an empty batch', body: '[]', contentType: 'application/cloudevents-batch+json', status: 400, code: 'batch-empty' },
    { name: 'a batch over the limit', body: JSON.stringify(Array.from({ length: 51 }, (_, i) => sampleEvent(`bad-many-${i}`, { data: { nomor: 'x' } }))), contentType: 'application/cloudevents-batch+json', status: 413, code: 'batch-too-large' },
    { name: 'a batch with one invalid event', body: JSON.stringify([sampleEvent('bad-mixed-ok'), sampleEvent('bad-mixed-no', { source: '' })]), contentType: 'application/cloudevents-batch+json', status: 422, code: 'event-invalid' },
  ];

  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.status} ${testCase.code}`, async () => {
      const before = hub().outbox.lastSeq();
      const response = await hubFetch(`${hub().url}/v1/events`, { method: 'POST', headers: { 'content-type': testCase.contentType }, body: testCase.body });
      expect(response.status).toBe(testCase.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: testCase.status, code: testCase.code, type: `urn:penghubung:problem:${testCase.code}`, instance: '/v1/events' });
      expect(typeof problem.title).toBe('string');
      expect(typeof problem.correlation_id).toBe('string');
      expect(hub().outbox.lastSeq()).toBe(before);
    });
  }

  it('points at the offending attribute', async () => {
    const answer = await postJson(`${hub().url}/v1/events`, [sampleEvent('ptr-ok'), sampleEvent('ptr-bad', { time: 'kemarin' })], 'application/cloudevents-batch+json');
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ pointer: '/1/time', message: 'must match format "date-time"' }]);
  });

  it('none of the malformed events reached the bus', async () => {
    await settleAfter(sampleEvent('after-malformed'));
    expect(publishedIds().filter((id) => id.startsWith('bad-') || id.startsWith('ptr-'))).toEqual([]);
  });
});

describe('GET /v1/events (pull)', () => {
  it('pages through accepted events with an opaque cursor, filtered by type', async () => {
    await postJson(`${hub().url}/v1/events`, Array.from({ length: 5 }, (_, i) => sampleEvent(`pull-${i}`)), 'application/cloudevents-batch+json');
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const response = await hubFetch(`${hub().url}/v1/events?type=uji.dibuat&limit=2${cursor ? `&after=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { events: { id: string; type: string }[]; next: string };
      if (body.events.length === 0) break;
      expect(body.events.length).toBeLessThanOrEqual(2);
      for (const event of body.events) {
        expect(event.type).toBe('uji.dibuat');
        seen.push(event.id);
      }
      cursor = body.next;
    }
    expect(seen.filter((id) => id.startsWith('pull-'))).toEqual(['pull-0', 'pull-1', 'pull-2', 'pull-3', 'pull-4']);
    expect(new Set(seen).size).toBe(seen.length);
    const none = (await (await hubFetch(`${hub().url}/v1/events?type=lain.dibuat`)).json()) as { events: unknown[] };
    expect(none.events).toEqual([]);
  });

  it('refuses a forged cursor and an out-of-range limit', async () => {
    const forged = await hubFetch(`${hub().url}/v1/events?after=bm90LWEtY3Vyc29y`);
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { code: string }).code).toBe('cursor-invalid');
    const limit = await hubFetch(`${hub().url}/v1/events?limit=0`);
    expect(limit.status).toBe(400);
    expect(((await limit.json()) as { code: string }).code).toBe('query-invalid');
  });

  it('refuses a cursor of another deployment, of the other bus, beyond the newest event, or before what retention kept', async () => {
    const own = await startTestHub({ bus: { kind: 'embedded' } });
    try {
      const refused = async (cursor: string): Promise<string> => {
        const answer = await hubFetch(`${own.url}/v1/events?after=${cursor}`);
        expect(answer.status).toBe(400);
        return ((await answer.json()) as { code: string }).code;
      };
      const codec = new PullCursorCodec(`outbox:${own.outbox.deploymentId()}`);
      expect((await postJson(`${own.url}/v1/events`, sampleEvent('simpan-1'))).status).toBe(202);
      const afterFirst = ((await (await hubFetch(`${own.url}/v1/events?limit=1`)).json()) as { next: string }).next;
      expect(await refused(new PullCursorCodec('outbox:hub-lain').encode({ kind: 'outbox', seq: 1 }))).toBe('cursor-invalid');
      expect(await refused(codec.encode({ kind: 'kafka', topics: { uji: [0, 0, 0] } }))).toBe('cursor-invalid');
      expect(await refused(codec.encode({ kind: 'outbox', seq: own.outbox.lastIssuedSeq() + 1 }))).toBe('cursor-invalid');

      for (const id of ['simpan-2', 'simpan-3']) expect((await postJson(`${own.url}/v1/events`, sampleEvent(id))).status).toBe(202);
      await waitFor(() => own.outbox.backlog().count === 0, 10_000, 'the relay to publish the three events');
      expect(own.outbox.prune(Date.now() + 1)).toBe(3);
      expect(await refused(afterFirst)).toBe('cursor-expired');
      // A cursor at the newest event still continues: nothing after it was deleted.
      const atEnd = await hubFetch(`${own.url}/v1/events?after=${codec.encode({ kind: 'outbox', seq: own.outbox.lastIssuedSeq() })}`);
      expect([atEnd.status, ((await atEnd.json()) as { events: unknown[] }).events]).toEqual([200, []]);
    } finally {
      await own.close();
    }
  });
});

describe('operations endpoints', () => {
  it('answers liveness and readiness with the bus and the backlog', async () => {
    expect((await hubFetch(`${hub().url}/health/live`)).status).toBe(200);
    const ready = await hubFetch(`${hub().url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: { outbox: { status: string; backlog: number }; bus: { status: string; kind: string } } };
    expect(body.status).toBe('up');
    expect(body.checks.bus).toEqual({ status: 'up', kind: 'embedded' });
    expect(body.checks.outbox.status).toBe('up');
    expect(typeof body.checks.outbox.backlog).toBe('number');
  });

  it('serves OpenAPI 3.1 naming every error code', async () => {
    const spec = (await (await hubFetch(`${hub().url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } } };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/events', '/health/live', '/health/ready']));
    expect(spec.components.schemas.Problem.properties.code.enum).toContain('event-invalid');
  });

  it('answers an unknown route with problem+json', async () => {
    const response = await hubFetch(`${hub().url}/v1/tidak-ada`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('route-not-found');
  });
});
