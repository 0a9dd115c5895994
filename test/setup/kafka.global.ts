// vitest globalSetup: a Kafka cluster for the whole test run.
//
// - KAFKA_BROKERS set (host:port[,host:port]): the tests use that cluster; nothing is started.
// - Otherwise a single-node Kafka is started from the Maven jars (tools/kafka/local-kafka.ts)
//   with its storage in .kafka/test, and stopped when the run ends.
//
// Either way tests read the brokers with `inject('kafkaBrokers')` (see test/support/kafka.ts);
// process.env.KAFKA_BROKERS is set too, for code that reads the environment. A broker that cannot
// be started or reached fails the run with the reason: Kafka tests are never skipped.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import type { TestProject } from 'vitest/node';
import { startLocalKafka, type LocalKafka } from '../../tools/kafka/local-kafka.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap brokers of the test cluster, e.g. ['127.0.0.1:39092']. */
    kafkaBrokers: string[];
  }
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);

  if (configured.length > 0) {
    await assertReachable(configured);
    project.provide('kafkaBrokers', configured);
    return async () => {};
  }

  // One directory per run, so two runs on one machine never share (or wipe) a broker's storage.
  const dir = join(projectRoot, '.kafka', `test-${process.pid}`);
  let kafka: LocalKafka;
  try {
    kafka = await startLocalKafka({ dir });
  } catch (error) {
    throw new Error(
      `cannot start the local Kafka broker for the tests (storage and logs in ${dir}): ${(error as Error).message}\n` +
        'Fix the cause above, or point the tests at a running cluster with KAFKA_BROKERS=host:port.',
      { cause: error },
    );
  }
  process.env.KAFKA_BROKERS = kafka.brokers;
  project.provide('kafkaBrokers', [kafka.brokers]);

  return async () => {
    delete process.env.KAFKA_BROKERS;
    await kafka.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Fails the run early, with the reason, when the configured cluster does not answer. */
async function assertReachable(brokers: string[]): Promise<void> {
  const admin = new Kafka({
    clientId: 'penghubung-test-setup',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 3, initialRetryTime: 300 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster reported no brokers');
  } catch (error) {
    throw new Error(`KAFKA_BROKERS=${brokers.join(',')} does not answer: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
