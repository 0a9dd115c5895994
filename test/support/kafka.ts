// Test access to the Kafka cluster that test/setup/kafka.global.ts started (or was pointed at).
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { refuseInUnitProject } from './unit-guard.js';

/** The brokers of the test cluster; throws when the global setup did not provide any. */
export function kafkaBrokers(): string[] {
  refuseInUnitProject('Kafka');
  const provided = inject('kafkaBrokers');
  const brokers = provided && provided.length > 0 ? provided : parseBrokerList(process.env.KAFKA_BROKERS);
  if (brokers.length === 0) {
    throw new Error(
      'no Kafka brokers for this test: test/setup/kafka.global.ts provides them as "kafkaBrokers" ' +
        '(is it listed in globalSetup of vitest.config.ts?), or set KAFKA_BROKERS=host:port[,host:port]',
    );
  }
  return brokers;
}

/** `host:port,host:port` → list; blanks are dropped. */
export function parseBrokerList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

let counter = 0;

/**
 * A name no other test (in this or a concurrent run against the same cluster) uses, valid as a
 * Kafka topic or group id: `<prefix>.<pid>.<time>.<n>.<random>`.
 */
export function uniqueName(prefix: string): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 150);
  counter += 1;
  return `${safe}.${process.pid}.${Date.now().toString(36)}.${counter}.${randomBytes(3).toString('hex')}`;
}
