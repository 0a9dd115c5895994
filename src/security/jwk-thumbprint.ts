// The RFC 7638 thumbprint of an Ed25519 public key, the kid of a new token-signing key: SHA-256
// of the JWK's required members (crv, kty, x) in lexicographic order, without whitespace,
// base64url. node:crypto's hash instead of jose's calculateJwkThumbprint, which loads jose (46
// modules) and WebCrypto at every first start, ≈ 60 ms of CPU before ready;
// test/security/jwk-thumbprint.unit.test.ts holds it to jose's answer.
import { createHash, type KeyObject } from 'node:crypto';

export function ed25519Thumbprint(publicKey: KeyObject): string {
  const { crv, kty, x } = publicKey.export({ format: 'jwk' });
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') throw new Error('an Ed25519 public key was expected');
  return createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');
}
