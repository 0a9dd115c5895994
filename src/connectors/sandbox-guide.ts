// In sandbox mode the start-up tells a new user what to try: where each upstream simulator
// listens (and where to see the requests it received) and the example request each manifest
// gives for its operations. Plain text on stderr, for the person at the terminal; the JSON log
// on stdout stays machine-readable.
import type { ConnectorLayer } from './connector-layer.js';

/** The sandbox's example OPD service, and the client whose grant the example call uses. */
export interface SandboxServiceGuide {
  id: string;
  title: string;
  url: string;
  example: string;
  grantee?: string;
}

export function printSandboxGuide(url: string, connectors: ConnectorLayer, keys: Record<string, string>, service?: SandboxServiceGuide): void {
  const operatorKey = keys['operator-diskominfo'];
  const curl = (example: string): string => (operatorKey ? example.replace(/^curl /, `curl -H 'X-API-Key: ${operatorKey}' `) : example);
  const lines = [
    'Sandbox ready. API keys issued for this start (shown once; the hub keeps only their SHA-256):',
    ...Object.entries(keys).map(([client, key]) => `  ${client.padEnd(22)} ${key}`),
    `Dashboard: ${url}/dashboard (each operator signs in with their own key, so the audit log names them)`,
    `Catalogue: ${curl(`curl ${url}/v1/catalog`)}`,
  ];
  for (const runtime of connectors.runtimes) {
    const simulator = connectors.simulators.get(runtime.id);
    lines.push(`  ${runtime.id}: upstream ${simulator ? `simulator at ${simulator.url}` : runtime.baseUrl}`);
    // What the hub sent it: the simulator kit records every call.
    if (simulator?.requests) lines.push(`    requests it received: curl ${simulator.url}/_simulator/requests`);
    for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
      if (operation.example) lines.push(`    ${operationId}: ${curl(operation.example.replaceAll('{hub}', url))}`);
    }
  }
  if (service) {
    const granteeKey = service.grantee ? keys[service.grantee] : undefined;
    lines.push(`OPD service ${service.id} (${service.title}): at ${service.url}; requests waiting: ${curl(`curl ${url}/v1/access-requests`)}`);
    // Called with the grantee's key: the call goes through its approved access request, not an operator's rights.
    const example = service.example.replaceAll('{hub}', url);
    lines.push(`    ${service.grantee ?? 'call'}: ${granteeKey ? example.replace(/^curl /, `curl -H 'X-API-Key: ${granteeKey}' `) : curl(example)}`);
  }
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
}
