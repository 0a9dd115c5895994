// The part of the SDK (sdk.ts re-exports all of it) a connector's simulator and the files it
// imports use: the simulator kit, JSON and XML, the reading helpers. Nothing here loads ajv (the
// schema compiler), the test helpers or the upstream-answer checks, so the sandbox's simulator
// host (simulator-kit/child.ts) starts on express and these alone: importing the whole SDK cost it
// ≈ 0.23 s of CPU at every start, on the core the hub's own start needs.
import type { ListenOptions, Simulator } from './simulator-kit/serve.js';

/** How the runtime starts a connector's simulator (simulator.ts): built with serveSimulator. */
export type StartSimulator = (options?: ListenOptions) => Promise<Simulator>;

export { UpstreamError } from './upstream-error.js';
export { RecordRejected } from './record-rejected.js';
export { parseJson, stringifyJson, LosslessNumber } from '../events/json.js';
export { parseXml, buildXml } from './xml.js';
export { plainText, oneLine } from './text.js';
export { serveSimulator, listen, type ListenOptions, type Simulator, type SimulatorDefinition } from './simulator-kit/serve.js';
export { bodyText, type BodyMode } from './simulator-kit/bodies.js';
export type { Fault, FaultKind } from './simulator-kit/faults.js';
export type { RecordedRequest, RequestFilter } from './simulator-kit/recorder.js';
// A simulator's routes are express handlers; it needs no other import for their types.
export type { Express, NextFunction, Request, Response, Router } from 'express';
export { pick, present, scalar, isDoc, isLossless, isPlaceholder, normaliseKey, asArray, digitsOf, flagOf, extrasOf, holdsKey, type Doc } from './fields.js';
export { parseDate, dateOf, dateTimeOf, formatWib, isoDateOf, epochMsOf, type ParsedDate, type ParseDateOptions } from './dates.js';
