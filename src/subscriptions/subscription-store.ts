// Webhook subscriptions on the control-plane state layer: every instance holds every
// subscription (definition, sealed signing secret, paused or active) and hears of changes made
// on any other, so each starts and stops its consumers to match (webhook-dispatcher.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox } from '../security/secret-box.js';
import type { StateLayer, StateTable } from '../state/state-layer.js';

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

/** What the state layer holds: the subscription and its signing secret, sealed (never in the clear). */
export interface StoredSubscription extends Subscription {
  secret: string;
}

export class SubscriptionStore {
  private readonly table: StateTable<StoredSubscription>;

  /**
   * `secrets` seals the signing secrets with the record's id as associated data. Every instance
   * of a cluster needs the same key (webhooks.secretKeyFile) to sign what it delivers.
   */
  constructor(state: StateLayer, private readonly secrets: SecretBox) {
    this.table = state.table<StoredSubscription>('subscriptions');
  }

  /** The signing secret is the Standard Webhooks form: `whsec_` and base64 of 24 random bytes. */
  async create(input: { clientId: string; types: string[]; filter: Subscription['filter']; url: string; secret?: string }): Promise<{ subscription: Subscription; secret: string }> {
    const id = `sub_${randomUUID()}`;
    const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64')}`;
    const subscription: Subscription = { id, client_id: input.clientId, types: input.types, filter: input.filter, url: input.url, status: 'active', paused_reason: null, created_at: new Date().toISOString() };
    await this.table.put(id, { ...subscription, secret: this.secrets.seal(secret, id) });
    return { subscription, secret };
  }

  get(id: string): Subscription | undefined {
    const stored = this.table.get(id);
    return stored ? withoutSecret(stored) : undefined;
  }

  /** Throws when the secret was sealed with another key (an instance configured with a different key file). */
  secretOf(id: string): string | undefined {
    const stored = this.table.get(id);
    return stored === undefined ? undefined : this.secrets.open(stored.secret, id);
  }

  /** Oldest first. */
  list(clientId?: string): Subscription[] {
    return this.table.entries()
      .map(([, stored]) => withoutSecret(stored))
      .filter((s) => clientId === undefined || s.client_id === clientId)
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  }

  async setStatus(id: string, status: SubscriptionStatus, reason: string | null): Promise<void> {
    const stored = this.table.get(id);
    if (stored) await this.table.put(id, { ...stored, status, paused_reason: reason });
  }

  async remove(id: string): Promise<void> {
    await this.table.delete(id);
  }

  /** Takes a subscription kept by an earlier version (subscriptions.db) unless one with its id exists; seals a secret still in the clear. */
  async adopt(stored: StoredSubscription): Promise<boolean> {
    if (this.table.get(stored.id)) return false;
    await this.table.put(stored.id, { ...stored, secret: SecretBox.isSealed(stored.secret) ? stored.secret : this.secrets.seal(stored.secret, stored.id) });
    return true;
  }

  /** Called with the id of every subscription created, changed or deleted, here or on another instance. */
  onChange(listener: (id: string) => void): () => void {
    return this.table.onChange((change) => listener(change.key));
  }
}

function withoutSecret(stored: StoredSubscription): Subscription {
  const { secret: _secret, ...subscription } = stored;
  return subscription;
}
