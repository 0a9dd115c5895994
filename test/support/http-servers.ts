// Real HTTP servers on 127.0.0.1 for tests: listening on a free port, closed with their
// keep-alive sockets, and a forward proxy that records what went through it.
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free port (or `port`) of `host`; resolves with the server's base URL. */
export async function listen(server: Server, host = '127.0.0.1', port = 0): Promise<string> {
  server.listen(port, host);
  await once(server, 'listening');
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** Closes the server and the keep-alive sockets clients still hold to it. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
}

export interface ForwardProxy {
  url: string;
  /** What reached the proxy, oldest first: the absolute URL asked for and its Proxy-Authorization. */
  proxied: { url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** A plain-HTTP forward proxy (absolute-form request lines); its answers carry `via: 1.1 test-proxy`. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const proxied: ForwardProxy['proxied'] = [];
  const server = createServer((req, res) => {
    proxied.push({ url: req.url ?? '', authorization: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const forward = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, via: '1.1 test-proxy' });
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  return { url: await listen(server), proxied, close: () => closeServer(server) };
}

/** The variables axios and proxy-from-env read: tests stub them all empty, then set the ones they mean. */
export const proxyVariables = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];
