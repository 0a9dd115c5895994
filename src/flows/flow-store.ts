// Flow instances and the outcome of each of their steps, on the control-plane state layer: a
// retried instance skips what is done, an operator sees each step's time and outcome from any
// instance, and when the hub running a flow dies, the one that takes over the trigger's
// partition resumes each unfinished instance at its failed or pending step.
import { parseJson, stringifyJson } from '../events/json.js';
import type { PrunableStore } from '../storage/retention.js';
import type { StoreSize } from '../storage/sqlite-store.js';
import type { StateLayer, StateTable } from '../state/state-layer.js';

export type InstanceStatus = 'running' | 'completed' | 'failed';

export interface StepRecord {
  step: string;
  /** `refused`: a query's upstream answered with a refusal (not found, quota…); the flow goes on. */
  outcome: 'done' | 'skipped' | 'refused' | 'failed' | 'retrying';
  result: unknown;
  error: string | null;
  attempts: number;
  started_at: string;
  finished_at: string | null;
}

export interface FlowInstance {
  id: string;
  flow: string;
  trigger_event_id: string;
  /** The trigger's source: with its id, what the instance is keyed by (null: recorded before sources were kept). */
  trigger_source: string | null;
  subject: string | null;
  status: InstanceStatus;
  started_at: string;
  finished_at: string | null;
  /** By position in the flow. */
  steps: StepRecord[];
}

/**
 * As the state layer holds it: each step's result as lossless JSON text (a query's answer may
 * hold integers beyond 2^53, which the state layer's plain JSON would round).
 */
export interface StoredInstance extends Omit<FlowInstance, 'steps'> {
  steps: (Omit<StepRecord, 'result'> & { result: string | null })[];
}

export class FlowStore implements PrunableStore {
  readonly storeName = 'flows';
  private readonly table: StateTable<StoredInstance>;

  constructor(state: StateLayer) {
    this.table = state.table<StoredInstance>('flow-instances');
  }

  async begin(id: string, flow: string, trigger: { id: string; source: string }, subject: string | undefined): Promise<void> {
    if (this.table.get(id)) return;
    await this.table.put(id, { id, flow, trigger_event_id: trigger.id, trigger_source: trigger.source, subject: subject ?? null, status: 'running', started_at: new Date().toISOString(), finished_at: null, steps: [] });
  }

  step(instanceId: string, position: number): StepRecord | undefined {
    const stored = this.table.get(instanceId)?.steps[position];
    return stored ? toStep(stored) : undefined;
  }

  async saveStep(instanceId: string, position: number, record: StepRecord): Promise<void> {
    const instance = this.table.get(instanceId);
    if (!instance) throw new Error(`flow instance ${instanceId} was not begun`);
    // Outcomes only move forward: a hub still retrying a step that another finished (both held
    // the trigger during a rebalance) does not undo it, nor reopen a finished instance.
    if (instance.status !== 'running' || final(instance.steps[position]?.outcome)) return;
    const steps = [...instance.steps];
    steps[position] = { ...record, result: record.result === undefined || record.result === null ? null : stringifyJson(record.result) };
    await this.table.put(instanceId, { ...instance, steps });
  }

  async finish(id: string, status: Exclude<InstanceStatus, 'running'>): Promise<void> {
    const instance = this.table.get(id);
    if (instance?.status === 'running') await this.table.put(id, { ...instance, status, finished_at: new Date().toISOString() });
  }

  status(id: string): InstanceStatus | undefined {
    return this.table.get(id)?.status;
  }

  instance(id: string): FlowInstance | undefined {
    const stored = this.table.get(id);
    return stored ? { ...stored, steps: stored.steps.map(toStep) } : undefined;
  }

  /** The flow's latest instances, newest first, without their steps. */
  instances(flow: string, limit: number): Omit<FlowInstance, 'steps'>[] {
    return this.table.entries()
      .map(([, instance]) => instance)
      .filter((instance) => instance.flow === flow)
      .sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0))
      .slice(0, limit)
      .map(({ steps: _steps, ...instance }) => instance);
  }

  /** Takes an instance kept by an earlier version (flows.db, results as JSON text) unless one with its id exists. */
  async adopt(instance: StoredInstance): Promise<boolean> {
    if (this.table.get(instance.id)) return false;
    await this.table.put(instance.id, instance);
    return true;
  }

  /** Forgets instances that finished before `cutoff`; running ones stay. */
  async prune(cutoff: number): Promise<number> {
    const before = new Date(cutoff).toISOString();
    const finished = this.table.entries().filter(([, i]) => i.status !== 'running' && i.finished_at !== null && i.finished_at < before);
    for (const [id] of finished) await this.table.delete(id);
    return finished.length;
  }

  /** Rows, and the bytes of their JSON (what each instance holds in memory and the state log keeps). */
  size(): StoreSize {
    let bytes = 0;
    for (const [, instance] of this.table.entries()) bytes += Buffer.byteLength(JSON.stringify(instance));
    return { rows: this.table.size, bytes };
  }
}

const final = (outcome: StepRecord['outcome'] | undefined): boolean => outcome !== undefined && outcome !== 'retrying';

const toStep = (stored: StoredInstance['steps'][number]): StepRecord => ({ ...stored, result: stored.result === null ? null : parseJson(stored.result) });
