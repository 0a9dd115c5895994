// Where the keys that protect the data directory may live. A key kept beside what it protects
// protects nothing against whoever can write there: in production the hub refuses to start with
// the audit signing key inside the data directory (unless told to), and webhook secrets are
// sealed with a key that must live outside it. The sandbox makes its own key, beside the data
// directory (`<dataDir>-keys/`), never in it.
import { join, resolve } from 'node:path';
import { ConfigError, type HubConfig } from '../config/config.js';
import { signingKeyFile } from './audit/keys.js';
import { isInside } from './file-modes.js';
import { SecretBox } from './secret-box.js';

export function assertAuditKeyPlacement(config: HubConfig, dataDir: string, auditStore: string, env: NodeJS.ProcessEnv): void {
  if (config.mode !== 'production' || config.security.allowAuditKeyInDataDir) return;
  const keyFile = signingKeyFile(auditStore, undefined, env);
  if (isInside(keyFile, dataDir)) {
    throw new ConfigError(`the audit signing key ${keyFile} is inside the data directory ${dataDir}, where whoever can edit the audit store could re-sign it: set PENGHUBUNG_AUDIT_KEY_FILE to a path outside it (or security.allowAuditKeyInDataDir: true to accept the risk)`);
  }
}

export function webhookSecretBox(config: HubConfig, dataDir: string): SecretBox {
  const configured = config.webhooks.secretKeyFile;
  if (config.mode === 'sandbox') return SecretBox.fromKeyFile(configured ? resolve(configured) : join(`${dataDir}-keys`, 'webhook-secrets.key'), true);
  if (!configured) throw new ConfigError('webhooks.secretKeyFile is not set: production seals webhook secrets with a key outside the data directory (openssl rand -base64 32 > /etc/penghubung/webhook-secrets.key; chmod 600 it)');
  const keyFile = resolve(configured);
  if (isInside(keyFile, dataDir)) throw new ConfigError(`webhooks.secretKeyFile ${keyFile} is inside the data directory ${dataDir}: keep it elsewhere, or the key travels with what it protects`);
  try {
    return SecretBox.fromKeyFile(keyFile, false);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/**
 * The key that seals secrets kept on the state layer (token-signing keys). On Kafka every
 * instance must hold the same file, so it is never made there outside the sandbox: a missing
 * file is a configuration error. On one instance (or in the sandbox) it is made at first start,
 * beside the data directory (`<dataDir>-keys/state.key`) unless configured.
 */
export function stateSecretBox(config: HubConfig, dataDir: string, stateKind: 'kafka' | 'embedded'): { box: SecretBox; keyFile: string } {
  const configured = config.security.stateKeyFile;
  const mayCreate = config.mode === 'sandbox' || stateKind === 'embedded';
  if (!configured && !mayCreate) throw new ConfigError('security.stateKeyFile is not set: with the state on Kafka, every instance opens the shared token-signing keys with the same key file, kept outside Kafka and the data directory (openssl rand -base64 32 > /etc/penghubung/state.key; chmod 600 it; copy it to every instance)');
  const keyFile = configured ? resolve(configured) : join(`${dataDir}-keys`, 'state.key');
  if (config.mode === 'production' && isInside(keyFile, dataDir)) throw new ConfigError(`security.stateKeyFile ${keyFile} is inside the data directory ${dataDir}: keep it elsewhere, or the key travels with what it protects`);
  try {
    return { box: SecretBox.fromKeyFile(keyFile, mayCreate, 'state'), keyFile };
  } catch (error) {
    throw new ConfigError(`security.stateKeyFile: ${(error as Error).message}`);
  }
}
