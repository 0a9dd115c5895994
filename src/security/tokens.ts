// OAuth 2.0 client credentials: a client trades its API key for a short-lived JWT signed with
// the hub's Ed25519 key (jose, EdDSA). The key pair lives in a PEM file readable only by the hub.
// The dashboard's sessions are tokens too, for another audience: a session is accepted only from
// its cookie, never as a bearer token. Both carry the client's epoch (`ep`): rotating its keys,
// deleting or re-creating it moves the epoch and voids them; a session also has an id (`jti`)
// that logout ends.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SignJWT, exportJWK, jwtVerify, type JWK } from 'jose';

const issuer = 'penghubung';
const audience = 'penghubung';
const sessionAudience = 'penghubung-dashboard';

export interface VerifiedToken {
  clientId: string;
  /** The client's epoch when the token was issued. */
  epoch: number;
  /** Sessions only: the id logout ends. */
  sessionId?: string;
  expiresAt: Date;
}

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

  async issue(clientId: string, epoch: number, options: { ttlSeconds?: number; session?: boolean } = {}): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const ttlSeconds = options.ttlSeconds ?? this.ttlSeconds;
    const jwt = new SignJWT({ ep: epoch })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keyId })
      .setSubject(clientId)
      .setIssuer(issuer)
      .setAudience(options.session ? sessionAudience : audience);
    if (options.session) jwt.setJti(randomUUID());
    const token = await jwt
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
    return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds };
  }

  /** What the token says, or undefined when it is invalid, expired, or not of the kind asked for (session or bearer). */
  async verify(token: string, kind: 'bearer' | 'session'): Promise<VerifiedToken | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer, audience: kind === 'session' ? sessionAudience : audience, algorithms: ['EdDSA'], requiredClaims: ['sub', 'exp', ...(kind === 'session' ? ['jti'] : [])] });
      if (typeof payload.ep !== 'number') return undefined;
      return { clientId: payload.sub!, epoch: payload.ep, ...(payload.jti ? { sessionId: payload.jti } : {}), expiresAt: new Date(payload.exp! * 1000) };
    } catch {
      return undefined;
    }
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [{ ...(await exportJWK(this.publicKey)), kid: this.keyId, alg: 'EdDSA', use: 'sig' }] };
  }
}
