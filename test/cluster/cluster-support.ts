// Three hubs as child processes (`node --import tsx src/main.ts`, as the fault tests run them)
// on the test Kafka, with their own data directories and one topic prefix, behind a real nginx
// doing round robin on a free port; the sandbox upstreams started once and shared. A test can
// SIGKILL one hub and start it again on the same port and data directory. One cluster per test
// file: starting one costs seconds of the two shared cores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { startBalancer, type Balancer } from '../../tools/cluster/nginx.js';
import { startSandboxUpstreams, type SandboxUpstreams } from '../../tools/cluster/sandbox-upstreams.js';
import { makeSharedKeys } from '../../src/cli/cluster-keys.js';
import { projectPath } from '../../src/schemas.js';
import { hubProcessEnv, killAllHubs, readiness, spawnHub, type HubProcess } from '../faults/fault-support.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

export interface ClusterOptions {
  /** Names the topic prefix and the temporary directories. */
  label: string;
  size?: number;
  /** Environment for every hub, over the defaults (e.g. PENGHUBUNG_CONNECTORS__POLLING). */
  env?: Record<string, string>;
  /** Environment of one hub, over `env` (e.g. its own proxy in front of an upstream). */
  hubEnv?: (index: number, upstreams: SandboxUpstreams) => Record<string, string> | Promise<Record<string, string>>;
  /** Connectors whose simulator the test starts itself (it puts their URL in `env`). */
  ownUpstreams?: string[];
}

export interface ClusterHub {
  /** 0-based position, as in `cluster.hubs`. */
  index: number;
  url: string;
  /** host:port, as nginx reports it in X-Penghubung-Upstream. */
  address: string;
  dataDir: string;
  process: HubProcess;
}

export interface TestCluster {
  /** The balancer: every request may reach another hub. */
  url: string;
  hubs: ClusterHub[];
  prefix: string;
  upstreams: SandboxUpstreams;
  balancer: Balancer;
  /** Which hub answered a request made through the balancer. */
  answeredBy(response: Response): number;
  /** SIGKILLs a hub (a crash: no drain, no group leave); resolves once it is gone. */
  kill(index: number): Promise<void>;
  /** Starts a killed hub again on its port and data directory; resolves once it is ready. */
  restart(index: number): Promise<void>;
  /** Stops everything and removes the temporary directories. */
  close(): Promise<void>;
}

// A hub is ready once its consumers, pollers and flows have started: on a loaded machine and a
// broker holding thousands of test topics that took over a minute (three hubs starting at once).
const readyTimeoutMs = 180_000;
/** For a test file's beforeAll: three hubs ready, then nginx (vitest's default hook timeout is 120 s). */
export const clusterStartTimeoutMs = readyTimeoutMs + 30_000;

export async function startTestCluster(options: ClusterOptions): Promise<TestCluster> {
  const size = options.size ?? 3;
  const prefix = uniqueName(`cluster-${options.label}`).toLowerCase();
  const root = mkdtempSync(join(tmpdir(), `penghubung-cluster-${options.label}-`));
  // The test clients (keys in test/support/auth.ts) stay as they are: the shared keys add none.
  // Only the webhook secret key is shared by file (it is the key kept outside Kafka); the
  // token-signing key is not copied: the instances share it through the state layer.
  const keys = makeSharedKeys(join(root, 'keys'), projectPath('test', 'fixtures', 'clients.yaml'));
  const upstreams = await startSandboxUpstreams(options.ownUpstreams);
  const common = {
    ...hubProcessEnv,
    ...upstreams.env,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    PENGHUBUNG_BUS__TOPIC_PREFIX: prefix,
    PENGHUBUNG_WEBHOOKS__ALLOW_LOOPBACK: 'true',
    PENGHUBUNG_WEBHOOKS__SECRET_KEY_FILE: keys.webhookSecretKeyFile,
    PENGHUBUNG_SECURITY__STATE_KEY_FILE: keys.stateKeyFile,
    ...options.env,
  };

  const hubs: ClusterHub[] = [];
  const own: Record<string, string>[] = [];
  const envOf = (hub: Pick<ClusterHub, 'index' | 'address' | 'dataDir'>): Record<string, string> => ({
    ...common,
    ...own[hub.index],
    PENGHUBUNG_HTTP__PORT: hub.address.split(':')[1]!,
    PENGHUBUNG_DATA_DIR: hub.dataDir,
    PENGHUBUNG_BUS__KAFKA__CLIENT_ID: `penghubung-${hub.index + 1}`,
  });
  let balancer: Balancer | undefined;
  const close = async (): Promise<void> => {
    killAllHubs();
    await Promise.allSettled(hubs.map((hub) => hub.process.exited));
    await balancer?.stop();
    await upstreams.close();
    rmSync(root, { recursive: true, force: true });
  };

  try {
    for (let index = 0; index < size; index++) {
      own.push((await options.hubEnv?.(index, upstreams)) ?? {});
      const port = await freePort();
      const hub = { index, url: `http://127.0.0.1:${port}`, address: `127.0.0.1:${port}`, dataDir: join(root, `hub-${index + 1}`) };
      hubs.push({ ...hub, process: spawnHub(hub.url, envOf(hub)) });
    }
    await Promise.all(hubs.map((hub) => untilReady(hub)));
    balancer = await startBalancer({ listen: `127.0.0.1:${await freePort()}`, upstreams: hubs.map((hub) => hub.address), prefix: join(root, 'nginx'), exposeUpstream: true });
  } catch (error) {
    await close();
    throw error;
  }

  const started = balancer;
  return {
    url: started.url,
    hubs,
    prefix,
    upstreams,
    balancer: started,
    answeredBy(response) {
      // After a retry nginx lists every address it tried; the last one answered.
      const tried = (response.headers.get('x-penghubung-upstream') ?? '').split(',').map((address) => address.trim());
      const index = hubs.findIndex((hub) => hub.address === tried.at(-1));
      if (index < 0) throw new Error(`no hub answered through the balancer (X-Penghubung-Upstream: ${tried.join(', ')})`);
      return index;
    },
    async kill(index) {
      const hub = hubs[index]!;
      hub.process.child.kill('SIGKILL');
      await hub.process.exited;
    },
    async restart(index) {
      const hub = hubs[index]!;
      if (hub.process.child.exitCode === null && hub.process.child.signalCode === null) throw new Error(`hub ${index + 1} is still running`);
      hub.process = spawnHub(hub.url, envOf(hub));
      await untilReady(hub);
    },
    close,
  };
}

async function untilReady(hub: ClusterHub): Promise<void> {
  let last = '';
  await waitFor(async () => {
    if (hub.process.child.exitCode !== null) throw new Error(`hub ${hub.index + 1} exited with ${hub.process.child.exitCode} before it was ready:\n${hub.process.stderr()}`);
    const ready = await readiness(hub.url);
    last = `status ${ready.status}`;
    return ready.status === 200;
  }, readyTimeoutMs, () => `hub ${hub.index + 1} ready at ${hub.url} (${last})`, 200);
}
