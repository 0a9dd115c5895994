// `npx penghubung <command>` (bin/penghubung.js): start the hub, scaffold a connector, run the
// contract kit. Exit codes: 0 done, 1 a check failed (or the file system refused), 2 bad usage.
import { parseArgs } from 'node:util';
import type { Output } from './check.js';
import { UsageError } from './usage-error.js';

export const usage = `penghubung: the integration hub's command line

Usage:
  penghubung start
      Start the hub on its configuration (same as npm start).
  penghubung connector new <id> [--dir <connectors dir>] [--name "…"] [--owner "…"]
      Scaffold <connectors dir>/<id>/ (default connectors/<id>/): a manifest, a mapping, a
      canonical schema, fixtures, a simulator and a README that the hub loads and the
      contract kit passes at once. <id>: lower-case letters, digits and -, 2 to 31 characters.
  penghubung connector check [<dir>...]
      Run the contract kit on connector folders (default: every folder under connectors/).
  penghubung dead-letters list [--connector c] [--type t] [--status parked|replayed|discarded] [--from t] [--to t] [--json]
  penghubung dead-letters show <id>
  penghubung dead-letters replay <id>... | --connector c | --type t | --from t | --to t
  penghubung dead-letters discard <id> --reason "…"
      Dead-letter operations of a running hub, through its admin API
      (--hub <url>, or PENGHUBUNG_URL; default the address of its configuration), as an
      operator (--api-key <key>, or PENGHUBUNG_API_KEY).
  penghubung rejected <connector> [--operation o] [--reason r] [--limit n] [--json]
      The records a connector quarantined instead of publishing, newest first, with why.
  penghubung poll <connector> <operation> [--json]
      Run one poll of the operation now and print its outcome (exit 1 when the poll failed).
      These and dead-letters reach the hub at --hub <url>, else PENGHUBUNG_URL, else the address
      of its configuration (http.host, http.port), as an operator (--api-key or PENGHUBUNG_API_KEY).
  penghubung audit verify [--file <audit.db>] [--public-key <pem file>]... [--anchor <seq>:<hash>] [--json]
      Check the audit log's hash chain and batch signatures; print the first bad record (exit 1).
      --public-key: the public key kept off this machine (the check an attacker who can write
      the store cannot pass); repeat it for rotated keys. --anchor: the head an earlier verify
      printed (detects a truncated or re-signed log).
  penghubung audit export [--file <audit.db>] [--from <seq>]
      The entries as JSON lines on stdout ({"seq","hash","prev_hash","entry"}), for archiving.
      Default file: <dataDir>/audit.db. See docs/AUDIT.md.
  penghubung cluster-keys <dir> [--clients <clients file>]
      Make what every instance of one cluster must share, once, in <dir>: the webhook secret
      key, the state key (security.stateKeyFile, sealing the shared token-signing keys) and a clients file
      with an API key for each client of --clients (default config/clients.yaml) that has none;
      print those keys. Run again, it keeps what is there.
  penghubung help
      This text.

Exit codes: 0 success, 1 a contract case failed, 2 bad usage.
Walkthrough for adding a connector: docs/CONNECTORS.md`;

const console_: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs one command. Resolves to the exit code, or to 'running' when the command keeps the
 * process alive (start).
 */
export async function main(argv: string[], output: Output = console_): Promise<number | 'running'> {
  try {
    return await dispatch(argv, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`penghubung: ${error.message}`);
      output.err(`Run "penghubung help" for usage.`);
      return 2;
    }
    // The hub's configuration (read for its address) names the key at fault: one line.
    if (error instanceof Error && error.name === 'ConfigError') {
      output.err(`penghubung: ${error.message}`);
      return 1;
    }
    // A file system refusal (EACCES, ENOTDIR, ENOSPC, …) is the user's to fix, not a stack trace.
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).syscall) {
      output.err(`penghubung: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function dispatch(argv: string[], output: Output): Promise<number | 'running'> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    output.out(usage);
    return 0;
  }
  switch (command) {
    case 'start':
      if (rest.length > 0) throw new UsageError(`start takes no arguments (got ${rest.join(' ')}); configure the hub with PENGHUBUNG_CONFIG or environment variables`);
      await import('../main.js');
      return 'running';
    case 'connector':
      return connector(rest, output);
    case 'dead-letters': {
      const [subcommand, ...args] = rest;
      if (!subcommand) throw new UsageError('dead-letters needs a subcommand: list, show, replay or discard');
      const options = { hub: { type: 'string' }, 'api-key': { type: 'string' }, connector: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } } as const;
      const { values, positionals } = parsed(`dead-letters ${subcommand}`, () => parseArgs({ args, options, allowPositionals: true }));
      const { deadLetters } = await import('./dead-letters.js');
      return deadLetters({
        hub: (await import('./hub-client.js')).hubAddress(values.hub, process.env),
        apiKey: values['api-key'] ?? process.env.PENGHUBUNG_API_KEY,
        subcommand,
        positionals,
        filters: { connector: values.connector, type: values.type, status: values.status, from: values.from, to: values.to },
        reason: values.reason,
        json: values.json ?? false,
      }, output);
    }
    case 'rejected': {
      const options = { hub: { type: 'string' }, 'api-key': { type: 'string' }, operation: { type: 'string' }, reason: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } as const;
      const { values, positionals } = parsed('rejected', () => parseArgs({ args: rest, options, allowPositionals: true }));
      if (positionals.length !== 1) throw new UsageError('rejected takes one <connector>');
      const { listRejected } = await import('./operator-commands.js');
      return listRejected(await operatorTarget(values), positionals[0]!, { operation: values.operation, reason: values.reason, limit: values.limit }, output);
    }
    case 'poll': {
      const options = { hub: { type: 'string' }, 'api-key': { type: 'string' }, json: { type: 'boolean' } } as const;
      const { values, positionals } = parsed('poll', () => parseArgs({ args: rest, options, allowPositionals: true }));
      if (positionals.length !== 2) throw new UsageError('poll takes <connector> <operation>');
      const { pollNow } = await import('./operator-commands.js');
      return pollNow(await operatorTarget(values), positionals[0]!, positionals[1]!, output);
    }
    case 'cluster-keys': {
      const options = { clients: { type: 'string' } } as const;
      const { values, positionals } = parsed('cluster-keys', () => parseArgs({ args: rest, options, allowPositionals: true }));
      if (positionals.length !== 1) throw new UsageError('cluster-keys takes one <dir>');
      const { clusterKeysCommand } = await import('./cluster-keys.js');
      const { projectPath } = await import('../schemas.js');
      return clusterKeysCommand(positionals[0]!, values.clients ?? projectPath('config', 'clients.yaml'), output.out);
    }
    case 'audit': {
      const { audit } = await import('./audit.js');
      return audit(rest, output);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function connector(argv: string[], output: Output): Promise<number> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case 'new':
      return connectorNew(rest, output);
    case 'check': {
      const { positionals } = parsed('connector check', () => parseArgs({ args: rest, options: {}, allowPositionals: true }));
      const { checkConnectors } = await import('./check.js');
      const summary = await checkConnectors(positionals, output);
      return summary.failed > 0 ? 1 : 0;
    }
    case undefined:
      throw new UsageError('connector needs a subcommand: new or check');
    default:
      throw new UsageError(`unknown connector subcommand "${subcommand}": use new or check`);
  }
}

async function connectorNew(argv: string[], output: Output): Promise<number> {
  const options = { dir: { type: 'string' }, name: { type: 'string' }, owner: { type: 'string' } } as const;
  const { values, positionals } = parsed('connector new', () => parseArgs({ args: argv, options, allowPositionals: true }));
  if (positionals.length !== 1) throw new UsageError(`connector new takes one <id>${positionals.length > 1 ? `, not ${positionals.length} (${positionals.join(' ')})` : ''}`);
  const { scaffoldConnector, displayPath } = await import('./scaffold.js');
  const { directory, files } = scaffoldConnector({
    id: positionals[0]!,
    ...(values.dir !== undefined ? { connectorsDirectory: values.dir } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.owner !== undefined ? { owner: values.owner } : {}),
  });
  const shown = displayPath(directory);
  output.out(`Created ${shown}/ (${files.length} files):`);
  for (const file of files) output.out(`  ${file}`);
  output.out('');
  output.out('Next:');
  output.out(`  npx penghubung connector check ${shown}`);
  output.out(`  grant ${positionals[0]}:cari-rekaman to a client in config/clients.yaml, npm start, then:`);
  output.out(`  curl -H "X-API-Key: <its key>" ${(await import('./hub-client.js')).hubAddress(undefined, process.env)}/v1/${positionals[0]}/rekaman/A-001`);
  output.out(`  replace what ${shown}/README.md lists (walkthrough: docs/CONNECTORS.md)`);
  return 0;
}

async function operatorTarget(values: { hub?: string; 'api-key'?: string; json?: boolean }): Promise<{ hub: string; apiKey: string | undefined; json: boolean }> {
  const { hubAddress } = await import('./hub-client.js');
  return { hub: hubAddress(values.hub, process.env), apiKey: values['api-key'] ?? process.env.PENGHUBUNG_API_KEY, json: values.json ?? false };
}

/** node:util parseArgs (strict: unknown options are refused), its complaints as usage errors. */
function parsed<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}
