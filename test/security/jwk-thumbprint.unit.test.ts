// The kid of a new token-signing key is the RFC 7638 thumbprint jose computed before
// (calculateJwkThumbprint), now from node:crypto so a start loads no jose.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ed25519Thumbprint } from '../../src/security/jwk-thumbprint.js';

describe('ed25519Thumbprint', () => {
  it("gives jose's RFC 7638 thumbprint for Ed25519 keys", async () => {
    for (let i = 0; i < 20; i++) {
      const publicKey = createPublicKey(generateKeyPairSync('ed25519').privateKey);
      expect(ed25519Thumbprint(publicKey)).toBe(await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK));
    }
  });

  it('gives the example of RFC 8037 appendix A.3', () => {
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }, format: 'jwk' });
    expect(ed25519Thumbprint(publicKey)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('refuses a key of another kind', () => {
    expect(() => ed25519Thumbprint(createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey))).toThrow(/Ed25519/);
  });
});
