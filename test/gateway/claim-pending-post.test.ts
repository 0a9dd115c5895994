// Over HTTP: a post whose source + id another instance claimed but never confirmed stored (it died
// between claim and outbox commit) is answered 409 event-claim-pending with Retry-After and
// stores nothing, a batch holding it included; once the claim is older than
// events.pendingClaimSeconds the retry is stored, and a retry after that 202 is a duplicate.
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { createKafkaClient } from '../../src/bus/kafka-client.js';
import { KafkaIngestClaims } from '../../src/events/claims/kafka-ingest-claims.js';
import type { OutboxEntry } from '../../src/outbox/outbox.js';
import { hubBeforeAll, postJson, sampleEvent } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const prefix = uniqueName('klaim-http').replace(/\./g, '-');
const hub = hubBeforeAll({ bus: { kind: 'kafka', topicPrefix: prefix, kafka: { brokers: kafkaBrokers() } }, events: { pendingClaimSeconds: 2 } });

it('asks a retry to wait while the claim is pending, then stores it once the claim is abandoned', async () => {
  const logger = pino({ level: 'silent' });
  // The instance that dies: it claims on the same topic and never stores, confirms or releases.
  const dying = new KafkaIngestClaims({ kafka: createKafkaClient({ brokers: kafkaBrokers(), clientId: 'uji-mati', logger }), topicPrefix: prefix, partitions: 3, replicationFactor: 1, windowMs: 3_600_000, pendingMs: 2000, logger });
  try {
    const event = sampleEvent('klaim-http-1', { source: '/opd/diskominfo/uji' });
    const entry = { topic: `${prefix}.uji`, key: 'k', headers: {}, event } as unknown as OutboxEntry;
    // Both follow the claims topic once a probe the hub stored is a duplicate to the dying instance.
    let probe = 0;
    await waitFor(async () => {
      const id = `probe-${probe++}`;
      expect((await postJson(`${hub().url}/v1/events`, sampleEvent(id))).status).toBe(202);
      return (await dying.claim([{ ...entry, event: { ...entry.event, id } }]))[0] === 'duplicate';
    }, 30_000, 'the hub and the dying instance following the claims topic', 250);
    const claimedAt = Date.now();
    expect(await dying.claim([entry])).toEqual(['claimed']);

    const first = await postJson(`${hub().url}/v1/events`, event);
    expect([first.status, first.body.code]).toEqual([409, 'event-claim-pending']);
    expect(first.headers.get('retry-after')).toBe('2');
    const batch = await postJson(`${hub().url}/v1/events`, [sampleEvent('klaim-http-lain'), event], 'application/cloudevents-batch+json');
    expect([batch.status, batch.body.code]).toEqual([409, 'event-claim-pending']);
    expect(batch.body.errors).toEqual([{ pointer: '/1', message: 'in flight on another instance' }]);

    let accepted: Awaited<ReturnType<typeof postJson>> | undefined;
    await waitFor(async () => {
      accepted = await postJson(`${hub().url}/v1/events`, event);
      return accepted.status !== 409;
    }, 20_000, 'the retry accepted once the claim is abandoned', 250);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(2000);
    expect([accepted!.status, accepted!.body.duplicate]).toEqual([202, false]);
    const again = await postJson(`${hub().url}/v1/events`, event);
    expect([again.status, again.body.duplicate]).toEqual([202, true]);
    // The batch refused whole stored nothing: its other event is new.
    const other = await postJson(`${hub().url}/v1/events`, sampleEvent('klaim-http-lain'));
    expect([other.status, other.body.duplicate]).toEqual([202, false]);
  } finally {
    await dying.close();
  }
}, 120_000);
