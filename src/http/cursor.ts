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
