// Idempotency across instances: before an instance stores a posted event, it claims the event's
// `source` + `id`; a claim another instance (or this one) made first within the window means the
// post is a retry, answered as a duplicate and not stored or published again.
import type { OutboxEntry } from '../../outbox/outbox.js';

export interface IngestClaims {
  /** Per entry: true when this post claimed it first, false when it was claimed before (a duplicate). */
  claim(entries: OutboxEntry[]): Promise<boolean[]>;
  /** Gives up claims whose events could not be stored, so a retry is accepted. */
  release(entries: OutboxEntry[]): Promise<void>;
  close(): Promise<void>;
}

/** One instance (embedded bus, or the window set to 0): the outbox's own `source` + `id` index is the check. */
export const outboxOnlyClaims: IngestClaims = {
  claim: async (entries) => entries.map(() => true),
  release: async () => undefined,
  close: async () => undefined,
};
