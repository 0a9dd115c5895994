// OAuth 2.0 client credentials: a client trades its API key for a short-lived JWT signed with
// the hub's newest Ed25519 key (jose, EdDSA) from the key set every instance shares, so a token
// from one instance is accepted by all (token-keys.ts).
// The dashboard's sessions are tokens too, for another audience: a session is accepted only from
// its cookie, never as a bearer token. Both carry the client's epoch (`ep`): rotating its keys,
// deleting or re-creating it moves the epoch and voids them; a session also has an id (`jti`)
// that logout ends.
import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { TokenKeySet } from './token-keys.js';

// jose (46 modules, ≈ 40 ms of CPU) is loaded with the first token issued or checked, not at start.
let loading: Promise<typeof import('jose')> | undefined;
const jose = (): Promise<typeof import('jose')> => (loading ??= import('jose'));

/** The `iss` of every token the hub signs. */
export const tokenIssuerName = 'penghubung';
const issuer = tokenIssuerName;
const audience = 'penghubung';
const sessionAudience = 'penghubung-dashboard';

export interface VerifiedToken {
  clientId: string;
  /** The client's epoch when the token was issued. */
  epoch: number;
  /** Sessions only: the id logout ends. */
  sessionId?: string;
  /** The rights the token was narrowed to (OAuth `scope`); absent: all of the client's. */
  scope?: string[];
  expiresAt: Date;
}

export class TokenIssuer {
  constructor(private readonly keys: TokenKeySet, private readonly ttlSeconds: number) {}

  async issue(clientId: string, epoch: number, options: { ttlSeconds?: number; session?: boolean; scope?: string[] } = {}): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope?: string }> {
    const ttlSeconds = options.ttlSeconds ?? this.ttlSeconds;
    const { kid, privateKey } = this.keys.signingKey();
    const scope = options.scope?.join(' ');
    const { SignJWT } = await jose();
    const jwt = new SignJWT({ ep: epoch, ...(scope ? { scope } : {}) })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject(clientId)
      .setIssuer(issuer)
      .setAudience(options.session ? sessionAudience : audience);
    if (options.session) jwt.setJti(randomUUID());
    const token = await jwt
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(privateKey);
    return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds, ...(scope ? { scope } : {}) };
  }

  /** What the token says, or undefined when it is invalid, expired, or not of the kind asked for (session or bearer). */
  async verify(token: string, kind: 'bearer' | 'session'): Promise<VerifiedToken | undefined> {
    try {
      const { jwtVerify } = await jose();
      const { payload } = await jwtVerify(token, ({ kid }) => {
        const key = kid === undefined ? undefined : this.keys.publicKey(kid);
        if (!key) throw new Error('the token names no key of the set');
        return key;
      }, { issuer, audience: kind === 'session' ? sessionAudience : audience, algorithms: ['EdDSA'], requiredClaims: ['sub', 'exp', ...(kind === 'session' ? ['jti'] : [])] });
      if (typeof payload.ep !== 'number' || (payload.scope !== undefined && typeof payload.scope !== 'string')) return undefined;
      const scope = typeof payload.scope === 'string' ? { scope: payload.scope.split(' ') } : {};
      return { clientId: payload.sub!, epoch: payload.ep, ...(payload.jti ? { sessionId: payload.jti } : {}), ...scope, expiresAt: new Date(payload.exp! * 1000) };
    } catch {
      return undefined;
    }
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.jwks() };
  }
}
