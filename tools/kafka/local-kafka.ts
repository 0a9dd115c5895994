// A single-node Apache Kafka (KRaft, broker+controller in one JVM) for tests and development.
// The broker jars come from Maven Central through tools/kafka/pom.xml and are cached in .kafka/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const libsDir = join(projectRoot, '.kafka', 'libs');

export interface LocalKafkaOptions {
  /** Where storage and logs live; wiped at start unless `keepData`. */
  dir: string;
  heapMb?: number;
  startTimeoutMs?: number;
  /** In a process group of its own, so a Ctrl-C reaches only the caller, which stops it last. */
  detached?: boolean;
}

export interface LocalKafka {
  brokers: string;
  /** SIGKILL the JVM: a crash, not a shutdown. */
  kill(): Promise<void>;
  /** Start again on the same ports and storage (after kill or stop). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Downloads the broker jars once; later calls find them cached. */
export function resolveKafkaJars(): void {
  if (existsSync(libsDir) && readdirSync(libsDir).some((f) => f.startsWith('kafka_2.13-'))) return;
  const mvn = spawnSync(
    'mvn',
    ['-q', '-B', '-f', join(projectRoot, 'tools', 'kafka', 'pom.xml'), 'dependency:copy-dependencies',
      `-DoutputDirectory=${libsDir}`, '-DincludeScope=runtime'],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (mvn.error) throw new Error(`cannot run Maven to fetch the Kafka jars: ${mvn.error.message} (install maven and a JDK 17+)`);
  if (mvn.status !== 0) throw new Error(`Maven could not resolve the Kafka jars:\n${mvn.stdout}\n${mvn.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

function java(args: string[], options: { heapMb: number; logsDir: string }): string[] {
  return [`-Xmx${options.heapMb}m`, `-Xms${options.heapMb}m`, '-XX:+UseSerialGC', `-Dkafka.logs.dir=${options.logsDir}`,
    '-cp', `${libsDir}/*`, ...args];
}

export async function startLocalKafka(options: LocalKafkaOptions): Promise<LocalKafka> {
  resolveKafkaJars();
  const dir = resolve(options.dir);
  const heapMb = options.heapMb ?? 512;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  rmSync(dir, { recursive: true, force: true });
  const dataDir = join(dir, 'data');
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir, { recursive: true });

  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  const brokers = `127.0.0.1:${brokerPort}`;
  const propertiesFile = join(dir, 'server.properties');
  writeFileSync(propertiesFile, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${brokers}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'num.partitions=1',
    '',
  ].join('\n'));

  const clusterId = spawnSync('java', java(['kafka.tools.StorageTool', 'random-uuid'], { heapMb: 128, logsDir }), { encoding: 'utf8' });
  if (clusterId.error) throw new Error(`cannot run java: ${clusterId.error.message} (install a JDK 17+)`);
  const id = clusterId.stdout.trim().split('\n').pop() ?? '';
  const format = spawnSync('java', java(['kafka.tools.StorageTool', 'format', '-t', id, '-c', propertiesFile], { heapMb: 128, logsDir }), { encoding: 'utf8' });
  if (format.status !== 0) throw new Error(`formatting Kafka storage failed:\n${format.stdout}\n${format.stderr}`);

  let broker: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const out = openSync(join(logsDir, 'broker.out'), 'a');
    const child = spawn('java', java(['kafka.Kafka', propertiesFile], { heapMb, logsDir }), { stdio: ['ignore', out, out], detached: options.detached ?? false });
    broker = child;
    let exitCode: number | null = null;
    exited = new Promise((done) => child.once('exit', (code) => { exitCode = code ?? -1; done(); }));
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (exitCode !== null) throw new Error(`Kafka exited with code ${exitCode} while starting; see ${join(logsDir, 'broker.out')}`);
      if (await answersMetadata(brokers)) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    child.kill('SIGKILL');
    throw new Error(`Kafka did not answer metadata requests within ${startTimeoutMs} ms; see ${join(logsDir, 'broker.out')}`);
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    if (!broker || broker.exitCode !== null || broker.signalCode !== null) return;
    broker.kill(signal);
    const forced = setTimeout(() => broker?.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(forced);
  };

  await launch();
  return {
    brokers,
    kill: () => halt('SIGKILL'),
    restart: async () => { await halt('SIGTERM'); await launch(); },
    stop: () => halt('SIGTERM'),
  };
}

async function answersMetadata(brokers: string): Promise<boolean> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
