// In sandbox mode the start-up log tells a new user what to try: where each upstream simulator
// listens and the example request each manifest gives for its operations.
import type { Logger } from 'pino';
import type { ConnectorLayer } from './connector-layer.js';

export function logSandboxGuide(logger: Logger, url: string, connectors: ConnectorLayer): void {
  const lines = [`Sandbox ready. Catalogue: curl ${url}/v1/catalog`];
  for (const runtime of connectors.runtimes) {
    const simulator = connectors.simulators.get(runtime.id);
    lines.push(`  ${runtime.id}: upstream ${simulator ? `simulator at ${simulator.url}` : runtime.baseUrl}`);
    for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
      if (operation.example) lines.push(`    ${operationId}: ${operation.example.replaceAll('{hub}', url)}`);
    }
  }
  logger.info(lines.join('\n'));
}
