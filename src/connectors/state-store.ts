// What connectors remember between runs, in one SQLite file: poll cursors, the fingerprint of
// every entity a poller has published (so a re-poll publishes only changes), outbound
// deliveries already made (so a redelivered event is not sent twice), and the entities views
// answer from.
import Database from 'better-sqlite3';

export interface StoredEntity {
  id: string;
  data: string;
  updatedAt: number;
}

export class StateStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS poll_cursors (connector TEXT, operation TEXT, cursor TEXT, updated_at INTEGER,
        PRIMARY KEY (connector, operation)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS poll_seen (connector TEXT, operation TEXT, identity TEXT, fingerprint TEXT, seen_at INTEGER,
        PRIMARY KEY (connector, operation, identity)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS deliveries (connector TEXT, operation TEXT, event_id TEXT, upstream_id TEXT, delivered_at INTEGER,
        PRIMARY KEY (connector, operation, event_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS view_entities (view TEXT, id TEXT, data TEXT, updated_at INTEGER,
        PRIMARY KEY (view, id)) WITHOUT ROWID;
    `);
    this.statements = {
      cursor: this.db.prepare('SELECT cursor FROM poll_cursors WHERE connector = ? AND operation = ?').pluck(),
      saveCursor: this.db.prepare(`INSERT INTO poll_cursors VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`),
      fingerprint: this.db.prepare('SELECT fingerprint FROM poll_seen WHERE connector = ? AND operation = ? AND identity = ?').pluck(),
      saveFingerprint: this.db.prepare(`INSERT INTO poll_seen VALUES (?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET fingerprint = excluded.fingerprint, seen_at = excluded.seen_at`),
      delivered: this.db.prepare('SELECT upstream_id FROM deliveries WHERE connector = ? AND operation = ? AND event_id = ?'),
      saveDelivery: this.db.prepare('INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?, ?, ?)'),
      upsertEntity: this.db.prepare(`INSERT INTO view_entities VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`),
      entity: this.db.prepare('SELECT id, data, updated_at AS updatedAt FROM view_entities WHERE view = ? AND id = ?'),
      entities: this.db.prepare('SELECT id, data, updated_at AS updatedAt FROM view_entities WHERE view = ? AND id > ? ORDER BY id LIMIT ?'),
    };
  }

  cursor(connector: string, operation: string): string | undefined {
    return (this.statements.cursor.get(connector, operation) as string | null | undefined) ?? undefined;
  }

  saveCursor(connector: string, operation: string, cursor: string | undefined): void {
    this.statements.saveCursor.run(connector, operation, cursor ?? null, Date.now());
  }

  fingerprint(connector: string, operation: string, identity: string): string | undefined {
    return this.statements.fingerprint.get(connector, operation, identity) as string | undefined;
  }

  saveFingerprints(connector: string, operation: string, seen: { identity: string; fingerprint: string }[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const { identity, fingerprint } of seen) this.statements.saveFingerprint.run(connector, operation, identity, fingerprint, now);
    })();
  }

  delivery(connector: string, operation: string, eventId: string): { upstreamId: string | null } | undefined {
    const row = this.statements.delivered.get(connector, operation, eventId) as { upstream_id: string | null } | undefined;
    return row ? { upstreamId: row.upstream_id } : undefined;
  }

  saveDelivery(connector: string, operation: string, eventId: string, upstreamId: string | undefined): void {
    this.statements.saveDelivery.run(connector, operation, eventId, upstreamId ?? null, Date.now());
  }

  upsertEntity(view: string, id: string, data: string): void {
    this.statements.upsertEntity.run(view, id, data, Date.now());
  }

  entity(view: string, id: string): StoredEntity | undefined {
    return this.statements.entity.get(view, id) as StoredEntity | undefined;
  }

  /** Entities in id order after `afterId`; filtering happens in the caller. */
  entities(view: string, afterId: string, limit: number): StoredEntity[] {
    return this.statements.entities.all(view, afterId, limit) as StoredEntity[];
  }

  close(): void {
    this.db.close();
  }
}
