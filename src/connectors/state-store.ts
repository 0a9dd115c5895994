// What connectors remember between runs, in one SQLite file: outbound deliveries already made
// (so a redelivered event is not sent twice) and the entities views answer from. (Poll cursors
// and the fingerprints of published inbound entities moved to the state layer, poll-cursors.ts
// and seen-entities.ts; their tables stay for the one copy at upgrade.)
import type Database from 'better-sqlite3';
import { parseJson } from '../events/json.js';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';

import type { SeenEntity } from './seen-entities.js';

export interface StoredEntity {
  id: string;
  data: string;
  updatedAt: number;
}

export class StateStore implements PrunableStore {
  readonly storeName = 'state';
  private readonly db: Database.Database;
  private readonly statements;

  constructor(private readonly file: string) {
    this.db = openStore({ name: this.storeName, file, migrations: [`
      CREATE TABLE IF NOT EXISTS poll_cursors (connector TEXT, operation TEXT, cursor TEXT, updated_at INTEGER,
        PRIMARY KEY (connector, operation)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS seen_entities (connector TEXT, operation TEXT, identity TEXT,
        fingerprint TEXT, tracked TEXT, event_id TEXT, seen_at INTEGER,
        PRIMARY KEY (connector, operation, identity)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS deliveries (connector TEXT, operation TEXT, event_id TEXT, upstream_id TEXT, delivered_at INTEGER,
        PRIMARY KEY (connector, operation, event_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS view_entities (view TEXT, id TEXT, data TEXT, updated_at INTEGER, version_time TEXT,
        PRIMARY KEY (view, id)) WITHOUT ROWID;
    `] });
    this.statements = {
      legacyCursors: this.db.prepare('SELECT connector, operation, cursor FROM poll_cursors WHERE cursor IS NOT NULL'),
      legacySeen: this.db.prepare('SELECT connector, operation, identity, fingerprint, tracked, event_id AS eventId FROM seen_entities'),
      delivered: this.db.prepare('SELECT upstream_id FROM deliveries WHERE connector = ? AND operation = ? AND event_id = ?'),
      saveDelivery: this.db.prepare('INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?, ?, ?)'),
      // Events of one entity may come from several topics; an older version never replaces a newer.
      upsertEntity: this.db.prepare(`INSERT INTO view_entities VALUES (?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, version_time = excluded.version_time
        WHERE excluded.version_time >= view_entities.version_time`),
      entity: this.db.prepare('SELECT id, data, updated_at AS updatedAt FROM view_entities WHERE view = ? AND id = ?'),
      entities: this.db.prepare('SELECT id, data, updated_at AS updatedAt FROM view_entities WHERE view = ? AND id > ? ORDER BY id LIMIT ?'),
    };
  }

  /** Poll cursors a hub from before the state layer kept here, removed as they are read (copied once). */
  takeLegacyPollCursors(): { connector: string; operation: string; cursor: string }[] {
    return this.db.transaction(() => {
      const rows = this.statements.legacyCursors.all() as { connector: string; operation: string; cursor: string }[];
      this.db.prepare('DELETE FROM poll_cursors').run();
      return rows;
    })();
  }

  /** Fingerprints a hub from before the state layer kept here, removed as they are read (copied once). */
  takeLegacySeen(): ({ connector: string; operation: string; identity: string } & SeenEntity)[] {
    return this.db.transaction(() => {
      const rows = this.statements.legacySeen.all() as ({ connector: string; operation: string; identity: string } & SeenEntity)[];
      this.db.prepare('DELETE FROM seen_entities').run();
      return rows;
    })();
  }

  /** `eventKey`: the delivered event's source and id (events/event-key.ts). */
  delivery(connector: string, operation: string, eventKey: string): { upstreamId: string | null } | undefined {
    const row = this.statements.delivered.get(connector, operation, eventKey) as { upstream_id: string | null } | undefined;
    return row ? { upstreamId: row.upstream_id } : undefined;
  }

  saveDelivery(connector: string, operation: string, eventKey: string, upstreamId: string | undefined): void {
    this.statements.saveDelivery.run(connector, operation, eventKey, upstreamId ?? null, Date.now());
  }

  /** `versionTime`: when this version was published (the event's time), ISO 8601 UTC. */
  upsertEntity(view: string, id: string, data: string, versionTime: string): void {
    this.statements.upsertEntity.run(view, id, data, Date.now(), versionTime);
  }

  entity(view: string, id: string): StoredEntity | undefined {
    return this.statements.entity.get(view, id) as StoredEntity | undefined;
  }

  /** A view's entity as the canonical value, read losslessly (it was written with stringifyJson). */
  viewEntity(view: string, id: string): unknown {
    const row = this.entity(view, id);
    return row === undefined ? undefined : parseJson(row.data);
  }

  /** Entities in id order after `afterId`; filtering happens in the caller. */
  entities(view: string, afterId: string, limit: number): StoredEntity[] {
    return this.statements.entities.all(view, afterId, limit) as StoredEntity[];
  }

  /**
   * Forgets delivery records and fingerprints older than `cutoff`: the window in which a
   * redelivered event is recognised and an unchanged re-polled entity is not published again.
   * View entities are current state and stay.
   */
  prune(cutoff: number): number {
    return this.db.transaction(() =>
      this.db.prepare('DELETE FROM deliveries WHERE delivered_at < ?').run(cutoff).changes,
    )();
  }

  size(): StoreSize {
    return measureStore(this.db, this.file);
  }

  close(): void {
    this.db.close();
  }
}
