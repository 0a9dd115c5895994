// nginx (Debian's package) run without root on a configuration of ours: the configuration, pid,
// logs and temp files live under a prefix directory, and it stays in the foreground (`daemon off`)
// as a child of whoever started it. The cluster's balancer (tools/cluster/nginx.ts) and the query
// benchmark's proxy baseline (bench/lib/nginx.ts) both run it so.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const nginxBinary = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/** A configuration's top lines: one worker, in the foreground, its pid and error log under `prefix`. */
export function nginxMainLines(prefix: string): string[] {
  return ['daemon off;', 'worker_processes 1;', `pid ${join(prefix, 'nginx.pid')};`, `error_log ${join(prefix, 'error.log')} warn;`, 'events { worker_connections 1024; }'];
}

/** The `http` block's temp file paths, under `prefix` (nginx's defaults need root). */
export function nginxTempLines(prefix: string): string[] {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(prefix, `temp/${kind}`)};`);
}

export interface NginxOptions {
  /** Where the configuration, pid, logs and temp files go (absolute). */
  prefix: string;
  config: string;
  /** Where the configuration listens: nginx is ready once it accepts there. */
  host: string;
  port: number;
  /** Ready only once the worker process is up too, and its pid known (from /proc, Linux). */
  worker?: boolean;
  /** In a process group of its own. */
  detached?: boolean;
}

export interface NginxProcess {
  process: ChildProcess;
  /** The master's pid, and its one worker's when `worker` was asked for. */
  pids: { master: number; worker?: number };
  /** The tail of nginx's stderr and error log, for failure messages. */
  errors(): string;
  /** SIGQUIT: finish the requests in flight, then exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** Writes `config` under `prefix`, checks it (`nginx -t`) and starts nginx on it. */
export async function startNginx(options: NginxOptions): Promise<NginxProcess> {
  if (!existsSync(nginxBinary)) throw new Error(`nginx is not installed at ${nginxBinary}: apt-get install -y nginx (or set NGINX_BIN)`);
  mkdirSync(join(options.prefix, 'temp'), { recursive: true });
  const conf = join(options.prefix, 'nginx.conf');
  writeFileSync(conf, options.config);
  const args = ['-p', options.prefix, '-c', conf, '-e', join(options.prefix, 'error.log')];
  const check = spawnSync(nginxBinary, [...args, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refused ${conf}:\n${check.stderr}`);

  const child = spawn(nginxBinary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: options.detached ?? false });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8192)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = (): string => {
    const log = join(options.prefix, 'error.log');
    return `${stderr}${existsSync(log) ? readFileSync(log, 'utf8').slice(-8192) : ''}`;
  };
  const deadline = Date.now() + 10_000;
  let worker: number | undefined;
  while (!(await accepts(options.host, options.port)) || (options.worker && (worker = workerOf(child.pid!)) === undefined)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start listening on ${options.host}:${options.port}:\n${errors()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    process: child,
    pids: { master: child.pid!, worker },
    errors,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killed);
    },
  };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The worker's pid: the master's one child. */
function workerOf(master: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children[0];
  } catch {
    return undefined;
  }
}
