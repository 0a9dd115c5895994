// The one way into the outbox. What a client posted becomes outbox entries: the CloudEvents
// envelope is checked (values that become transport headers bounded and free of control
// characters), then the data against its type's schema; nothing invalid goes further. Events
// the hub makes itself (connector entities, flow emits) are appended here too, their envelope
// checked the same way, so a bug upstream of the outbox can never poison a consumer.
import { HubError } from '../errors/catalogue.js';
import type { AppendResult, Outbox, OutboxEntry } from '../outbox/outbox.js';
import { compileSchema, schemaErrors } from '../schemas.js';
import { partitionKeyOf, topicForType, type CloudEvent } from './cloudevent.js';
import { assertPublicType, isReservedType } from './reserved-types.js';
import type { EventTypeRegistry } from './type-registry.js';

export interface IngestOptions {
  topicPrefix: string;
  strictTypes: boolean;
  registry: EventTypeRegistry;
}

const validateEnvelope = compileSchema('cloudevent.v1.json');

/** Validates every event of a batch; the batch is refused whole if any is invalid. */
function toOutboxEntries(events: unknown[], headers: Record<string, string>, options: IngestOptions, pointerPrefix: (index: number) => string): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const [index, candidate] of events.entries()) {
    const pointer = pointerPrefix(index);
    if (!validateEnvelope(candidate)) throw new HubError('event-invalid', undefined, { errors: schemaErrors(pointer, validateEnvelope.errors) });
    const event = normalise(candidate as CloudEvent);
    assertPublicType(event.type, `${pointer}/type`);
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

/** Where events enter the outbox; connectors and flows hold this, not the outbox. */
export interface EventSink {
  append(entries: OutboxEntry[]): Promise<AppendResult[]>;
}

export class EventIngest implements EventSink {
  /** Entries toOutboxEntries built: their envelope was checked already. */
  private readonly checked = new WeakSet<OutboxEntry>();

  constructor(private readonly outbox: Outbox, private readonly options: IngestOptions) {}

  /** A client's events, validated whole (the batch is refused if any is invalid); append them next. */
  entries(events: unknown[], headers: Record<string, string>, pointerPrefix: (index: number) => string): OutboxEntry[] {
    const entries = toOutboxEntries(events, headers, this.options, pointerPrefix);
    for (const entry of entries) this.checked.add(entry);
    return entries;
  }

  /** Resolves once the entries are on disk; duplicates (same source and id) are reported, not stored. */
  append(entries: OutboxEntry[]): Promise<AppendResult[]> {
    for (const [index, entry] of entries.entries()) {
      const { type } = entry.event;
      if (this.checked.has(entry)) continue;
      if (isReservedType(type)) return Promise.reject(new HubError('internal-error', `the hub made an event of a reserved type (${type})`));
      if (!validateEnvelope(entry.event)) {
        return Promise.reject(new HubError('internal-error', `the hub made an invalid event (${type})`, { errors: schemaErrors(`/${index}`, validateEnvelope.errors) }));
      }
    }
    return this.outbox.append(entries);
  }
}

/** JSON data implies application/json (CloudEvents JSON format); stating it keeps every transport's copy identical. */
function normalise(event: CloudEvent): CloudEvent {
  return event.data !== undefined && event.datacontenttype === undefined ? { ...event, datacontenttype: 'application/json' } : event;
}
