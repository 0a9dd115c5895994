// Must show (issue 14): a cursor that no instance can honour is refused with 400 problem+json,
// never answered 200 with events silently skipped: a cursor altered by hand, and a cursor whose
// events retention has deleted (here: deleted from the Kafka topic with DeleteRecords, as
// retention.ms would), on every instance.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicForType } from '../../src/events/cloudevent.js';
import { hubFetch } from '../support/auth.js';
import { sampleEvent } from '../support/hub.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';

const type = 'uji.dibuat';
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ label: 'cursor' });
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
});

async function pull(url: string, after?: string, limit = 5): Promise<{ status: number; contentType: string; body: Record<string, unknown> }> {
  const query = new URLSearchParams({ type, limit: String(limit), ...(after === undefined ? {} : { after }) });
  const response = await hubFetch(`${url}/v1/events?${query}`);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
}

async function expectRefusedEverywhere(cursor: string): Promise<string[]> {
  const codes: string[] = [];
  for (const hub of cluster.hubs) {
    const answer = await pull(hub.url, cursor);
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body.events).toBeUndefined();
    codes.push(String(answer.body.code));
  }
  return codes;
}

describe('cursors no instance can honour', () => {
  let cursor = '';

  it('a cursor altered by hand is refused by every instance', async () => {
    for (let n = 0; n < 10; n++) {
      const posted = await hubFetch(`${cluster.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(sampleEvent(`kursor-${n}`)) });
      expect(posted.status).toBe(202);
    }
    let seen = 0;
    await waitFor(async () => (seen = ((await pull(cluster.url, undefined, 100)).body.events as unknown[]).length) === 10, 15_000, () => `the 10 events in the pull API (${seen})`, 200);
    const first = await pull(cluster.url);
    expect((first.body.events as unknown[]).length).toBe(5);
    cursor = String(first.body.next);
    // The cursor is honoured everywhere: the next five, from any instance.
    for (const hub of cluster.hubs) expect(((await pull(hub.url, cursor)).body.events as unknown[]).length).toBe(5);

    const altered = `${cursor.slice(0, 4)}${cursor[4] === 'A' ? 'B' : 'A'}${cursor.slice(5)}`;
    for (const code of await expectRefusedEverywhere(altered)) expect(code).toBe('cursor-invalid');
    for (const code of await expectRefusedEverywhere('bukan-kursor')) expect(code).toBe('cursor-invalid');
  }, 60_000);

  it('a cursor whose events were deleted is refused by every instance, not answered with what is left', async () => {
    const admin = new Kafka({ clientId: 'cluster-cursor-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topic = topicForType(cluster.prefix, type);
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.deleteTopicRecords({ topic, partitions: offsets.map((partition) => ({ partition: partition.partition, offset: partition.high })) });
    } finally {
      await admin.disconnect();
    }
    // Ten more events: a hub that silently skipped would answer them.
    for (let n = 10; n < 20; n++) expect((await hubFetch(`${cluster.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(sampleEvent(`kursor-${n}`)) })).status).toBe(202);
    await waitFor(async () => ((await pull(cluster.url, undefined, 100)).body.events as unknown[] | undefined)?.length === 10, 15_000, 'the ten new events in the pull API', 200);
    for (const code of await expectRefusedEverywhere(cursor)) expect(code).toBe('cursor-expired');
  }, 60_000);
});
