// `npm run kafka`: a local broker for development, in the foreground until Ctrl-C.
import { join } from 'node:path';
import { startLocalKafka } from './local-kafka.js';

const kafka = await startLocalKafka({ dir: join(process.cwd(), '.kafka', 'dev') });
console.log(`Kafka is up. Run the hub on it with:\n  KAFKA_BROKERS=${kafka.brokers} npm start\nCtrl-C stops the broker.`);
const stop = (): void => {
  void kafka.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
