// Three hub instances in-process on one Kafka with one topic prefix and their own data
// directories: what the scale-out tests of pollers and budgets start.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeepPartial, HubConfig } from '../../src/config/config.js';
import type { Hub } from '../../src/hub.js';
import { startTestHub } from '../support/hub.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

/**
 * Starts `count` hubs on the topic prefix `prefix`; `envOf(i)` adds each one's environment (its
 * upstream URLs).
 */
export async function startHubs(count: number, prefix: string, overrides: DeepPartial<HubConfig>, envOf: (index: number) => Record<string, string> = () => ({})): Promise<Hub[]> {
  const hubs: Hub[] = [];
  for (let i = 0; i < count; i++) hubs.push(await startClusterHub(prefix, overrides, envOf(i)));
  return hubs;
}

/** One more hub on `prefix`, with the state key file every hub on it shares (the shared token-signing keys are sealed with it). */
export async function startClusterHub(prefix: string, overrides: DeepPartial<HubConfig>, env: Record<string, string> = {}): Promise<Hub> {
  const keys = join(tmpdir(), `penghubung-keys-${prefix}`);
  mkdirSync(keys, { recursive: true, mode: 0o700 });
  const settings = { ...overrides, bus: { kind: 'kafka' as const, topicPrefix: prefix, ...overrides.bus }, security: { stateKeyFile: join(keys, 'state.key'), ...overrides.security }, shutdown: { graceMs: 1000 } };
  return startTestHub(settings, { KAFKA_BROKERS: kafkaBrokers().join(','), ...env });
}

/** Waits until every hub in `hubs` counts exactly them as the live members. */
export async function untilMembers(hubs: Hub[], timeoutMs = 30_000): Promise<void> {
  await waitFor(() => hubs.every((hub) => hub.cluster.liveMembers() === hubs.length), timeoutMs, () => `${hubs.length} live members on every hub (they see ${hubs.map((h) => h.cluster.liveMembers()).join(', ')})`, 100);
}
