// nginx (Debian's package) as the round-robin balancer in front of several hubs, run as
// tools/nginx-process.ts runs it: without root, everything it writes (pid, logs, temp files)
// under its own prefix directory, in the foreground as a child of whoever started it.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { nginxMainLines, nginxTempLines, startNginx } from '../nginx-process.js';

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
  const servers = options.upstreams.map((upstream) => `    server ${upstream} max_fails=1 fail_timeout=2s;`);
  return [
    ...nginxMainLines(options.prefix),
    'http {',
    `  access_log ${join(options.prefix, 'access.log')};`,
    ...nginxTempLines(options.prefix),
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
  const at = options.listen.lastIndexOf(':');
  const nginx = await startNginx({ prefix: options.prefix, config: balancerConfig(options), host: options.listen.slice(0, at), port: Number(options.listen.slice(at + 1)), detached: options.detached });
  return { url: `http://${options.listen}`, process: nginx.process, errors: nginx.errors, stop: nginx.stop };
}
