// The nginx baseline of the query benchmark: Debian's nginx (installed with apt-get when it is
// missing) as a reverse proxy doing what the bare express hop does, GET /v1/penduduk/{nik} turned
// into the SIAK POST with the credentials in the body, over keep-alive connections to the same
// simulator. Its configuration, pid, logs and temp files live in a temporary directory; it runs
// in the foreground as our child, one worker process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_ACCOUNT } from '../../connectors/siak/simulator.js';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { log } from './report.js';

const binary = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface NginxProxy {
  url: string;
  /** The master's pid and its worker's: both count in the CPU per request. */
  pids: { master: number; worker: number };
  version: string;
  stop(): Promise<void>;
}

/** nginx from Debian's package, installed when missing (the benchmark machine runs as root). */
function ensureNginx(): void {
  if (existsSync(binary)) return;
  log(`${binary} missing: apt-get install -y nginx`);
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (install.status !== 0 || !existsSync(binary)) throw new Error(`could not install nginx (apt-get exited ${install.status}); install it or set NGINX_BIN`);
}

function config(prefix: string, port: number, upstream: URL): string {
  const body = JSON.stringify({ nik: '$nik', user_id: SANDBOX_ACCOUNT.userId, password: SANDBOX_ACCOUNT.password, ip_user: SANDBOX_ACCOUNT.ipUser });
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${join(prefix, 'error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(prefix, `temp/${kind}`)};`),
    '  upstream siak {',
    `    server ${upstream.host};`,
    '    keepalive 64;',
    '  }',
    '  server {',
    `    listen 127.0.0.1:${port};`,
    '    keepalive_requests 1000000;',
    '    location ~ "^/v1/penduduk/(?<nik>[0-9]{16})$" {',
    `      rewrite ^ /dukcapil/get_json/${SANDBOX_ACCOUNT.consumer}/CALL_NIK break;`,
    '      proxy_pass http://siak;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_method POST;',
    '      proxy_set_header Content-Type application/json;',
    `      proxy_set_body '${body}';`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
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

export async function startNginxProxy(upstreamUrl: string): Promise<NginxProxy> {
  ensureNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'penghubung-bench-nginx-'));
  mkdirSync(join(prefix, 'temp'), { recursive: true });
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, config(prefix, port, new URL(upstreamUrl)));
  const args = ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')];
  const check = spawnSync(binary, [...args, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refused ${conf}:\n${check.stderr}`);
  const version = /nginx\/([\d.]+)/.exec(spawnSync(binary, ['-v'], { encoding: 'utf8' }).stderr)?.[1] ?? 'unknown';
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
    const killed = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killed);
    rmSync(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  let worker: number | undefined;
  while (!(await accepts(port)) || (worker = workerOf(child.pid!)) === undefined) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start listening on 127.0.0.1:${port}`);
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return { url: `http://127.0.0.1:${port}`, pids: { master: child.pid!, worker }, version, stop };
}
