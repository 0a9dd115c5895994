// Webhook subscriptions and every delivery attempt, in one SQLite file.
import { randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { PrunableStore } from '../storage/retention.js';
import type { SecretBox } from '../security/secret-box.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';

export type SubscriptionStatus = 'active' | 'paused';

export interface Subscription {
  id: string;
  client_id: string;
  types: string[];
  filter: { subject?: string; connector?: string };
  url: string;
  status: SubscriptionStatus;
  paused_reason: string | null;
  created_at: string;
}

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

/** How a subscription is doing: `failing` while its latest attempt did not deliver. */
export interface SubscriptionHealth {
  id: string;
  client_id: string;
  state: 'active' | 'failing' | 'paused';
  paused_reason: string | null;
  dead_letters: number;
  last_error: string | null;
  last_attempt_at: string | null;
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

interface Row extends Omit<Subscription, 'types' | 'filter'> {
  types: string;
  filter: string;
  secret: string;
}

export class SubscriptionStore implements PrunableStore {
  readonly storeName = 'subscriptions';
  private readonly db: Database.Database;

  /** `secrets` seals the signing secrets: the database holds none in the clear. */
  constructor(private readonly file: string, private readonly secrets: SecretBox) {
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
    ] });
    // Secrets written in the clear by earlier versions are sealed on the first start with a key.
    const seal = this.db.prepare('UPDATE subscriptions SET secret = ? WHERE id = ?');
    for (const row of this.db.prepare(`SELECT id, secret FROM subscriptions WHERE secret NOT LIKE 'aes256gcm:%'`).all() as { id: string; secret: string }[]) seal.run(secrets.seal(row.secret, row.id), row.id);
  }

  /** The signing secret is the Standard Webhooks form: `whsec_` and base64 of 24 random bytes. */
  create(input: { clientId: string; types: string[]; filter: Subscription['filter']; url: string; secret?: string }): { subscription: Subscription; secret: string } {
    const id = `sub_${randomUUID()}`;
    const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64')}`;
    this.db.prepare(`INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, ?, 'active', NULL, ?, NULL)`).run(id, input.clientId, JSON.stringify(input.types), JSON.stringify(input.filter), input.url, this.secrets.seal(secret, id), new Date().toISOString());
    return { subscription: this.get(id)!, secret };
  }

  get(id: string): Subscription | undefined {
    const row = this.db.prepare('SELECT * FROM subscriptions WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined;
    return row ? toSubscription(row) : undefined;
  }

  secretOf(id: string): string | undefined {
    const sealed = this.db.prepare('SELECT secret FROM subscriptions WHERE id = ?').pluck().get(id) as string | undefined;
    return sealed === undefined ? undefined : this.secrets.open(sealed, id);
  }

  list(clientId?: string): Subscription[] {
    const rows = clientId === undefined
      ? this.db.prepare('SELECT * FROM subscriptions WHERE deleted_at IS NULL ORDER BY created_at').all()
      : this.db.prepare('SELECT * FROM subscriptions WHERE deleted_at IS NULL AND client_id = ? ORDER BY created_at').all(clientId);
    return (rows as Row[]).map(toSubscription);
  }

  setStatus(id: string, status: SubscriptionStatus, reason: string | null): void {
    this.db.prepare('UPDATE subscriptions SET status = ?, paused_reason = ? WHERE id = ?').run(status, reason, id);
  }

  remove(id: string): void {
    this.db.prepare('UPDATE subscriptions SET deleted_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }

  record(attempt: DeliveryAttempt): void {
    this.db.prepare('INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(attempt.subscription_id, attempt.event_id, attempt.attempt, attempt.outcome, attempt.http_status, attempt.error, attempt.duration_ms, attempt.at);
    if (attempt.outcome === 'delivered') this.db.prepare('INSERT OR IGNORE INTO delivered VALUES (?, ?, ?)').run(attempt.subscription_id, attempt.event_id, attempt.at);
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

  /** Every live subscription's state, for the dashboard, metrics and alerts. */
  health(): SubscriptionHealth[] {
    const rows = this.db.prepare(`SELECT s.id, s.client_id, s.status, s.paused_reason,
        (SELECT COUNT(*) FROM dead_letters d WHERE d.subscription_id = s.id AND d.replayed_at IS NULL) AS dead_letters,
        (SELECT a.outcome FROM attempts a WHERE a.subscription_id = s.id ORDER BY a.rowid DESC LIMIT 1) AS last_outcome,
        (SELECT a.error FROM attempts a WHERE a.subscription_id = s.id ORDER BY a.rowid DESC LIMIT 1) AS last_error,
        (SELECT a.at FROM attempts a WHERE a.subscription_id = s.id ORDER BY a.rowid DESC LIMIT 1) AS last_attempt_at
      FROM subscriptions s WHERE s.deleted_at IS NULL ORDER BY s.created_at`).all() as { id: string; client_id: string; status: SubscriptionStatus; paused_reason: string | null; dead_letters: number; last_outcome: string | null; last_error: string | null; last_attempt_at: string | null }[];
    return rows.map(({ status, last_outcome, last_error, ...row }) => ({
      ...row,
      state: status === 'paused' ? 'paused' : last_outcome !== null && last_outcome !== 'delivered' ? 'failing' : 'active',
      last_error: last_outcome === 'delivered' ? null : last_error,
    }));
  }

  wasDelivered(subscriptionId: string, eventId: string): boolean {
    return this.db.prepare('SELECT 1 FROM delivered WHERE subscription_id = ? AND event_id = ?').get(subscriptionId, eventId) !== undefined;
  }

  attempts(subscriptionId: string, limit: number): DeliveryAttempt[] {
    return this.db.prepare('SELECT * FROM attempts WHERE subscription_id = ? ORDER BY rowid DESC LIMIT ?').all(subscriptionId, limit) as DeliveryAttempt[];
  }

  /** A pull consumer's committed position in GET /v1/events. */
  pullCursor(clientId: string, consumer: string): string | undefined {
    return this.db.prepare('SELECT cursor FROM pull_cursors WHERE client_id = ? AND consumer = ?').pluck().get(clientId, consumer) as string | undefined;
  }

  savePullCursor(clientId: string, consumer: string, cursor: string): void {
    this.db.prepare('INSERT INTO pull_cursors VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at').run(clientId, consumer, cursor, new Date().toISOString());
  }

  /** Forgets delivery attempts and records older than `cutoff`, and subscriptions deleted before it. */
  prune(cutoff: number): number {
    const before = new Date(cutoff).toISOString();
    return this.db.transaction(() =>
      this.db.prepare('DELETE FROM attempts WHERE at < ?').run(before).changes
      + this.db.prepare('DELETE FROM delivered WHERE at < ?').run(before).changes
      // A parked delivery stays until it is replayed (or its subscription is gone): it is pending work.
      + this.db.prepare(`DELETE FROM dead_letters WHERE parked_at < ?
          AND (replayed_at IS NOT NULL OR subscription_id IN (SELECT id FROM subscriptions WHERE deleted_at IS NOT NULL))`).run(before).changes
      + this.db.prepare('DELETE FROM subscriptions WHERE deleted_at < ?').run(before).changes,
    )();
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  close(): void {
    this.db.close();
  }
}

function toSubscription(row: Row): Subscription {
  const { secret: _secret, deleted_at: _deleted, ...rest } = row as Row & { deleted_at?: string };
  return { ...rest, types: JSON.parse(row.types) as string[], filter: JSON.parse(row.filter) as Subscription['filter'] };
}
