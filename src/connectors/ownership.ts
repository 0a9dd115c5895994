// Record ownership: an operation that acts on a record declares who owns it (`owner` in the
// manifest), and the hub checks it for every connector alike: a follow-up only from the OPD the
// complaint is assigned to, a letter only from the sender's own unit. Operators may act on any
// record; the hub's own flows are not clients and are not checked here.
import { HubError } from '../errors/catalogue.js';
import type { Client } from '../security/clients.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import { ManifestError, type OwnerRule } from './manifest.js';
import type { StateStore } from './state-store.js';
import { valueAt } from './views.js';

interface Guarded {
  operation: string;
  rule: OwnerRule;
  views: string[];
}

/** Agency names compare without case and runs of spaces. */
const normalise = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

export class OwnershipGuard {
  /** By event type: every operation with an owner rule that this type feeds. */
  private readonly byType = new Map<string, Guarded[]>();

  constructor(runtimes: ConnectorRuntime[], private readonly state: StateStore) {
    const views = new Set(runtimes.flatMap((runtime) => Object.entries(runtime.loaded.manifest.operations).filter(([, op]) => op.kind === 'view').map(([id]) => `${runtime.id}.${id}`)));
    for (const runtime of runtimes) {
      for (const [operationId, operation] of Object.entries(runtime.loaded.manifest.operations)) {
        if ((operation.kind !== 'command' && operation.kind !== 'outbound') || !operation.owner) continue;
        const named = (operation.owner.views ?? []).map((view) => (view.includes('.') ? view : `${runtime.id}.${view}`));
        const unknown = named.find((view) => !views.has(view));
        if (unknown) throw new ManifestError(`connectors/${runtime.id}/manifest.yaml: operations.${operationId}.owner.views: no view ${unknown}`);
        const guarded = this.byType.get(operation.eventType) ?? [];
        guarded.push({ operation: `${runtime.id}:${operationId}`, rule: operation.owner, views: named });
        this.byType.set(operation.eventType, guarded);
      }
    }
  }

  /** Throws 403 record-not-owned unless `client` may act on the record `data` of `eventType` names. */
  check(client: Client, eventType: string, data: unknown, pointer: string): void {
    if (client.role === 'operator') return;
    const mine = new Set([client.opd, ...(client.units ?? [])].map(normalise));
    for (const { operation, rule, views } of this.byType.get(eventType) ?? []) {
      const { owner, from } = this.ownerOf(rule, views, data);
      if (typeof owner === 'string' && mine.has(normalise(owner))) continue;
      // Point at what decided: the record's id when the stored record did, else the owner field sent.
      const at = `${pointer}/${(from === 'stored' ? rule.key! : rule.field).replace(/\./g, '/')}`;
      const why = owner === undefined ? 'the hub knows no such record, so it cannot tell who owns it' : `the record belongs to another agency or unit than ${client.id}'s`;
      throw new HubError('record-not-owned', `${operation}: ${why}`, { errors: [{ pointer: at, message: 'not a record of this client' }] });
    }
    for (const { operation, rule } of this.byType.get(eventType) ?? []) {
      for (const claim of rule.claims ?? []) {
        const named = valueAt(data, claim);
        if (named === undefined || (typeof named === 'string' && mine.has(normalise(named)))) continue;
        throw new HubError('record-not-owned', `${operation}: ${claim} names an agency other than ${client.id}'s`, { errors: [{ pointer: `${pointer}/${claim.replace(/\./g, '/')}`, message: 'not this client’s agency' }] });
      }
    }
  }

  private ownerOf(rule: OwnerRule, views: string[], data: unknown): { owner: unknown; from: 'stored' | 'sent' } {
    if (views.length === 0) return { owner: valueAt(data, rule.field), from: 'sent' };
    const id = valueAt(data, rule.key!);
    if (typeof id === 'string') {
      for (const view of views) {
        const stored = this.state.viewEntity(view, id);
        if (stored !== undefined) return { owner: valueAt(stored, rule.field), from: 'stored' };
      }
    }
    return rule.newRecords ? { owner: valueAt(data, rule.field), from: 'sent' } : { owner: undefined, from: 'stored' };
  }
}
