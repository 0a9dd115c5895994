// Access requests and decisions as events, so an owner OPD learns of a request to its service
// (and a requester of the decision) by webhook or pull instead of polling the API, as an API
// manager notifies its publishers. Published from the hub-only source `/layanan/<service>` with
// the service as subject (a webhook filter picks one service) and the acting client as sender;
// the purpose and reasons are terbatas (free text), so subscribers get them masked to their
// clearance (akses-layanan.v1).
import { ulid } from 'ulid';
import { topicForType, type CloudEvent } from '../events/cloudevent.js';
import type { EventSink } from '../events/ingest.js';
import { HubError } from '../errors/catalogue.js';
import { SENDER_ATTRIBUTE } from '../security/sender.js';
import type { AccessRequest, AccessRequestStatus, ServiceDefinition } from './service-definition.js';

export const ACCESS_EVENT_SCHEMA = 'akses-layanan.v1';

/** The event type of each state a request can be moved to. */
export const ACCESS_EVENT_TYPES = {
  pending: 'layanan.akses.diminta',
  approved: 'layanan.akses.disetujui',
  refused: 'layanan.akses.ditolak',
  revoked: 'layanan.akses.dicabut',
} as const satisfies Partial<Record<AccessRequestStatus, string>>;

export class AccessEvents {
  constructor(private readonly deps: { sink: EventSink; topicPrefix: string }) {}

  /** Tells of `request` in its new state, done by `actor`; resolves once the event is in the outbox. */
  async published(request: AccessRequest, service: ServiceDefinition, actor: string): Promise<void> {
    const type = ACCESS_EVENT_TYPES[request.status as keyof typeof ACCESS_EVENT_TYPES];
    if (!type) return;
    const event: CloudEvent = {
      specversion: '1.0',
      id: `akses-${ulid()}`,
      source: `/layanan/${service.id}`,
      type,
      subject: service.id,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: {
        id: request.id,
        layanan: service.id,
        pemilik: service.owner,
        klien: request.client,
        operasi: request.operations === '*' ? ['*'] : request.operations,
        status: request.status,
        tujuan: request.purpose,
        diminta_pada: request.requestedAt,
        ...(request.decidedBy ? { diputuskan_oleh: request.decidedBy } : {}),
        ...(request.decidedAt ? { diputuskan_pada: request.decidedAt } : {}),
        ...(request.expiresAt ? { berlaku_sampai: request.expiresAt } : {}),
        ...(request.reason ? { alasan: request.reason } : {}),
      },
      [SENDER_ATTRIBUTE]: actor,
    };
    try {
      await this.deps.sink.append([{ topic: topicForType(this.deps.topicPrefix, type), key: service.id, event, headers: {} }]);
    } catch (error) {
      if (error instanceof HubError) throw error;
      throw new HubError('outbox-unavailable', `access request ${request.id} is ${request.status}, but its event was not stored`, { retryAfterSeconds: 5, cause: error });
    }
  }
}
