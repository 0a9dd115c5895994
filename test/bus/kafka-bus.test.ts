// The EventBus contract on a real Kafka broker (started by test/setup/kafka.global.ts, or the
// cluster in KAFKA_BROKERS).
import pino from 'pino';
import { KafkaBus } from '../../src/bus/kafka-bus.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { describeBusContract } from './contract.js';

const logger = pino({ level: 'warn' });

// Concurrent: a group join or a consumer shutdown takes seconds on Kafka; the tests share nothing.
describeBusContract(
  'kafka',
  async () =>
    new KafkaBus({
      brokers: kafkaBrokers(),
      clientId: uniqueName('penghubung-test'),
      partitions: 3,
      replicationFactor: 1,
      logger,
    }),
  { concurrent: true },
);
