// `penghubung cluster-keys`: what every instance of a cluster shares is made once, kept when run
// again, and the printed API keys are the ones the clients file holds hashes of.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { projectPath } from '../../src/schemas.js';

const root = mkdtempSync(join(tmpdir(), 'penghubung-cluster-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number | 'running'; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('penghubung cluster-keys', () => {
  it('makes the shared keys once and prints API keys the clients file knows by hash', async () => {
    const dir = join(root, 'keys');
    const first = await run('cluster-keys', dir);
    expect(first.code).toBe(0);

    const printed = Object.fromEntries(first.out.filter((line) => line.startsWith('  ')).map((line) => line.trim().split(/\s+/) as [string, string]));
    const template = parse(readFileSync(projectPath('config', 'clients.yaml'), 'utf8')) as { clients: { id: string }[] };
    expect(Object.keys(printed).sort()).toEqual(template.clients.map((client) => client.id).sort());
    const clients = parse(readFileSync(join(dir, 'clients.yaml'), 'utf8')) as { clients: { id: string; apiKeySha256: string[] }[] };
    for (const client of clients.clients) expect(client.apiKeySha256).toEqual([createHash('sha256').update(printed[client.id]!).digest('hex')]);

    for (const key of ['webhook-secrets.key', 'state.key']) expect(Buffer.from(readFileSync(join(dir, key), 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(readFileSync(join(dir, 'state.key'), 'utf8')).not.toBe(readFileSync(join(dir, 'webhook-secrets.key'), 'utf8'));
    for (const file of ['webhook-secrets.key', 'state.key', 'clients.yaml', 'api-keys.json']) expect(statSync(join(dir, file)).mode & 0o077).toBe(0);

    // Run again (a restarted deployment): the same keys, nothing replaced.
    const again = await run('cluster-keys', dir);
    expect(again.out).toEqual(first.out);
  });

  it('refuses a call without its directory (exit 2)', async () => {
    const refused = await run('cluster-keys');
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toContain('cluster-keys takes one <dir>');
    expect(existsSync(join(root, 'undefined'))).toBe(false);
  });
});
