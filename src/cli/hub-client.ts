// How operator commands reach a running hub: its address from --hub, else PENGHUBUNG_URL, else
// the hub's own configuration (http.host, http.port, TLS), and an operator's API key from
// --api-key or PENGHUBUNG_API_KEY. Refusals become usage errors naming the hub's problem code.
import { loadConfig } from '../config/config.js';
import { UsageError } from './usage-error.js';

/** The hub's base URL. A hub listening on every interface is reached on the loopback. */
export function hubAddress(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.PENGHUBUNG_URL) return env.PENGHUBUNG_URL;
  const { http, security } = loadConfig(env);
  const host = http.host === '0.0.0.0' || http.host === '::' ? '127.0.0.1' : http.host;
  return `${security.tls.enabled ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${http.port}`;
}

export async function hubRequest(hub: string, apiKey: string | undefined, method: string, path: string, body?: unknown): Promise<unknown> {
  if (!apiKey) throw new UsageError('give an operator API key with --api-key or PENGHUBUNG_API_KEY');
  let response: Response;
  try {
    response = await fetch(`${hub.replace(/\/+$/, '')}${path}`, { method, headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    throw new UsageError(`cannot reach the hub at ${hub}: ${(error as Error).message} (set --hub or PENGHUBUNG_URL)`);
  }
  const answer = (await response.json()) as { code?: string; detail?: string };
  if (!response.ok) throw new UsageError(`the hub answered ${response.status} ${answer.code ?? ''}: ${answer.detail ?? ''}`);
  return answer;
}
