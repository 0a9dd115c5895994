// An OPD app's webhook endpoint on 127.0.0.1, as the tests need one: it verifies each delivery's
// Standard Webhooks signature with the subscription's secret (answering 401 to one that fails, as a
// real receiver would), records every delivery it accepts (duplicates included, with its
// `webhook-id`), can answer 500 to chosen events, and can go down and come back on its port.
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { closeServer, listen } from './http-servers.js';

export interface ReceivedDelivery {
  webhookId: string;
  id: string;
  source: string;
  type: string;
  subject: string | undefined;
  data: Record<string, unknown>;
  /** The whole event as delivered (`masked` and the other extensions included). */
  event: Record<string, unknown>;
  verified: boolean;
  /** Date.now() when it arrived. */
  at: number;
}

export class WebhookReceiver {
  /** Every delivery it accepted, oldest first, duplicates included. */
  readonly deliveries: ReceivedDelivery[] = [];
  /** Event ids it answers 500 to, every time (not recorded). */
  readonly failing = new Set<string>();
  /** The subscription's secret (`whsec_…`), from the answer that created it. */
  secret = '';
  /** Every POST that reached it, refused ones included. */
  posts = 0;
  port = 0;
  private server: Server | undefined;

  constructor(private readonly path = '/hook') {}

  /** Listens on a free port, or on `port` again after stop(). */
  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.posts++;
        let verified: boolean;
        try {
          new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
        const event = JSON.parse(body) as Record<string, unknown> & { id: string; source: string; type: string; subject?: string; data: Record<string, unknown> };
        if (this.failing.has(event.id)) return void res.writeHead(500).end();
        this.deliveries.push({ webhookId: String(req.headers['webhook-id']), id: event.id, source: event.source, type: event.type, subject: event.subject, data: event.data, event, verified, at: Date.now() });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    this.port = Number(new URL(await listen(this.server, '127.0.0.1', port)).port);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  /** The first delivery of each webhook-id: what an app that dedupes by it (as Standard Webhooks asks) processes. */
  get received(): ReceivedDelivery[] {
    const seen = new Set<string>();
    return this.deliveries.filter((delivery) => !seen.has(delivery.webhookId) && seen.add(delivery.webhookId));
  }

  /** Event ids (`<source> <id>`) delivered at least once. */
  delivered(): Set<string> {
    return new Set(this.deliveries.map((delivery) => `${delivery.source} ${delivery.id}`));
  }

  /** Deliveries beyond the first of each event. */
  duplicates(): number {
    return this.deliveries.length - this.delivered().size;
  }

  /** Events that reached it under more than one webhook-id (an app dedupes by webhook-id, so these would be processed twice). */
  eventsWithSeveralWebhookIds(): string[] {
    const ids = new Map<string, Set<string>>();
    for (const delivery of this.deliveries) {
      const key = `${delivery.source} ${delivery.id}`;
      ids.set(key, (ids.get(key) ?? new Set()).add(delivery.webhookId));
    }
    return [...ids].filter(([, webhookIds]) => webhookIds.size > 1).map(([key]) => key);
  }
}

/**
 * Subscribes `receiver` to `types` at the hub (or balancer) `hubUrl` through `fetcher` (which
 * carries the client's credential), keeps the secret the answer gives, and returns the
 * subscription's id with the answer (whose headers say which instance made it); anything but 201
 * throws with the answer.
 */
export async function subscribeReceiver(hubUrl: string, receiver: WebhookReceiver, types: string[], fetcher: (url: string, init: RequestInit) => Promise<Response>): Promise<{ id: string; response: Response }> {
  const response = await fetcher(`${hubUrl}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types, url: receiver.url }) });
  if (response.status !== 201) throw new Error(`subscribing failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { subscription: { id: string }; secret: string };
  receiver.secret = body.secret;
  return { id: body.subscription.id, response };
}
