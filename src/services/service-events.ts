// Events from OPD services: an operation whose owner declared `emits: <type>` publishes the
// service's answer after each successful call, as a CloudEvent from `/layanan/<service>` sent on
// behalf of the caller. The data is the answer whole, as the service classified it: the type is
// registered with the service's classification as its schema, so every subscriber receives it
// masked to its own clearance (unlisted fields as rahasia), exactly as a caller of the service
// would see it. A type some connector, flow or schema file defines is never taken over.
import type { Logger } from 'pino';
import { ulid } from 'ulid';
import { topicForType, type CloudEvent } from '../events/cloudevent.js';
import type { EventSink } from '../events/ingest.js';
import type { EventTypeRegistry } from '../events/type-registry.js';
import { SENDER_ATTRIBUTE } from '../security/sender.js';
import { classificationSchema } from './classification-schema.js';
import type { ServiceDefinition, ServiceOperation } from './service-definition.js';

export class ServiceEvents {
  /** Types registered here, by the service that emits them. */
  private readonly owners = new Map<string, { service: string; version: number }>();

  constructor(private readonly deps: { sink: EventSink; types: EventTypeRegistry; topicPrefix: string; logger: Logger }) {}

  /** Registers the types the service emits (at start and after every change, on every instance). */
  register(service: ServiceDefinition): void {
    if (service.status !== 'active') return;
    for (const operation of service.operations) if (operation.emits) this.own(service, operation.emits);
  }

  async publish(service: ServiceDefinition, operation: ServiceOperation, data: unknown, context: { client: string; correlationId: string }): Promise<void> {
    const type = operation.emits!;
    if (!this.own(service, type)) {
      this.deps.logger.warn({ service: service.id, operation: operation.id, type }, 'an OPD service declares an event type defined elsewhere; nothing is published');
      return;
    }
    const event: CloudEvent = {
      specversion: '1.0',
      id: `layanan-${ulid()}`,
      source: `/layanan/${service.id}`,
      type,
      // The operation, not a record key: a key from a path (a NIP) would be personal data in headers.
      subject: operation.id,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data,
      [SENDER_ATTRIBUTE]: context.client,
    };
    await this.deps.sink.append([{ topic: topicForType(this.deps.topicPrefix, type), key: event.id, event, headers: { 'correlation-id': context.correlationId } }]);
  }

  /** The type is (now) this service's; false when something else defines it. */
  private own(service: ServiceDefinition, type: string): boolean {
    const owner = this.owners.get(type);
    if (!owner && this.deps.types.schemaFor(type)) return false;
    if (owner && owner.service !== service.id) return false;
    if (owner?.version !== service.version) {
      this.deps.types.register(type, classificationSchema(service.classification));
      this.owners.set(type, { service: service.id, version: service.version });
    }
    return true;
  }
}
