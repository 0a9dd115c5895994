// The security endpoints: OAuth 2.0 client credentials at /oauth/token with its JWKS, the
// clients admin API (operators), and the dashboard's session login.
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { jsonBody } from '../http/json-body.js';
import { requireOperator } from './authorize.js';
import type { Client, ClientRegistry } from './clients.js';
import { refuseUnknownRights } from './right-names.js';
import { scopeOf, unheldScopes } from './scope.js';
import { sessionCookie, sessionOf } from './authenticate.js';
import type { AuditLog } from './audit/index.js';
import { tokenIssuerName, type TokenIssuer } from './tokens.js';

/** `knownRights`: every right some operation checks; a client given any other is refused. */
export function securityRoutes(deps: { registry: ClientRegistry; tokens: TokenIssuer; audit: AuditLog; logger: Logger; knownRights: () => readonly string[]; grantedRights?: (clientId: string) => string[] }): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  // RFC 6749 §4.4 and §2.3.1: client_id and client_secret in the form body or as HTTP Basic.
  router.post('/oauth/token', form, express.json({ limit: '16kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const basic = /^basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    const clientId = String(body.client_id ?? basicId ?? '');
    const secret = String(body.client_secret ?? basicSecret ?? '');
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' });
      return;
    }
    const client = deps.registry.authenticateKey(secret);
    if (!client || client.id !== clientId) {
      res.status(401).setHeader('WWW-Authenticate', 'Basic realm="penghubung"').json({ error: 'invalid_client' });
      return;
    }
    // A scope narrows the token to rights the client holds (its own and granted); one it lacks is refused (RFC 6749 §5.2).
    const scope = scopeOf(body.scope);
    const unheld = scope ? unheldScopes({ ...client, rights: [...client.rights, ...(deps.grantedRights?.(client.id) ?? [])] }, scope) : [];
    if (unheld.length > 0) {
      res.status(400).json({ error: 'invalid_scope', error_description: `client ${client.id} holds no right ${unheld.join(', ')}: a scope names rights the client already has` });
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.tokens.issue(client.id, deps.registry.epochOf(client.id), scope ? { scope } : {}));
  });
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.json(deps.tokens.jwks());
  });
  // Discovery (RFC 8414 fields, at the OpenID path clients look at first): where to get a token,
  // the keys to check it and the scopes a token may be narrowed to. The endpoints are absolute on
  // the address the client used.
  router.get('/.well-known/openid-configuration', (req, res) => {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.json({
      issuer: tokenIssuerName,
      token_endpoint: `${base}/oauth/token`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      response_types_supported: ['token'],
      token_endpoint_auth_signing_alg_values_supported: ['EdDSA'],
      scopes_supported: supportedScopes(deps.knownRights()),
    });
  });

  router.get('/v1/audit/recent', requireOperator, (req, res) => {
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50) || 50));
    res.json({ entries: deps.audit.recent(limit), stats: deps.audit.stats() });
  });
  router.get('/v1/clients', requireOperator, (_req, res) => {
    res.json({ clients: deps.registry.list() });
  });
  // Each change answers once it is durable, so the client, key or revocation counts on every instance.
  router.post('/v1/clients', requireOperator, ...jsonBody(64 * 1024, ['application/json']), async (req, res) => {
    const { client, apiKey } = await deps.registry.create(req.body as Client, (rights) => refuseUnknownRights(rights, deps.knownRights()));
    deps.logger.warn({ client: client.id, by: res.locals.clientId, correlation_id: res.locals.correlationId }, 'client created or replaced');
    res.status(201).json({ client, api_key: apiKey, note: 'The API key is shown only now; the hub keeps its SHA-256.' });
  });
  router.post('/v1/clients/:id/keys', requireOperator, async (req, res) => {
    const apiKey = await deps.registry.rotate(req.params.id as string, req.query.keep_previous === 'true');
    deps.logger.warn({ client: req.params.id, by: res.locals.clientId, correlation_id: res.locals.correlationId }, 'API key rotated');
    res.status(201).json({ client: req.params.id, api_key: apiKey });
  });
  router.delete('/v1/clients/:id', requireOperator, async (req, res) => {
    await deps.registry.revoke(req.params.id as string);
    deps.logger.warn({ client: req.params.id, by: res.locals.clientId, correlation_id: res.locals.correlationId }, 'client revoked');
    res.status(204).end();
  });

  router.get('/dashboard/login.css', (_req, res) => {
    res.type('css').send(loginCss);
  });
  router.get('/dashboard/login', (_req, res) => {
    res.type('html').send(loginPage);
  });
  router.post('/dashboard/login', form, async (req, res) => {
    const client = deps.registry.authenticateKey(String((req.body as { api_key?: unknown } | undefined)?.api_key ?? ''));
    if (!client || client.role !== 'operator') {
      res.status(401).type('html').send(loginPage.replace('<!--error-->', '<p role="alert">Kunci API salah atau bukan milik operator.</p>'));
      return;
    }
    // An operator's session lasts a working day, so a wall-mounted dashboard stays signed in.
    const { access_token } = await deps.tokens.issue(client.id, deps.registry.epochOf(client.id), { ttlSeconds: dashboardSessionSeconds, session: true });
    res.setHeader('Set-Cookie', `${sessionCookie}=${access_token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${dashboardSessionSeconds}${req.secure ? '; Secure' : ''}`);
    res.redirect(303, '/dashboard');
  });
  router.post('/dashboard/logout', async (req, res) => {
    // Logout ends the session itself, not only the browser's copy of it.
    const session = await deps.tokens.verify(sessionOf(req.headers.cookie) ?? '', 'session');
    if (session?.sessionId) await deps.registry.endSession(session.sessionId, session.expiresAt);
    // The route is public (an expired session can still sign out); the audit row names who did.
    if (session) res.locals.clientId = session.clientId;
    res.setHeader('Set-Cookie', `${sessionCookie}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    // And the browser forgets whatever this origin kept: the session cookie, and any storage.
    res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    res.redirect(303, '/dashboard/login');
  });
  return router;
}


const dashboardSessionSeconds = 8 * 3600;

/**
 * RFC 8414 `scopes_supported`: every right some operation checks, each a scope a token can be
 * narrowed to (scope.ts), and `*`, the scope that keeps an operator token an operator's.
 */
const supportedScopes = (rights: readonly string[]): string[] => ['*', ...rights];

const loginCss = 'body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.5rem 0}input,button{padding:.5rem;font-size:1rem}';

const loginPage = `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Masuk — Penghubung</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/login.css">
</head><body><h1>Penghubung</h1><p>Dasbor operator Diskominfo.</p><!--error-->
<form method="post" action="/dashboard/login"><label for="api_key">Kunci API operator</label>
<input id="api_key" name="api_key" type="password" autocomplete="current-password" required>
<button type="submit">Masuk</button></form></body></html>`;
