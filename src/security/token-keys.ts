// The token-signing key set, on the control-plane state layer so every instance signs and
// verifies with the same keys: each record holds an Ed25519 private key, sealed (SecretBox) with
// the state key file, which stays outside Kafka and outside the data directory. Only a key that
// opens is trusted, also for verifying: whoever can write to Kafka but lacks the key file cannot
// slip in a key of their own. The first instance to start with an empty set makes a key. Two instances starting at
// once may both make one: tokens verify against any key in the set and are signed with the newest
// (created_at, then kid), so every instance soon signs with the same one.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import { ConfigError } from '../config/config.js';
import type { StateLayer, StateTable } from '../state/state-layer.js';
import { ed25519Thumbprint } from './jwk-thumbprint.js';
import type { SecretBox } from './secret-box.js';

export interface StoredTokenKey {
  /** The PKCS#8 PEM, sealed for `token-key:<kid>`. */
  sealed_private_key: string;
  created_at: string;
}

interface OpenedKey {
  kid: string;
  createdAt: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export class TokenKeySet {
  private readonly table: StateTable<StoredTokenKey>;
  private readonly opened = new Map<string, OpenedKey>();
  private stopFollowing: (() => void) | undefined;

  constructor(state: StateLayer, private readonly box: SecretBox, private readonly options: { keyFile: string; logger: Logger }) {
    this.table = state.table<StoredTokenKey>('token-keys');
  }

  /**
   * Takes over `legacyPemFile` (the previous version's per-instance key, renamed `.migrated`) so
   * its tokens stay valid, makes the first key when the set is empty, and refuses to go on when
   * the set holds a key this instance cannot open.
   */
  async start(legacyPemFile?: string): Promise<void> {
    if (legacyPemFile && existsSync(legacyPemFile)) {
      const privateKey = createPrivateKey(readFileSync(legacyPemFile));
      // The previous version's kid, so tokens it issued still name their key.
      const kid = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).subarray(-16).toString('hex');
      if (!this.table.get(kid)) await this.add(kid, privateKey, statSync(legacyPemFile).mtime);
      renameSync(legacyPemFile, `${legacyPemFile}.migrated`);
    }
    if (this.table.size === 0) {
      const { privateKey } = generateKeyPairSync('ed25519');
      await this.add(ed25519Thumbprint(createPublicKey(privateKey)), privateKey, new Date());
    }
    const unopened = this.table.entries().filter(([kid, stored]) => !this.open(kid, stored)).map(([kid]) => kid);
    if (unopened.length > 0) {
      throw new ConfigError(`the token-signing keys ${unopened.join(', ')} in the shared state do not open with security.stateKeyFile ${this.options.keyFile}: every instance needs the same key file (copy it from the instance that started first)`);
    }
    this.stopFollowing = this.table.onChange(({ key, value }) => {
      if (!value) {
        this.opened.delete(key);
        return;
      }
      if (!this.open(key, value)) this.options.logger.error({ kid: key }, 'a token-signing key another instance made does not open with this instance\'s security.stateKeyFile, so its tokens are refused here: give every instance the same key file');
    });
  }

  stop(): void {
    this.stopFollowing?.();
  }

  /** The newest key this instance can sign with. */
  signingKey(): { kid: string; privateKey: KeyObject } {
    let newest: OpenedKey | undefined;
    for (const key of this.opened.values()) {
      if (!newest || key.createdAt > newest.createdAt || (key.createdAt === newest.createdAt && key.kid > newest.kid)) newest = key;
    }
    if (!newest) throw new Error('no token-signing key opens on this instance');
    return { kid: newest.kid, privateKey: newest.privateKey };
  }

  publicKey(kid: string): KeyObject | undefined {
    return this.opened.get(kid)?.publicKey;
  }

  /** The public part of every key in the set, in kid order. */
  jwks(): JWK[] {
    return [...this.opened.values()].sort((a, b) => (a.kid < b.kid ? -1 : 1)).map(({ kid, publicKey }) => ({ ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'EdDSA', use: 'sig' }));
  }

  private async add(kid: string, privateKey: KeyObject, createdAt: Date): Promise<void> {
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await this.table.put(kid, {
      sealed_private_key: this.box.seal(pem, `token-key:${kid}`),
      created_at: createdAt.toISOString(),
    });
  }

  /** Trusts the key when it opens; undefined when sealed with another key file, for another kid, or altered. */
  private open(kid: string, stored: StoredTokenKey): OpenedKey | undefined {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(this.box.open(stored.sealed_private_key, `token-key:${kid}`));
    } catch {
      this.opened.delete(kid);
      return undefined;
    }
    const opened = { kid, createdAt: stored.created_at, publicKey: createPublicKey(privateKey), privateKey };
    this.opened.set(kid, opened);
    return opened;
  }
}
