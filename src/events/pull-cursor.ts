// Pull-API cursors: opaque to clients, versioned, and checksummed with the deployment's identity
// (the Kafka cluster id and topic prefix, or the embedded outbox's own id), so a cursor from
// another hub, a typo or a hand-made one is refused instead of read as some other position.
// The checksum guards against mistakes, not against forgery: a cursor grants no access, the
// rights and masking of the request still apply to what it reads.
import { createHash } from 'node:crypto';
import { HubError } from '../errors/catalogue.js';

/** Kafka: per topic suffix (after the prefix), the next offset of each partition. Embedded: the outbox sequence read up to. */
export type PullPosition = { kind: 'kafka'; topics: Record<string, number[]> } | { kind: 'outbox'; seq: number };

const version = 2;

export class PullCursorCodec {
  constructor(private readonly deployment: string) {}

  encode(position: PullPosition): string {
    const payload = Buffer.from(JSON.stringify(position.kind === 'kafka' ? [version, 'k', position.topics] : [version, 'o', position.seq]), 'utf8').toString('base64url');
    return `${payload}.${this.checksum(payload)}`;
  }

  /** Throws 400 cursor-invalid for anything this deployment did not issue. */
  decode(cursor: string): PullPosition {
    const legacy = /^v1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Cursors issued before version 2 (an outbox sequence, unchecked) stay valid on the instance that kept them.
    if (legacy) return { kind: 'outbox', seq: Number(legacy[1]) };
    const [payload, sum, ...rest] = cursor.split('.');
    if (payload === undefined || sum === undefined || rest.length > 0 || payload.length > 16_384 || sum !== this.checksum(payload)) throw invalid('not a cursor this deployment issued');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid('not a cursor this deployment issued');
    }
    const position = toPosition(parsed);
    if (!position) throw invalid(`not a version ${version} cursor`);
    return position;
  }

  private checksum(payload: string): string {
    return createHash('sha256').update(`${this.deployment}\n${payload}`).digest().subarray(0, 12).toString('base64url');
  }
}

function toPosition(parsed: unknown): PullPosition | undefined {
  if (!Array.isArray(parsed) || parsed[0] !== version) return undefined;
  const [, kind, data] = parsed as [number, unknown, unknown];
  if (kind === 'o' && isOffset(data)) return { kind: 'outbox', seq: data };
  if (kind !== 'k' || typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const topics = data as Record<string, unknown>;
  for (const offsets of Object.values(topics)) {
    if (!Array.isArray(offsets) || !offsets.every(isOffset)) return undefined;
  }
  return { kind: 'kafka', topics: topics as Record<string, number[]> };
}

function isOffset(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

export function invalid(message: string): HubError {
  return new HubError('cursor-invalid', `${message}: use the \`next\` value of an earlier answer, or no cursor to start from the oldest event`, { errors: [{ pointer: 'after', message: 'not a cursor' }] });
}

export function expired(message: string): HubError {
  return new HubError('cursor-expired', `${message}: start again without a cursor (from the oldest event kept) and dedupe by id`, { errors: [{ pointer: 'after', message: 'expired' }] });
}
