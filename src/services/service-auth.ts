// How the hub authenticates to an OPD service, as its owner declared: nothing, a static key in a
// header, HTTP Basic, or an OAuth 2.0 client-credentials token (RFC 6749 §4.4; the client
// authenticates to the token endpoint with HTTP Basic, §2.3.1) kept until shortly before it
// expires. Secrets are stored sealed for the service (`secretOwner`) and opened only here.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { UpstreamError } from '../connectors/upstream-error.js';
import { proxyFor } from '../connectors/upstream-proxy.js';
import type { SecretBox } from '../security/secret-box.js';
import type { ServiceAuth } from './service-definition.js';

/** A token is renewed this long before it expires, so no call carries one that lapses in flight. */
const renewBeforeMs = 30_000;
/** A token endpoint that gives no lifetime: kept this long. */
const defaultLifetimeMs = 300_000;

export interface ServiceCredentials {
  /** The headers one call carries. */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** The service refused the credentials: a cached token is dropped, the next call fetches one. */
  rejected(): void;
}

export function serviceCredentials(secretOwner: string, auth: ServiceAuth, box: SecretBox, timeoutMs: number): ServiceCredentials {
  switch (auth.type) {
    case 'none':
      return { headers: async () => ({}), rejected: () => undefined };
    case 'api-key': {
      const headers = { [auth.header.toLowerCase()]: box.open(auth.sealedValue, secretOwner) };
      return { headers: async () => headers, rejected: () => undefined };
    }
    case 'basic': {
      const headers = { authorization: basic(auth.username, box.open(auth.sealedPassword, secretOwner)) };
      return { headers: async () => headers, rejected: () => undefined };
    }
    case 'oauth-client-credentials':
      return new ClientCredentials(auth.tokenUrl, basic(auth.clientId, box.open(auth.sealedSecret, secretOwner)), auth.scope, timeoutMs);
  }
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

class ClientCredentials implements ServiceCredentials {
  private readonly http: AxiosInstance;
  private token: { value: string; renewAt: number } | undefined;
  /** One fetch at a time: calls arriving while a token is fetched wait for that one. */
  private fetching: Promise<string> | undefined;

  constructor(private readonly tokenUrl: string, private readonly authorization: string, private readonly scope: string | undefined, timeoutMs: number) {
    // Its proxy decided once, as for the service's own calls (the connector runtime's client).
    this.http = axios.create({
      timeout: timeoutMs,
      maxRedirects: 0,
      proxy: proxyFor(tokenUrl),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 2 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 2 }),
      validateStatus: () => true,
    });
  }

  async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.token && Date.now() < this.token.renewAt) return { authorization: `Bearer ${this.token.value}` };
    this.fetching ??= this.fetch(signal).finally(() => {
      this.fetching = undefined;
    });
    return { authorization: `Bearer ${await this.fetching}` };
  }

  rejected(): void {
    this.token = undefined;
  }

  private async fetch(signal?: AbortSignal): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(this.scope ? { scope: this.scope } : {}) });
    let response;
    try {
      response = await this.http.post<unknown>(this.tokenUrl, form.toString(), { headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, signal });
    } catch (error) {
      throw new UpstreamError('upstream-unavailable', `cannot reach the service's token endpoint: ${(error as { code?: string }).code ?? (error as Error).message}`, { retryable: true });
    }
    if (response.status >= 500) throw new UpstreamError('upstream-unavailable', `the service's token endpoint answered HTTP ${response.status}`, { retryable: true });
    const body = response.data as { access_token?: unknown; expires_in?: unknown; token_type?: unknown } | undefined;
    if (response.status !== 200 || typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new UpstreamError('upstream-credentials-rejected', `the service's token endpoint refused the hub's client credentials (HTTP ${response.status})`);
    }
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : defaultLifetimeMs;
    this.token = { value: body.access_token, renewAt: Date.now() + Math.max(lifetimeMs - renewBeforeMs, lifetimeMs / 2) };
    return body.access_token;
  }
}
