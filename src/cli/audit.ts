// `penghubung audit verify` checks the audit store's hash chain and batch signatures and prints
// the first bad record; `penghubung audit export` writes its entries as JSON lines for
// archiving. Both open the store read-only, so they run beside a running hub.
// Exit codes: 0 intact (or exported), 1 tampered or unreadable, 2 bad usage.
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config/config.js';
import { projectPath } from '../schemas.js';
import { AUDIT_FILE } from '../security/audit/index.js';
import { KEY_FILE_ENV } from '../security/audit/keys.js';
import { verifyAuditStore, type VerifyResult } from '../security/audit/verify.js';
import type { Output } from './check.js';
import { UsageError } from './usage-error.js';

/**
 * The environment loadConfig should see: PENGHUBUNG_* variables that name no configuration
 * section (PENGHUBUNG_AUDIT_KEY_FILE, PENGHUBUNG_URL, PENGHUBUNG_API_KEY) are left out, as
 * loadConfig refuses them as unknown keys.
 */
function configurationEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const schema = JSON.parse(readFileSync(projectPath('schemas', 'config.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
  const sections = new Set(Object.keys(schema.properties));
  const section = (name: string): string => name.slice('PENGHUBUNG_'.length).split('__')[0]!.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PENGHUBUNG_') || name === 'PENGHUBUNG_CONFIG' || (name !== KEY_FILE_ENV && sections.has(section(name)))));
}

export async function audit(argv: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [subcommand, ...args] = argv;
  switch (subcommand) {
    case 'verify': {
      const options = { file: { type: 'string' }, 'public-key': { type: 'string', multiple: true }, anchor: { type: 'string' }, json: { type: 'boolean' } } as const;
      const { values } = parsed('audit verify', () => parseArgs({ args, options, allowPositionals: false }));
      const file = storeFile(values.file, env);
      const keys = (values['public-key'] ?? []).map(readPublicKey);
      const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
      if (!existsSync(file)) throw new UsageError(`no audit store at ${file} (pass --file <audit.db>)`);
      const result = verifyAuditStore(file, { ...(keys.length > 0 ? { publicKeyPem: keys } : {}), ...(anchor ? { anchor } : {}) });
      if (values.json) output.out(JSON.stringify({ file, ...result }, null, 2));
      else report(output, file, result, keys.length > 0);
      return result.ok ? 0 : 1;
    }
    case 'export': {
      const options = { file: { type: 'string' }, from: { type: 'string' } } as const;
      const { values } = parsed('audit export', () => parseArgs({ args, options, allowPositionals: false }));
      const file = storeFile(values.file, env);
      const from = values.from === undefined ? 1 : Number(values.from);
      if (!Number.isInteger(from) || from < 1) throw new UsageError(`audit export: --from must be a sequence number (1 or more), not ${values.from}`);
      return exportEntries(file, from, output);
    }
    case undefined:
      throw new UsageError('audit needs a subcommand: verify or export');
    default:
      throw new UsageError(`unknown audit subcommand "${subcommand}": use verify or export`);
  }
}

function report(output: Output, file: string, result: VerifyResult, given: boolean): void {
  const keys = result.keys.map((key) => key.keyId).join(', ') || 'none';
  const against = given ? `the given public key(s) (${keys})` : `the public key(s) stored in the file (${keys})`;
  if (result.ok) {
    output.out(`OK: ${file}: ${result.entries} entries in ${result.batches} signed batches, chain and signatures intact, verified against ${against}.`);
    if (result.head) output.out(`Head: seq ${result.head.seq} hash ${result.head.hash} (note it elsewhere; --anchor ${result.head.seq}:${result.head.hash} checks the log still holds it).`);
    if (!given) output.out('Note: a stored key shows edits made without the private key; pass --public-key <file kept off this machine> for a check that a re-signed log cannot pass.');
    return;
  }
  const bad = result.firstBad!;
  output.out(`TAMPERED: ${file}: first bad record: seq ${bad.seq}${bad.lastSeq !== undefined && bad.lastSeq !== bad.seq ? `-${bad.lastSeq}` : ''} (${bad.problem})${bad.batch !== undefined ? `, batch ${bad.batch}` : ''}`);
  output.out(`  ${bad.detail}`);
  if (bad.record) output.out(`  stored record: ${exportLine(bad.record)}`);
  output.out(`  ${result.checked} of ${result.entries} entries verified before it, against ${against}.`);
}

function exportEntries(file: string, from: number, output: Output): number {
  if (!existsSync(file)) throw new UsageError(`no audit store at ${file} (pass --file <audit.db>)`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.exec('BEGIN'); // one snapshot while the hub appends
    const rows = db.prepare('SELECT seq, entry, prev_hash, hash FROM entries WHERE seq >= ? ORDER BY seq').iterate(from) as IterableIterator<{ seq: number; entry: string; prev_hash: string; hash: string }>;
    for (const row of rows) output.out(exportLine(row));
    db.exec('COMMIT');
    return 0;
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) throw error;
    output.err(`penghubung: ${file} is not a readable audit store: ${error.message}`);
    return 1;
  } finally {
    db?.close();
  }
}

/** One JSON line; `entry` is the stored canonical text verbatim, so the line re-verifies. */
function exportLine(row: { seq: number; entry: string; prev_hash: string; hash: string }): string {
  return `{"seq":${row.seq},"hash":${JSON.stringify(row.hash)},"prev_hash":${JSON.stringify(row.prev_hash)},"entry":${row.entry}}`;
}

function storeFile(given: string | undefined, env: NodeJS.ProcessEnv): string {
  if (given !== undefined) return resolve(given);
  try {
    return join(resolve(loadConfig(configurationEnv(env)).dataDir), AUDIT_FILE);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${error.message}\n(or name the store with --file <audit.db>)`);
    throw error;
  }
}

function readPublicKey(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the public key ${file}: ${(error as Error).message}`);
  }
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch (error) {
    throw new UsageError(`${file} is not a PEM public key: ${(error as Error).message}`);
  }
  if (type !== 'ed25519') throw new UsageError(`${file} is a ${type ?? 'non-asymmetric'} key; the audit log is signed with Ed25519`);
  return pem;
}

function parseAnchor(text: string): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match || Number(match[1]) < 1) throw new UsageError(`--anchor must be <seq>:<hash> as verify prints it, not ${text}`);
  return { seq: Number(match[1]), hash: match[2]! };
}

function parsed<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}
