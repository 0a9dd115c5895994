// What every instance of one cluster must hold alike, made once before the first start: the key
// that seals webhook secrets and the state key that seals the token-signing keys on the shared
// state (both kept outside every data directory; an instance with another state key would refuse
// to start, and a token from one instance verifies on all because they share the key set), and the clients file
// with an API key for each client that has none. A sandbox hub would otherwise issue its own keys
// at start, and a key printed by one instance would be unknown to the others.
// `penghubung cluster-keys <dir>` (deploy/compose.yaml runs it before the hubs) and `npm run cluster`.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { parseYaml } from '../yaml-text.js';

export interface SharedKeys {
  webhookSecretKeyFile: string;
  /** `security.stateKeyFile` of every instance. */
  stateKeyFile: string;
  clientsFile: string;
  /** Client id → the API key issued to it (kept only here and in the caller's output). */
  apiKeys: Record<string, string>;
}

/** Makes the keys in `dir` (kept when they exist, so a restarted cluster keeps its keys). */
export function makeSharedKeys(dir: string, clientsTemplate: string): SharedKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const webhookSecretKeyFile = join(dir, 'webhook-secrets.key');
  if (!existsSync(webhookSecretKeyFile)) writeFileSync(webhookSecretKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const stateKeyFile = join(dir, 'state.key');
  if (!existsSync(stateKeyFile)) writeFileSync(stateKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });

  const keysFile = join(dir, 'api-keys.json');
  const clientsFile = join(dir, 'clients.yaml');
  if (!existsSync(keysFile) || !existsSync(clientsFile)) {
    const template = parseYaml(readFileSync(clientsTemplate, 'utf8')) as { clients: { id: string; apiKeySha256?: string[] }[] };
    const apiKeys: Record<string, string> = {};
    for (const client of template.clients) {
      if (client.apiKeySha256?.length) continue;
      const key = `phb_${randomBytes(9).toString('hex').slice(0, 12)}_${randomBytes(32).toString('base64url')}`;
      apiKeys[client.id] = key;
      client.apiKeySha256 = [createHash('sha256').update(key).digest('hex')];
    }
    writeFileSync(clientsFile, `# Made by penghubung cluster-keys from ${clientsTemplate}: the same keys on every instance.\n${dump(template, { lineWidth: -1 })}`, { mode: 0o600 });
    writeFileSync(keysFile, `${JSON.stringify(apiKeys, null, 2)}\n`, { mode: 0o600 });
  }
  const apiKeys = JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, string>;
  return { webhookSecretKeyFile, stateKeyFile, clientsFile, apiKeys };
}

/** `penghubung cluster-keys <dir> [--clients <file>]`: makes the keys, prints the API keys. */
export function clusterKeysCommand(dir: string, clientsTemplate: string, out: (line: string) => void): number {
  const keys = makeSharedKeys(dir, clientsTemplate);
  out(`Keys shared by every instance are in ${dir}: webhook-secrets.key (PENGHUBUNG_WEBHOOKS__SECRET_KEY_FILE), state.key (PENGHUBUNG_SECURITY__STATE_KEY_FILE), clients.yaml (PENGHUBUNG_SECURITY__CLIENTS_FILE).`);
  out('API keys, the same on every instance:');
  for (const [client, key] of Object.entries(keys.apiKeys)) out(`  ${client.padEnd(22)} ${key}`);
  return 0;
}
