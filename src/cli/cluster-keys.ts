// What every instance of one cluster must hold alike, made once before the first start: the key
// that seals webhook secrets (kept outside every data directory), the token-signing key (copied
// into each data directory, so a token from one instance verifies on all), and the clients file
// with an API key for each client that has none. A sandbox hub would otherwise issue its own keys
// at start, and a key printed by one instance would be unknown to the others.
// `penghubung cluster-keys <dir>` (deploy/compose.yaml runs it before the hubs) and `npm run cluster`.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface SharedKeys {
  webhookSecretKeyFile: string;
  tokenSigningKeyFile: string;
  clientsFile: string;
  /** Client id → the API key issued to it (kept only here and in the caller's output). */
  apiKeys: Record<string, string>;
}

/** Makes the keys in `dir` (kept when they exist, so a restarted cluster keeps its keys). */
export function makeSharedKeys(dir: string, clientsTemplate: string): SharedKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const webhookSecretKeyFile = join(dir, 'webhook-secrets.key');
  if (!existsSync(webhookSecretKeyFile)) writeFileSync(webhookSecretKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const tokenSigningKeyFile = join(dir, 'token-signing-key.pem');
  if (!existsSync(tokenSigningKeyFile)) writeFileSync(tokenSigningKeyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

  const keysFile = join(dir, 'api-keys.json');
  const clientsFile = join(dir, 'clients.yaml');
  if (!existsSync(keysFile) || !existsSync(clientsFile)) {
    const template = parse(readFileSync(clientsTemplate, 'utf8')) as { clients: { id: string; apiKeySha256?: string[] }[] };
    const apiKeys: Record<string, string> = {};
    for (const client of template.clients) {
      if (client.apiKeySha256?.length) continue;
      const key = `phb_${randomBytes(9).toString('hex').slice(0, 12)}_${randomBytes(32).toString('base64url')}`;
      apiKeys[client.id] = key;
      client.apiKeySha256 = [createHash('sha256').update(key).digest('hex')];
    }
    writeFileSync(clientsFile, `# Made by penghubung cluster-keys from ${clientsTemplate}: the same keys on every instance.\n${stringify(template)}`, { mode: 0o600 });
    writeFileSync(keysFile, `${JSON.stringify(apiKeys, null, 2)}\n`, { mode: 0o600 });
  }
  const apiKeys = JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, string>;
  return { webhookSecretKeyFile, tokenSigningKeyFile, clientsFile, apiKeys };
}

/** Puts the cluster's token-signing key into a data directory before the instance's first start. */
export function placeTokenSigningKey(keys: Pick<SharedKeys, 'tokenSigningKeyFile'>, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = join(dataDir, 'token-signing-key.pem');
  if (!existsSync(target)) copyFileSync(keys.tokenSigningKeyFile, target);
}

/** `penghubung cluster-keys <dir> [--clients <file>] [--data-dir <dir>]...`: makes the keys, places the token key, prints the API keys. */
export function clusterKeysCommand(dir: string, clientsTemplate: string, dataDirs: string[], out: (line: string) => void): number {
  const keys = makeSharedKeys(dir, clientsTemplate);
  for (const dataDir of dataDirs) placeTokenSigningKey(keys, dataDir);
  out(`Keys shared by every instance are in ${dir}: webhook-secrets.key, token-signing-key.pem, clients.yaml (PENGHUBUNG_SECURITY__CLIENTS_FILE).`);
  out('API keys, the same on every instance:');
  for (const [client, key] of Object.entries(keys.apiKeys)) out(`  ${client.padEnd(22)} ${key}`);
  return 0;
}
