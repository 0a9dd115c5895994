// How the hub authenticates to an OPD service: secrets opened only for the service they were
// sealed for; an OAuth client-credentials token fetched once (HTTP Basic client authentication,
// RFC 6749 §2.3.1 and §4.4), shared by concurrent calls, dropped when the service refuses it, and
// a refusing token endpoint reported as the hub's credentials being rejected. The token endpoint
// is a real HTTP server on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '../../src/connectors/upstream-error.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { serviceCredentials } from '../../src/services/service-auth.js';
import { serviceSecretOwner } from '../../src/services/service-definition.js';
import { closeServer, listen, proxyVariables, startForwardProxy } from '../support/http-servers.js';

const box = SecretBox.ephemeral();
const owner = serviceSecretOwner('ekinerja');
let server: Server;
let tokenUrl: string;
const received: { authorization: string | undefined; body: string }[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  tokenUrl = `${await listen(server)}/oauth/token`;
});
afterAll(async () => {
  await closeServer(server);
});

describe('service credentials', () => {
  it('sends a static key in the declared header and Basic credentials, opened for this service only', async () => {
    const key = serviceCredentials(owner, { type: 'api-key', header: 'X-Api-Key', sealedValue: box.seal('kunci-1', owner) }, box, 1000);
    expect(await key.headers()).toEqual({ 'x-api-key': 'kunci-1' });
    const basic = serviceCredentials(owner, { type: 'basic', username: 'hub', sealedPassword: box.seal('sandi', owner) }, box, 1000);
    expect(await basic.headers()).toEqual({ authorization: `Basic ${Buffer.from('hub:sandi').toString('base64')}` });
    expect(() => serviceCredentials(serviceSecretOwner('lain'), { type: 'api-key', header: 'X-Api-Key', sealedValue: box.seal('kunci-1', owner) }, box, 1000)).toThrow(/does not open/);
    expect(await serviceCredentials(owner, { type: 'none' }, box, 1000).headers()).toEqual({});
  });

  it('fetches one client-credentials token for concurrent calls, keeps it, and fetches anew once the service refuses it', async () => {
    received.length = 0;
    answer = { status: 200, body: { access_token: 'token-1', token_type: 'Bearer', expires_in: 3600 } };
    const credentials = serviceCredentials(owner, { type: 'oauth-client-credentials', tokenUrl, clientId: 'penghubung', sealedSecret: box.seal('rahasia-klien', owner), scope: 'kinerja.read' }, box, 1000);
    const [first, second] = await Promise.all([credentials.headers(), credentials.headers()]);
    expect(first).toEqual({ authorization: 'Bearer token-1' });
    expect(second).toEqual(first);
    expect(await credentials.headers()).toEqual(first);
    expect(received).toHaveLength(1);
    expect(received[0]!.authorization).toBe(`Basic ${Buffer.from('penghubung:rahasia-klien').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(received[0]!.body))).toEqual({ grant_type: 'client_credentials', scope: 'kinerja.read' });

    answer = { status: 200, body: { access_token: 'token-2', token_type: 'Bearer', expires_in: 3600 } };
    credentials.rejected();
    expect(await credentials.headers()).toEqual({ authorization: 'Bearer token-2' });
    expect(received).toHaveLength(2);
  });

  it("reports a token endpoint that refuses as the hub's credentials rejected, and one that fails as the service unavailable", async () => {
    const credentials = serviceCredentials(owner, { type: 'oauth-client-credentials', tokenUrl, clientId: 'penghubung', sealedSecret: box.seal('salah', owner) }, box, 1000);
    answer = { status: 401, body: { error: 'invalid_client' } };
    const refused = await credentials.headers().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect((refused as UpstreamError).code).toBe('upstream-credentials-rejected');
    answer = { status: 503, body: {} };
    const failed = await credentials.headers().catch((error: unknown) => error);
    expect([(failed as UpstreamError).code, (failed as UpstreamError).retryable]).toEqual(['upstream-unavailable', true]);
  });

  describe('through a proxy', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });
    const oauth = () => serviceCredentials(owner, { type: 'oauth-client-credentials', tokenUrl, clientId: 'penghubung', sealedSecret: box.seal('rahasia-klien', owner) }, box, 1000);

    it('fetches its token through HTTP_PROXY, chosen when the credentials are made; directly for a host NO_PROXY names', async () => {
      const proxy = await startForwardProxy();
      try {
        answer = { status: 200, body: { access_token: 'token-lewat-proxy', expires_in: 3600 } };
        for (const name of proxyVariables) vi.stubEnv(name, '');
        const direct = oauth();
        vi.stubEnv('HTTP_PROXY', proxy.url);
        const proxied = oauth();
        vi.stubEnv('NO_PROXY', '127.0.0.1');
        const named = oauth();
        // The environment now says "direct"; the credentials made while it said "proxy" keep the proxy.
        expect(await proxied.headers()).toEqual({ authorization: 'Bearer token-lewat-proxy' });
        expect(proxy.proxied.map((request) => request.url)).toEqual([tokenUrl]);
        vi.stubEnv('NO_PROXY', '');
        expect(await direct.headers()).toEqual({ authorization: 'Bearer token-lewat-proxy' });
        expect(await named.headers()).toEqual({ authorization: 'Bearer token-lewat-proxy' });
        expect(proxy.proxied).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    });
  });
});
