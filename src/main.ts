// `npm start`: the hub on its configuration, until SIGTERM or SIGINT.
import { ConfigError, loadConfig } from './config/config.js';
import { startHub } from './hub.js';

try {
  const hub = await startHub(loadConfig());
  const stop = (signal: string): void => {
    hub.logger.info({ signal }, 'shutting down: no new requests; draining the outbox');
    void hub.close().then(() => process.exit(0), (error: unknown) => {
      hub.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  console.error(error instanceof ConfigError ? `penghubung: ${error.message}` : error);
  process.exit(1);
}
