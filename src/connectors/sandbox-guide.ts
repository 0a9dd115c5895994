// In sandbox mode the start-up tells a new user what to try: the demo clients' keys, where each
// upstream simulator listens (and where to see the requests it received), and, per demo client,
// the examples its rights allow, with its own key. Plain text on stderr, for the person at the
// terminal; the JSON log on stdout stays machine-readable.
import type { ConnectorLayer } from './connector-layer.js';
import { sandboxExamples, type DemoClients, type SandboxServiceGuide } from './sandbox-examples.js';

/** `settled`: false when the first polls had not reached the views in time, so a list may still be filling. */
export function printSandboxGuide(url: string, connectors: Pick<ConnectorLayer, 'runtimes' | 'simulators'>, demo: DemoClients, service?: SandboxServiceGuide, settled = true): void {
  const operators = Object.keys(demo.keys).filter((id) => demo.client(id)?.role === 'operator');
  const lines = [
    'Sandbox ready. API keys issued for this start (shown once; the hub keeps only their SHA-256):',
    ...Object.entries(demo.keys).map(([client, key]) => `  ${client.padEnd(22)} ${key}`),
    `Dashboard: ${url}/dashboard (sign in with an operator key: ${operators.join(', ') || 'none issued'})`,
    'Upstreams:',
  ];
  for (const runtime of connectors.runtimes) {
    const simulator = connectors.simulators.get(runtime.id);
    lines.push(`  ${runtime.id}: upstream ${simulator ? `simulator at ${simulator.url}` : runtime.baseUrl}`);
    // What the hub sent it: the simulator kit records every call.
    if (simulator?.requests || simulator?.recordsRequests) lines.push(`    requests it received: curl ${simulator.url}/_simulator/requests`);
  }
  if (service) lines.push(`OPD service ${service.id} (${service.title}): at ${service.url}`);
  lines.push(`Examples, each with the key of a demo client whose rights allow it (answers masked to its clearance)${settled ? '' : '; the first polls are still arriving, so a list may be empty for a few seconds'}:`);
  const examples = sandboxExamples(url, connectors, demo, service);
  for (const clientId of Object.keys(demo.keys)) {
    const own = examples.filter((example) => example.clientId === clientId);
    if (own.length === 0) continue;
    const client = demo.client(clientId);
    lines.push(`  as ${clientId}${client ? ` (${client.role}, clearance ${client.clearance})` : ''}:`);
    for (const example of own) lines.push(`    ${example.label}: ${example.command}`);
  }
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
}
