// Views answer reads from what the hub has seen: a projection consumes the view's event types
// into the state store (latest version per id), and GET <path> and GET <path>/{id} read it.
import { Router } from 'express';
import type { EventBus, Subscription } from '../bus/event-bus.js';
import { topicForType } from '../events/cloudevent.js';
import { HubError } from '../errors/catalogue.js';
import { parseJson, sendJson, stringifyJson } from '../events/json.js';
import type { ConnectorRuntime } from './connector-runtime.js';
import type { ViewOperation } from './manifest.js';
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
export async function startProjections(views: View[], deps: { bus: EventBus; state: StateStore; topicPrefix: string }): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  for (const view of views) {
    const topics = [...new Set(view.operation.eventTypes.map((type) => topicForType(deps.topicPrefix, type)))];
    for (const topic of topics) {
      subscriptions.push(await deps.bus.subscribe({
        groupId: `${deps.topicPrefix}.view.${view.name}`,
        topic,
        handler: async ({ event }) => {
          if (!view.operation.eventTypes.includes(event.type) || !event.data || typeof event.data !== 'object') return;
          const id = (event.data as Record<string, unknown>)[view.operation.idField];
          if (typeof id === 'string') deps.state.upsertEntity(view.name, id, stringifyJson(event.data));
        },
      }));
    }
  }
  return subscriptions;
}

const maxLimit = 500;

export function viewRoutes(views: View[], state: StateStore): Router {
  const router = Router();
  for (const view of views) {
    const filters = view.operation.filters ?? [];
    router.get(view.operation.path, (req, res) => {
      const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new HubError('query-invalid', `limit must be an integer from 1 to ${maxLimit}`, { errors: [{ pointer: 'limit', message: 'out of range' }] });
      const wanted: [string, string][] = [];
      for (const [name, value] of Object.entries(req.query)) {
        if (name === 'limit' || name === 'after') continue;
        if (!filters.includes(name)) throw new HubError('query-invalid', `${name} is not a filter here; filters: ${filters.join(', ') || 'none'}`, { errors: [{ pointer: name, message: 'unknown filter' }] });
        if (typeof value !== 'string') throw new HubError('query-invalid', `${name} must be given once`, { errors: [{ pointer: name, message: 'invalid' }] });
        wanted.push([name, value]);
      }
      const items: unknown[] = [];
      let after = typeof req.query.after === 'string' ? req.query.after : '';
      let exhausted = false;
      while (items.length < limit && !exhausted) {
        const rows = state.entities(view.name, after, 200);
        exhausted = rows.length < 200;
        for (const row of rows) {
          after = row.id;
          const entity = parseJson(row.data) as Record<string, unknown>;
          if (wanted.every(([name, value]) => String(entity[name]) === value)) items.push(entity);
          if (items.length === limit) break;
        }
      }
      sendJson(res, 200, { items, next: exhausted && items.length < limit ? null : after });
    });
    router.get(`${view.operation.path}/:id`, (req, res) => {
      const row = state.entity(view.name, req.params.id);
      if (!row) throw new HubError('entity-not-found', `no ${view.operation.schema} with id ${req.params.id} has reached the hub`);
      sendJson(res, 200, parseJson(row.data));
    });
  }
  return router;
}
