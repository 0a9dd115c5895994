// Shared pieces of the fault-injection suite: hub processes spawned the way `npm start` runs
// them, follow-up events for the LAPOR! connector, and an HTTP proxy in front of an upstream
// simulator that counts every delivery that reaches it (duplicates included) and can make the
// upstream slow, flapping or answer garbage.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { projectPath } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';

// ─── hub processes ────────────────────────────────────────────────────────────────────────

export interface HubProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 64 KiB of its stderr, for failure messages. */
  stderr(): string;
  /**
   * True once it logged "Penghubung is listening" (needs log level info or lower): start-up is
   * over and SIGTERM gets the graceful stop. Readiness answers 200 a few seconds earlier, while
   * consumers still join their groups, and a SIGTERM then kills the process outright.
   */
  started(): boolean;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every hub process this file started that is still running (for afterAll). */
export function killAllHubs(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * `node --import tsx src/main.ts` with `env` on top of this process's environment. With
 * `fileSizeLimitKb` the process runs under `ulimit -f` (RLIMIT_FSIZE): writes past that size
 * fail with EFBIG (Node ignores SIGXFSZ). `softLimitOnly` sets only the soft limit, which the
 * same user may lift later (`prlimit --pid <pid> --fsize=unlimited:`).
 */
export function spawnHub(url: string, env: Record<string, string>, options: { fileSizeLimitKb?: number; softLimitOnly?: boolean } = {}): HubProcess {
  const node = [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const limit = `ulimit ${options.softLimitOnly ? '-S ' : ''}-f ${options.fileSizeLimitKb ?? 'unlimited'}`;
  // bash execs node: the child's pid is the hub's.
  const [command, args] = options.fileSizeLimitKb === undefined
    ? [node[0]!, node.slice(1)]
    : ['bash', ['-c', `${limit} && exec "$@"`, 'hub', ...node]];
  const child = spawn(command, args, { cwd: projectPath(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let started = false;
  let tail = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    if (started) return;
    tail = (tail + chunk).slice(-4096);
    if (tail.includes('"msg":"Penghubung is listening"')) started = true;
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-65_536);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, url, exited, stderr: () => stderr, started: () => started };
}

/** Environment every spawned test hub needs besides its own port, data directory and prefix. */
export const hubProcessEnv = {
  PENGHUBUNG_LOG__LEVEL: 'fatal',
  PENGHUBUNG_SECURITY__CLIENTS_FILE: 'test/fixtures/clients.yaml',
  PENGHUBUNG_CONNECTORS__POLLING: 'false',
  PENGHUBUNG_SHUTDOWN__GRACE_MS: '2000',
} as const;

export interface Readiness {
  status: number;
  backlog: number;
  body: Record<string, unknown> | undefined;
}

/** GET /health/ready; status 0 when nothing answers. */
export async function readiness(url: string): Promise<Readiness> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { checks?: { outbox?: { backlog?: number } } };
    return { status: response.status, backlog: body.checks?.outbox?.backlog ?? -1, body: body as Record<string, unknown> };
  } catch {
    return { status: 0, backlog: -1, body: undefined };
  }
}

// ─── follow-ups for LAPOR! ────────────────────────────────────────────────────────────────

const followUpTemplate = (JSON.parse(readFileSync(projectPath('connectors', 'lapor', 'fixtures', 'kirim-tindak-lanjut', 'diproses.expected.json'), 'utf8')) as { canonical: Record<string, unknown> }).canonical;

/** A `pengaduan.tindak-lanjut.dibuat` event for the complaint `trackingId` (as test/e2e/lapor.test.ts builds it). */
export function followUp(id: string, trackingId: string): Record<string, unknown> {
  const data = { ...followUpTemplate, id, pengaduan_id: `lapor-${trackingId}`, nomor_pelacakan: trackingId };
  return { specversion: '1.0', id, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: data.pengaduan_id, datacontenttype: 'application/json', data };
}

/**
 * Adds `count` complaints with tracking ids `<base>1…` to a LAPOR! simulator, so follow-ups
 * to them have many different keys and spread over every partition.
 */
export async function addComplaints(simulatorUrl: string, base: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) {
    const trackingId = `${base}${String(n).padStart(3, '0')}`;
    const response = await fetch(`${simulatorUrl}/_simulator/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingId, judul: `Pengaduan uji ${trackingId}` }) });
    if (response.status !== 201) throw new Error(`the simulator refused complaint ${trackingId}: ${response.status} ${await response.text()}`);
    ids.push(trackingId);
  }
  return ids;
}

/** What the LAPOR! simulator recorded (it records each follow-up id once, however often it is sent). */
export async function recordedFollowUps(simulatorUrl: string): Promise<{ id?: string; trackingid: string }[]> {
  return (await (await fetch(`${simulatorUrl}/_simulator/followups`)).json()) as { id?: string; trackingid: string }[];
}

/** Posts `events` (each to `urlOf(index)`) with `concurrency` requests in flight; returns the ids answered 202. */
export async function postEvents(events: Record<string, unknown>[], urlOf: (index: number) => string, concurrency: number): Promise<{ acknowledged: Set<string>; refused: { id: string; status: number; body: string }[] }> {
  const acknowledged = new Set<string>();
  const refused: { id: string; status: number; body: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events.length) {
      const index = next++;
      const event = events[index]!;
      const response = await hubFetch(`${urlOf(index)}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(event) });
      const body = await response.text();
      if (response.status === 202) acknowledged.add(String(event.id));
      else refused.push({ id: String(event.id), status: response.status, body });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return { acknowledged, refused };
}

// ─── the upstream proxy ───────────────────────────────────────────────────────────────────

/** How the proxy treats calls to the faulted path. */
export type ProxyMode =
  | { kind: 'pass'; delayMs?: number }
  /** Every other call (the 2nd, 4th, …) is answered 503 with an HTML page and never forwarded. */
  | { kind: 'flap' }
  /** Every call waits `delayMs` before it is forwarded. */
  | { kind: 'slow'; delayMs: number }
  /** Every call is answered with this, never forwarded. */
  | { kind: 'garbage'; status: number; contentType: string; body: string };

export interface UpstreamProxy {
  url: string;
  mode: ProxyMode;
  /** Calls to the faulted path, including faulted ones. */
  calls: number;
  /** Follow-up id → times (ms since epoch) a forwarded call carrying it was answered. */
  forwarded: Map<string, number[]>;
  /** Sum over ids of (forwards − 1): deliveries the upstream saw more than once. */
  duplicates(): number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy to `target`. Calls to `faultPath` (a path, or a pattern for paths) go through
 * `mode`; every call that is forwarded and answered is counted by the `<tindaklanjut id="…">`
 * ids in its body.
 */
export async function startUpstreamProxy(target: string, faultPath: string | RegExp, mode: ProxyMode = { kind: 'pass' }): Promise<UpstreamProxy> {
  const upstream = new URL(target);
  const proxy: UpstreamProxy = {
    url: '',
    mode,
    calls: 0,
    forwarded: new Map(),
    duplicates: () => [...proxy.forwarded.values()].reduce((sum, times) => sum + times.length - 1, 0),
    close: async () => undefined,
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, onAnswered: () => void): void => {
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          onAnswered();
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    outgoing.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('proxy: upstream unreachable');
    });
    outgoing.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0]!;
      if (typeof faultPath === 'string' ? path !== faultPath : !faultPath.test(path)) {
        forward(req, res, body, () => undefined);
        return;
      }
      proxy.calls++;
      const current = proxy.mode;
      const ids = [...body.toString('utf8').matchAll(/<tindaklanjut\b[^>]*\bid="([^"]*)"/g)].map((m) => m[1]!);
      const count = (): void => {
        const now = Date.now();
        for (const id of ids) proxy.forwarded.set(id, [...(proxy.forwarded.get(id) ?? []), now]);
      };
      if (current.kind === 'flap' && proxy.calls % 2 === 0) {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><head><title>503</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
        return;
      }
      if (current.kind === 'garbage') {
        res.writeHead(current.status, { 'content-type': current.contentType });
        res.end(current.body);
        return;
      }
      const delayMs = current.kind === 'slow' || current.kind === 'pass' ? (current.delayMs ?? 0) : 0;
      if (delayMs > 0) setTimeout(() => forward(req, res, body, count), delayMs);
      else forward(req, res, body, count);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return proxy;
}
