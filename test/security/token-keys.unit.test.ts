// The token-signing key set on the state layer: made once, kept sealed, taken over from the
// previous version's PEM file (its tokens stay valid), and only keys that open are trusted.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/security/secret-box.js';
import { TokenKeySet, type StoredTokenKey } from '../../src/security/token-keys.js';
import { TokenIssuer } from '../../src/security/tokens.js';
import { EmbeddedState } from '../../src/state/embedded-state.js';
import { writePreviousTokenKey } from '../support/previous-version.js';

const silent = pino({ level: 'silent' });

async function openState(file: string): Promise<EmbeddedState> {
  const state = new EmbeddedState(file);
  await state.start();
  return state;
}

describe('token-signing key set', () => {
  it('makes one key at first start, keeps it sealed, and signs with it after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phb-token-keys-'));
    const box = SecretBox.ephemeral();
    const state = await openState(join(dir, 'control.db'));
    const keys = new TokenKeySet(state, box, { keyFile: 'state.key', logger: silent });
    await keys.start();
    const stored = state.table<StoredTokenKey>('token-keys').entries();
    expect(stored).toHaveLength(1);
    expect(stored[0]![1].sealed_private_key).toMatch(/^aes256gcm:v1:/);
    const issued = await new TokenIssuer(keys, 300).issue('dinas-uji', 7);
    await state.close();

    const again = await openState(join(dir, 'control.db'));
    const keysAgain = new TokenKeySet(again, box, { keyFile: 'state.key', logger: silent });
    await keysAgain.start();
    expect(again.table('token-keys').size).toBe(1);
    expect(await new TokenIssuer(keysAgain, 300).verify(issued.access_token, 'bearer')).toMatchObject({ clientId: 'dinas-uji', epoch: 7 });
    await again.close();
  });

  it('refuses to start, in one line, when the set holds keys its key file does not open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phb-token-keys-'));
    const state = await openState(join(dir, 'control.db'));
    await new TokenKeySet(state, SecretBox.ephemeral(), { keyFile: 'a.key', logger: silent }).start();
    const other = new TokenKeySet(state, SecretBox.ephemeral(), { keyFile: '/etc/penghubung/b.key', logger: silent });
    await expect(other.start()).rejects.toThrow(/^the token-signing keys \S+ in the shared state do not open with security\.stateKeyFile \/etc\/penghubung\/b\.key: every instance needs the same key file/);
    await state.close();
  });

  it('takes over the previous version\'s PEM key, so the tokens it signed stay valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phb-token-keys-'));
    const pemFile = join(dir, 'token-signing-key.pem');
    const { kid: previousKid, token: previousToken } = await writePreviousTokenKey(pemFile, 'dinas-uji', 2);

    const state = await openState(join(dir, 'control.db'));
    const keys = new TokenKeySet(state, SecretBox.ephemeral(), { keyFile: 'state.key', logger: silent });
    await keys.start(pemFile);
    expect(existsSync(pemFile)).toBe(false);
    expect(existsSync(`${pemFile}.migrated`)).toBe(true);
    const tokens = new TokenIssuer(keys, 300);
    expect(await tokens.verify(previousToken, 'bearer')).toMatchObject({ clientId: 'dinas-uji', epoch: 2 });
    expect(tokens.jwks().keys.map((key) => key.kid)).toEqual([previousKid]);
    expect(keys.signingKey().kid).toBe(previousKid);
    await state.close();
  });

  it('trusts no key that does not open, also for verifying, and signs with the newest that does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phb-token-keys-'));
    const box = SecretBox.ephemeral();
    const state = await openState(join(dir, 'control.db'));
    const lines: string[] = [];
    const keys = new TokenKeySet(state, box, { keyFile: 'state.key', logger: pino({ level: 'error' }, { write: (line: string) => void lines.push(line) }) });
    await keys.start();
    const [first] = state.table<StoredTokenKey>('token-keys').entries().map(([kid]) => kid);
    const table = state.table<StoredTokenKey>('token-keys');

    // Whoever can write the state but lacks the key file: a key of their own, newer than ours.
    const forged = generateKeyPairSync('ed25519').privateKey;
    await table.put('zz-forged', { sealed_private_key: SecretBox.ephemeral().seal(forged.export({ type: 'pkcs8', format: 'pem' }).toString(), 'token-key:zz-forged'), created_at: '2099-01-01T00:00:00.000Z' });
    const forgedToken = await new SignJWT({ ep: 1 }).setProtectedHeader({ alg: 'EdDSA', kid: 'zz-forged' }).setSubject('uji-operator').setIssuer('penghubung').setAudience('penghubung').setIssuedAt().setExpirationTime('300s').sign(forged);
    const tokens = new TokenIssuer(keys, 300);
    expect(await tokens.verify(forgedToken, 'bearer')).toBeUndefined();
    expect(lines.map((line) => (JSON.parse(line) as { kid: string }).kid)).toEqual(['zz-forged']);
    expect(tokens.jwks().keys.map((key) => key.kid)).toEqual([first]);
    expect(keys.signingKey().kid).toBe(first);

    // A newer key sealed with the same key file (another instance made it): signed with from now on.
    const newer = generateKeyPairSync('ed25519').privateKey;
    await table.put('zz-newer', { sealed_private_key: box.seal(newer.export({ type: 'pkcs8', format: 'pem' }).toString(), 'token-key:zz-newer'), created_at: '2099-01-01T00:00:00.000Z' });
    expect(keys.signingKey().kid).toBe('zz-newer');
    expect(await tokens.verify((await tokens.issue('dinas-uji', 1)).access_token, 'bearer')).toMatchObject({ clientId: 'dinas-uji' });
    expect(tokens.jwks().keys.map((key) => key.kid)).toEqual([first, 'zz-newer']);
    await state.close();
  });
});
