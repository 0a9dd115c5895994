// The daily-quota gates of all instances as one: when one instance learns an upstream's quota is
// used up, it writes when the quota resets to the state layer and every instance stops calling
// until then; a reopen is shared the same way. (Another instance may spend a few calls on
// refusals in the moment before the change reaches it; those refusals exhaust its gate too.)
import type { Logger } from 'pino';
import type { StateLayer } from '../state/state-layer.js';
import type { ConnectorRuntime } from './connector-runtime.js';

interface ExhaustedQuota {
  resets_at: string;
}

/** Links every runtime's quota gate to the shared table; returns the function that unlinks them. */
export function shareQuotas(runtimes: Pick<ConnectorRuntime, 'id' | 'quota'>[], state: StateLayer, logger: Logger): () => void {
  const table = state.table<ExhaustedQuota>('upstream-quotas');
  const gates = new Map(runtimes.flatMap((r) => (r.quota ? [[r.id, r.quota] as const] : [])));
  for (const [connector, gate] of gates) {
    const shared = table.get(connector);
    if (shared) gate.adopt(new Date(shared.resets_at));
    gate.observe((until) => {
      const written = until ? table.put(connector, { resets_at: until.toISOString() }) : table.delete(connector);
      written.catch((error: unknown) => logger.warn({ err: error, connector }, 'could not share the upstream quota state; other instances learn it from their own calls'));
    });
  }
  return table.onChange(({ key, value, origin }) => {
    if (origin === 'remote') gates.get(key)?.adopt(value ? new Date(value.resets_at) : undefined);
  });
}
