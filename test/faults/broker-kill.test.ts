// Kafka is SIGKILLed while 5,000 events are being posted, then restarted: the hub keeps
// answering 202 from its outbox, and after the drain every acknowledged event is in Kafka
// exactly once for a consumer that dedupes by id.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { startLocalKafka, type LocalKafka } from '../../tools/kafka/local-kafka.js';
import { startTestHub } from '../support/hub.js';
import { readTopicUntil } from '../support/kafka-reader.js';
import { postConcurrently } from '../support/load.js';
import { waitFor } from '../support/wait.js';

let kafka: LocalKafka | undefined;
let hub: Hub | undefined;
afterAll(async () => {
  await hub?.close();
  await kafka?.stop();
});

it('keeps accepting while Kafka is down and delivers every acknowledged event after it returns', async () => {
  // A broker of its own: this test kills it.
  kafka = await startLocalKafka({ dir: mkdtempSync(join(tmpdir(), 'penghubung-brokerkill-')), heapMb: 384 });
  const brokers = [kafka.brokers];
  // No connectors: this test is about the outbox and the bus, and their consumers would only
  // add load to a broker that is being killed.
  hub = await startTestHub({ bus: { topicPrefix: 'brokerkill' }, shutdown: { graceMs: 1000 }, connectors: { directory: mkdtempSync(join(tmpdir(), 'penghubung-no-connectors-')) } }, { KAFKA_BROKERS: kafka.brokers });
  const url = hub.url;

  const total = 5000;
  const load = postConcurrently({ url: () => url, prefix: 'bk', workers: 20, total });
  await waitFor(() => load.acknowledged.size >= 1000, 30_000, 'the first 1000 acknowledgements');
  await kafka.kill();
  const ackedWhenKilled = load.acknowledged.size;
  await waitFor(() => load.acknowledged.size >= ackedWhenKilled + 1000, 30_000, '1000 more acknowledgements with Kafka down');
  const restarting = kafka.restart();
  await load.done;
  await restarting;

  expect(load.failures).toBe(0);
  expect(load.acknowledged.size).toBe(total);
  const outbox = hub.outbox;
  await waitFor(() => outbox.backlog().count === 0, 150_000, () => `the outbox to drain (backlog ${outbox.backlog().count})`, 200);

  const { ids } = await readTopicUntil(brokers, 'brokerkill.uji', load.acknowledged, 60_000);
  expect([...load.acknowledged].filter((id) => !ids.has(id))).toEqual([]);
  expect(ids.size).toBe(total);
}, 240_000);
