// The nginx baseline of the query benchmark: Debian's nginx (installed with apt-get when it is
// missing) as a reverse proxy doing what the bare express hop does, GET /v1/penduduk/{nik} turned
// into the SIAK POST with the credentials in the body, over keep-alive connections to the same
// simulator. Run as tools/nginx-process.ts runs it, under a temporary prefix directory, with one
// worker process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_ACCOUNT } from '../../connectors/siak/simulator.js';
import { freePort } from '../../tools/kafka/local-kafka.js';
import { nginxBinary, nginxMainLines, nginxTempLines, startNginx } from '../../tools/nginx-process.js';
import { log } from './report.js';

export interface NginxProxy {
  url: string;
  /** The master's pid and its worker's: both count in the CPU per request. */
  pids: { master: number; worker: number };
  version: string;
  stop(): Promise<void>;
}

/** nginx from Debian's package, installed when missing (the benchmark machine runs as root). */
function ensureNginx(): void {
  if (existsSync(nginxBinary)) return;
  log(`${nginxBinary} missing: apt-get install -y nginx`);
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (install.status !== 0 || !existsSync(nginxBinary)) throw new Error(`could not install nginx (apt-get exited ${install.status}); install it or set NGINX_BIN`);
}

function config(prefix: string, port: number, upstream: URL): string {
  const body = JSON.stringify({ nik: '$nik', user_id: SANDBOX_ACCOUNT.userId, password: SANDBOX_ACCOUNT.password, ip_user: SANDBOX_ACCOUNT.ipUser });
  return [
    ...nginxMainLines(prefix),
    'http {',
    '  access_log off;',
    ...nginxTempLines(prefix),
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

export async function startNginxProxy(upstreamUrl: string): Promise<NginxProxy> {
  ensureNginx();
  const prefix = mkdtempSync(join(tmpdir(), 'penghubung-bench-nginx-'));
  const port = await freePort();
  const removePrefix = (): void => rmSync(prefix, { recursive: true, force: true });
  const nginx = await startNginx({ prefix, config: config(prefix, port, new URL(upstreamUrl)), host: '127.0.0.1', port, worker: true }).catch((error: unknown) => {
    removePrefix();
    throw error;
  });
  const version = /nginx\/([\d.]+)/.exec(spawnSync(nginxBinary, ['-v'], { encoding: 'utf8' }).stderr)?.[1] ?? 'unknown';
  const stop = async (): Promise<void> => {
    await nginx.stop();
    removePrefix();
  };
  return { url: `http://127.0.0.1:${port}`, pids: { master: nginx.pids.master, worker: nginx.pids.worker! }, version, stop };
}
