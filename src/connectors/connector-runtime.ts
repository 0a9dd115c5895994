// One connector at run time: its upstream client, its settings, its quota, and the one way
// every operation calls the upstream (retries for idempotent calls, quota awareness).
import type { Logger } from 'pino';
import type { LoadedConnector } from './discovery.js';
import type { ResilienceSettings } from './manifest.js';
import { QuotaGate } from './quota.js';
import { UpstreamError, type ConnectorContext, type UpstreamRequest, type UpstreamResponse } from './sdk.js';
import { UpstreamClient } from './upstream-client.js';

const defaults: Required<Omit<ResilienceSettings, 'dailyQuota'>> = { timeoutMs: 5000, retries: 2, concurrency: 8 };
const retryBaseMs = 100;
const retryCapMs = 2000;

export class ConnectorRuntime {
  readonly id: string;
  readonly context: ConnectorContext;
  readonly quota: QuotaGate | undefined;
  private readonly client: UpstreamClient;
  private readonly resilience: Required<Omit<ResilienceSettings, 'dailyQuota'>>;

  constructor(readonly loaded: LoadedConnector, baseUrl: string, settings: Record<string, string>, private readonly logger: Logger) {
    this.id = loaded.manifest.id;
    this.resilience = { ...defaults, ...loaded.manifest.resilience };
    this.client = new UpstreamClient({ baseUrl, timeoutMs: this.resilience.timeoutMs, concurrency: this.resilience.concurrency });
    this.context = { settings, options: loaded.manifest.options ?? {}, now: () => new Date() };
    this.quota = loaded.manifest.resilience?.dailyQuota ? new QuotaGate() : undefined;
  }

  get baseUrl(): string {
    return this.client.baseUrl;
  }

  /**
   * Sends `request` and reads the answer with `read` (the mapping). Idempotent calls that fail
   * in a retryable way are tried again with exponential backoff and full jitter.
   */
  async call<T>(operationId: string, request: UpstreamRequest, read: (response: UpstreamResponse) => T, options: { idempotent: boolean }): Promise<T> {
    this.quota?.check();
    const retries = options.idempotent ? this.resilience.retries : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return read(await this.client.send(request));
      } catch (error) {
        if (error instanceof UpstreamError && error.code === 'upstream-quota-exhausted') {
          this.quota?.exhaust(error.retryAt);
          this.logger.warn({ connector: this.id, operation: operationId, resetsAt: this.quota?.state().resetsAt }, 'upstream quota exhausted; calls stop until it resets');
        }
        const retryable = error instanceof UpstreamError && error.retryable && !error.retryAt;
        if (!retryable || attempt >= retries) throw error;
        const delay = Math.random() * Math.min(retryCapMs, retryBaseMs * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
