// OAuth 2.0 client credentials: a client trades its API key for a short-lived JWT signed with
// the hub's Ed25519 key (jose, EdDSA). The key pair lives in a PEM file readable only by the hub.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SignJWT, exportJWK, jwtVerify, type JWK } from 'jose';

const issuer = 'penghubung';
const audience = 'penghubung';

export class TokenIssuer {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(keyFile: string, private readonly ttlSeconds: number) {
    if (!existsSync(keyFile)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    this.privateKey = createPrivateKey(readFileSync(keyFile));
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = this.publicKey.export({ type: 'spki', format: 'der' }).subarray(-16).toString('hex');
  }

  async issue(clientId: string, ttlSeconds = this.ttlSeconds): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keyId })
      .setSubject(clientId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
    return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds };
  }

  /** The client id the token was issued to, or undefined when it is invalid or expired. */
  async verify(token: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer, audience, algorithms: ['EdDSA'] });
      return payload.sub;
    } catch {
      return undefined;
    }
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [{ ...(await exportJWK(this.publicKey)), kid: this.keyId, alg: 'EdDSA', use: 'sig' }] };
  }
}
