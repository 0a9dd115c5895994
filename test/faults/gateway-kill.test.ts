// The gateway process is SIGKILLed while clients post; after a restart on the same data
// directory, every event it had answered 202 reaches Kafka.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, startLocalKafka } from '../../tools/kafka/local-kafka.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { readTopicUntil } from '../support/kafka-reader.js';
import { postConcurrently } from '../support/load.js';
import { waitFor } from '../support/wait.js';
import { hubProcessEnv, killAllHubs, readiness, spawnHub } from './fault-support.js';

afterAll(killAllHubs);

async function gatewayEnvironment(): Promise<{ url: string; prefix: string; env: Record<string, string> }> {
  const prefix = uniqueName('gwkill').toLowerCase();
  const port = await freePort();
  return {
    url: `http://127.0.0.1:${port}`,
    prefix,
    env: {
      KAFKA_BROKERS: kafkaBrokers().join(','),
      PENGHUBUNG_HTTP__PORT: String(port),
      PENGHUBUNG_DATA_DIR: mkdtempSync(join(tmpdir(), 'penghubung-gwkill-')),
      PENGHUBUNG_BUS__TOPIC_PREFIX: prefix,
      ...hubProcessEnv,
      // The outbox and the bus are under test, not the connectors and their simulators.
      PENGHUBUNG_CONNECTORS__DIRECTORY: mkdtempSync(join(tmpdir(), 'penghubung-no-connectors-')),
    },
  };
}

it('loses nothing it acknowledged when the gateway is killed mid-load', async () => {
  const { url, prefix, env } = await gatewayEnvironment();

  const first = spawnHub(url, env);
  await waitFor(async () => (await readiness(url)).status === 200, 30_000, 'the gateway to be ready');

  let killed = false;
  const load = postConcurrently({ url: () => url, prefix: 'gw', workers: 16, total: 20_000, shouldStop: () => killed });
  await waitFor(() => load.acknowledged.size >= 1500, 30_000, 'the first 1500 acknowledgements');
  first.child.kill('SIGKILL');
  killed = true;
  await load.done;
  const acknowledged = new Set(load.acknowledged);
  expect(acknowledged.size).toBeGreaterThanOrEqual(1500);

  const second = spawnHub(url, env);
  await waitFor(async () => (await readiness(url)).status === 200, 30_000, 'the restarted gateway to be ready');
  await waitFor(async () => (await readiness(url)).backlog === 0, 60_000, 'the outbox backlog to drain after the restart');

  const { ids } = await readTopicUntil(kafkaBrokers(), `${prefix}.uji`, acknowledged, 60_000);
  const missing = [...acknowledged].filter((id) => !ids.has(id));
  expect(missing).toEqual([]);
  second.child.kill('SIGTERM');
}, 180_000);

it('publishes after a restart what a killed gateway had only stored', async () => {
  // A broker of its own, SIGKILLed once the first gateway has started (it needs Kafka to start:
  // its shared control state lives there). Everything that gateway acknowledges afterwards is
  // still in its outbox when it is killed: only the restarted gateway can have published it.
  const kafka = await startLocalKafka({ dir: mkdtempSync(join(tmpdir(), 'penghubung-gwkill-kafka-')), heapMb: 384 });
  try {
    const { url, prefix, env: shared } = await gatewayEnvironment();
    const env = { ...shared, KAFKA_BROKERS: kafka.brokers };
    const first = spawnHub(url, env);
    await waitFor(async () => (await readiness(url)).status === 200, 60_000, 'the gateway to be ready');
    await kafka.kill();
    const load = postConcurrently({ url: () => url, prefix: 'stored', workers: 8, total: 500 });
    await load.done;
    expect(load.acknowledged.size).toBe(500);
    let seen = await readiness(url);
    await waitFor(async () => (seen = await readiness(url)).backlog === 500, 10_000, () => `the first gateway to hold all 500 in its outbox (readiness ${seen.status}, backlog ${seen.backlog})`);
    first.child.kill('SIGKILL');
    await first.exited;

    await kafka.restart();
    const second = spawnHub(url, env);
    await waitFor(async () => (await readiness(url)).backlog === 0, 90_000, 'the stored backlog to drain');
    const { ids } = await readTopicUntil([kafka.brokers], `${prefix}.uji`, load.acknowledged, 60_000);
    expect(ids.size).toBe(500);
    second.child.kill('SIGTERM');
  } finally {
    await kafka.stop();
  }
}, 240_000);
