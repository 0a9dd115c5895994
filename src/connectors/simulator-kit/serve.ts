// The simulator kit: what every sandbox upstream shares, so a simulator is its routes and its
// data. It listens on 127.0.0.1 (a free port unless told), reads request bodies, records every
// call, and serves the control API under /_simulator:
//   POST /_simulator/faults    make the next calls fail (faults.ts); GET lists them
//   GET  /_simulator/requests  the calls received (?path=&method=&since=); DELETE forgets them
//   GET  /_simulator/stats     {calls, faulted}
//   POST /_simulator/reset     the simulator's own data back to the start, faults and record cleared
// plus the simulator's own control routes.
import { createServer, type RequestListener } from 'node:http';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { readBodies, type BodyMode } from './bodies.js';
import { FaultBook, type FailureShape } from './faults.js';
import { RequestRecorder, type RecordedRequest, type RequestFilter } from './recorder.js';

export interface ListenOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
}

/** A sandbox stand-in for the upstream, on a real port. */
export interface Simulator {
  url: string;
  /** Stops listening and drops open connections; resolves once the port is free. */
  close(): Promise<void>;
  /** What it received (simulators built on the kit). */
  requests?(filter?: RequestFilter): RecordedRequest[];
  /** It serves what it received at GET /_simulator/requests: set for one in another process, whose `requests` cannot be called here. */
  recordsRequests?: boolean;
}

export interface SimulatorDefinition extends FailureShape {
  /** The upstream's name, for messages. */
  name: string;
  /** How `req.body` reaches the routes (bodies.ts); default `parsed`. */
  body?: BodyMode;
  /** Puts the simulator's own data back to the start (POST /_simulator/reset). */
  reset?(): void;
  /** The simulator's own control routes, relative to /_simulator; JSON bodies arrive parsed. */
  control?(router: Router): void;
  /** The upstream's routes, and its own answers to an unknown path and to an unreadable request. */
  routes(app: Express): void;
}

/** Listens with `listener` on `host:port`; `close()` also drops keep-alive connections. */
export async function listen(listener: RequestListener, { host = '127.0.0.1', port = 0 }: ListenOptions = {}): Promise<Simulator> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`the server on ${host}:${port} has no TCP address`);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Runs `handler` for calls to the upstream's paths; control paths the router did not know pass by. */
const upstreamOnly = (handler: RequestHandler): RequestHandler => (req, res, next) =>
  req.path === '/_simulator' || req.path.startsWith('/_simulator/') ? next() : handler(req, res, next);

const query = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function controlRouter(definition: SimulatorDefinition, faults: FaultBook, recorder: RequestRecorder): Router {
  const router = express.Router();
  router.use(readBodies('parsed'));
  router.post('/faults', async (req: Request, res: Response) => {
    const fault = await faults.set(req.body ?? {});
    if (typeof fault === 'string') res.status(400).json({ error: fault });
    else res.status(201).json(fault);
  });
  router.get('/faults', (_req: Request, res: Response) => {
    res.json(faults.list());
  });
  router.get('/requests', (req: Request, res: Response) => {
    const since = Number(query(req.query.since) ?? 0);
    if (!Number.isInteger(since) || since < 0) {
      res.status(400).json({ error: 'since is the seq of a recorded request' });
      return;
    }
    res.json(recorder.list({ path: query(req.query.path), method: query(req.query.method), since }));
  });
  router.delete('/requests', (_req: Request, res: Response) => {
    recorder.reset();
    res.status(204).end();
  });
  router.get('/stats', (_req: Request, res: Response) => {
    res.json({ calls: recorder.count(), faulted: faults.count() });
  });
  router.post('/reset', (_req: Request, res: Response) => {
    definition.reset?.();
    faults.reset();
    recorder.reset();
    res.status(204).end();
  });
  definition.control?.(router);
  // A control request the kit cannot read (bad JSON, too large) is answered here, in plain terms.
  router.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ error: error.message });
  });
  return router;
}

/** Starts a simulator from its definition. */
export async function serveSimulator(definition: SimulatorDefinition, options: ListenOptions = {}): Promise<Simulator & { requests(filter?: RequestFilter): RecordedRequest[] }> {
  const faults = new FaultBook(definition);
  const recorder = new RequestRecorder();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/_simulator', controlRouter(definition, faults, recorder));
  app.use(readBodies(definition.body ?? 'parsed'));
  app.use(upstreamOnly(recorder.middleware()));
  app.use(upstreamOnly(faults.middleware((req, fault) => recorder.faulted(req, fault.kind))));
  definition.routes(app);
  const server = await listen(app, options);
  return {
    url: server.url,
    requests: (filter) => recorder.list(filter),
    close: async () => {
      const closed = server.close();
      faults.reset();
      await closed;
    },
  };
}
