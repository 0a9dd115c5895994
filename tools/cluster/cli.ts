// `npm run cluster`: the hub as a data centre runs it, on one machine. Kafka (the broker the tests
// use, from Maven Central; or the cluster in KAFKA_BROKERS), three hubs as separate processes
// with their own data directories and one topic prefix, the sandbox upstreams started once and
// shared, and nginx round robin in front on one port (CLUSTER_PORT, default 8080). Prints the
// address and the API keys; Ctrl-C stops everything, hubs draining their outboxes first.
// Everything it writes is under .cluster/, made afresh at every start.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../src/schemas.js';
import { freePort, startLocalKafka, type LocalKafka } from '../kafka/local-kafka.js';
import { nginxBinary } from '../nginx-process.js';
import { startBalancer, type Balancer } from './nginx.js';
import { startSandboxUpstreams } from './sandbox-upstreams.js';
import { makeSharedKeys } from '../../src/cli/cluster-keys.js';
import { compiledHubArgs } from '../start-flags.js';

const instances = 3;
const port = Number(process.env.CLUSTER_PORT ?? 8080);
const root = projectPath('.cluster');

installNginx();
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true, mode: 0o700 });
build();

const children: ChildProcess[] = [];
let kafka: LocalKafka | undefined;
let balancer: Balancer | undefined;
// Whatever ends this process, nothing it started stays behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  balancer?.process.kill('SIGKILL');
  void kafka?.kill();
});

const brokers = process.env.KAFKA_BROKERS || (kafka = await startLocalKafka({ dir: join(root, 'kafka'), detached: true })).brokers;
const upstreams = await startSandboxUpstreams();
const keys = makeSharedKeys(join(root, 'keys'), projectPath('config', 'clients.yaml'));

const hubs: { url: string; address: string; dataDir: string; log: string; child: ChildProcess }[] = [];
for (let n = 1; n <= instances; n++) {
  const hubPort = await freePort();
  const dataDir = join(root, `hub-${n}`);
  const log = join(root, `hub-${n}.log`);
  const out = openSync(log, 'a');
  // The node flags `npm start` uses (heap settings), so a cluster hub behaves as a production one.
  const child = spawn(process.execPath, compiledHubArgs(), {
    cwd: projectPath(),
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      ...upstreams.env,
      KAFKA_BROKERS: brokers,
      PENGHUBUNG_HTTP__PORT: String(hubPort),
      PENGHUBUNG_DATA_DIR: dataDir,
      PENGHUBUNG_BUS__KAFKA__CLIENT_ID: `penghubung-${n}`,
      PENGHUBUNG_SECURITY__CLIENTS_FILE: keys.clientsFile,
      PENGHUBUNG_WEBHOOKS__SECRET_KEY_FILE: keys.webhookSecretKeyFile,
      PENGHUBUNG_SECURITY__STATE_KEY_FILE: keys.stateKeyFile,
    },
  });
  children.push(child);
  hubs.push({ url: `http://127.0.0.1:${hubPort}`, address: `127.0.0.1:${hubPort}`, dataDir, log, child });
}
try {
  await Promise.all(hubs.map((hub, index) => untilReady(hub.url, hub.child, `hub ${index + 1} (log: ${hub.log})`)));
  balancer = await startBalancer({ listen: `127.0.0.1:${port}`, upstreams: hubs.map((hub) => hub.address), prefix: join(root, 'nginx'), exposeUpstream: true, detached: true });
} catch (error) {
  console.error(`cluster: ${(error as Error).message}`);
  await stop(1);
}

console.log([
  '',
  `Penghubung cluster: ${instances} hubs behind nginx (round robin) at http://127.0.0.1:${port}`,
  `  Kafka: ${brokers}${kafka ? ' (started here)' : ' (KAFKA_BROKERS)'}`,
  ...hubs.map((hub, index) => `  hub ${index + 1}: ${hub.url}  data ${hub.dataDir}  log ${hub.log}`),
  '  Every answer names the hub that gave it: X-Penghubung-Upstream.',
  'API keys, the same on every hub (the clients of config/clients.yaml):',
  ...Object.entries(keys.apiKeys).map(([client, key]) => `  ${client.padEnd(22)} ${key}`),
  'Sandbox upstreams (shared by the hubs):',
  ...[...upstreams.simulators].map(([id, simulator]) => `  ${id.padEnd(10)} ${simulator.url}`),
  `Try: curl -i -H 'X-API-Key: ${keys.apiKeys['operator-diskominfo'] ?? '<key>'}' http://127.0.0.1:${port}/v1/catalog`,
  'Ctrl-C stops everything.',
  '',
].join('\n'));

// A Ctrl-C may arrive twice (from the terminal and relayed by tsx): the first one stops.
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** nginx first (no new requests), then the hubs (SIGTERM: each drains its outbox), the upstreams, Kafka. */
let stopping: Promise<never> | undefined;
function stop(code: number): Promise<never> {
  stopping ??= stopInOrder(code);
  return stopping;
}

async function stopInOrder(code: number): Promise<never> {
  console.log('cluster: stopping nginx, the hubs (draining their outboxes), the upstreams and Kafka');
  await balancer?.stop();
  await Promise.all(hubs.map((hub) => new Promise<void>((done) => {
    if (hub.child.exitCode !== null || hub.child.signalCode !== null) return done();
    hub.child.once('exit', () => done());
    hub.child.kill('SIGTERM');
  })));
  await upstreams.close();
  await kafka?.stop();
  process.exit(code);
}

/** Debian's nginx package, installed with apt-get when missing and run as root (as tools/pretest.sh does). */
function installNginx(): void {
  if (existsSync(nginxBinary)) return;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    console.error('cluster: needs nginx: install it with `sudo apt-get install -y nginx` (Debian/Ubuntu), then run npm run cluster again');
    process.exit(1);
  }
  console.log('cluster: installing nginx with apt-get');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'nginx']]) {
    const run = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) process.exit(1);
  }
}

/** The hubs run the compiled JavaScript, as `npm start` does; compiled once for all three. */
function build(): void {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', "const { build } = await import('./tools/build.mjs'); build({ ifStale: true });"], { cwd: projectPath(), stdio: 'inherit' });
  if (run.status !== 0) process.exit(1);
}

async function untilReady(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    const status = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) }).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${name} was not ready within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
