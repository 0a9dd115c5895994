// An OPD app's webhook endpoint for the cluster tests: verifies the Standard Webhooks signature
// of every delivery and records each one, duplicates included, with its `webhook-id`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  webhookId: string;
  id: string;
  source: string;
  type: string;
  data: Record<string, unknown>;
  verified: boolean;
  at: number;
}

export class Receiver {
  readonly deliveries: Delivery[] = [];
  secret = '';
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        let verified: boolean;
        try {
          new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
        const event = JSON.parse(body) as { id: string; source: string; type: string; data: Record<string, unknown> };
        this.deliveries.push({ webhookId: String(req.headers['webhook-id']), id: event.id, source: event.source, type: event.type, data: event.data, verified, at: Date.now() });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
  }

  /** Event ids (`<source> <id>`) delivered at least once. */
  delivered(): Set<string> {
    return new Set(this.deliveries.map((delivery) => `${delivery.source} ${delivery.id}`));
  }

  /** Deliveries beyond the first of each event. */
  duplicates(): number {
    return this.deliveries.length - this.delivered().size;
  }

  /** Events that reached it under more than one webhook-id (a receiver dedupes by webhook-id, so these would be processed twice). */
  eventsWithSeveralWebhookIds(): string[] {
    const ids = new Map<string, Set<string>>();
    for (const delivery of this.deliveries) {
      const key = `${delivery.source} ${delivery.id}`;
      ids.set(key, (ids.get(key) ?? new Set()).add(delivery.webhookId));
    }
    return [...ids].filter(([, webhookIds]) => webhookIds.size > 1).map(([key]) => key);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((done) => this.server?.close(done));
  }
}

/** Subscribes `receiver` to `types` through `url` (the balancer) with the operator's key; returns the answer. */
export async function subscribe(url: string, receiver: Receiver, types: string[], fetcher: (url: string, init: RequestInit) => Promise<Response>): Promise<{ id: string; response: Response }> {
  const response = await fetcher(`${url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types, url: receiver.url }) });
  if (response.status !== 201) throw new Error(`subscribing failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { subscription: { id: string }; secret: string };
  receiver.secret = body.secret;
  return { id: body.subscription.id, response };
}
