// SSRF guard for webhook targets: loopback in all its spellings, link-local, metadata services,
// private ranges not allowlisted and special addresses are refused at creation with a 422
// problem; a redirect to loopback is a failed delivery, not followed; a name that resolves to a
// refused address is refused when the socket connects; an allowlisted intranet range (here
// 127.77.0.0/16, standing for the intranet on this machine) is delivered to.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetRefused } from '../../src/subscriptions/target-guard.js';
import { WebhookTransport } from '../../src/subscriptions/webhook-transport.js';
import { hubFetch } from '../support/auth.js';
import { closeServer, listen } from '../support/http-servers.js';
import { hubBeforeAll, postJson, sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const intranet = '127.77.0.0/16';
const servers: Server[] = [];
const hits: string[] = [];

/** A target on `host` that records each request's host and path, then answers with `handler`. */
async function target(host: string, handler: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    hits.push(`${host}${req.url ?? ''}`);
    req.resume();
    req.on('end', () => handler(res));
  });
  servers.push(server);
  return listen(server, host);
}

const hub = hubBeforeAll({ webhooks: { allowLoopback: false, allowedNetworks: [intranet], attempts: 2, backoffMs: 10, timeoutMs: 2000 } });

afterAll(async () => {
  for (const server of servers) await closeServer(server);
});

const subscribe = (url: string): Promise<Response> => hubFetch(`${hub().url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['uji.dibuat'], url }) });

describe('webhook targets', () => {
  it('refuses loopback, link-local, metadata, special and non-allowlisted private targets at creation', async () => {
    const loopback = await target('127.0.0.1', (res) => res.writeHead(204).end());
    const port = new URL(loopback).port;
    const refused = [
      loopback,
      `http://localhost:${port}/hook`,
      `http://0x7f.1:${port}/hook`,
      `http://2130706433:${port}/hook`,
      `http://0177.0.0.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      'http://169.254.10.20/hook',
      'http://[fe80::1]/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://metadata.google.internal./computeMetadata/v1/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://100.100.100.200/latest/meta-data/',
      'http://10.20.30.40/hook',
      'http://192.168.1.1/hook',
      'http://172.16.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[::]/hook',
      'http://224.0.0.1/hook',
      'http://user:pass@example.go.id/hook',
    ];
    const answers: Record<string, string> = {};
    for (const url of refused) {
      const response = await subscribe(url);
      const body = (await response.json()) as { code?: string };
      answers[url] = `${response.status} ${response.headers.get('content-type')?.split(';')[0]} ${body.code}`;
    }
    expect(answers).toEqual(Object.fromEntries(refused.map((url) => [url, '422 application/problem+json webhook-target-refused'])));
    expect(hits).toEqual([]);
    // The answer names the range, not the addresses a name resolves to (no map of the intranet).
    const { detail } = (await (await subscribe(`http://localhost:${port}/hook`)).json()) as { detail: string };
    expect(detail).toBe('url: localhost resolves to a loopback address outside webhooks.allowedNetworks');
  });

  it('delivers to an allowlisted intranet range', async () => {
    const receiver = await target('127.77.0.10', (res) => res.writeHead(204).end());
    const created = await subscribe(`${receiver}/hook`);
    expect(created.status).toBe(201);
    await postJson(`${hub().url}/v1/events`, sampleEvent('ssrf-intranet-1'));
    await waitFor(() => hits.includes('127.77.0.10/hook'), 15_000, 'the delivery to the intranet receiver');
  });

  it('does not follow a redirect to loopback: the delivery fails with the reason', async () => {
    const loopback = await target('127.0.0.1', (res) => res.writeHead(204).end());
    const redirector = await target('127.77.0.11', (res) => res.writeHead(302, { location: `${loopback}/stolen` }).end());
    const created = await subscribe(`${redirector}/hook`);
    expect(created.status).toBe(201);
    const { subscription } = (await created.json()) as { subscription: { id: string } };
    await postJson(`${hub().url}/v1/events`, sampleEvent('ssrf-redirect-1'));
    let deliveries: { outcome: string; http_status: number; error: string }[] = [];
    await waitFor(async () => {
      deliveries = ((await (await hubFetch(`${hub().url}/v1/subscriptions/${subscription.id}/deliveries`)).json()) as { deliveries: typeof deliveries }).deliveries;
      return deliveries.length > 0;
    }, 15_000, 'a delivery attempt');
    expect(deliveries[0]).toMatchObject({ outcome: expect.stringMatching(/failed|dead/), http_status: 302, error: 'HTTP 302 (redirects are not followed)' });
    expect(hits.filter((hit) => hit.startsWith('127.0.0.1'))).toEqual([]);
  });

  it('checks the resolved address again when a delivery connects', async () => {
    const loopback = await target('127.0.0.1', (res) => res.writeHead(204).end());
    const transport = new WebhookTransport({ allowedNetworks: [intranet], allowLoopback: false }, 2000);
    try {
      // A name that passed (or was not yet) checked at creation resolves to loopback now.
      const refusal = await transport.post(`http://localhost:${new URL(loopback).port}/rebound`, {}, '{}').then(() => undefined, (error: unknown) => error);
      expect(refusal).toBeInstanceOf(TargetRefused);
      expect((refusal as Error).message).toBe('localhost resolves to a loopback address outside webhooks.allowedNetworks');
      await expect(transport.post(`http://2130706433:${new URL(loopback).port}/literal`, {}, '{}')).rejects.toBeInstanceOf(TargetRefused);
      expect(hits.filter((hit) => hit.includes('/rebound') || hit.includes('/literal'))).toEqual([]);
      const intranetReceiver = await target('127.77.0.12', (res) => res.writeHead(204).end());
      expect(await transport.post(`${intranetReceiver}/ok`, {}, '{}')).toBe(204);
    } finally {
      transport.close();
    }
  });
});
