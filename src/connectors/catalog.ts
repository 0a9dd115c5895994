// The service catalogue: every connector, its operations, canonical schemas, owner and
// classification, generated from the manifests (the metadata Satu Data Indonesia asks for).
import { Router } from 'express';
import { classificationRank } from '../domain/classification.js';
import { HubError } from '../errors/catalogue.js';
import { requireRight } from '../security/authorize.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import { upstreamPaths, type Operation } from './manifest.js';
import type { Classification } from './sdk.js';


function describeOperation(id: string, operation: Operation): Record<string, unknown> {
  const common = { id, kind: operation.kind, summary: operation.summary, classification: operation.classification };
  switch (operation.kind) {
    case 'query':
      return { ...common, http: operation.http, schemas: { output: operation.output }, idempotent: operation.idempotent };
    case 'inbound':
      return { ...common, modes: operation.modes, event_type: operation.eventType, schemas: { data: operation.schema } };
    case 'outbound':
      return { ...common, event_type: operation.eventType, schemas: { data: operation.schema } };
    case 'view':
      return { ...common, http: { method: 'GET', path: operation.path }, event_types: operation.eventTypes, schemas: { item: operation.schema }, filters: (operation.filters ?? []).map((f) => (typeof f === 'string' ? f : f.param)) };
    case 'command':
      return { ...common, http: operation.http, event_type: operation.eventType, schemas: { input: operation.schema } };
  }
}

export function catalogEntry(runtime: ConnectorRuntime): Record<string, unknown> {
  const { manifest } = runtime.loaded;
  const operations = Object.entries(manifest.operations);
  const classification = operations.map(([, op]) => op.classification).reduce<Classification>((max, c) => (classificationRank(c) > classificationRank(max) ? c : max), 'publik');
  return {
    id: manifest.id,
    name: manifest.name,
    owner: manifest.owner,
    version: manifest.version,
    description: manifest.description,
    formats: manifest.formats,
    classification,
    operations: operations.map(([id, operation]) => describeOperation(id, operation)),
    upstream: { docs: manifest.upstream.docs ?? null, paths: upstreamPaths(manifest), unverified_paths: Object.entries(upstreamPaths(manifest)).filter(([, p]) => !p.verified).map(([name]) => name) },
  };
}

/** `services`: the registered OPD services' entries, listed after the connectors. */
export function catalogRoutes(runtimes: ConnectorRuntime[], services?: () => Record<string, unknown>[]): Router {
  const router = Router();
  const find = (id: string): ConnectorRuntime => {
    const runtime = runtimes.find((r) => r.id === id);
    if (!runtime) throw new HubError('connector-not-found', `no connector ${id}; see /v1/catalog`);
    return runtime;
  };
  router.get('/v1/catalog', requireRight('catalog:read'), (_req, res) => {
    res.json({ connectors: runtimes.map(catalogEntry), ...(services ? { services: services() } : {}) });
  });
  router.get('/v1/catalog/:id', requireRight('catalog:read'), (req, res) => {
    const id = req.params.id as string;
    const service = runtimes.some((r) => r.id === id) ? undefined : services?.().find((entry) => entry.id === id);
    res.json(service ?? catalogEntry(find(id)));
  });
  return router;
}
