// The fault API every simulator shares (POST /_simulator/faults): the next calls to a path fail
// the way upstreams fail. An error status with a maintenance page, the upstream's own error
// inside HTTP 200 (its shape supplied by the simulator), a garbage body, a slow answer, a
// dropped connection; `every: 2` makes any of them flap (every other call).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ValidateFunction } from 'ajv';

export type FaultKind = 'error' | 'slow' | 'down' | 'garbage';

export interface Fault {
  /** A path, or with a trailing `/` every path below it; `/` is every upstream path. */
  path: string;
  kind: FaultKind;
  /** Calls still to fail; the fault is forgotten at 0. */
  failNext: number;
  /** Only every n-th call to the path fails (the first does): 2 flaps. */
  every: number;
  status: number;
  message: string;
  /** Waited before answering (slow: before the real answer). */
  delayMs: number;
  /** garbage: what is answered, and its content type. */
  body: string;
  contentType: string;
}

/** How a simulator's upstream fails; the kit supplies the rest. */
export interface FailureShape {
  /** The upstream's own error with HTTP 200 (`status: 200` faults), e.g. `{"status": false, "message": …}`. */
  errorInOk(req: Request, res: Response, message: string): void;
  /** The page of an HTTP error fault; default a bare HTML maintenance page. */
  errorPage?(status: number): string;
  /** The `message` of a fault that gives none, in the upstream's language. */
  defaultMessage?: string;
}

/** `pattern` is a path (that path only) or ends in `/` (every path below it; `/` is every path). */
export const covers = (pattern: string, path: string): boolean => (pattern.endsWith('/') ? path.startsWith(pattern) : path === pattern);

const defaultPage = (status: number): string =>
  `<html><head><title>${status}</title></head><body><h1>${status} Service Temporarily Unavailable</h1></body></html>`;

// Loaded and compiled on first use: a fault is only ever set in a sandbox, and the simulators'
// host process (child.ts) loads no ajv at all until one is (the hub's ajv instance is ≈ 0.12 s of
// CPU to load and build, more than the rest of a simulator's start).
const faultSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', pattern: '^/', maxLength: 2000 },
    kind: { enum: ['error', 'slow', 'down', 'garbage'] },
    failNext: { type: 'integer', minimum: 0 },
    every: { type: 'integer', minimum: 1 },
    status: { type: 'integer', minimum: 200, maximum: 599 },
    message: { type: 'string', maxLength: 1000 },
    delayMs: { type: 'integer', minimum: 0, maximum: 120_000 },
    body: { type: 'string', maxLength: 65_536 },
    contentType: { type: 'string', minLength: 1, maxLength: 200 },
  },
};
let faultCheck: Promise<(input: unknown) => string | undefined> | undefined;
/** The reason `input` is not a fault ajv accepts, or undefined. */
const faultProblem = async (input: unknown): Promise<string | undefined> => {
  faultCheck ??= import('../../schemas.js').then(({ ajv }) => {
    const validate: ValidateFunction = ajv.compile(faultSchema);
    return (value: unknown) => (validate(value) ? undefined : ajv.errorsText(validate.errors));
  });
  return (await faultCheck)(input);
};

const USAGE = 'expected {path: "/…" (default "/"), kind?: error|slow|down|garbage, failNext: n ≥ 0 (0 clears), every?: n ≥ 1, status?: 200-599, message?, delayMs?, body?, contentType?}';

export class FaultBook {
  private readonly faults = new Map<string, Fault & { seen: number }>();
  /** Calls held by a delay: a reset lets them go on at once. */
  private readonly held = new Map<NodeJS.Timeout, () => void>();
  private faulted = 0;

  constructor(private readonly shape: FailureShape) {}

  /** Sets (or with failNext 0 clears) the fault of a path; a string is the reason it was refused. */
  async set(input: unknown): Promise<Fault | string> {
    const problem = await faultProblem(input);
    if (problem !== undefined) return `${USAGE}: ${problem}`;
    const given = input as Partial<Fault>;
    const kind = given.kind ?? 'error';
    const fault: Fault = {
      path: given.path ?? '/',
      kind,
      failNext: given.failNext ?? 1,
      every: given.every ?? 1,
      status: given.status ?? (kind === 'garbage' ? 200 : 503),
      message: given.message ?? this.shape.defaultMessage ?? 'Layanan sedang dalam pemeliharaan',
      delayMs: given.delayMs ?? 0,
      body: given.body ?? '{"data": [{"id": 1, "nama": "terpot',
      contentType: given.contentType ?? 'application/json',
    };
    if (kind === 'slow' && fault.delayMs === 0) return `${USAGE}: a slow fault needs delayMs`;
    if (fault.failNext === 0) this.faults.delete(fault.path);
    else this.faults.set(fault.path, { ...fault, seen: 0 });
    return fault;
  }

  list(): Fault[] {
    return [...this.faults.values()].map(({ seen: _seen, ...fault }) => fault);
  }

  /** Calls a fault answered (or delayed) since the start or the last reset. */
  count(): number {
    return this.faulted;
  }

  reset(): void {
    this.faults.clear();
    for (const [timer, release] of this.held) {
      clearTimeout(timer);
      release();
    }
    this.held.clear();
    this.faulted = 0;
  }

  /** The most specific fault whose path covers this request's. */
  private match(path: string): (Fault & { seen: number }) | undefined {
    let found: (Fault & { seen: number }) | undefined;
    for (const fault of this.faults.values()) {
      if (covers(fault.path, path) && (!found || fault.path.length > found.path.length)) found = fault;
    }
    return found;
  }

  /** The fault this call meets, if any, counted as met. */
  take(path: string): Fault | undefined {
    const fault = this.match(path);
    if (!fault) return undefined;
    fault.seen += 1;
    if ((fault.seen - 1) % fault.every !== 0) return undefined;
    fault.failNext -= 1;
    if (fault.failNext <= 0) this.faults.delete(fault.path);
    this.faulted += 1;
    return fault;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.held.delete(timer);
        resolve();
      }, ms);
      this.held.set(timer, resolve);
    });
  }

  /** Middleware: answers a call that meets a fault the fault's way, passes the others on. */
  middleware(onFault: (req: Request, fault: Fault) => void): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction) => {
      const fault = this.take(req.path);
      if (!fault) {
        next();
        return;
      }
      onFault(req, fault);
      if (fault.delayMs > 0) await this.wait(fault.delayMs);
      if (res.destroyed || res.headersSent) return;
      switch (fault.kind) {
        case 'slow':
          next();
          return;
        case 'down':
          req.socket.destroy();
          return;
        case 'garbage':
          res.status(fault.status).type(fault.contentType).send(fault.body);
          return;
        default:
          if (fault.status === 200) this.shape.errorInOk(req, res, fault.message);
          else res.status(fault.status).type('text/html').send((this.shape.errorPage ?? defaultPage)(fault.status));
      }
    };
  }
}
