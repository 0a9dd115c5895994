// Polling for upstreams that cannot push: on a schedule, page through what is new since the
// persisted cursor and publish each entity whose content changed since it was last seen
// (publishEntities). The order (outbox, then what was seen, then the cursor) makes a crash at
// any point harmless: a re-poll finds the same entities, and their events have the same ids,
// which the outbox deduplicates. One run at a time: the schedule and an operator's "poll now"
// share it, and the last run's outcome is kept for the status API.
//
// With several instances only the one that leads the poller's lease polls (cluster.ts): the
// others wait, and the one that takes over continues from the shared cursor (poll-cursors.ts).
// A leader that loses its lease stops after the page in hand.
import type { Logger } from 'pino';
import type { Cluster } from '../cluster/cluster.js';
import { auditHubCall, type AuditRecorder } from '../security/audit/hub-call.js';
import { HubError } from '../errors/catalogue.js';
import { publishEntities, readDocument, type InboundTarget, type PublishDeps } from './inbound.js';
import type { InboundOperation } from './manifest.js';
import type { PollCursors } from './poll-cursors.js';
import { RecordRejected } from './record-rejected.js';
import { UpstreamError } from './upstream-error.js';

export interface PollRun {
  pages: number;
  /** Records the pages held (mapped or rejected; records a mapping knowingly skips are not counted). */
  read: number;
  published: number;
  unchanged: number;
  /** Records quarantined in the rejected-records store. */
  rejected: number;
}

/** The last run, as the status API shows it. */
export interface PollOutcome extends PollRun {
  started_at: string;
  /** null while it runs. */
  finished_at: string | null;
  /** Why the run stopped early; the next run retries from the same cursor. */
  error: { code: string; detail: string } | null;
}

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<PollRun> | undefined;
  private stopped = false;
  private started = false;
  private last: PollOutcome | undefined;
  private markFirstRun: () => void = () => undefined;
  /** Settles when the first run has finished, whatever its outcome. */
  readonly firstRun = new Promise<void>((resolve) => (this.markFirstRun = resolve));

  constructor(
    private readonly target: InboundTarget & { operation: InboundOperation },
    private readonly deps: PublishDeps & {
      logger: Logger;
      audit?: AuditRecorder;
      cluster: Cluster;
      cursors: PollCursors;
      /** Told when a run ends (scheduled, or asked for by `request`), so other instances can show it. */
      onRun?: (poller: Poller, outcome: PollOutcome, request: string | undefined) => void;
    },
    /** Seconds between the end of a run and the next (the manifest's, or the configuration's override). */
    readonly intervalSeconds = target.operation.poll?.intervalSeconds ?? 60,
  ) {}

  get operationId(): string {
    return this.target.operationId;
  }

  get connectorId(): string {
    return this.target.runtime.id;
  }

  /** Event types this poller publishes (so a poller that enriches from a view knows whom to wait for). */
  get eventTypes(): string[] {
    const { operation } = this.target;
    return [operation.eventType, ...(operation.changes ? [operation.changes.eventType] : [])];
  }

  /** The manifest's `enrich` rules: views this poller reads before publishing. */
  get enrichment(): InboundOperation['enrich'] {
    return this.target.operation.enrich;
  }

  /** The name of this poller's lease in the cluster. */
  get lease(): string {
    return `${this.connectorId}:${this.operationId}`;
  }

  /** True while this instance is the one that polls. */
  get leading(): boolean {
    return this.deps.cluster.leads(this.lease);
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Settles when no run is in progress. */
  idle(): Promise<void> {
    return this.current ? this.current.then(() => undefined, () => undefined) : Promise.resolve();
  }

  get lastOutcome(): PollOutcome | undefined {
    return this.last;
  }

  /** Polls at once after `after` settles (another poller's first run), then every interval. */
  start(after: Promise<unknown> = Promise.resolve()): void {
    void after.then(() => {
      this.started = true;
      this.tick();
    });
  }

  /** Told when the cluster changed: a poller that has just become the leader polls at once. */
  wake(): void {
    if (!this.started || this.stopped || this.current || !this.leading) return;
    clearTimeout(this.timer);
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }

  /** Runs one poll now; throws `poll-running` (409) when one is running already. `request`: who asked (poll-coordination.ts). */
  runOnce(request?: string): Promise<PollRun> {
    if (this.current) return Promise.reject(new HubError('poll-running', `${this.connectorId}/${this.operationId} is being polled; its outcome will be in GET /v1/connectors/${this.connectorId}`));
    const outcome: PollOutcome = { started_at: new Date().toISOString(), finished_at: null, error: null, pages: 0, read: 0, published: 0, unchanged: 0, rejected: 0 };
    this.last = outcome;
    const run = this.poll(outcome).then(
      (result) => result,
      (error: unknown) => {
        outcome.error = describe(error);
        throw error;
      },
    ).finally(() => {
      outcome.finished_at = new Date().toISOString();
      this.current = undefined;
      this.markFirstRun();
      this.deps.onRun?.(this, outcome, request);
    });
    this.current = run;
    return run;
  }

  private async poll(run: PollRun): Promise<PollRun> {
    const { runtime, operationId } = this.target;
    const poll = runtime.loaded.definition.inbound![operationId]!.poll!;
    const maxPages = this.target.operation.poll?.maxPagesPerRun ?? 10;
    let cursor = this.deps.cursors.get(runtime.id, operationId);
    while (run.pages < maxPages && !this.stopped && this.leading) {
      const pageCursor = cursor;
      const request = poll.request(pageCursor, runtime.context);
      const { native, nextCursor } = await auditHubCall(this.deps.audit, { operation: `${runtime.id}:${operationId}`, connector: runtime.id, method: request.method, route: `/connectors/${runtime.id}/${operationId}/poll`, correlationId: `poll:${runtime.id}:${operationId}` }, () => runtime.call(operationId, request, (response) => poll.page(response, pageCursor, runtime.context), { idempotent: true }));
      run.pages++;
      const document = readDocument(this.target, native, this.deps.state);
      run.read += document.entities.length + document.rejected.length;
      run.rejected += document.rejected.length;
      if (document.rejected.length > 0) this.deps.rejections?.record({ connector: runtime.id, operation: operationId, via: 'poll', ...(pageCursor === undefined ? {} : { cursor: pageCursor }), records: document.rejected });
      if (document.entities.length > 0) {
        const published = await publishEntities(this.target, document.entities.map((e) => e.entity), this.deps, { 'correlation-id': `poll:${runtime.id}:${operationId}` }, { validated: true });
        const fresh = published.filter((p) => !p.duplicate).length;
        run.published += fresh;
        run.unchanged += published.length - fresh;
      }
      if (nextCursor === null) {
        // A whole listing was read: the next run starts over from the beginning.
        await this.deps.cursors.save(runtime.id, operationId, undefined);
        break;
      }
      if (nextCursor === undefined || nextCursor === pageCursor) break;
      await this.deps.cursors.save(runtime.id, operationId, nextCursor);
      cursor = nextCursor;
    }
    return run;
  }

  private tick(): void {
    if (this.stopped) return;
    const where = { connector: this.connectorId, operation: this.operationId };
    // Another instance polls; what this one would wait for (enrichment's first runs) is not here to wait for.
    if (!this.leading) this.markFirstRun();
    const run = this.current
      ? this.current.then(() => undefined, () => undefined)
      : !this.leading ? Promise.resolve() : this.runOnce().then(
          (result) => {
            if (result.published > 0 || result.rejected > 0) this.deps.logger.info({ ...where, ...result }, 'poll published changes');
          },
          (error: unknown) => this.deps.logger.warn({ err: error, ...where }, 'poll failed; the next run retries from the same cursor'),
        );
    void run.finally(() => {
      if (this.stopped) return;
      this.timer = setTimeout(() => this.tick(), this.intervalSeconds * 1000);
      this.timer.unref();
    });
  }
}

function describe(error: unknown): { code: string; detail: string } {
  if (error instanceof UpstreamError || error instanceof HubError) return { code: error.code, detail: error.message };
  if (error instanceof RecordRejected) return { code: 'upstream-bad-response', detail: `${error.reason}: ${error.message}` };
  return { code: 'internal-error', detail: 'an unexpected error stopped the poll; the hub log has it' };
}
