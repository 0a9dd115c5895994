// Secrets the hub must be able to read back (webhook signing secrets, token-signing keys) are kept encrypted:
// AES-256-GCM (node:crypto) with a fresh 96-bit IV per secret and the owning record's id as
// associated data, so a sealed secret copied onto another record does not open. The key lives
// outside the data directory, so a copy of the data directory alone gives no secret away.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from './file-modes.js';

const prefix = 'aes256gcm:v1:';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A box on a key that lives only in memory (tests of a single store). */
  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  /** The key in `file` (32 random bytes, base64); created (0600, in a 0700 directory) when `create` and missing. */
  static fromKeyFile(file: string, create: boolean, purpose = 'webhook secret'): SecretBox {
    if (!existsSync(file)) {
      if (!create) throw new Error(`the ${purpose} key file ${file} does not exist`);
      ensurePrivateDir(dirname(file));
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    }
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`the ${purpose} key file ${file} must hold 32 bytes in base64 (openssl rand -base64 32)`);
    return new SecretBox(key);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(prefix);
  }

  seal(secret: string, owner: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(owner));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${prefix}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${sealed.toString('base64')}`;
  }

  /** Throws when the value was sealed with another key, for another owner, or altered. */
  open(value: string, owner: string): string {
    const [iv, tag, sealed] = value.slice(prefix.length).split(':');
    if (!SecretBox.isSealed(value) || !iv || !tag || sealed === undefined) throw new Error(`the secret of ${owner} is not sealed`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64')).setAAD(Buffer.from(owner)).setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`the secret of ${owner} does not open with this key (another key file, or altered)`);
    }
  }
}
