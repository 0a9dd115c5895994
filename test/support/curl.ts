// Runs the curl command lines the hub prints at start and the docs show, as HTTP requests: the
// printed form stays a real curl command, and a test proves it works. Only the options the
// examples use are understood; any other option, a pipe or a redirect fails the parse, so an
// example that grows one is noticed instead of silently run differently.
import { parse } from 'shell-quote';

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Flags that change nothing about the request (silent, show errors, fail, include headers). */
const quietFlags = /^-[sSfi]+$|^--(silent|show-error|fail|include)$/;

/**
 * One curl command (`\` line continuations allowed, `# comment` at the end ignored), with `$VAR`
 * taken from `env`; `origin` replaces the URL's scheme, host and port (the docs say 127.0.0.1:8080).
 */
export function parseCurl(command: string, env: Record<string, string> = {}, origin?: string): CurlRequest {
  const words = parse(command.replace(/\\\n/g, ' '), (name) => env[name] ?? `$${name}`);
  const request: CurlRequest = { method: '', url: '', headers: {} };
  const strings: string[] = [];
  for (const word of words) {
    if (typeof word === 'string') strings.push(word);
    else if ('comment' in word) break;
    else throw new Error(`curl example with a shell operator, not run as HTTP: ${command}`);
  }
  if (strings.shift() !== 'curl') throw new Error(`not a curl command: ${command}`);
  while (strings.length > 0) {
    const word = strings.shift()!;
    const value = (): string => {
      const next = strings.shift();
      if (next === undefined) throw new Error(`${word} without a value in: ${command}`);
      return next;
    };
    if (quietFlags.test(word)) continue;
    if (word === '-H' || word === '--header') {
      const header = value();
      const colon = header.indexOf(':');
      request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-X' || word === '--request') request.method = value();
    else if (word === '-d' || word === '--data' || word === '--data-raw') request.body = value();
    else if (word.startsWith('-')) throw new Error(`curl option ${word} is not understood by test/support/curl.ts: ${command}`);
    else if (request.url) throw new Error(`two URLs in: ${command}`);
    else request.url = word;
  }
  if (!request.url) throw new Error(`no URL in: ${command}`);
  if (origin) request.url = new URL(new URL(request.url).pathname + new URL(request.url).search, origin).toString();
  // curl sends -d as a POST with this content type unless told otherwise.
  if (request.body !== undefined) request.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  request.method ||= request.body === undefined ? 'GET' : 'POST';
  return request;
}

export interface CurlAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The body as JSON, when it is JSON. */
  json?: unknown;
}

export async function runCurl(request: CurlRequest): Promise<CurlAnswer> {
  const response = await fetch(request.url, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, text, ...(/json/.test(contentType) && text ? { json: JSON.parse(text) as unknown } : {}) };
}
