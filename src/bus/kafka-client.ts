// One way to make a kafkajs client: the hub's timeouts and retries, its log lines through pino.
import { Kafka, logLevel as kafkaLogLevel } from 'kafkajs';
import type { Logger } from 'pino';

/** `maxRetryTimeMs`: the longest pause between a request's retries (default 5 s). */
export function createKafkaClient(options: { brokers: string[]; clientId: string; logger: Logger; maxRetryTimeMs?: number }): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, maxRetryTime: options.maxRetryTimeMs ?? 5000, retries: 8 },
    logLevel: kafkaLogLevel.WARN,
    logCreator: () => ({ level, log: entry }) => {
      const { message, ...rest } = entry;
      if (level <= kafkaLogLevel.ERROR) log.error(rest, message);
      else log.warn(rest, message);
    },
  });
}
