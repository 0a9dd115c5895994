// The sandbox's start-up examples, each with the key of a demo client whose rights allow it: a
// developer who copies one sees what their own app would get (masked to its clearance), never
// the operator's full view. An operation no app may call is shown with an operator's key.
import { classificationRank } from '../domain/classification.js';
import type { Client } from '../security/clients.js';
import { holds } from '../security/rights.js';
import type { ConnectorLayer } from './connector-layer.js';
import type { Operation } from './manifest.js';

/** The sandbox's example OPD service, and the client whose grant the example call uses. */
export interface SandboxServiceGuide {
  id: string;
  title: string;
  url: string;
  example: string;
  grantee?: string;
}

/** The demo clients the sandbox issued keys to at this start. */
export interface DemoClients {
  /** Client id → its key, in the clients file's order. */
  keys: Record<string, string>;
  client(id: string): Client | undefined;
}

export interface SandboxExample {
  clientId: string;
  /** What it shows (`siak cari-penduduk`). */
  label: string;
  /** A curl command line carrying the client's key. */
  command: string;
}

/** The right a manifest operation's example needs: publishing its event type for an outbound one. */
export function exampleRight(connectorId: string, operationId: string, operation: Operation): string {
  return operation.kind === 'outbound' ? `events:publish:${operation.eventType}` : `${connectorId}:${operationId}`;
}

/** `curl …` with the key's header added after `curl`. */
export function withKey(example: string, key: string): string {
  return example.replace(/^curl /, `curl -H 'X-API-Key: ${key}' `);
}

/**
 * The demo client an example runs as: the least-cleared app holding `right` (the one whose
 * answer shows most masking), else an operator holding it; undefined when none does.
 */
export function clientFor(right: string, demo: DemoClients): Client | undefined {
  const holders = Object.keys(demo.keys).map((id) => demo.client(id)).filter((client): client is Client => client !== undefined && holds(client, right));
  const apps = holders.filter((client) => client.role === 'app').sort((a, b) => classificationRank(a.clearance) - classificationRank(b.clearance));
  return apps[0] ?? holders.find((client) => client.role === 'operator');
}

export function sandboxExamples(url: string, connectors: Pick<ConnectorLayer, 'runtimes'>, demo: DemoClients, service?: SandboxServiceGuide): SandboxExample[] {
  const examples: SandboxExample[] = [];
  const add = (right: string, label: string, example: string): void => {
    const client = clientFor(right, demo);
    if (client) examples.push({ clientId: client.id, label, command: withKey(example.replaceAll('{hub}', url), demo.keys[client.id]!) });
  };
  add('catalog:read', 'catalogue', `curl ${url}/v1/catalog`);
  for (const runtime of connectors.runtimes) {
    for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
      if (operation.example) add(exampleRight(runtime.id, operationId, operation), `${runtime.id} ${operationId}`, operation.example);
    }
  }
  if (service) {
    // Called with the grantee's key: the call goes through its approved access request, not its own rights.
    const granteeKey = service.grantee ? demo.keys[service.grantee] : undefined;
    if (service.grantee && granteeKey) examples.push({ clientId: service.grantee, label: `layanan ${service.id}`, command: withKey(service.example.replaceAll('{hub}', url), granteeKey) });
    add('services:publish', `access requests to ${service.id}`, `curl ${url}/v1/access-requests`);
  }
  return examples;
}
