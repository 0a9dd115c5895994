// SHA-256 (hex) of bytes or text (as UTF-8) in one call. Node's one-shot `crypto.hash` (20.12 and
// later) skips the Hash object `createHash` builds: half the cost for an API key or an answer of a
// few kilobytes, each hashed once per request. `createHash` where it is missing.
import * as crypto from 'node:crypto';

type OneShot = (algorithm: 'sha256', data: string | Uint8Array, encoding: 'hex') => string;
const oneShot = (crypto as { hash?: OneShot }).hash;

export const sha256Hex: (data: string | Uint8Array) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');
