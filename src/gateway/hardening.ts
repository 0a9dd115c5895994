// HTTP hardening: security headers for an API that also serves a same-origin dashboard, and
// server timeouts that keep slow or idle clients from holding connections.
//
// HSTS is off by default: the hub often runs on plain HTTP inside a government intranet, and a
// Strict-Transport-Security header seen once (through a TLS proxy, say) would make browsers refuse
// the plain-HTTP address for a year. Turn it on (`securityHeaders({ hsts: true })`) only when
// every client reaches the hub through HTTPS.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

export interface SecurityHeaderOptions {
  /** Send Strict-Transport-Security; only when the hub is reached through HTTPS alone. */
  hsts?: boolean | { maxAgeSeconds: number; includeSubDomains?: boolean };
}

/**
 * Helmet, configured for JSON APIs plus the dashboard's own static files: scripts, styles,
 * images and fetches from the hub's origin only, nothing inline, no framing, no plugins, no
 * referrer, no MIME sniffing, and responses other origins may not embed. Every directive is
 * fixed, so helmet's headers are the same on every answer: they are taken from helmet once and
 * set from that table, instead of running helmet's dozen middleware per request.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): RequestHandler {
  const { set, removed } = headersOf(helmetFor(options));
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/** What a middleware that only sets or removes response headers does, recorded once. */
function headersOf(middleware: RequestHandler): { set: [string, string][]; removed: string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  void middleware({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
  });
  return { set, removed };
}

function helmetFor(options: SecurityHeaderOptions): RequestHandler {
  const hsts = options.hsts === true ? { maxAgeSeconds: 31_536_000 } : options.hsts || undefined;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // No upgrade-insecure-requests: on a plain-HTTP intranet it would break the dashboard.
      },
    },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    originAgentCluster: true,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: hsts ? { maxAge: hsts.maxAgeSeconds, includeSubDomains: hsts.includeSubDomains ?? false } : false,
    xContentTypeOptions: true,
    xDnsPrefetchControl: { allow: false },
    xDownloadOptions: true,
    xFrameOptions: { action: 'deny' },
    xPermittedCrossDomainPolicies: { permittedPolicies: 'none' },
    xPoweredBy: true,
    xXssProtection: true,
  }) as RequestHandler;
}

export interface ServerLimits {
  /** The whole header block must arrive within this time (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this time (slow bodies). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; above the 60 s of common proxies. */
  keepAliveTimeoutMs: number;
  /** A connection with a request in progress and no bytes either way for this long is closed. */
  idleTimeoutMs: number;
  maxHeadersCount: number;
}

export const defaultServerLimits: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  idleTimeoutMs: 120_000,
  maxHeadersCount: 100,
};

/**
 * Sets the server's timeouts and header count, and guards against slow clients: Node enforces
 * headersTimeout and requestTimeout only on its connection check (every 30 s by default), so a
 * connection whose first request has not sent all its headers within headersTimeout is closed
 * here, on time. Call it right after listen.
 */
export function hardenServer(server: Server, limits: Partial<ServerLimits> = {}): void {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, idleTimeoutMs, maxHeadersCount } = { ...defaultServerLimits, ...limits };
  server.headersTimeout = Math.min(headersTimeoutMs, requestTimeoutMs);
  server.requestTimeout = requestTimeoutMs;
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.maxHeadersCount = maxHeadersCount;
  // No 'timeout' listener on the server, so Node destroys a socket idle this long.
  server.timeout = idleTimeoutMs;

  const awaitingHeaders = new WeakMap<Socket, NodeJS.Timeout>();
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => {
      // What Node itself answers when it catches a request timeout; then the socket goes.
      if (socket.writable) socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      setTimeout(() => socket.destroy(), 1000).unref();
    }, server.headersTimeout);
    timer.unref();
    awaitingHeaders.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (req: { socket: Socket }) => {
    const timer = awaitingHeaders.get(req.socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    awaitingHeaders.delete(req.socket);
  });
}
