// `penghubung rejected <connector>` and `penghubung poll <connector> <operation>`: what a
// connector quarantined, and one poll run now, through a running hub's admin API.
import type { Output } from './check.js';
import { hubRequest } from './hub-client.js';

export interface OperatorTarget {
  hub: string;
  apiKey: string | undefined;
  json: boolean;
}

interface Rejection { id: number; operation: string; via: string; index: number; reason: string; detail: string; cursor: string | null; last_rejected_at: string; times: number }

export async function listRejected(target: OperatorTarget, connector: string, filters: { operation?: string; reason?: string; limit?: string }, output: Output): Promise<number> {
  const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const body = (await hubRequest(target.hub, target.apiKey, 'GET', `/v1/connectors/${encodeURIComponent(connector)}/rejected?${query}`)) as { items: Rejection[]; next: string | null };
  if (target.json) {
    output.out(JSON.stringify(body, null, 2));
    return 0;
  }
  if (body.items.length === 0) output.out(`No rejected records of ${connector} match.`);
  for (const r of body.items) {
    const where = r.via === 'poll' ? `polled page ${r.cursor ?? '(first)'}` : 'push';
    output.out(`#${r.id}  ${r.operation}  ${r.reason}  record ${r.index} of a ${where}  last ${r.last_rejected_at}${r.times > 1 ? ` (${r.times} times)` : ''}\n    ${r.detail}`);
  }
  if (body.next) output.out(`More: the API's next page is after=${body.next}`);
  return 0;
}

interface Outcome { pages: number; read: number; published: number; unchanged: number; rejected: number; error: { code: string; detail: string } | null }

/** Exit 1 when the poll itself failed (the hub answered, the upstream did not). */
export async function pollNow(target: OperatorTarget, connector: string, operation: string, output: Output): Promise<number> {
  const outcome = (await hubRequest(target.hub, target.apiKey, 'POST', `/v1/connectors/${encodeURIComponent(connector)}/operations/${encodeURIComponent(operation)}/poll`)) as Outcome;
  if (target.json) output.out(JSON.stringify(outcome, null, 2));
  else {
    output.out(`${connector}/${operation}: ${outcome.pages} page(s), ${outcome.read} record(s) read, ${outcome.published} published, ${outcome.unchanged} unchanged, ${outcome.rejected} rejected`);
    if (outcome.error) output.out(`  stopped: ${outcome.error.code}: ${outcome.error.detail}`);
    if (outcome.rejected > 0) output.out(`  see: penghubung rejected ${connector} --operation ${operation}`);
  }
  return outcome.error ? 1 : 0;
}
