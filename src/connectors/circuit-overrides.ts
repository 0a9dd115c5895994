// Operators' overrides of circuits (POST /v1/connectors/{id}/circuit) on the state layer: a
// circuit forced open or closed on one instance is forced on every instance, and on one started
// later, until an operator releases it (`auto`). Keys: `<connector>` for a connector's circuit,
// `<connector>/<operation>` for an operation's own.
import type { Circuit } from '../resilience/circuit.js';
import type { StateLayer, StateTable } from '../state/state-layer.js';
import type { ConnectorRuntime } from './connector-runtime.js';

export interface CircuitOverride {
  state: 'open' | 'closed';
  reason: string;
  forced_at: string;
  /** The operator's client id. */
  forced_by: string;
}

type WithCircuits = Pick<ConnectorRuntime, 'id' | 'circuit' | 'operationCircuits'>;

export class CircuitOverrides {
  private readonly table: StateTable<CircuitOverride>;

  constructor(state: StateLayer, private readonly runtimes: () => WithCircuits[]) {
    this.table = state.table<CircuitOverride>('circuit-overrides');
  }

  /** Forces every circuit an override holds and follows changes; returns the function that stops following. */
  follow(): () => void {
    for (const [key, override] of this.table.entries()) this.circuitOf(key)?.force(override.state);
    return this.table.onChange(({ key, value }) => this.circuitOf(key)?.force(value?.state ?? null));
  }

  /** Forces (`auto`: releases) a circuit on every instance; resolves once the change is durable. */
  async set(connector: string, operation: string | undefined, state: 'open' | 'closed' | 'auto', reason: string, by: string): Promise<void> {
    const key = operation === undefined ? connector : `${connector}/${operation}`;
    if (state !== 'auto') {
      await this.table.put(key, { state, reason, forced_at: new Date().toISOString(), forced_by: by });
      return;
    }
    await this.table.delete(key);
    // Releasing also resets this instance's breaker when nothing was forced (as before overrides were shared).
    this.circuitOf(key)?.force(null);
  }

  private circuitOf(key: string): Circuit | undefined {
    const [connector, operation] = key.split('/', 2);
    const runtime = this.runtimes().find((r) => r.id === connector);
    return operation === undefined ? runtime?.circuit : runtime?.operationCircuits.get(operation);
  }
}
