// nginx (Debian's package) as the round-robin balancer in front of several hubs, run without
// root: everything it writes (pid, logs, temp files) lives under its own prefix directory, and it
// stays in the foreground (`daemon off`) as a child of whoever started it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const nginxBinary = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface BalancerOptions {
  /** host:port the balancer listens on. */
  listen: string;
  /** host:port of every hub. */
  upstreams: string[];
  /** Where pid, logs and temp files go (absolute). */
  prefix: string;
  /**
   * Adds `X-Penghubung-Upstream: <host:port>` to every answer, so tests and a developer see which
   * instance answered. Never in production: it tells clients the internal addresses.
   */
  exposeUpstream?: boolean;
  /** In a process group of its own, so a Ctrl-C reaches only the caller, which stops it in order. */
  detached?: boolean;
}

/**
 * The configuration: plain round robin (no stickiness, so every request may reach another
 * instance), keep-alive connections to the hubs, and a refused connection passed to the next hub
 * (a POST too: nothing was sent yet) while the dead one is left out for 2 s.
 */
export function balancerConfig(options: BalancerOptions): string {
  const path = (name: string): string => join(options.prefix, name);
  const servers = options.upstreams.map((upstream) => `    server ${upstream} max_fails=1 fail_timeout=2s;`);
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${path('nginx.pid')};`,
    `error_log ${path('error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${path('access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${path(`temp/${kind}`)};`),
    // The hub answers an oversized body with its own problem+json (http.bodyLimitBytes).
    '  client_max_body_size 16m;',
    '  upstream penghubung {',
    ...servers,
    '    keepalive 32;',
    '  }',
    '  server {',
    `    listen ${options.listen};`,
    '    location / {',
    '      proxy_pass http://penghubung;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $host;',
    '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '      proxy_set_header X-Forwarded-Proto $scheme;',
    '      proxy_next_upstream error timeout;',
    '      proxy_connect_timeout 2s;',
    '      proxy_read_timeout 60s;',
    '      proxy_buffering off;',
    ...(options.exposeUpstream ? ['      add_header X-Penghubung-Upstream $upstream_addr always;'] : []),
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

export interface Balancer {
  url: string;
  process: ChildProcess;
  /** The tail of nginx's error log, for failure messages. */
  errors(): string;
  stop(): Promise<void>;
}

/** Writes the configuration under `prefix`, checks it (`nginx -t`) and starts nginx on it. */
export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  if (!existsSync(nginxBinary)) throw new Error(`nginx is not installed at ${nginxBinary}: apt-get install -y nginx (or set NGINX_BIN)`);
  mkdirSync(join(options.prefix, 'temp'), { recursive: true });
  const conf = join(options.prefix, 'nginx.conf');
  writeFileSync(conf, balancerConfig(options));
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
  const [host, port] = splitHostPort(options.listen);
  const deadline = Date.now() + 10_000;
  while (!(await accepts(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start listening on ${options.listen}:\n${errors()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://${options.listen}`,
    process: child,
    errors,
    stop: async () => {
      // SIGQUIT: finish the requests in flight, then exit.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killed);
    },
  };
}

function splitHostPort(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
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
