// The audit log's Ed25519 signing key: a PKCS#8 PEM file, created (mode 0600, with its public
// key beside it as <file>.pub) when missing. The key comes only from a file: the path is an
// option, else PENGHUBUNG_AUDIT_KEY_FILE, else audit-key.pem beside the store.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface AuditLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export const silentLogger: AuditLogger = { info: () => {}, warn: () => {}, error: () => {} };

export interface SigningKey {
  file: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
}

export const KEY_FILE_ENV = 'PENGHUBUNG_AUDIT_KEY_FILE';

/** Where the signing key lives: the explicit path, else PENGHUBUNG_AUDIT_KEY_FILE, else beside the store. */
export function signingKeyFile(storeFile: string, keyFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(keyFile ?? (env[KEY_FILE_ENV] || join(dirname(resolve(storeFile)), 'audit-key.pem')));
}

/** First 16 hex of SHA-256 over the public key's SPKI DER (a private key gives its public key's id). */
export function publicKeyId(key: KeyObject | string): string {
  const object = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(object.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function loadOrCreateSigningKey(file: string, logger: AuditLogger = silentLogger): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
    warnIfShared(file, logger);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    pem = createKeyFile(file, logger);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`audit signing key ${file} is not a PEM private key: ${(error as Error).message}`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`audit signing key ${file} is ${privateKey.asymmetricKeyType ?? 'not asymmetric'}; the audit log signs with Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { file, privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: publicKeyId(publicKey) };
}

function createKeyFile(file: string, logger: AuditLogger): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // wx: never overwrite a key another process has just written.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8');
    throw error;
  }
  chmodSync(file, 0o600); // whatever the umask
  const publicFile = `${file}.pub`;
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }).toString(), { mode: 0o644 });
  logger.info({ keyFile: file, publicKeyFile: publicFile, keyId: publicKeyId(publicKey) },
    'created the audit signing key (Ed25519, mode 0600); keep a copy of its public key off this machine to verify the audit log independently');
  return pem;
}

function warnIfShared(file: string, logger: AuditLogger): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) logger.warn({ keyFile: file, mode: mode.toString(8) }, 'the audit signing key is readable by other users: chmod 600 it');
}
