// A claim counts as "stored" only once confirmed after the outbox commit. An instance that claims
// an event and dies before storing it leaves the claim pending: a retry on another instance is
// asked to come back (never told "duplicate" while the event is absent), and once the claim is
// older than the pending bound the retry is accepted. Confirmed claims still answer duplicate.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient } from '../../src/bus/kafka-client.js';
import { partitionFor } from '../../src/bus/partitioner.js';
import { claimKey, KafkaIngestClaims } from '../../src/events/claims/kafka-ingest-claims.js';
import type { ClaimOutcome } from '../../src/events/claims/ingest-claims.js';
import type { OutboxEntry } from '../../src/outbox/outbox.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const pendingMs = 1500;
const topicPrefix = uniqueName('klaim-tertunda');
const logger = pino({ level: 'silent' });
const entry = (id: string): OutboxEntry => ({ topic: 'uji.uji', key: id, headers: {}, event: { specversion: '1.0', id, source: '/uji', type: 'uji.dibuat' } });

interface Instance { claims: KafkaIngestClaims; unverified: () => number }

function instance(name: string): Instance {
  let unverified = 0;
  const claims = new KafkaIngestClaims({
    kafka: createKafkaClient({ brokers: kafkaBrokers(), clientId: `uji-${name}`, logger }),
    topicPrefix,
    partitions: 3,
    replicationFactor: 1,
    windowMs: 600_000,
    pendingMs,
    logger,
    onUnverified: (count) => (unverified += count),
  });
  return { claims, unverified: () => unverified };
}

/** Until an instance has followed the claims topic, it accepts unchecked: probe with fresh ids until a claim is checked. */
async function following(node: Instance): Promise<void> {
  let probe = 0;
  await waitFor(async () => {
    const before = node.unverified();
    await node.claims.claim([entry(`probe-${probe++}`)]);
    return node.unverified() === before;
  }, 30_000, 'the claims topic followed');
}

let a: Instance;
let b: Instance;

beforeAll(async () => {
  a = instance('a');
  b = instance('b');
  await Promise.all([following(a), following(b)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.claims.close(), b?.claims.close()]);
});

describe('ingest claims across instances', () => {
  it('never answers duplicate for a claim whose instance died before storing, and accepts the retry once it is abandoned', async () => {
    const lost = entry('hilang-1');
    // Instance a claims, then "dies": no outbox commit, no confirmation, no release.
    const claimedAt = Date.now();
    expect(await a.claims.claim([lost])).toEqual(['claimed']);

    const seen: ClaimOutcome[] = [];
    await waitFor(async () => {
      const [outcome] = await b.claims.claim([lost]);
      seen.push(outcome!);
      return outcome === 'claimed';
    }, 15_000, () => `the retry accepted on b (seen ${seen.join(', ')})`, 200);
    expect(seen[0]).toBe('pending');
    expect(seen).not.toContain('duplicate');
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(pendingMs);

    // b stored it and confirms: from now on every instance answers duplicate.
    await b.claims.confirm([lost]);
    expect(await a.claims.claim([lost])).toEqual(['duplicate']);
    expect(await b.claims.claim([lost])).toEqual(['duplicate']);
  }, 30_000);

  it('answers pending on another instance before the claim is confirmed, and duplicate right after', async () => {
    const stored = entry('tersimpan-1');
    expect(await a.claims.claim([stored])).toEqual(['claimed']);
    expect(await b.claims.claim([stored])).toEqual(['pending']);
    await a.claims.confirm([stored]);
    // Confirmed before the 202: the very next retry on the other instance is a duplicate.
    expect(await b.claims.claim([stored])).toEqual(['duplicate']);
  }, 30_000);

  it('still reads the one-record-per-event claims and confirmations earlier versions wrote', async () => {
    const old = entry('lama-1');
    const key = claimKey(old.event.source, old.event.id);
    const partition = partitionFor(key, 3);
    const producer = createKafkaClient({ brokers: kafkaBrokers(), clientId: 'uji-versi-lama', logger }).producer();
    await producer.connect();
    try {
      await producer.send({ topic: `${topicPrefix}._ingest-claims`, acks: -1, messages: [{ key, value: 'penklaim-lama', partition }] });
      expect(await b.claims.claim([old])).toEqual(['pending']);
      await producer.send({ topic: `${topicPrefix}._ingest-claims`, acks: -1, messages: [{ key, value: 'penklaim-lama', headers: { state: 'confirmed' }, partition }] });
      expect(await a.claims.claim([old])).toEqual(['duplicate']);
    } finally {
      await producer.disconnect();
    }
  }, 30_000);

  it('lets a retry through at once when the first post released its claim', async () => {
    const failed = entry('gagal-1');
    expect(await a.claims.claim([failed])).toEqual(['claimed']);
    await a.claims.release([failed]);
    await waitFor(async () => (await b.claims.claim([failed]))[0] === 'claimed', 10_000, 'the retry on b claimed');
  }, 30_000);
});
