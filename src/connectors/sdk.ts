// The connector SDK: the only hub module a connector folder imports. A connector is a manifest
// (what it offers, validated by schemas/connector-manifest.schema.json) plus pure functions
// that build upstream requests and map native answers to canonical entities. The runtime does
// the rest the same way for every connector: HTTP, resilience, validation, the bus, metrics.
import type { UpstreamRequest, UpstreamResponse } from './upstream-exchange.js';

export type Classification = 'publik' | 'terbatas' | 'rahasia';

export type { UpstreamRequest, UpstreamResponse };

export interface ConnectorContext {
  /** Values of the environment variables the manifest names under `upstream.settings`. */
  settings: Record<string, string>;
  /** The manifest's `options` (connector-specific, e.g. column layouts per upstream version). */
  options: Record<string, unknown>;
  now(): Date;
}

/** Request-reply through the gateway. */
export interface QueryHandler<Input = Record<string, unknown>, Output = unknown> {
  /** `input` holds the path parameters, query parameters and (for POST) the body. */
  request(input: Input, context: ConnectorContext): UpstreamRequest;
  /** Pure: the upstream's answer → the canonical answer. */
  response(upstream: UpstreamResponse, input: Input, context: ConnectorContext): Output;
}

/**
 * Native records that become canonical events: pushed to the hub, or polled. A handler
 * implements either `map` (a document that is one record, or that stands or falls whole), or
 * `records` + `mapRecord` (a document of records read one by one: a bad record is quarantined,
 * the others are published).
 */
export interface InboundHandler<Entity = unknown> {
  /** Pure: one native document (a push, or one polled page) → canonical entities. */
  map?(native: unknown, context: ConnectorContext): Entity[];
  /**
   * Pure: the envelope → its native records. Throws UpstreamError only when the envelope itself
   * is unreadable or is an error inside HTTP 200; never for one bad record.
   */
  records?(native: unknown, context: ConnectorContext): unknown[];
  /**
   * Pure: one native record → its entity (or several, or none when the record is knowingly
   * skipped). Throws RecordRejected for a record that cannot be mapped; any other error
   * quarantines the record too, with reason `mapping-error`. An entity that fails its canonical
   * schema is quarantined with reason `schema-invalid`.
   */
  mapRecord?(record: unknown, context: ConnectorContext, index: number): Entity | Entity[] | undefined;
  /** The entity's identity: the event subject and the key changes are deduplicated by. */
  identify(entity: Entity): string;
  poll?: {
    /** The request for the page after `cursor` (undefined: from the beginning). */
    request(cursor: string | undefined, context: ConnectorContext): UpstreamRequest;
    /**
     * Reads a page: its native document and the cursor of the next page. `undefined`: caught
     * up, and the next run starts from the saved cursor (incremental upstreams); `null`: caught
     * up, and the next run starts from the beginning (upstreams that can only be listed whole).
     */
    page(upstream: UpstreamResponse, cursor: string | undefined, context: ConnectorContext): { native: unknown; nextCursor: string | undefined | null };
  };
}

/** Canonical events on the bus delivered to the upstream. */
export interface OutboundHandler<Entity = unknown> {
  /** Pure: the canonical entity → the upstream request that delivers it. */
  request(entity: Entity, context: ConnectorContext): UpstreamRequest;
  /** Pure: checks the upstream's answer; throws UpstreamError when it refused. */
  /** `entity`: what to publish through the manifest's `publishesAnswer` (e.g. the complaint with its new tracking id). */
  response(upstream: UpstreamResponse, entity: Entity, context: ConnectorContext): { upstreamId?: string; entity?: unknown };
}

/** An inbound handler as the runtime holds it: `map` is always there (see defineConnector). */
export type DefinedInboundHandler<Entity = unknown> = InboundHandler<Entity> & { map(native: unknown, context: ConnectorContext): Entity[] };

interface Handlers<Inbound> {
  /* eslint-disable @typescript-eslint/no-explicit-any -- each operation has its own entity types */
  queries?: Record<string, QueryHandler<any, any>>;
  inbound?: Record<string, Inbound>;
  outbound?: Record<string, OutboundHandler<any>>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- each operation has its own entity types */
export type ConnectorDefinition = Handlers<DefinedInboundHandler<any>>;

/**
 * Gives a connector's mapping module its type. A per-record handler (`records` + `mapRecord`)
 * also gets a whole-document `map` that throws on the first bad record: what tests and tools
 * that want all-or-nothing call; the runtime reads such handlers record by record.
 */
/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- each operation has its own entity types */
export function defineConnector(definition: Handlers<InboundHandler<any>>): ConnectorDefinition {
  if (!definition.inbound) return definition as ConnectorDefinition;
  const inbound = Object.fromEntries(Object.entries(definition.inbound).map(([id, handler]) => [id, { ...handler, map: handler.map ?? wholeDocument(handler) }]));
  return { ...definition, inbound };
}

function wholeDocument<Entity>(handler: InboundHandler<Entity>): (native: unknown, context: ConnectorContext) => Entity[] {
  return (native, context) => {
    if (!handler.records || !handler.mapRecord) throw new Error('an inbound handler needs map, or records and mapRecord');
    return handler.records(native, context).flatMap((record, index) => {
      const mapped = handler.mapRecord!(record, context, index);
      return mapped === undefined ? [] : Array.isArray(mapped) ? mapped : [mapped];
    });
  };
}

export type { ErrorCode } from '../errors/catalogue.js';
// What simulators use (and the files they import): a module of its own that loads no ajv.
export * from './simulator-sdk.js';
export { nextMidnightWib } from '../domain/wib.js';
export { checkNik, describeNik } from '../domain/nik.js';
export { checkNoKk } from '../domain/no-kk.js';
export { parseRupiah, type Rupiah } from '../domain/rupiah.js';
// A connector's own tests check its canonical output against the canonical schema.
export { compileSchema } from '../schemas.js';
export { callSimulator, type SimulatorAnswer } from './simulator-kit/control.js';
// A connector's own tests talk to its simulator as the runtime would (no test runner imported).
export { caught, caughtAsync, simulatorUnderTest, type SimulatorUnderTest, type TestHooks } from './testing.js';
export { pollRun, type PolledHandler, type PolledPage, type PollRunResult } from './poll-run.js';
export { remembered, type RememberedBounds } from './remembered.js';
export { keyTable, type TableRead } from './key-table.js';
export { moneyOf } from './money.js';
export { pathOf } from './option-paths.js';
export { assertHttpOk, decodeTextBody, errorInside, refusalOf, assertNoErrorInside, saysNoData, safeMessage, unreadableText } from './upstream-answers.js';
