// A graceful stop of the HTTP server: no new connections, the requests in flight answered, and
// keep-alive clients not holding the stop. Node 20's server.close() stops listening and closes the
// connections idle at that moment, but a keep-alive connection that becomes idle later stays open
// until keepAliveTimeout, and the answers in flight still promise keep-alive; closeAllConnections()
// alone cuts the requests in flight, so their clients see a reset instead of their answer.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Stops the server within `graceMs`: what is still running then is cut. */
export type StopServing = (graceMs: number) => Promise<void>;

/** Tracks the server's requests in flight from now on (call it right after listen) and returns its stop. */
export function gracefulStop(server: Server): StopServing {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  function settled(this: ServerResponse): void {
    inFlight.delete(this);
    // Its connection may be idle now (one whose headers went out before the stop has no
    // Connection: close); a connection with another request pending is left alone.
    if (stopping) server.closeIdleConnections();
  }
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.on('close', settled);
  });

  return async (graceMs) => {
    stopping = true;
    const closed = new Promise<void>((done) => server.close(() => done()));
    // Node closes these connections itself once answered, and the client knows not to reuse them.
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((done) => {
      timer = setTimeout(done, graceMs);
    });
    await Promise.race([closed, graceOver]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  };
}
