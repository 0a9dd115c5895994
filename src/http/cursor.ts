// Pull-API cursors are opaque to clients: a versioned, base64url-encoded outbox position.
import { HubError } from '../errors/catalogue.js';

export function encodeCursor(seq: number): string {
  return Buffer.from(`v1:${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^v1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new HubError('cursor-invalid', 'use the `next` value of an earlier answer, or no cursor to start from the oldest event', { errors: [{ pointer: 'after', message: 'not a cursor' }] });
  return Number(match[1]);
}

/** A cursor over a list ordered by values every instance agrees on (a time and an id), not by a local row number. */
export function encodeKeyCursor(keys: readonly string[]): string {
  return Buffer.from(`k1:${JSON.stringify(keys)}`, 'utf8').toString('base64url');
}

export function decodeKeyCursor(cursor: string, length: number): string[] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  let keys: unknown;
  try {
    keys = text.startsWith('k1:') ? JSON.parse(text.slice(3)) : undefined;
  } catch {
    keys = undefined;
  }
  if (!Array.isArray(keys) || keys.length !== length || !keys.every((key) => typeof key === 'string')) {
    throw new HubError('cursor-invalid', 'use the `next` value of an earlier answer, or no cursor to start from the newest', { errors: [{ pointer: 'after', message: 'not a cursor' }] });
  }
  return keys as string[];
}
