// HTTP to one upstream system: axios with a keep-alive agent, no redirect wrapper, its proxy
// decided once and only the defaults a request uses (each measured to matter on the hot path), bodies encoded and answers decoded the same way for
// every connector (upstream-exchange.ts), transport failures turned into UpstreamErrors. Limits, retries and deadlines
// are the runtime's (src/resilience/).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { decodeBody, encodeRequest } from './upstream-exchange.js';
import { proxyFor } from './upstream-proxy.js';
import { UpstreamError, type UpstreamRequest, type UpstreamResponse } from './sdk.js';

export interface UpstreamClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Sockets kept per upstream: the runtime's concurrency limit. */
  concurrency: number;
  /**
   * The runtime's deadline: a signal given to send() aborts at most this long after the request
   * starts. When it is no longer than `timeoutMs`, that signal alone bounds the exchange.
   */
  deadlineMs?: number;
}

// axios asks each request's socket for a 60 s TCP keep-alive delay and the agent asks its own
// when it frees the socket; Node skips the system call when the value is unchanged, so the two
// agree (else two setsockopt calls per request).
const keepAlive = { keepAlive: true, keepAliveMsecs: 60_000 } as const;

export class UpstreamClient {
  private readonly http: AxiosInstance;
  /** Whether a caller's signal ends an exchange no later than `timeoutMs` would. */
  private readonly signalBounds: boolean;

  constructor(private readonly options: UpstreamClientOptions) {
    this.signalBounds = options.deadlineMs !== undefined && options.deadlineMs <= options.timeoutMs;
    // No instance timeout: send() gives a request timeoutMs unless the caller's signal bounds it.
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      maxRedirects: 0,
      proxy: proxyFor(options.baseUrl),
      httpAgent: new HttpAgent({ ...keepAlive, maxSockets: options.concurrency }),
      httpsAgent: new HttpsAgent({ ...keepAlive, maxSockets: options.concurrency }),
      responseType: 'text',
      // Bodies are encoded and answers decoded by upstream-exchange.ts: axios's own transforms
      // would only re-parse the JSON body just written, to check it (a JSON.parse per request).
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      adapter: 'http',
    });
    // axios merges the instance's header defaults into every request: per method buckets (get,
    // post, ...) and a common Accept that every request here replaces (encodeRequest). Without
    // them each request's headers are only its own (about 15% of axios's CPU per request).
    this.http.defaults.headers = {} as typeof this.http.defaults.headers;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /**
   * One exchange; `signal` cancels it (the caller's deadline), as a timeout, and so does
   * `timeoutMs` unless that signal comes sooner anyway (`deadlineMs`): axios's timeout costs a
   * wall-clock timer, a socket timer and their listeners per request.
   */
  async send(request: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const { headers, data } = encodeRequest(request);
    // Only the keys this request uses: axios merges and copies every key it is given, undefined ones too.
    const config: AxiosRequestConfig = { method: request.method, url: request.path, headers };
    if (request.query) config.params = request.query;
    if (data !== undefined) config.data = data;
    if (signal) config.signal = signal;
    if (!signal || !this.signalBounds) config.timeout = this.options.timeoutMs;
    let response;
    try {
      response = await this.http.request<string>(config);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') throw new UpstreamError('upstream-timeout', `no answer within ${this.options.timeoutMs} ms`, { retryable: true });
      if (code === 'ERR_CANCELED') throw new UpstreamError('upstream-timeout', 'no answer within the call\'s deadline', { retryable: true });
      throw new UpstreamError('upstream-unavailable', `cannot reach the upstream: ${code ?? (error as Error).message}`, { retryable: true });
    }
    const responseHeaders: Record<string, string> = {};
    const received = response.headers as Record<string, unknown>;
    for (const name of Object.keys(received)) {
      const value = received[name];
      if (value !== undefined && value !== null) responseHeaders[name.toLowerCase()] = String(value);
    }
    return { status: response.status, headers: responseHeaders, body: decodeBody(response.data ?? '', responseHeaders['content-type']) };
  }
}
