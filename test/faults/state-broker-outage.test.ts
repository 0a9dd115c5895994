// The Kafka control state while its broker is SIGKILLed: writes fail with state-unavailable after
// the bounded wait, reads keep answering from memory, and once the broker is back writes go
// through again and reach the other instance.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, expect, it } from 'vitest';
import { HubError } from '../../src/errors/catalogue.js';
import { KafkaState } from '../../src/state/kafka-state.js';
import { startLocalKafka, type LocalKafka } from '../../tools/kafka/local-kafka.js';
import { waitFor } from '../support/wait.js';

let kafka: LocalKafka | undefined;
const layers: KafkaState[] = [];
afterAll(async () => {
  await Promise.all(layers.map((layer) => layer.close()));
  await kafka?.stop();
});

it('refuses writes with state-unavailable while Kafka is down, answers reads, and writes again after', async () => {
  // A broker of its own: this test kills it.
  kafka = await startLocalKafka({ dir: mkdtempSync(join(tmpdir(), 'penghubung-state-outage-')), heapMb: 384 });
  const writeTimeoutMs = 3000;
  const open = async (): Promise<KafkaState> => {
    const layer = new KafkaState({ brokers: [kafka!.brokers], clientId: 'penghubung-test', topic: 'outage._control', replicationFactor: 1, logger: pino({ level: 'silent' }), writeTimeoutMs });
    layers.push(layer);
    await layer.start();
    return layer;
  };
  const [a, b] = [await open(), await open()];
  await a.table<string>('overrides').put('lapor', 'open');
  await waitFor(() => b.table('overrides').get('lapor') === 'open', 2000, 'B to see the first write');

  await kafka.kill();
  const started = Date.now();
  const failed = await a.table<string>('overrides').put('lapor', 'closed').then(() => undefined, (error: unknown) => error);
  const waited = Date.now() - started;
  expect(failed).toBeInstanceOf(HubError);
  expect((failed as HubError).code).toBe('state-unavailable');
  expect((failed as HubError).status).toBe(503);
  expect(waited).toBeGreaterThanOrEqual(writeTimeoutMs - 100);
  expect(waited).toBeLessThan(writeTimeoutMs + 2000);
  // Reads answer from memory, with what was durable before the outage.
  expect(a.table('overrides').get('lapor')).toBe('open');
  expect(b.table('overrides').entries()).toEqual([['lapor', 'open']]);

  await kafka.restart();
  await waitFor(async () => {
    try {
      await a.table<string>('overrides').put('sidata', 'closed');
      return true;
    } catch (error) {
      if ((error as HubError).code !== 'state-unavailable') throw error;
      return false;
    }
  }, 60_000, 'a write to go through after the broker restarted', 500);
  await waitFor(() => b.table('overrides').get('sidata') === 'closed', 10_000, 'B to see the write made after the restart');
  expect(a.table('overrides').get('sidata')).toBe('closed');
}, 180_000);
