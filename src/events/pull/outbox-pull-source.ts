// The pull API on the embedded bus: this instance's outbox, in acceptance order. Named consumers'
// cursors stay where the instance keeps them (the store passed in).
import type { Outbox } from '../../outbox/outbox.js';
import { expired, invalid, PullCursorCodec } from '../pull-cursor.js';
import type { PullPage, PullSource } from './pull-source.js';

export interface NamedCursorStore {
  get(clientId: string, consumer: string): string | undefined | Promise<string | undefined>;
  set(clientId: string, consumer: string, cursor: string): void | Promise<void>;
}

export class OutboxPullSource implements PullSource {
  private readonly codec: PullCursorCodec;

  constructor(private readonly outbox: Outbox, private readonly cursors: NamedCursorStore) {
    this.codec = new PullCursorCodec(`outbox:${outbox.deploymentId()}`);
  }

  async read(cursor: string | undefined, limit: number, type: string | undefined): Promise<PullPage> {
    const after = cursor === undefined ? 0 : this.seqOf(cursor);
    const stored = this.outbox.read(after, limit, type);
    return { events: stored.map((entry) => entry.event), next: this.codec.encode({ kind: 'outbox', seq: stored.at(-1)?.seq ?? after }) };
  }

  async check(cursor: string): Promise<void> {
    this.seqOf(cursor);
  }

  async committed(clientId: string, consumer: string): Promise<string | undefined> {
    return this.cursors.get(clientId, consumer);
  }

  async commit(clientId: string, consumer: string, cursor: string): Promise<void> {
    this.seqOf(cursor);
    await this.cursors.set(clientId, consumer, cursor);
  }

  private seqOf(cursor: string): number {
    const position = this.codec.decode(cursor);
    if (position.kind !== 'outbox') throw invalid('a cursor of a hub on Kafka');
    if (position.seq > this.outbox.lastIssuedSeq()) throw invalid('the cursor is beyond the newest event');
    // Without any pruned event between the cursor and what is kept, nothing was skipped.
    if (position.seq < this.outbox.prunedThrough()) throw expired('retention deleted events after this cursor');
    return position.seq;
  }
}
