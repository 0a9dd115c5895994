// Every right some operation of the hub checks, read from what /openapi.json says each operation
// needs (`x-penghubung-right`): the connectors', the OPD services' and the fixed routes' rights,
// `events:publish:<type>` and `events:subscribe:<type>` for every event type the hub knows, and
// the scraper's right to GET /metrics (not in the document). The admin API refuses any other.
import type { Logger } from 'pino';
import type { Client } from '../security/clients.js';
import { unknownRights } from '../security/right-names.js';
import { METRICS_RIGHT } from './routes/metrics.js';

/** What `x-penghubung-right` may say that is not a right. */
const notRights = new Set(['public', 'role:any', 'role:operator']);

export function knownRights(document: object, eventTypes: readonly string[]): string[] {
  const rights = new Set<string>([METRICS_RIGHT]);
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const methods of Object.values(paths)) {
    for (const operation of Object.values(methods)) {
      const named = (operation as { 'x-penghubung-right'?: unknown } | null)?.['x-penghubung-right'];
      if (typeof named !== 'string') continue;
      // `services:publish or services:request`: either right opens the route.
      for (const right of named.split(' or ')) {
        if (notRights.has(right)) continue;
        if (right.includes('<type>')) for (const type of eventTypes) rights.add(right.replace('<type>', type));
        else rights.add(right);
      }
    }
  }
  return [...rights].sort();
}

/** The clients file is not refused (it may name a service registered later), but a typo in it is told at start. */
export function warnUnknownRights(clients: readonly Client[], known: readonly string[], logger: Logger): void {
  for (const client of clients) {
    const problems = unknownRights(client.rights, known);
    if (problems.length > 0) logger.warn({ client: client.id, rights: problems.map((problem) => problem.message) }, 'a client in the clients file holds rights that name no operation');
  }
}
