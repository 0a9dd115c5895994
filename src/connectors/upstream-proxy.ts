// Which proxy an upstream is reached through, decided once when its client is built. Left
// unset, axios reads HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY from the environment on
// every request (proxy-from-env, 0.9% of the hub's CPU under a query load); this asks the same
// library the same question once, so the variables keep their meaning and a hub is restarted to
// see a change to them, like every other setting.
import type { AxiosProxyConfig } from 'axios';
import { getProxyForUrl } from 'proxy-from-env';

const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The proxy for requests to `baseUrl` from the environment now, or false: connect directly. */
export function proxyFor(baseUrl: string): AxiosProxyConfig | false {
  const proxyUrl = getProxyForUrl(baseUrl);
  if (!proxyUrl) return false;
  const proxy = new URL(proxyUrl);
  return {
    protocol: proxy.protocol,
    host: proxy.hostname.replace(/^\[|\]$/g, ''), // an IPv6 address without its URL brackets
    port: Number(proxy.port) || defaultPorts[proxy.protocol] || 80,
    ...(proxy.username ? { auth: { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } } : {}),
  };
}
