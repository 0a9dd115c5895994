// HTTP to one upstream system: axios with a keep-alive agent and no redirect wrapper (both
// measured to matter on the hot path), bodies encoded and answers decoded the same way for
// every connector, transport failures turned into UpstreamErrors. Limits, retries and deadlines
// are the runtime's (src/resilience/).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { parseJson, stringifyJson } from '../events/json.js';
import { parseXml } from './xml.js';
import { UpstreamError, type UpstreamRequest, type UpstreamResponse } from './sdk.js';

export interface UpstreamClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Sockets kept per upstream: the runtime's concurrency limit. */
  concurrency: number;
}

export class UpstreamClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: UpstreamClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      maxRedirects: 0,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: options.concurrency }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.concurrency }),
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
    });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** One exchange; `signal` cancels it (the caller's deadline), as a timeout. */
  async send(request: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json, application/xml;q=0.9, */*;q=0.1', ...request.headers };
    let data: string | undefined;
    if (request.body && 'json' in request.body) {
      data = stringifyJson(request.body.json);
      headers['content-type'] ??= 'application/json';
    } else if (request.body && 'xml' in request.body) {
      data = request.body.xml;
      headers['content-type'] ??= 'text/xml; charset=utf-8';
    } else if (request.body && 'form' in request.body) {
      data = new URLSearchParams(Object.entries(request.body.form).map(([k, v]) => [k, String(v)])).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    let response;
    try {
      response = await this.http.request<string>({ method: request.method, url: request.path, params: request.query, headers, data, signal });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') throw new UpstreamError('upstream-timeout', `no answer within ${this.options.timeoutMs} ms`, { retryable: true });
      if (code === 'ERR_CANCELED') throw new UpstreamError('upstream-timeout', 'no answer within the call\'s deadline', { retryable: true });
      throw new UpstreamError('upstream-unavailable', `cannot reach the upstream: ${code ?? (error as Error).message}`, { retryable: true });
    }
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && value !== null) responseHeaders[name.toLowerCase()] = String(value);
    return { status: response.status, headers: responseHeaders, body: decodeBody(response.data ?? '', responseHeaders['content-type']) };
  }
}

/** JSON losslessly, XML through the hardened parser, else the text; sniffed when unlabelled. */
export function decodeBody(text: string, contentType: string | undefined): unknown {
  const type = (contentType ?? '').toLowerCase();
  const trimmed = text.trimStart();
  try {
    if (/json/.test(type) || (!/xml|html/.test(type) && /^[[{]/.test(trimmed))) return parseJson(text);
    if (/xml/.test(type) || (!/html/.test(type) && /^<(\?xml|[a-zA-Z])/.test(trimmed))) return parseXml(text);
  } catch (error) {
    throw new UpstreamError('upstream-bad-response', `the upstream answer is not what it claims to be: ${(error as Error).message}`);
  }
  return text;
}
