// Polling for upstreams that cannot push: on a schedule, page through what is new since the
// persisted cursor and publish each entity whose content changed since it was last seen
// (publishEntities). The order (outbox, then what was seen, then the cursor) makes a crash at
// any point harmless: a re-poll finds the same entities, and their events have the same ids,
// which the outbox deduplicates.
import type { Logger } from 'pino';
import { auditHubCall, type AuditRecorder } from '../security/audit/hub-call.js';
import { publishEntities, readDocument, type InboundTarget, type PublishDeps } from './inbound.js';
import type { InboundOperation } from './manifest.js';

export interface PollRun {
  pages: number;
  /** Records read from the upstream (published, unchanged or rejected, and knowingly skipped ones not counted). */
  read: number;
  published: number;
  unchanged: number;
  /** Records quarantined in the rejected-records store. */
  rejected: number;
}

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly target: InboundTarget & { operation: InboundOperation }, private readonly deps: PublishDeps & { logger: Logger; audit?: AuditRecorder }) {}

  get enriches(): boolean {
    return (this.target.operation.enrich?.length ?? 0) > 0;
  }

  start(firstRunDelayMs = 1000): void {
    this.schedule(firstRunDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async runOnce(): Promise<PollRun> {
    const { runtime, operationId } = this.target;
    const poll = runtime.loaded.definition.inbound![operationId]!.poll!;
    const maxPages = this.target.operation.poll?.maxPagesPerRun ?? 10;
    const run: PollRun = { pages: 0, read: 0, published: 0, unchanged: 0, rejected: 0 };
    let cursor = this.deps.state.cursor(runtime.id, operationId);
    while (run.pages < maxPages && !this.stopped) {
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
        this.deps.state.saveCursor(runtime.id, operationId, undefined);
        break;
      }
      if (nextCursor === undefined || nextCursor === pageCursor) break;
      this.deps.state.saveCursor(runtime.id, operationId, nextCursor);
      cursor = nextCursor;
    }
    return run;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const run = this.runOnce().then(
        (result) => {
          if (result.published > 0 || result.rejected > 0) this.deps.logger.info({ connector: this.target.runtime.id, operation: this.target.operationId, ...result }, 'poll published changes');
        },
        (error: unknown) => this.deps.logger.warn({ err: error, connector: this.target.runtime.id, operation: this.target.operationId }, 'poll failed; the next run retries from the same cursor'),
      );
      this.running = run;
      void run.finally(() => this.schedule((this.target.operation.poll?.intervalSeconds ?? 60) * 1000));
    }, delayMs);
    this.timer.unref();
  }
}
