// Authentication: every route but the public ones needs a client. A client proves itself with
// an API key (`X-API-Key`, or `Authorization: Bearer phb_…`), a JWT from /oauth/token
// (`Authorization: Bearer eyJ…`), or — for the dashboard in a browser — the session cookie set
// at /dashboard/login. A request authenticated by cookie may only change something when it also
// carries `X-Requested-By: penghubung-dashboard`, which a cross-site form cannot send.
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HubError } from '../errors/catalogue.js';
import type { Client, ClientRegistry } from './clients.js';
import { enforce, type RateLimiter } from './rate-limit.js';
import { setRateLimitHeaders } from './rate-limit-headers.js';
import { narrowedTo } from './scope.js';
import type { TokenIssuer } from './tokens.js';

/** A client's rate limit as its request found it. */
export interface RateLimitState {
  per_minute: number;
  remaining: number;
}

export const sessionCookie = 'penghubung_sesi';
export const dashboardHeader = 'x-requested-by';

export interface AuthenticationDeps {
  registry: ClientRegistry;
  tokens: TokenIssuer;
  limiter: RateLimiter;
  isPublic: (path: string) => boolean;
  defaultRatePerMinute: number;
  /** Rights granted on top of the client's own (approved access to OPD services), read at every request so a grant, revocation or expiry holds at once. */
  grantedRights?: (clientId: string) => string[];
}

export function authentication(deps: AuthenticationDeps): RequestHandler {
  // Synchronous for an API key (a table look-up): only a token or session is verified
  // asynchronously, so a key's request makes no promise of its own.
  return (req, res, next) => {
    if (deps.isPublic(req.path)) return next();
    const certified = certificateClient(req, deps.registry);
    if (certified) return admit(certified, deps, res, next);
    const { credential, viaCookie } = credentialOf(req.headers);
    if (!credential) {
      if (req.method === 'GET' && (req.path === '/dashboard' || req.path.startsWith('/dashboard/'))) return res.redirect(303, '/dashboard/login');
      res.setHeader('WWW-Authenticate', 'Bearer realm="penghubung"');
      throw new HubError('unauthenticated', 'send an API key (X-API-Key) or a bearer token from /oauth/token');
    }
    if (viaCookie || isToken(credential)) return tokenClient(credential, viaCookie, deps).then((found) => admitFound(found, viaCookie, deps, req, res, next));
    admitFound({ client: deps.registry.authenticateKey(credential) }, viaCookie, deps, req, res, next);
  };
}

function admitFound(found: { client: Client | undefined; scope?: string[] } | undefined, viaCookie: boolean, deps: AuthenticationDeps, req: Request, res: Response, next: NextFunction): void {
  const { client, scope } = found ?? {};
  if (!client) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="penghubung", error="invalid_token"');
    throw new HubError('unauthenticated', 'the credential is unknown, revoked or expired');
  }
  if (viaCookie && !['GET', 'HEAD'].includes(req.method) && req.headers[dashboardHeader] !== 'penghubung-dashboard') {
    throw new HubError('forbidden', `a change made with the dashboard session needs the ${dashboardHeader} header`);
  }
  admit(client, deps, res, next, scope);
}

/** `scope`: the rights a token was narrowed to (OAuth scope), within the client's own and granted ones. */
function admit(client: Client, deps: AuthenticationDeps, res: Response, next: NextFunction, scope?: string[]): void {
  const granted = deps.grantedRights?.(client.id) ?? [];
  // Known before the rate limit: a 429 is audited with the client it refused.
  res.locals.client = narrowedTo(granted.length ? { ...client, rights: [...client.rights, ...granted] } : client, scope);
  res.locals.clientId = client.id;
  const perMinute = client.rateLimitPerMinute ?? deps.defaultRatePerMinute;
  const decision = deps.limiter.take(client.id, perMinute);
  // On every answer to the client, the 429 included (rate-limit-headers.ts).
  setRateLimitHeaders(res, decision);
  enforce(decision, perMinute);
  // For GET /v1/me: the client's limit and what this instance still lets through now.
  res.locals.rateLimit = { per_minute: perMinute, remaining: decision.remaining } satisfies RateLimitState;
  next();
}

/** Mutual TLS: a certificate the server verified against the client CA, mapped by fingerprint. */
function certificateClient(req: Request, registry: ClientRegistry): Client | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.encrypted || !socket.authorized) return undefined;
  const certificate = socket.getPeerCertificate();
  if (!certificate?.raw) return undefined;
  return registry.authenticateCertificate(createHash('sha256').update(certificate.raw).digest('hex'));
}

/** A JWT (from /oauth/token) rather than an API key. */
const isToken = (credential: string): boolean => credential.startsWith('eyJ');

/**
 * A session only from its cookie (so never without the CSRF header for a change), a token only
 * as a bearer; either only in its client's current epoch, a session only until logout.
 */
async function tokenClient(credential: string, viaCookie: boolean, deps: AuthenticationDeps): Promise<{ client: Client | undefined; scope?: string[] } | undefined> {
  const token = await deps.tokens.verify(credential, viaCookie ? 'session' : 'bearer');
  if (!token || token.epoch !== deps.registry.epochOf(token.clientId)) return undefined;
  if (token.sessionId && deps.registry.sessionEnded(token.sessionId)) return undefined;
  return { client: deps.registry.get(token.clientId), ...(token.scope ? { scope: token.scope } : {}) };
}

function credentialOf(headers: Record<string, string | string[] | undefined>): { credential: string | undefined; viaCookie: boolean } {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return { credential: apiKey, viaCookie: false };
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization)) return { credential: authorization.replace(/^bearer\s+/i, '').trim(), viaCookie: false };
  const session = sessionOf(headers.cookie);
  return session ? { credential: session, viaCookie: true } : { credential: undefined, viaCookie: false };
}

/** The dashboard session token in a Cookie header, if any. */
export function sessionOf(cookieHeader: string | string[] | undefined): string | undefined {
  const cookie = typeof cookieHeader === 'string' ? cookieHeader.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${sessionCookie}=`)) : undefined;
  if (!cookie) return undefined;
  try {
    return decodeURIComponent(cookie.slice(sessionCookie.length + 1));
  } catch {
    return undefined;
  }
}
