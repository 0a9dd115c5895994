// Where GET /v1/events reads: the Kafka topics (every instance answers the same), or this
// instance's outbox on the embedded bus. Both take and give cursors of one family (pull-cursor.ts).
import type { CloudEvent } from '../cloudevent.js';

export interface PullPage {
  /** Unmasked: the route masks each to the client's clearance. */
  events: CloudEvent[];
  next: string;
}

export interface PullSource {
  /** Events after `cursor` (from the oldest kept without one), at most `limit`, only of `type` when given. */
  read(cursor: string | undefined, limit: number, type: string | undefined): Promise<PullPage>;
  /** Throws 400 cursor-invalid or cursor-expired for a cursor this source cannot continue from. */
  check(cursor: string): Promise<void>;
  /** A named consumer's committed cursor, for the topics `type` reads (all without it). */
  committed(clientId: string, consumer: string, type: string | undefined): Promise<string | undefined>;
  commit(clientId: string, consumer: string, cursor: string): Promise<void>;
}
