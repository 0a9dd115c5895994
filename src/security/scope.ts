// OAuth 2.0 `scope` (RFC 6749 §3.3) as a narrowing of the client's rights: each scope token is a
// right the client holds (`sipd:daftar-sub-kegiatan`, or `sipd:*` under its `sipd:*`), and a
// token issued with a scope carries only those rights. A scope the client does not hold is
// refused, never silently dropped. A narrowed token acts for an operator only with the scope `*`.
import type { Client } from './clients.js';
import { holds } from './rights.js';

/** The scope tokens of a request, or undefined when none was asked for. */
export function scopeOf(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const tokens = [...new Set(value.split(' ').filter(Boolean))];
  return tokens.length > 0 ? tokens : undefined;
}

/** The scope tokens `client` does not hold (its pattern rights match a token's own `*` too). */
export function unheldScopes(client: Client, scope: string[]): string[] {
  return scope.filter((token) => !holds(client, token));
}

/** The client as a token narrowed to `scope` lets it act. */
export function narrowedTo(client: Client, scope: string[] | undefined): Client {
  if (!scope) return client;
  const rights = scope.filter((token) => holds(client, token));
  return { ...client, rights, role: client.role === 'operator' && rights.includes('*') ? 'operator' : 'app' };
}
