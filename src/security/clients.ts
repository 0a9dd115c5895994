// The client registry: OPD applications and operators, each with an OPD, a role, a clearance,
// rights and a rate limit. Definitions come from a YAML file (config/clients.yaml by default)
// and from the admin API, kept on the control-plane state layer so every instance knows them.
// API keys are shown once and only their SHA-256 is kept. Every request authenticates, so
// lookups read the in-memory tables; writes resolve once the change is durable (on Kafka: shared
// with every instance), and a change made on another instance counts here as soon as it arrives.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseYaml } from '../yaml-text.js';
import type { Classification } from '../domain/classification.js';
import { HubError } from '../errors/catalogue.js';
import { compileSchema, schemaErrors } from '../schemas.js';
import type { StateLayer, StateTable } from '../state/state-layer.js';
import { tablesSize } from '../state/table-size.js';
import type { PrunableStore } from '../storage/retention.js';
import type { StoreSize } from '../storage/sqlite-store.js';
import { sha256Hex } from './sha256.js';

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

/** A client made or revoked through the admin API (a revoked file client is stored too, so it stays revoked). */
export interface StoredClient {
  definition: Client;
  created_at: string;
  revoked_at?: string;
}

export interface StoredKey {
  client_id: string;
  sha256: string;
  created_at: string;
  revoked_at?: string;
  /** A sandbox demo key: the instance that issued it at its start (so its next start replaces it). */
  sandbox_instance?: string;
}

export interface EndedSession {
  expires_at: string;
}

/** The registry's tables on the state layer. */
export interface ClientTables {
  clients: StateTable<StoredClient>;
  /** By key id (the 12 characters after `phb_`). */
  keys: StateTable<StoredKey>;
  /** By client id: a token or session issued in another epoch is void. */
  epochs: StateTable<number>;
  /** By session id, until the session would have expired anyway. */
  endedSessions: StateTable<EndedSession>;
}

export function clientTables(state: StateLayer): ClientTables {
  return {
    clients: state.table<StoredClient>('clients'),
    keys: state.table<StoredKey>('client-keys'),
    epochs: state.table<number>('client-epochs'),
    endedSessions: state.table<EndedSession>('ended-sessions'),
  };
}

const keyPattern = /^phb_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

export const sha256 = (text: string): string => sha256Hex(text);

export class ClientRegistry implements PrunableStore {
  readonly storeName = 'clients';
  private readonly tables: ClientTables;
  private readonly fromFile = new Map<string, Client>();
  /** The file's clients by the SHA-256 (hex) of each of their keys: the file never changes while the hub runs. */
  private readonly fileKeys = new Map<string, Client>();

  constructor(state: StateLayer, clientsFile: string | undefined) {
    this.tables = clientTables(state);
    if (clientsFile) for (const client of readClientsFile(clientsFile)) this.fromFile.set(client.id, client);
    for (const client of this.fromFile.values()) for (const known of client.apiKeySha256 ?? []) if (!this.fileKeys.has(known)) this.fileKeys.set(known, client);
  }

  get(id: string): Client | undefined {
    const stored = this.tables.clients.get(id);
    if (stored) return stored.revoked_at ? undefined : stored.definition;
    return this.fromFile.get(id);
  }

  list(): (Client & { source: 'file' | 'api'; revoked: boolean })[] {
    const stored = this.tables.clients.entries().map(([, row]) => ({ ...row.definition, source: 'api' as const, revoked: row.revoked_at !== undefined }));
    const file = [...this.fromFile.values()].filter((c) => !this.tables.clients.get(c.id)).map(({ apiKeySha256: _keys, ...c }) => ({ ...c, source: 'file' as const, revoked: false }));
    return [...file, ...stored];
  }

  /** The client an API key belongs to, or undefined. */
  authenticateKey(key: string): Client | undefined {
    const match = keyPattern.exec(key);
    const hex = sha256(key);
    if (match) {
      const stored = this.tables.keys.get(match[1]!);
      if (stored && !stored.revoked_at && timingSafeEqual(Buffer.from(stored.sha256, 'hex'), Buffer.from(hex, 'hex'))) return this.get(stored.client_id);
    }
    // Looked up by the key's digest, which says nothing of the key itself.
    const client = this.fileKeys.get(hex);
    // A file key belongs to the file's definition: once the id is revoked, re-created or
    // replaced through the API, that key is no longer its.
    if (client && this.tables.clients.get(client.id) === undefined) return client;
    return undefined;
  }

  /** The client a verified TLS client certificate maps to, by its SHA-256 fingerprint. */
  authenticateCertificate(fingerprint: string): Client | undefined {
    const wanted = fingerprint.toLowerCase();
    const stored = this.tables.clients.entries().filter(([, row]) => !row.revoked_at).map(([, row]) => row.definition);
    const fromFile = [...this.fromFile.values()].filter((client) => this.tables.clients.get(client.id) === undefined);
    return [...stored, ...fromFile].find((client) => client.certificateSha256?.includes(wanted));
  }

  /**
   * Adds (or replaces) a client; resolves, once shared, with its first API key, shown this once.
   * `checkRights` may refuse the valid definition's rights (by throwing) before anything is stored.
   */
  async create(definition: Client, checkRights: (rights: string[]) => void = () => undefined): Promise<{ client: Client; apiKey: string }> {
    const { apiKeySha256: _keys, ...client } = validateClient(definition, 'the request body');
    checkRights(client.rights);
    // A re-created client id starts with nothing: no token or session of its former self.
    await this.nextEpoch(client.id);
    await this.tables.clients.put(client.id, { definition: client, created_at: this.tables.clients.get(client.id)?.created_at ?? new Date().toISOString() });
    return { client, apiKey: await this.issueKey(client.id) };
  }

  /** A new API key; the client's earlier keys are revoked unless `keepPrevious`. */
  async rotate(id: string, keepPrevious = false): Promise<string> {
    if (!this.get(id)) throw new HubError('entity-not-found', `no active client ${id}`);
    if (!keepPrevious) await this.revokeKeys(id);
    await this.nextEpoch(id);
    return this.issueKey(id);
  }

  async revoke(id: string): Promise<void> {
    const known = this.get(id);
    if (!known) throw new HubError('entity-not-found', `no active client ${id}`);
    const now = new Date().toISOString();
    // The revocation first: from then on nothing of the client authenticates, here or elsewhere.
    await this.tables.clients.put(id, { definition: known, created_at: this.tables.clients.get(id)?.created_at ?? now, revoked_at: now });
    await this.revokeKeys(id);
    await this.nextEpoch(id);
  }

  /** The client's current epoch: a token or session issued in another one is void. */
  epochOf(id: string): number {
    return this.tables.epochs.get(id) ?? 0;
  }

  /** Logout: this dashboard session is void from now on, until it would have expired anyway. */
  async endSession(sessionId: string, expiresAt: Date): Promise<void> {
    await this.tables.endedSessions.put(sessionId, { expires_at: expiresAt.toISOString() });
  }

  sessionEnded(sessionId: string): boolean {
    return this.tables.endedSessions.get(sessionId) !== undefined;
  }

  /**
   * Sandbox only: a fresh key for every file-defined client without keys of its own (the demo
   * clients), printed once at start. Alone, an instance replaces the previous start's keys; with
   * the state shared (`sharedBy`: this instance's id), it replaces only the keys it issued itself
   * at its previous start and moves no epoch, so the keys the other instances printed keep working.
   */
  async issueSandboxKeys(sharedBy?: string): Promise<Record<string, string>> {
    const keys: Record<string, string> = {};
    for (const client of this.fromFile.values()) {
      if (client.apiKeySha256?.length || !this.get(client.id)) continue;
      if (!sharedBy) {
        keys[client.id] = await this.rotate(client.id);
        continue;
      }
      await this.revokeKeys(client.id, (key) => key.sandbox_instance === sharedBy);
      keys[client.id] = await this.issueKey(client.id, sharedBy);
    }
    return keys;
  }

  /** Forgets expired ended sessions and API keys revoked before `cutoff`; revoked clients stay, so their ids are not silently revived. */
  async prune(cutoff: number): Promise<number> {
    const now = Date.now();
    const sessions = this.tables.endedSessions.entries().filter(([, session]) => Date.parse(session.expires_at) < now);
    const keys = this.tables.keys.entries().filter(([, key]) => key.revoked_at !== undefined && Date.parse(key.revoked_at) < cutoff);
    await Promise.all([...sessions.map(([id]) => this.tables.endedSessions.delete(id)), ...keys.map(([id]) => this.tables.keys.delete(id))]);
    return sessions.length + keys.length;
  }

  size(): StoreSize {
    return tablesSize(Object.values(this.tables));
  }

  private async revokeKeys(clientId: string, which: (key: StoredKey) => boolean = () => true): Promise<void> {
    const now = new Date().toISOString();
    const active = this.tables.keys.entries().filter(([, key]) => key.client_id === clientId && !key.revoked_at && which(key));
    await Promise.all(active.map(([keyId, key]) => this.tables.keys.put(keyId, { ...key, revoked_at: now })));
  }

  /**
   * Moves the epoch past every earlier one. Another instance may bump the same client before it
   * has heard of this bump: the clock keeps the two values apart (a counter alone would repeat one).
   */
  private async nextEpoch(clientId: string): Promise<void> {
    await this.tables.epochs.put(clientId, Math.max(this.epochOf(clientId) + 1, Date.now()));
  }

  private async issueKey(clientId: string, sandboxInstance?: string): Promise<string> {
    const keyId = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(12, '0').slice(0, 12);
    const key = `phb_${keyId}_${randomBytes(32).toString('base64url')}`;
    await this.tables.keys.put(keyId, { client_id: clientId, sha256: sha256(key), created_at: new Date().toISOString(), ...(sandboxInstance ? { sandbox_instance: sandboxInstance } : {}) });
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
