// Turns what a client posted into outbox entries: the CloudEvents envelope is checked, then the
// data against its type's schema; nothing invalid goes further. Used by every entry point
// that accepts events, so they all answer the same coded errors.
import { HubError } from '../errors/catalogue.js';
import type { OutboxEntry } from '../outbox/outbox.js';
import { compileSchema, schemaErrors } from '../schemas.js';
import { partitionKeyOf, topicForType, type CloudEvent } from './cloudevent.js';
import type { EventTypeRegistry } from './type-registry.js';

export interface IngestOptions {
  topicPrefix: string;
  strictTypes: boolean;
  registry: EventTypeRegistry;
}

const validateEnvelope = compileSchema('cloudevent.v1.json');

/** Validates every event of a batch; the batch is refused whole if any is invalid. */
export function toOutboxEntries(events: unknown[], headers: Record<string, string>, options: IngestOptions, pointerPrefix: (index: number) => string): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const [index, candidate] of events.entries()) {
    const pointer = pointerPrefix(index);
    if (!validateEnvelope(candidate)) throw new HubError('event-invalid', undefined, { errors: schemaErrors(pointer, validateEnvelope.errors) });
    const event = normalise(candidate as CloudEvent);
    const validateData = options.registry.validatorFor(event.type);
    if (validateData) {
      if (!validateData(event.data)) throw new HubError('event-data-invalid', `data of ${event.type} is invalid`, { errors: schemaErrors(`${pointer}/data`, validateData.errors) });
    } else if (options.strictTypes) {
      throw new HubError('event-type-unknown', `no schema is registered for event type ${event.type}`, { errors: [{ pointer: `${pointer}/type`, message: 'unknown type' }] });
    }
    entries.push({ topic: topicForType(options.topicPrefix, event.type), key: partitionKeyOf(event), event, headers });
  }
  return entries;
}

/** JSON data implies application/json (CloudEvents JSON format); stating it keeps every transport's copy identical. */
function normalise(event: CloudEvent): CloudEvent {
  return event.data !== undefined && event.datacontenttype === undefined ? { ...event, datacontenttype: 'application/json' } : event;
}
