// The unit project refuses what belongs to integration tests, naming where the test belongs.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startTestHub } from '../support/hub.js';
import { kafkaBrokers } from '../support/kafka.js';

describe('the unit project', () => {
  it('refuses a child process', () => {
    expect(() => spawnSync(process.execPath, ['--version'])).toThrow(/a child process in a unit test: this is an integration test/);
  });

  it('refuses a hub', async () => {
    await expect(startTestHub()).rejects.toThrow(/a hub in a unit test/);
  });

  it('refuses Kafka, even with KAFKA_BROKERS set outside', () => {
    expect(process.env.KAFKA_BROKERS).toBeUndefined();
    expect(() => kafkaBrokers()).toThrow(/Kafka in a unit test/);
  });
});
