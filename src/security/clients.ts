// The client registry: OPD applications and operators, each with an OPD, a role, a clearance,
// rights and a rate limit. Definitions come from a YAML file (config/clients.yaml by default)
// and from the admin API (stored in SQLite). API keys are shown once and only their SHA-256 is
// kept.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import type { Classification } from '../domain/classification.js';
import { HubError } from '../errors/catalogue.js';
import { compileSchema, schemaErrors } from '../schemas.js';
import type { PrunableStore } from '../storage/retention.js';
import { measureStore, openStore, type StoreSize } from '../storage/sqlite-store.js';

export interface Client {
  id: string;
  name: string;
  opd: string;
  role: 'app' | 'operator';
  clearance: Classification;
  /** `connector:operation`, `events:publish:<type>`, `events:subscribe:<type>`; `*` matches any run of characters. */
  rights: string[];
  rateLimitPerMinute?: number;
  /** Source prefixes the client may publish events under (`/opd/dinas-pupr`); none: it publishes nothing. */
  sources?: string[];
  /** Names the client's OPD and units go by in records (a complaint's instansi_tujuan, a letter's pengirim.instansi), besides `opd`. */
  units?: string[];
  /** Fingerprints (SHA-256 hex) of client certificates that authenticate as this client (mutual TLS). */
  certificateSha256?: string[];
  /** Only in the YAML file: SHA-256 (hex) of API keys issued outside the hub. */
  apiKeySha256?: string[];
}

interface KeyRow {
  key_id: string;
  client_id: string;
  sha256: string;
}

const keyPattern = /^phb_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export class ClientRegistry implements PrunableStore {
  readonly storeName = 'clients';
  private readonly db: Database.Database;
  private readonly fromFile = new Map<string, Client>();
  /** Prepared once: every authenticated request looks up its key and its client. */
  private readonly lookups: { client: Database.Statement; key: Database.Statement };
  /**
   * Revocation from memory on every request: a client's epoch goes up whenever its keys are
   * rotated, it is deleted or (re)created, and tokens and sessions carry the epoch they were
   * issued in; ended dashboard sessions are remembered until they would have expired.
   */
  private readonly epochs = new Map<string, number>();
  private readonly endedSessions = new Set<string>();

  constructor(private readonly dbFile: string, clientsFile: string | undefined) {
    this.db = openStore({ name: this.storeName, file: dbFile, migrations: [`
      CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
      CREATE TABLE IF NOT EXISTS api_keys (key_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
    `, `
      CREATE TABLE IF NOT EXISTS client_epochs (client_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ended_sessions (session_id TEXT PRIMARY KEY, expires_at TEXT NOT NULL) WITHOUT ROWID;
    `] });
    for (const row of this.db.prepare('SELECT client_id, epoch FROM client_epochs').all() as { client_id: string; epoch: number }[]) this.epochs.set(row.client_id, row.epoch);
    const now = new Date().toISOString();
    for (const id of this.db.prepare('SELECT session_id FROM ended_sessions WHERE expires_at > ?').pluck().all(now) as string[]) this.endedSessions.add(id);
    this.lookups = {
      client: this.db.prepare('SELECT definition, revoked_at FROM clients WHERE id = ?'),
      key: this.db.prepare('SELECT key_id, client_id, sha256 FROM api_keys WHERE key_id = ? AND revoked_at IS NULL'),
    };
    if (clientsFile) for (const client of readClientsFile(clientsFile)) this.fromFile.set(client.id, client);
  }

  get(id: string): Client | undefined {
    const row = this.lookups.client.get(id) as { definition: string; revoked_at: string | null } | undefined;
    if (row) return row.revoked_at ? undefined : (JSON.parse(row.definition) as Client);
    return this.fromFile.get(id);
  }

  list(): (Client & { source: 'file' | 'api'; revoked: boolean })[] {
    const stored = (this.db.prepare('SELECT definition, revoked_at FROM clients').all() as { definition: string; revoked_at: string | null }[]).map((row) => ({ ...(JSON.parse(row.definition) as Client), source: 'api' as const, revoked: row.revoked_at !== null }));
    const storedIds = new Set(stored.map((c) => c.id));
    const file = [...this.fromFile.values()].filter((c) => !storedIds.has(c.id)).map(({ apiKeySha256: _keys, ...c }) => ({ ...c, source: 'file' as const, revoked: false }));
    return [...file, ...stored];
  }

  /** The client an API key belongs to, or undefined. */
  authenticateKey(key: string): Client | undefined {
    const match = keyPattern.exec(key);
    const digest = Buffer.from(sha256(key), 'hex');
    if (match) {
      const row = this.lookups.key.get(match[1]) as KeyRow | undefined;
      if (row && timingSafeEqual(Buffer.from(row.sha256, 'hex'), digest)) return this.get(row.client_id);
    }
    for (const client of this.fromFile.values()) {
      if (!client.apiKeySha256?.some((known) => timingSafeEqual(Buffer.from(known, 'hex'), digest))) continue;
      // A file key belongs to the file's definition: once the id is revoked, re-created or
      // replaced through the API, that key is no longer its.
      if (this.lookups.client.get(client.id) === undefined) return client;
    }
    return undefined;
  }

  /** The client a verified TLS client certificate maps to, by its SHA-256 fingerprint. */
  authenticateCertificate(fingerprint: string): Client | undefined {
    const wanted = fingerprint.toLowerCase();
    const stored = (this.db.prepare('SELECT definition FROM clients WHERE revoked_at IS NULL').all() as { definition: string }[]).map((row) => JSON.parse(row.definition) as Client);
    const fromFile = [...this.fromFile.values()].filter((client) => this.lookups.client.get(client.id) === undefined);
    return [...stored, ...fromFile].find((client) => client.certificateSha256?.includes(wanted));
  }

  /** Adds (or replaces) a client; returns its first API key, shown this once. */
  create(definition: Client): { client: Client; apiKey: string } {
    const { apiKeySha256: _keys, ...client } = validateClient(definition, 'the request body');
    this.db.prepare(`INSERT INTO clients VALUES (?, ?, ?, NULL) ON CONFLICT DO UPDATE SET definition = excluded.definition, revoked_at = NULL`).run(client.id, JSON.stringify(client), new Date().toISOString());
    // A re-created client id starts with nothing: no token or session of its former self.
    this.nextEpoch(client.id);
    return { client, apiKey: this.issueKey(client.id) };
  }

  /** A new API key; the client's earlier keys are revoked unless `keepPrevious`. */
  rotate(id: string, keepPrevious = false): string {
    if (!this.get(id)) throw new HubError('entity-not-found', `no active client ${id}`);
    if (!keepPrevious) this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id);
    this.nextEpoch(id);
    return this.issueKey(id);
  }

  revoke(id: string): void {
    const now = new Date().toISOString();
    const known = this.get(id);
    if (!known) throw new HubError('entity-not-found', `no active client ${id}`);
    this.db.prepare(`INSERT INTO clients VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET revoked_at = excluded.revoked_at`).run(id, JSON.stringify(known), now, now);
    this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL').run(now, id);
    this.nextEpoch(id);
  }

  /** The client's current epoch: a token or session issued in another one is void. */
  epochOf(id: string): number {
    return this.epochs.get(id) ?? 0;
  }

  /** Logout: this dashboard session is void from now on, until it would have expired anyway. */
  endSession(sessionId: string, expiresAt: Date): void {
    this.db.prepare('INSERT OR IGNORE INTO ended_sessions VALUES (?, ?)').run(sessionId, expiresAt.toISOString());
    this.endedSessions.add(sessionId);
  }

  sessionEnded(sessionId: string): boolean {
    return this.endedSessions.has(sessionId);
  }

  /**
   * Sandbox only: a fresh key for every file-defined client without keys of its own (the demo
   * clients), replacing the previous start's; printed once at start.
   */
  issueSandboxKeys(): Record<string, string> {
    const keys: Record<string, string> = {};
    for (const client of this.fromFile.values()) if (!client.apiKeySha256?.length && this.get(client.id)) keys[client.id] = this.rotate(client.id);
    return keys;
  }

  /** Forgets API keys revoked before `cutoff`; revoked clients stay, so their ids are not silently revived. */
  prune(cutoff: number): number {
    const now = new Date().toISOString();
    const expired = this.db.prepare('DELETE FROM ended_sessions WHERE expires_at < ? RETURNING session_id').pluck().all(now) as string[];
    for (const id of expired) this.endedSessions.delete(id);
    return this.db.prepare('DELETE FROM api_keys WHERE revoked_at < ?').run(new Date(cutoff).toISOString()).changes + expired.length;
  }

  size(): StoreSize {
    return measureStore(this.db, this.dbFile);
  }

  close(): void {
    this.db.close();
  }

  private nextEpoch(clientId: string): void {
    const epoch = this.db.prepare('INSERT INTO client_epochs VALUES (?, 1) ON CONFLICT DO UPDATE SET epoch = epoch + 1 RETURNING epoch').pluck().get(clientId) as number;
    this.epochs.set(clientId, epoch);
  }

  private issueKey(clientId: string): string {
    const keyId = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(12, '0').slice(0, 12);
    const key = `phb_${keyId}_${randomBytes(32).toString('base64url')}`;
    this.db.prepare('INSERT INTO api_keys VALUES (?, ?, ?, ?, NULL)').run(keyId, clientId, sha256(key), new Date().toISOString());
    return key;
  }
}

export function readClientsFile(file: string): Client[] {
  const parsed = parseYaml(readFileSync(file, 'utf8')) as { clients?: unknown[] } | null;
  return (parsed?.clients ?? []).map((definition, index) => validateClient(definition, `${file}: clients[${index}]`));
}

function validateClient(definition: unknown, where: string): Client {
  const validate = compileSchema('client.schema.json');
  if (!validate(definition)) {
    throw new HubError('request-invalid', `${where} is not a valid client`, { errors: schemaErrors('', validate.errors) });
  }
  return definition as Client;
}
