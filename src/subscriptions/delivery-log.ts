// What this instance did for the webhook subscriptions: every delivery attempt, which events it
// delivered (for dedupe), and each subscription's dead letters, in `subscriptions.db`. These are
// per-event records, written at the rate events flow: they stay local to the instance that made
// them (a compacted control topic is for state, not logs). Another instance taking over a
// subscription's partitions resumes from the group's committed offsets; a record delivered but
// not yet committed may then go once more, with the same webhook-id, which receivers dedupe by.
// The subscriptions themselves live on the state layer (subscription-store.ts); this file still
// holds the tables earlier versions kept them in, read once at start to migrate them.
import type Database from 'better-sqlite3';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';
import type { StoredSubscription, Subscription } from './subscription-store.js';

/** An event a subscription could not deliver, parked so the subscription goes on with the next. */
export interface WebhookDeadLetter {
  id: number;
  subscription_id: string;
  event_id: string;
  type: string;
  reason: string;
  attempts: number;
  parked_at: string;
  /** When an operator or the client replayed it successfully; null while it waits. */
  replayed_at: string | null;
  /** The event as it was sent, masked to the subscribing client. */
  event: unknown;
}

/** How a subscription is doing here: `failing` while its latest attempt on this instance did not deliver. */
export interface SubscriptionHealth {
  id: string;
  client_id: string;
  state: 'active' | 'failing' | 'paused';
  paused_reason: string | null;
  dead_letters: number;
  last_error: string | null;
  last_attempt_at: string | null;
  /** The latest attempt's outcome here (delivered, failed: to be retried, dead: parked) and the receiver's HTTP status. */
  last_outcome: DeliveryAttempt['outcome'] | null;
  last_http_status: number | null;
}

export interface DeliveryAttempt {
  subscription_id: string;
  event_id: string;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'dead';
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  at: string;
}

export class DeliveryLog implements PrunableStore {
  readonly storeName = 'subscriptions';
  private readonly db: Database.Database;

  /** `isLive`: whether a subscription still exists (its dead letters are kept until then). */
  constructor(private readonly file: string, private readonly isLive: (subscriptionId: string) => boolean) {
    this.db = openStore({ name: this.storeName, file, migrations: [`
      CREATE TABLE IF NOT EXISTS subscriptions (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, types TEXT NOT NULL, filter TEXT NOT NULL,
        url TEXT NOT NULL, secret TEXT NOT NULL, status TEXT NOT NULL, paused_reason TEXT, created_at TEXT NOT NULL, deleted_at TEXT);
      CREATE TABLE IF NOT EXISTS attempts (subscription_id TEXT NOT NULL, event_id TEXT NOT NULL, attempt INTEGER NOT NULL, outcome TEXT NOT NULL,
        http_status INTEGER, error TEXT, duration_ms REAL NOT NULL, at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS attempts_by_subscription ON attempts (subscription_id, at);
      CREATE TABLE IF NOT EXISTS pull_cursors (client_id TEXT NOT NULL, consumer TEXT NOT NULL, cursor TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (client_id, consumer)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS delivered (subscription_id TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (subscription_id, event_id)) WITHOUT ROWID;
    `,
    // Version 2: when each event was delivered, so delivery records can expire.
    `ALTER TABLE delivered ADD COLUMN at TEXT NOT NULL DEFAULT ''`,
    // Version 3: each subscription's own dead letters (what it was sent, masked to its client).
    `CREATE TABLE IF NOT EXISTS dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL, event_id TEXT NOT NULL,
        type TEXT NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL, parked_at TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS dead_letters_by_subscription ON dead_letters (subscription_id, id);`,
    // Version 4: when a dead letter was replayed (delivered after all).
    `ALTER TABLE dead_letters ADD COLUMN replayed_at TEXT`,
    // Version 5: deliveries are deduplicated by the event's source and id (its webhook-id), not the
    // id alone; records kept by the bare id could not match again.
    `CREATE TABLE IF NOT EXISTS delivered_messages (subscription_id TEXT NOT NULL, message_id TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (subscription_id, message_id)) WITHOUT ROWID;
      DROP TABLE IF EXISTS delivered;`,
    ] });
  }

  /** `messageId`: the delivery's webhook-id (source + id). */
  record(attempt: DeliveryAttempt, messageId: string): void {
    this.db.prepare('INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(attempt.subscription_id, attempt.event_id, attempt.attempt, attempt.outcome, attempt.http_status, attempt.error, attempt.duration_ms, attempt.at);
    if (attempt.outcome === 'delivered') this.db.prepare('INSERT OR IGNORE INTO delivered_messages VALUES (?, ?, ?)').run(attempt.subscription_id, messageId, attempt.at);
  }

  wasDelivered(subscriptionId: string, messageId: string): boolean {
    return this.db.prepare('SELECT 1 FROM delivered_messages WHERE subscription_id = ? AND message_id = ?').get(subscriptionId, messageId) !== undefined;
  }

  attempts(subscriptionId: string, limit: number): DeliveryAttempt[] {
    return this.db.prepare('SELECT * FROM attempts WHERE subscription_id = ? ORDER BY rowid DESC LIMIT ?').all(subscriptionId, limit) as DeliveryAttempt[];
  }

  park(letter: Omit<WebhookDeadLetter, 'id' | 'event' | 'replayed_at'> & { payload: string }): void {
    this.db.prepare('INSERT INTO dead_letters (subscription_id, event_id, type, reason, attempts, parked_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(letter.subscription_id, letter.event_id, letter.type, letter.reason, letter.attempts, letter.parked_at, letter.payload);
  }

  /** One dead letter of a subscription, with the payload as it was sent. */
  deadLetter(subscriptionId: string, id: number): (WebhookDeadLetter & { payload: string }) | undefined {
    const row = this.db.prepare('SELECT * FROM dead_letters WHERE subscription_id = ? AND id = ?').get(subscriptionId, id) as (Omit<WebhookDeadLetter, 'event'> & { payload: string }) | undefined;
    return row ? { ...row, event: JSON.parse(row.payload) as unknown } : undefined;
  }

  markReplayed(id: number): void {
    this.db.prepare('UPDATE dead_letters SET replayed_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }

  deadLetters(subscriptionId: string, limit: number): WebhookDeadLetter[] {
    const rows = this.db.prepare('SELECT * FROM dead_letters WHERE subscription_id = ? ORDER BY id DESC LIMIT ?').all(subscriptionId, limit) as (Omit<WebhookDeadLetter, 'event'> & { payload: string })[];
    return rows.map(({ payload, ...row }) => ({ ...row, event: JSON.parse(payload) as unknown }));
  }

  /** Each subscription's state as this instance saw it, for the dashboard, metrics and alerts. */
  health(subscriptions: Subscription[]): SubscriptionHealth[] {
    const waiting = this.db.prepare('SELECT COUNT(*) FROM dead_letters WHERE subscription_id = ? AND replayed_at IS NULL').pluck();
    const latest = this.db.prepare('SELECT outcome, http_status, error, at FROM attempts WHERE subscription_id = ? ORDER BY rowid DESC LIMIT 1');
    return subscriptions.map((s) => {
      const last = latest.get(s.id) as { outcome: DeliveryAttempt['outcome']; http_status: number | null; error: string | null; at: string } | undefined;
      const failing = last !== undefined && last.outcome !== 'delivered';
      return {
        id: s.id,
        client_id: s.client_id,
        state: s.status === 'paused' ? 'paused' : failing ? 'failing' : 'active',
        paused_reason: s.paused_reason,
        dead_letters: waiting.get(s.id) as number,
        last_error: failing ? last.error : null,
        last_attempt_at: last?.at ?? null,
        last_outcome: last?.outcome ?? null,
        last_http_status: last?.http_status ?? null,
      };
    });
  }

  /** Subscriptions and pull cursors an earlier version kept here, for the one migration to the state layer. */
  legacy(): { subscriptions: StoredSubscription[]; pullCursors: { client_id: string; consumer: string; cursor: string }[] } {
    const tables = new Set(this.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[]);
    const rows = tables.has('subscriptions')
      ? this.db.prepare('SELECT id, client_id, types, filter, url, secret, status, paused_reason, created_at FROM subscriptions WHERE deleted_at IS NULL').all() as (Omit<StoredSubscription, 'types' | 'filter'> & { types: string; filter: string })[]
      : [];
    return {
      subscriptions: rows.map((row) => ({ ...row, types: JSON.parse(row.types) as string[], filter: JSON.parse(row.filter) as Subscription['filter'] })),
      pullCursors: tables.has('pull_cursors') ? this.db.prepare('SELECT client_id, consumer, cursor FROM pull_cursors').all() as { client_id: string; consumer: string; cursor: string }[] : [],
    };
  }

  /** Once their rows are on the state layer, the old tables go (so a later start cannot bring back what was deleted since). */
  dropLegacy(): void {
    this.db.exec('DROP TABLE IF EXISTS subscriptions; DROP TABLE IF EXISTS pull_cursors;');
  }

  /** Forgets delivery attempts and records older than `cutoff`, and dead letters replayed (or of deleted subscriptions) before it. */
  prune(cutoff: number): number {
    const before = new Date(cutoff).toISOString();
    return this.db.transaction(() => {
      let pruned = this.db.prepare('DELETE FROM attempts WHERE at < ?').run(before).changes
        + this.db.prepare('DELETE FROM delivered_messages WHERE at < ?').run(before).changes
        + this.db.prepare('DELETE FROM dead_letters WHERE parked_at < ? AND replayed_at IS NOT NULL').run(before).changes;
      // A parked delivery stays until it is replayed or its subscription is gone: it is pending work.
      const orphaned = (this.db.prepare('SELECT DISTINCT subscription_id FROM dead_letters WHERE parked_at < ?').pluck().all(before) as string[]).filter((id) => !this.isLive(id));
      const drop = this.db.prepare('DELETE FROM dead_letters WHERE subscription_id = ? AND parked_at < ?');
      for (const id of orphaned) pruned += drop.run(id, before).changes;
      return pruned;
    })();
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  close(): void {
    this.db.close();
  }
}
