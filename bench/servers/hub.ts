// A sandbox hub in its own process, the way test/support/hub.ts starts one (own data
// directory, log level silent, the test clients of test/fixtures/clients.yaml), with the
// benchmark's choices from BENCH_HUB (JSON): the bus, Kafka brokers, polling. SIAK_BASE_URL in
// the environment points SIAK at a simulator running elsewhere; the other upstreams get their
// simulators as in any sandbox hub (child processes; BENCH_HUB.simulators: in-process puts them
// inside the hub, as before they moved out).
import { serve } from './ipc.js';
import { startSandboxHub } from './sandbox-hub.js';
import type { LogLevel } from '../lib/settings.js';

interface HubChoices {
  bus?: 'embedded' | 'kafka';
  brokers?: string[];
  polling?: boolean;
  simulators?: 'process' | 'in-process';
  /** The hub from dist/ (as `npm start` runs it; built beforehand) instead of the sources under tsx. */
  compiled?: boolean;
  /** bus.topicPrefix: hubs of one run on a shared Kafka must not share topics (nor the shared state's keys). */
  topicPrefix?: string;
  /** outbox.relayInFlight (default: config/default.yaml's). */
  relayInFlight?: number;
  /** outbox.relayBatchSize (default: config/default.yaml's). */
  relayBatchSize?: number;
  /** log.level (default silent; production's default is info). */
  logLevel?: LogLevel;
}

const choices = JSON.parse(process.env.BENCH_HUB ?? '{}') as HubChoices;
// From the project root (the working directory the benchmark gives), not from this file: the
// benchmark may run a transpiled copy of it from a temporary folder (bench/lib/proc.ts, `plain`).
const { hub, data } = await startSandboxHub(process.cwd(), choices.compiled ? 'dist/src' : 'src', 'penghubung-bench-', {
  log: { level: choices.logLevel ?? 'silent' },
  connectors: { polling: choices.polling ?? false, ...(choices.simulators ? { simulators: choices.simulators } : {}) },
  bus: { kind: choices.bus ?? 'embedded', ...(choices.brokers ? { kafka: { brokers: choices.brokers } } : {}), ...(choices.topicPrefix ? { topicPrefix: choices.topicPrefix } : {}) },
  outbox: { ...(choices.relayInFlight ? { relayInFlight: choices.relayInFlight } : {}), ...(choices.relayBatchSize ? { relayBatchSize: choices.relayBatchSize } : {}) },
});
const dataDir = data.dir;

serve({
  ready: {
    url: hub.url,
    bus: hub.bus.kind,
    dataDir,
    simulators: Object.fromEntries([...hub.connectors.simulators].map(([id, simulator]) => [id, simulator.url])),
    upstreams: Object.fromEntries(hub.connectors.runtimes.map((runtime) => [runtime.id, runtime.baseUrl])),
  },
  handlers: {
    backlog: () => hub.outbox.backlog(),
    lastSeq: () => hub.outbox.lastSeq(),
    audit: () => hub.audit.stats(),
    // The ingest bench's drain: the relay stopped while the outbox fills, then started alone.
    holdRelay: () => hub.relay.stop(),
    releaseRelay: () => hub.relay.start(),
    // With --expose-gc: memory after a full collection (what is really retained).
    gc: () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    },
  },
  stop: async () => {
    await hub.close();
    data.remove();
  },
});
