// Idempotency across instances: before an instance stores a posted event, it claims the event's
// `source` + `id`; once the event is in the outbox the claim is confirmed. A retry that meets a
// confirmed claim is a duplicate; one that meets a claim still pending (its instance may be
// storing it, or may have died before it could) is told to retry later, never "stored" while the
// event may be absent. A pending claim older than a short bound is taken as abandoned.
import type { OutboxEntry } from '../../outbox/outbox.js';

/** `claimed`: this post stores the event; `duplicate`: stored before; `pending`: another post may be storing it right now. */
export type ClaimOutcome = 'claimed' | 'duplicate' | 'pending';

export interface IngestClaims {
  /** Per entry, what this post may do with it. */
  claim(entries: OutboxEntry[]): Promise<ClaimOutcome[]>;
  /** Marks claims whose events are committed to the outbox, so retries are answered as duplicates. Never throws: unconfirmed claims lapse. */
  confirm(entries: OutboxEntry[]): Promise<void>;
  /** Gives up claims whose events could not be stored, so a retry is accepted. */
  release(entries: OutboxEntry[]): Promise<void>;
  close(): Promise<void>;
}

/** One instance (embedded bus, or the window set to 0): the outbox's own `source` + `id` index is the check. */
export const outboxOnlyClaims: IngestClaims = {
  claim: async (entries) => entries.map(() => 'claimed'),
  confirm: async () => undefined,
  release: async () => undefined,
  close: async () => undefined,
};
