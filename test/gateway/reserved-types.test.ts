// The hub's own topics are out of clients' reach: a type whose topic would be a dead-letter topic,
// an internal `_…` topic or one of the names internal topics had before is refused everywhere a
// client names a type, even for a client holding every right (the operator); the hub's internal
// topics on Kafka all start with `<prefix>._`.
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { hubFetch } from '../support/auth.js';
import { hubBeforeAll, postJson, sampleEvent, startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const reserved = ['dlq.uji.dibuat', 'control.klien.diubah', 'leases.poller.diambil'];

describe('reserved event types (embedded bus)', () => {
  const hub = hubBeforeAll();

  it.each(reserved)('refuses to publish %s with 400 event-type-reserved', async (type) => {
    const answer = await postJson(`${hub().url}/v1/events`, sampleEvent(`cadangan-${type}`, { type }));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('event-type-reserved');
    expect(answer.body.errors).toEqual([{ pointer: '/type', message: 'reserved type family' }]);
  });

  it('refuses a batch holding one reserved type whole, and accepts ordinary types', async () => {
    const batch = [sampleEvent('biasa-1'), sampleEvent('cadangan-batch', { type: 'dlq.uji.dibuat' })];
    const refused = await postJson(`${hub().url}/v1/events`, batch, 'application/cloudevents-batch+json');
    expect([refused.status, refused.body.code]).toEqual([400, 'event-type-reserved']);
    expect(refused.body.errors).toEqual([{ pointer: '/1/type', message: 'reserved type family' }]);
    // Nothing of the refused batch was stored: the same ordinary event is new afterwards.
    const alone = await postJson(`${hub().url}/v1/events`, sampleEvent('biasa-1'));
    expect([alone.status, alone.body.duplicate]).toEqual([202, false]);
  });

  it('refuses to pull or subscribe to a reserved type', async () => {
    const pulled = await hubFetch(`${hub().url}/v1/events?type=dlq.uji.dibuat`);
    expect(pulled.status).toBe(400);
    expect(((await pulled.json()) as { code: string }).code).toBe('event-type-reserved');
    const subscribed = await postJson(`${hub().url}/v1/subscriptions`, { types: ['uji.dibuat', 'control.klien.diubah'], url: 'http://127.0.0.1:9/terima' }, 'application/json');
    expect([subscribed.status, subscribed.body.code]).toEqual([400, 'event-type-reserved']);
    expect(subscribed.body.errors).toEqual([{ pointer: '/types/1', message: 'reserved type family' }]);
  });
});

describe('internal topics on Kafka', () => {
  it('all start with <prefix>._, and no topic under an old internal name is made', async () => {
    const prefix = uniqueName('internal-topics').replace(/\./g, '-');
    const hub = await startTestHub({ bus: { kind: 'kafka', topicPrefix: prefix, kafka: { brokers: kafkaBrokers() } } });
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    try {
      await admin.connect();
      const expected = ['_control', '_leases', '_ingest-claims'].map((name) => `${prefix}.${name}`);
      let ours: string[] = [];
      await waitFor(async () => {
        ours = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
        return expected.every((topic) => ours.includes(topic));
      }, 30_000, () => `the internal topics (have ${ours.join(', ')})`, 250);
      expect(ours).not.toContain(`${prefix}.control`);
      expect(ours).not.toContain(`${prefix}.leases`);
    } finally {
      await admin.disconnect();
      await hub.close();
    }
  }, 60_000);
});
