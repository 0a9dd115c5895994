// Pull cursors are bound to their deployment and refuse anything else, whatever its shape.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors/catalogue.js';
import { PullCursorCodec } from '../../src/events/pull-cursor.js';

const codec = new PullCursorCodec('kafka:cluster-a:penghubung');

function codeOf(cursor: string): string {
  try {
    codec.decode(cursor);
  } catch (error) {
    return (error as HubError).code;
  }
  return 'accepted';
}

describe('pull cursors', () => {
  it('gives back the position it encoded, for either bus', () => {
    const kafka = { kind: 'kafka' as const, topics: { pengaduan: [12, 0, 7], uji: [3] } };
    expect(codec.decode(codec.encode(kafka))).toEqual(kafka);
    expect(codec.decode(codec.encode({ kind: 'outbox', seq: 42 }))).toEqual({ kind: 'outbox', seq: 42 });
  });

  it('refuses a cursor of another deployment, an altered one, and made-up shapes with cursor-invalid', () => {
    const issued = codec.encode({ kind: 'kafka', topics: { uji: [5, 5, 5] } });
    expect(codeOf(new PullCursorCodec('kafka:cluster-b:penghubung').encode({ kind: 'kafka', topics: { uji: [5, 5, 5] } }))).toBe('cursor-invalid');
    expect(codeOf(new PullCursorCodec('kafka:cluster-a:lain').encode({ kind: 'kafka', topics: { uji: [5, 5, 5] } }))).toBe('cursor-invalid');
    const [payload, sum] = issued.split('.') as [string, string];
    const altered = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('[5,5,5]', '[9,5,5]')).toString('base64url');
    expect(codeOf(`${altered}.${sum}`)).toBe('cursor-invalid');
    expect(codeOf(`${payload}.${sum}.x`)).toBe('cursor-invalid');
    expect(codeOf('')).toBe('cursor-invalid');
    expect(codeOf('bm90LWEtY3Vyc29y')).toBe('cursor-invalid');
    // Checksummed but not a position: a negative offset, a version 3, a string where a number goes.
    const signed = (value: unknown): string => {
      const body = Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${body}.${createHash('sha256').update(`kafka:cluster-a:penghubung\n${body}`).digest().subarray(0, 12).toString('base64url')}`;
    };
    expect(codeOf(signed([2, 'k', { uji: [1] }]))).toBe('accepted');
    expect(codeOf(signed([2, 'k', { uji: [-1] }]))).toBe('cursor-invalid');
    expect(codeOf(signed([3, 'o', 1]))).toBe('cursor-invalid');
  });

  it('still reads a version 1 cursor (an outbox sequence) as an outbox position', () => {
    expect(codec.decode(Buffer.from('v1:17').toString('base64url'))).toEqual({ kind: 'outbox', seq: 17 });
  });
});
