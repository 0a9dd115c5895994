// Views answer reads from what the hub has seen: a projection consumes the view's event types
// into the state store (latest version per id), and GET <path> and GET <path>/{id} read it.
import { Router } from 'express';
import type { EventBus, Subscription } from '../bus/event-bus.js';
import { topicForType } from '../events/cloudevent.js';
import { HubError } from '../errors/catalogue.js';
import { parseJson, stringifyJson } from '../events/json.js';
import { sendJson } from '../http/send-json.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { ViewOperation } from './manifest.js';
import { clientOf, requireRight } from '../security/authorize.js';
import { maskEntity } from '../security/masking.js';
import { expressPath } from './query-routes.js';
import type { StateStore } from './state-store.js';

export interface View {
  name: string;
  runtime: ConnectorRuntime;
  operation: ViewOperation;
}

export function viewsOf(runtimes: ConnectorRuntime[]): View[] {
  return runtimes.flatMap((runtime) =>
    Object.entries(runtime.loaded.manifest.operations)
      .filter((entry): entry is [string, ViewOperation] => entry[1].kind === 'view')
      .map(([operationId, operation]) => ({ name: `${runtime.id}.${operationId}`, runtime, operation })),
  );
}

/** Keeps every view's entities up to date from the bus. */
export async function startProjections(views: View[], deps: { bus: EventBus; state: StateStore; topicPrefix: string; instance: string }): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  for (const view of views) {
    const topics = [...new Set(view.operation.eventTypes.map((type) => topicForType(deps.topicPrefix, type)))];
    for (const topic of topics) {
      subscriptions.push(await deps.bus.subscribe({
        // Per instance (every instance keeps its own view store) and per topic (a kafkajs group
        // whose members subscribe to different topics loses partitions).
        groupId: `${deps.topicPrefix}.view.${view.name}.${deps.instance}.${topic}`,
        topic,
        handler: async (record) => {
          const { event } = record;
          if (!view.operation.eventTypes.includes(event.type) || !event.data || typeof event.data !== 'object') return;
          const id = (event.data as Record<string, unknown>)[view.operation.idField];
          if (typeof id === 'string') deps.state.upsertEntity(view.name, id, stringifyJson(event.data), new Date(event.time ?? record.timestamp).toISOString());
        },
      }));
    }
  }
  return subscriptions;
}

/** The value at a dotted path (`satuan_kerja.kode`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function viewRoutes(views: View[], state: StateStore): Router {
  const router = Router();
  for (const view of views) {
    const filters = new Map((view.operation.filters ?? []).map((f) => (typeof f === 'string' ? [f, f] : [f.param, f.field])));
    const pathFilters = view.operation.pathFilters ?? {};
    const right = requireRight(`${view.runtime.id}:${view.name.slice(view.runtime.id.length + 1)}`);
    router.get(expressPath(view.operation.path), right, (req, res) => {
      // The query was checked against the view's documented parameters (gateway/query-validation.ts):
      // only its filters, each once, and a limit in range.
      const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
      const wanted: [string, string][] = Object.entries(pathFilters).map(([param, field]) => [field, String(req.params[param])]);
      for (const [name, value] of Object.entries(req.query)) {
        const field = filters.get(name);
        if (field) wanted.push([field, String(value)]);
      }
      const { clearance } = clientOf(res);
      const items: unknown[] = [];
      let after = typeof req.query.after === 'string' ? req.query.after : '';
      let exhausted = false;
      while (items.length < limit && !exhausted) {
        const rows = state.entities(view.name, after, 200);
        exhausted = rows.length < 200;
        for (const row of rows) {
          after = row.id;
          const entity = parseJson(row.data);
          if (wanted.every(([field, value]) => String(valueAt(entity, field)) === value)) items.push(maskEntity(view.operation.schema, entity, clearance));
          if (items.length === limit) break;
        }
      }
      sendJson(res, 200, { items, next: exhausted && items.length < limit ? null : after });
    });
    if (Object.keys(pathFilters).length > 0) continue;
    router.get(`${view.operation.path}/:id`, right, (req, res) => {
      const row = state.entity(view.name, req.params.id as string);
      if (!row) throw new HubError('entity-not-found', `no ${view.operation.schema} with id ${req.params.id} has reached the hub`);
      sendJson(res, 200, maskEntity(view.operation.schema, parseJson(row.data), clientOf(res).clearance));
    });
  }
  return router;
}
