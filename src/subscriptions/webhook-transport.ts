// How a webhook delivery reaches its receiver: one axios instance with keep-alive agents whose
// `lookup` is the SSRF guard's (the socket connects to the checked address), no proxy from the
// environment, no redirects (a 3xx is an answer, and a failed delivery).
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { TargetGuard, TargetRefused, type TargetPolicy } from './target-guard.js';

export class WebhookTransport {
  readonly guard: TargetGuard;
  private readonly agents: { httpAgent: http.Agent; httpsAgent: https.Agent };
  private readonly http: AxiosInstance;

  constructor(policy: TargetPolicy, timeoutMs: number) {
    this.guard = new TargetGuard(policy);
    this.agents = { httpAgent: new http.Agent({ keepAlive: true, lookup: this.guard.lookup }), httpsAgent: new https.Agent({ keepAlive: true, lookup: this.guard.lookup }) };
    this.http = axios.create({ ...this.agents, proxy: false, maxRedirects: 0, timeout: timeoutMs, validateStatus: () => true, responseType: 'arraybuffer', maxContentLength: 1024 * 1024 });
  }

  /** POSTs the body; answers the receiver's HTTP status. Throws TargetRefused when the target is not permitted. */
  async post(url: string, headers: Record<string, string>, body: string): Promise<number> {
    this.guard.hostOf(url);
    try {
      return (await this.http.post(url, body, { headers })).status;
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw cause instanceof TargetRefused ? cause : error;
    }
  }

  close(): void {
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}
