// "Poll now" and poll outcomes across instances. Only the leader of a poller polls, but an
// operator's request can reach any instance (behind a balancer): one that does not lead writes
// the request to the state layer, the leader runs it and writes the outcome back, and the
// instance that was asked answers with it. Every run's outcome is shared the same way, so the
// status API shows the leader's last run on every instance.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Cluster } from '../cluster/cluster.js';
import { HubError } from '../errors/catalogue.js';
import type { StateLayer, StateTable } from '../state/state-layer.js';
import type { Poller, PollOutcome } from './poller.js';

interface PollRequest {
  id: string;
  requested_at: string;
}

/** The last run of a poller, by whichever instance led it. */
export interface SharedPollRun {
  leader: string;
  /** The request it answered, or null for a scheduled run. */
  request: string | null;
  outcome: PollOutcome;
}

export class PollCoordination {
  private readonly requests: StateTable<PollRequest>;
  private readonly runs: StateTable<SharedPollRun>;
  private readonly stops: (() => void)[] = [];

  constructor(
    state: StateLayer,
    private readonly cluster: Cluster,
    private readonly pollers: Map<string, Poller>,
    private readonly logger: Logger,
    /** How long an instance waits for the leader to answer a forwarded poll (below a balancer's usual 60 s read timeout). */
    private readonly forwardTimeoutMs = 30_000,
  ) {
    this.requests = state.table<PollRequest>('poll-requests');
    this.runs = state.table<SharedPollRun>('poll-runs');
  }

  /** Serves requests for the pollers this instance leads, now and whenever it gains one. */
  start(): void {
    this.stops.push(this.requests.onChange(({ key, value }) => {
      if (value) this.serve(key, value);
    }));
    this.stops.push(this.cluster.onChange(() => {
      for (const poller of this.pollers.values()) {
        poller.wake();
        const pending = this.requests.get(poller.lease);
        if (pending) this.serve(poller.lease, pending);
      }
    }));
    for (const [lease, request] of this.requests.entries()) this.serve(lease, request);
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Records a finished run for every instance to see (the Poller's onRun). */
  recordRun(poller: Poller, outcome: PollOutcome, request: string | undefined): void {
    this.runs.put(poller.lease, { leader: this.cluster.instance, request: request ?? null, outcome }).catch((error: unknown) => {
      this.logger.warn({ err: error, lease: poller.lease }, 'could not share a poll outcome');
    });
  }

  /** The last run by any instance. */
  lastRun(poller: Poller): SharedPollRun | undefined {
    return this.runs.get(poller.lease);
  }

  /**
   * One poll now: here when this instance leads the poller, else by the leader. Throws
   * `poll-running` when this instance is polling already, and `poll-leader-unavailable` when
   * no leader answered in time.
   */
  async pollNow(poller: Poller): Promise<PollOutcome> {
    if (poller.leading) {
      await poller.runOnce().catch((error: unknown) => {
        if (error instanceof HubError && error.code === 'poll-running') throw error;
      });
      return poller.lastOutcome!;
    }
    const id = randomUUID();
    const answered = this.answerTo(poller.lease, id);
    try {
      await this.requests.put(poller.lease, { id, requested_at: new Date().toISOString() });
      return await answered.promise;
    } finally {
      answered.cancel();
    }
  }

  private answerTo(lease: string, id: string): { promise: Promise<PollOutcome>; cancel: () => void } {
    let stop: () => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<PollOutcome>((resolve, reject) => {
      stop = this.runs.onChange(({ key, value }) => {
        if (key === lease && value?.request === id) resolve(value.outcome);
      });
      timer = setTimeout(() => {
        const leader = this.cluster.leaderOf(lease);
        reject(new HubError('poll-leader-unavailable', leader ? `instance ${leader} leads ${lease} but did not answer within ${this.forwardTimeoutMs / 1000} s; the poll may still run` : `no instance leads ${lease} right now (the cluster is rebalancing); ask again shortly`, { retryAfterSeconds: 10 }));
      }, this.forwardTimeoutMs);
    });
    return { promise, cancel: () => { stop(); clearTimeout(timer); } };
  }

  /** Runs a request when this instance leads the poller; the request is removed once taken. */
  private serve(lease: string, request: PollRequest): void {
    const poller = this.pollers.get(lease);
    if (!poller?.leading) return;
    void this.requests.delete(lease).catch(() => undefined);
    // A run in progress answers the request too: its outcome is shared under the request's id.
    if (poller.running) void poller.idle().then(() => poller.lastOutcome && this.recordRun(poller, poller.lastOutcome, request.id));
    else void poller.runOnce(request.id).catch(() => undefined);
  }
}
