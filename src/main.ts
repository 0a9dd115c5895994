// `npm start`: the hub on its configuration, until SIGTERM, SIGINT or SIGHUP.
import { loadConfig } from './config/config.js';
import type { Hub } from './hub.js';
import { sandboxFleet } from './sandbox-fleet.js';
import { startFailure } from './start-failure.js';

// Installed before the hub starts: a signal during start-up waits for it, then shuts it down
// cleanly instead of killing it half-started.
let starting: Promise<Hub> | undefined;
let stopping = false;
const stop = (signal: string): void => {
  if (stopping || !starting) return;
  stopping = true;
  void starting.then(async (hub) => {
    hub.logger.info({ signal }, 'shutting down: no new requests; finishing those in flight and draining the outbox');
    await hub.close();
    process.exit(0);
  }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
// A closed terminal (an ssh session dropped): Node's default would exit at once, undrained.
process.on('SIGHUP', () => stop('SIGHUP'));

try {
  const config = loadConfig();
  // The sandbox's simulators are forked before the hub's modules load (a third of a start): their
  // host process boots on the other core meanwhile. The hub is imported here, not above, for that.
  const fleet = sandboxFleet(config, process.env);
  starting = import('./hub.js').then(({ startHub }) => startHub(config, { fleet }), async (error: unknown) => {
    await fleet?.close();
    throw error;
  });
  await starting;
} catch (error) {
  console.error(startFailure(error));
  process.exit(1);
}
