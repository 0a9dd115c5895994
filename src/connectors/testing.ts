// What a connector's own tests (connectors/<id>/<id>.test.ts) share, since they may import only
// the SDK: their simulator started and reset around each test, upstream requests sent to it as
// the runtime's client sends them (same encoding and decoding, no resilience), and the error a
// call must throw. The SDK is production code, so the test runner's hooks are passed in.
import { callSimulator, type SimulatorAnswer } from './simulator-kit/control.js';
import type { ListenOptions, Simulator } from './simulator-kit/serve.js';
import { decodeBody, encodeRequest, type UpstreamRequest, type UpstreamResponse } from './upstream-exchange.js';
import { UpstreamError } from './upstream-error.js';

/** vitest's `beforeAll`, `afterAll` and `beforeEach`. */
export interface TestHooks {
  beforeAll(run: () => Promise<void>): void;
  afterAll(run: () => Promise<void>): void;
  beforeEach(run: () => Promise<void>): void;
}

export interface SimulatorUnderTest {
  /** The running simulator (from beforeAll on): its request record, its own helpers. */
  readonly running: Simulator;
  /** Its base URL. */
  readonly url: string;
  /** One exchange as the runtime's upstream client makes it. */
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  /** A call to the simulator's control API (or any path), its status left to the caller. */
  control(method: string, path: string, body?: unknown): Promise<SimulatorAnswer>;
  /** A control call that must succeed (a test's setup): its body, or it throws. */
  change(method: string, path: string, body?: unknown): Promise<unknown>;
}

/** Starts the simulator before the file's tests, stops it after them, and resets it (204) before each. */
export function simulatorUnderTest(start: (options?: ListenOptions) => Promise<Simulator>, hooks: TestHooks): SimulatorUnderTest {
  let started: Simulator | undefined;
  const running = (): Simulator => {
    if (!started) throw new Error('the simulator is not running: use it inside a test');
    return started;
  };
  const url = (): string => running().url;
  const control = (method: string, path: string, body?: unknown): Promise<SimulatorAnswer> => callSimulator(url(), method, path, body);
  const change = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const answer = await control(method, path, body);
    if (answer.status >= 400) throw new Error(`${method} ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  hooks.beforeAll(async () => {
    started = await start();
  });
  hooks.afterAll(async () => {
    await started?.close();
  });
  hooks.beforeEach(async () => {
    const reset = await control('POST', '/_simulator/reset');
    if (reset.status !== 204) throw new Error(`POST /_simulator/reset: HTTP ${reset.status}`);
  });
  return {
    get running() {
      return running();
    },
    get url() {
      return url();
    },
    send: (request) => send(url(), request),
    control,
    change,
  };
}

async function send(baseUrl: string, request: UpstreamRequest): Promise<UpstreamResponse> {
  const url = new URL(request.path, baseUrl);
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  const { headers, data } = encodeRequest(request);
  const response = await fetch(url, { method: request.method, headers, body: data });
  const text = await response.text();
  const responseHeaders = Object.fromEntries(response.headers);
  return { status: response.status, headers: responseHeaders, body: decodeBody(text, responseHeaders['content-type']) };
}

type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The error `run` throws: an UpstreamError, or one of `type`; any other error is thrown on. */
export function caught(run: () => unknown): UpstreamError;
export function caught<E extends Error>(run: () => unknown, type: ErrorClass<E>): E;
export function caught(run: () => unknown, type: ErrorClass<Error> = UpstreamError): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}

/** The error the promise `run` returns is rejected with, as `caught`. */
export async function caughtAsync(run: () => Promise<unknown>): Promise<UpstreamError>;
export async function caughtAsync<E extends Error>(run: () => Promise<unknown>, type: ErrorClass<E>): Promise<E>;
export async function caughtAsync(run: () => Promise<unknown>, type: ErrorClass<Error> = UpstreamError): Promise<Error> {
  try {
    await run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}
