// `penghubung dead-letters …`: the dead-letter operations of a running hub, through its admin
// API (--hub, or PENGHUBUNG_URL, else the address of the hub's configuration: hub-client.ts).
import type { Output } from './check.js';
import { hubRequest } from './hub-client.js';
import { UsageError } from './usage-error.js';

export interface DeadLetterCommand {
  hub: string;
  /** An operator's API key (--api-key or PENGHUBUNG_API_KEY). */
  apiKey: string | undefined;
  subcommand: string;
  positionals: string[];
  filters: Record<string, string | undefined>;
  reason: string | undefined;
  json: boolean;
}

export async function deadLetters(command: DeadLetterCommand, output: Output): Promise<number> {
  const { subcommand, positionals, filters, reason } = command;
  const call = (method: string, path: string, body?: unknown): Promise<unknown> => hubRequest(command.hub, command.apiKey, method, path, body);
  const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined));
  switch (subcommand) {
    case 'list': {
      const body = (await call('GET', `/v1/dead-letters?${query}`)) as { dead_letters: { id: string; status: string; connector: string; operation: string; type: string; code: string; attempts: number; failed_at: string; reason: string }[] };
      if (command.json) return print(output, body);
      if (body.dead_letters.length === 0) output.out('No dead letters match.');
      for (const d of body.dead_letters) output.out(`${d.id}  ${d.status}  ${d.connector}/${d.operation}  ${d.type}  ${d.code} after ${d.attempts} attempt(s) at ${d.failed_at}\n    ${d.reason}`);
      return 0;
    }
    case 'show':
      return print(output, await call('GET', `/v1/dead-letters/${encodeURIComponent(one(positionals, 'show'))}`));
    case 'replay': {
      if (positionals.length > 0) {
        const results = [];
        for (const id of positionals) results.push(await call('POST', `/v1/dead-letters/${encodeURIComponent(id)}/replay`));
        return print(output, { replayed: results });
      }
      const selection = Object.fromEntries(query);
      if (Object.keys(selection).length === 0) throw new UsageError('dead-letters replay needs ids, or --connector, --type, --from or --to');
      return print(output, await call('POST', '/v1/dead-letters/replay', selection));
    }
    case 'discard':
      if (!reason) throw new UsageError('dead-letters discard needs --reason "…"');
      return print(output, await call('POST', `/v1/dead-letters/${encodeURIComponent(one(positionals, 'discard'))}/discard`, { reason }));
    default:
      throw new UsageError(`unknown dead-letters subcommand "${subcommand}": use list, show, replay or discard`);
  }
}

function one(positionals: string[], subcommand: string): string {
  if (positionals.length !== 1) throw new UsageError(`dead-letters ${subcommand} takes one <id>`);
  return positionals[0]!;
}

function print(output: Output, value: unknown): number {
  output.out(JSON.stringify(value, null, 2));
  return 0;
}
