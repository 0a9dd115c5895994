// Flows: declarative routes that join several systems into one workflow. A flow is a folder
// under flows/: flow.yaml (validated by schemas/flow.schema.json) names a trigger event type
// and its steps; steps.ts holds the pure functions that build each step's input. For every
// trigger event the engine runs the steps in order, records each outcome, and is idempotent by
// the trigger's source and id: a redelivered or resumed instance skips finished steps, and
// everything it creates has an id derived from the instance, so nothing is created twice.
// Across instances, a flow instance belongs to the partition of its trigger (the flow's one
// consumer group splits them); its progress is on the shared state layer, so the hub that takes
// over a dead one's partitions resumes each unfinished instance at its failed or pending step.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { parseYaml } from '../yaml-text.js';
import { DurableConsumer } from '../bus/durable-consumer.js';
import type { BusRecord, EventBus } from '../bus/event-bus.js';
import { isUpstreamFailure } from '../connectors/upstream-failure.js';
import { assertCanonical } from '../connectors/canonical.js';
import type { ConnectorRuntime } from '../connectors/connector-runtime.js';
import { publishEntities, type PublishDeps } from '../connectors/inbound.js';
import type { CommandOperation } from '../connectors/manifest.js';
import { UpstreamError } from '../connectors/sdk.js';
import { HubError } from '../errors/catalogue.js';
import { topicForType, type CloudEvent } from '../events/cloudevent.js';
import { eventKey } from '../events/event-key.js';
import { moduleUrl } from '../module-file.js';
import { compileSchema, schemaErrors } from '../schemas.js';
import type { FlowStore, StepRecord } from './flow-store.js';
import { auditHubCall, type AuditRecorder } from '../security/audit/hub-call.js';
import { HUB_SENDER, SENDER_ATTRIBUTE } from '../security/sender.js';

export interface FlowStep {
  id: string;
  when?: string;
  input: string;
  query?: string;
  command?: string;
  emit?: string;
}

export interface FlowDefinition {
  id: string;
  name: string;
  description: string;
  trigger: string;
  options?: Record<string, unknown>;
  emits?: Record<string, string>;
  steps: FlowStep[];
}

/** What a step function sees. */
export interface FlowContext {
  event: CloudEvent;
  /** Results of the earlier steps, by step id (undefined for a skipped step). */
  results: Record<string, unknown>;
  options: Record<string, unknown>;
}

export type StepFunction = (context: FlowContext) => unknown;

export interface LoadedFlow {
  definition: FlowDefinition;
  functions: Record<string, StepFunction>;
}

export async function loadFlows(directory: string): Promise<LoadedFlow[]> {
  if (!existsSync(directory)) return [];
  const flows: LoadedFlow[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).filter((e) => e.isDirectory() && !/^[._]/.test(e.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = join(directory, entry.name);
    const definition = parseYaml(readFileSync(join(folder, 'flow.yaml'), 'utf8')) as FlowDefinition;
    const validate = compileSchema('flow.schema.json');
    if (!validate(definition)) throw new Error(`flows/${entry.name}/flow.yaml: ${schemaErrors('', validate.errors).map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
    if (definition.id !== entry.name) throw new Error(`flows/${entry.name}/flow.yaml: id must equal the folder name`);
    const functions = (await import(moduleUrl(join(folder, 'steps.ts')))) as Record<string, StepFunction>;
    for (const step of definition.steps) {
      for (const name of [step.input, step.when].filter((n): n is string => n !== undefined)) {
        if (typeof functions[name] !== 'function') throw new Error(`flows/${entry.name}/steps.ts: step ${step.id} names ${name}, which steps.ts does not export`);
      }
      if (step.emit && !definition.emits?.[step.emit]) throw new Error(`flows/${entry.name}/flow.yaml: step ${step.id} emits ${step.emit}, which emits does not declare`);
    }
    flows.push({ definition, functions });
  }
  return flows;
}

/** A step failed for good: the instance stops there (parked as failed, with the reason). */
class StepFailed extends Error {
  constructor(readonly instanceId: string, readonly position: number, readonly record: StepRecord) {
    super(record.error ?? 'step failed');
  }
}

/** The shared state did not take a step's progress (Kafka unreachable): the instance waits, like for an upstream. */
class ProgressNotSaved extends Error {
  constructor(cause: unknown) {
    super(`flow progress not saved: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const saved = async (write: Promise<void>): Promise<void> => {
  try {
    await write;
  } catch (error) {
    throw new ProgressNotSaved(error);
  }
};

/** Upstream failures, the hub holding calls back and unsaved progress pass; the instance waits for them. */
const transient = (error: unknown): boolean => error instanceof ProgressNotSaved || isUpstreamFailure(error) || (error instanceof HubError && ['circuit-open', 'upstream-busy', 'outbox-unavailable'].includes(error.code));

export class FlowEngine {
  private readonly consumers: DurableConsumer[] = [];

  constructor(private readonly flows: LoadedFlow[], private readonly deps: { bus: EventBus; store: FlowStore; runtimes: ConnectorRuntime[]; publish: PublishDeps; topicPrefix: string; logger: Logger; audit?: AuditRecorder }) {}

  /** Event types the flows publish, with their data's canonical schema. */
  emittedTypes(): { type: string; schema: string }[] {
    return this.flows.flatMap((f) => Object.entries(f.definition.emits ?? {}).map(([type, schema]) => ({ type, schema })));
  }

  /** What a step's stored result is: a query's answer (with its canonical schema), hub-made ids (command, emit), or a computed value. */
  stepResultOf(flowId: string, stepId: string): { kind: 'query'; schema: string } | { kind: 'ids' } | { kind: 'computed' } {
    const step = this.flows.find((f) => f.definition.id === flowId)?.definition.steps.find((s) => s.id === stepId);
    if (step?.command || step?.emit) return { kind: 'ids' };
    if (step?.query) {
      const [connector, operationId] = step.query.split(':');
      const operation = this.deps.runtimes.find((r) => r.id === connector)?.loaded.manifest.operations[operationId ?? ''];
      if (operation?.kind === 'query') return { kind: 'query', schema: operation.output };
    }
    return { kind: 'computed' };
  }

  definitions(): FlowDefinition[] {
    return this.flows.map((f) => f.definition);
  }

  async start(): Promise<void> {
    for (const flow of this.flows) {
      const { id, trigger } = flow.definition;
      const consumer = new DurableConsumer({
        accepts: (record) => record.event.type === trigger,
        // An instance that completed or failed is not run again by a redelivery.
        seen: (record) => (this.deps.store.status(instanceIdOf(flow, record.event)) ?? 'running') !== 'running',
        handle: (record) => this.run(flow, record),
        park: async (record, failure) => this.fail(flow, record, failure.error),
        retrying: (record, error) => this.deps.logger.warn({ flow: id, instance: instanceIdOf(flow, record.event), err: error }, 'flow step waits for its upstream'),
      }, { attempts: Infinity, baseMs: 1000, capMs: 30_000, retryable: transient });
      await consumer.subscribe(this.deps.bus, { groupId: `${this.deps.topicPrefix}.flow.${id}`, topic: topicForType(this.deps.topicPrefix, trigger) });
      this.consumers.push(consumer);
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.stop()));
  }

  /** Runs the instance's steps from the first unfinished one; throws when a step fails (for now or for good). */
  private async run(flow: LoadedFlow, record: BusRecord): Promise<void> {
    const { event } = record;
    const { store } = this.deps;
    const instanceId = instanceIdOf(flow, event);
    // Finished by another hub that held the trigger too (a rebalance while this one retried).
    if ((store.status(instanceId) ?? 'running') !== 'running') return;
    await saved(store.begin(instanceId, flow.definition.id, event, event.subject));
    const context: FlowContext = { event, results: {}, options: flow.definition.options ?? {} };
    for (const [position, step] of flow.definition.steps.entries()) {
      const done = store.step(instanceId, position);
      if (done && (done.outcome === 'done' || done.outcome === 'skipped' || done.outcome === 'refused')) {
        context.results[step.id] = done.result ?? undefined;
        continue;
      }
      const started = new Date().toISOString();
      const attempts = (done?.attempts ?? 0) + 1;
      const stepRecord = (outcome: StepRecord['outcome'], result: unknown, error: string | null): StepRecord =>
        ({ step: step.id, outcome, result, error, attempts, started_at: done?.started_at ?? started, finished_at: outcome === 'retrying' ? null : new Date().toISOString() });
      if (step.when && flow.functions[step.when]!(context) !== true) {
        await saved(store.saveStep(instanceId, position, stepRecord('skipped', null, null)));
        continue;
      }
      try {
        const reference = step.query ?? step.command;
        const execute = (): Promise<unknown> => this.execute(flow, step, `${instanceId}:${step.id}`, context);
        // A step that calls out or publishes acts on the triggering client's behalf: audited.
        const result = reference === undefined && step.emit === undefined
          ? await execute()
          : await auditHubCall(this.deps.audit, { operation: `flow:${flow.definition.id}:${step.id}`, connector: reference?.split(':')[0] ?? null, method: step.query ? 'CALL' : 'PUBLISH', route: `/flows/${flow.definition.id}/${step.id}`, trigger: event, correlationId: record.headers['correlation-id'] }, execute);
        context.results[step.id] = result;
        await saved(store.saveStep(instanceId, position, stepRecord('done', result, null)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (transient(error)) {
          // Tried again by the consumer; the instance resumes at this step.
          await saved(store.saveStep(instanceId, position, stepRecord('retrying', null, message)));
          throw error;
        }
        if (step.query && error instanceof UpstreamError) {
          // The upstream answered, with a refusal: later steps see it as { refused: <code> }.
          const refusal = { refused: error.code };
          context.results[step.id] = refusal;
          await saved(store.saveStep(instanceId, position, stepRecord('refused', refusal, message)));
          continue;
        }
        throw new StepFailed(instanceId, position, stepRecord('failed', null, message));
      }
    }
    await saved(store.finish(instanceId, 'completed'));
  }

  /** Parks an instance that cannot go on: its failed step and the reason stay for operators. */
  private async fail(flow: LoadedFlow, record: BusRecord, error: unknown): Promise<void> {
    const instanceId = error instanceof StepFailed ? error.instanceId : instanceIdOf(flow, record.event);
    if (error instanceof StepFailed) await this.deps.store.saveStep(instanceId, error.position, error.record);
    await this.deps.store.finish(instanceId, 'failed');
    this.deps.logger.warn({ flow: flow.definition.id, instance: instanceId, step: error instanceof StepFailed ? error.record.step : undefined, err: error }, 'flow step failed; the instance stops');
  }

  private async execute(flow: LoadedFlow, step: FlowStep, stepKey: string, context: FlowContext): Promise<unknown> {
    const input = flow.functions[step.input]!(context);
    if (step.query) {
      const { runtime, operationId } = this.operation(step.query, 'query');
      const operation = runtime.loaded.manifest.operations[operationId]!;
      const handler = runtime.loaded.definition.queries![operationId]!;
      const answer = await runtime.call(operationId, handler.request(input, runtime.context), (response) => handler.response(response, input, runtime.context), { idempotent: operation.kind === 'query' && operation.idempotent });
      if (operation.kind === 'query') assertCanonical(operation.output, answer, 'upstream-bad-response');
      return answer;
    }
    if (step.command) {
      const { runtime, operationId } = this.operation(step.command, 'command');
      const [published] = await publishEntities({ runtime, operationId, operation: runtime.loaded.manifest.operations[operationId] as CommandOperation }, [input], this.deps.publish, { 'correlation-id': stepKey });
      return { id: published!.identity, event_id: published!.eventId };
    }
    if (step.emit) {
      const schema = flow.definition.emits![step.emit]!;
      assertCanonical(schema, input, 'event-data-invalid');
      const [entityName, version] = schema.split('.');
      const event: CloudEvent = {
        specversion: '1.0',
        id: `flow-${digest(stepKey)}`,
        source: `/flows/${flow.definition.id}`,
        type: step.emit,
        subject: context.event.subject ?? context.event.id,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        dataschema: `urn:penghubung:schema:${entityName}:${version}`,
        data: input,
        [SENDER_ATTRIBUTE]: HUB_SENDER,
      };
      await this.deps.publish.events.append([{ topic: topicForType(this.deps.topicPrefix, event.type), key: event.subject!, event, headers: { 'correlation-id': stepKey } }]);
      return { event_id: event.id };
    }
    return input;
  }

  private operation(reference: string, kind: 'query' | 'command'): { runtime: ConnectorRuntime; operationId: string } {
    const [connector, operationId] = reference.split(':') as [string, string];
    const runtime = this.deps.runtimes.find((r) => r.id === connector);
    if (!runtime || runtime.loaded.manifest.operations[operationId]?.kind !== kind) throw new HubError('internal-error', `flow refers to ${reference}, which is not a ${kind} operation`);
    return { runtime, operationId };
  }
}

/** One instance per flow and trigger (its source and id: two sources may use the same id). */
const instanceIdOf = (flow: LoadedFlow, event: CloudEvent): string => `${flow.definition.id}:${eventKey(event)}`;
const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 24);
