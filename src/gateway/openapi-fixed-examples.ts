// Examples for the hub's fixed routes in /openapi.json, shaped as the routes answer (taken from a
// sandbox hub's answers, ids and keys replaced by made-up ones). The connectors' operations take
// theirs from their fixtures (src/connectors/openapi-examples.ts); the self-service ones are in
// openapi-me-examples.ts. Each operation gets the example of its request body, its success answer
// and, where it answers no body (204), of its path parameters.
import { meExamples } from './openapi-me-examples.js';

interface FixedExample {
  request?: unknown;
  response?: unknown;
  /** Path (or query) parameter examples by name: ids that need not exist, so a tool sending them harms nothing. */
  parameters?: Record<string, unknown>;
}

const at = '2026-12-01T09:20:00.000Z';
const instance = '3f1c2a9e-5b7d-4c1e-9a2f-6d8e0b4c7a15';
const letter = meExamples.deadLetters.items[0]!;
const { event: _event, ...letterSummary } = letter;
const fullLetter = { ...letter, headers: { 'dlq-source-topic': 'penghubung.pengaduan.tindak-lanjut', 'dlq-source-offset': '1/12' } };
const subscription = meExamples.subscriptions.subscriptions[0]!;
const { health: _health, ...subscriptionRecord } = subscription;
const connectorStatus = {
  id: 'sipd', name: 'SIPD (perencanaan dan penganggaran)', owner: 'Bappeda dan BPKAD Kabupaten Pesawaran (aplikasi SIPD, Kemendagri)', state: 'up',
  circuit: { state: 'closed', forced: null }, operation_circuits: {}, quota: null, last_success_at: at, last_failure_at: null, last_failure: null,
  calls_5m: 12, error_rate_5m: 0, latency_ms_5m: 84, in_flight: { active: 0, waiting: 0, limit: 2 }, delivery_backlog: 0, dead_letters: 0, unverified_paths: ['rkpd_get_rkpd_skpd'],
  polls: { 'sub-kegiatan-masuk': { interval_seconds: 900, leader: instance, leading: true, running: false, last: { pages: 1, read: 40, published: 2, unchanged: 38, rejected: 0, started_at: at, finished_at: '2026-12-01T09:20:01.200Z', error: null } } },
  rejected_records: {},
};
const flowInstance = {
  id: 'pengaduan-disposisi:Q2hhbmdlZCBiZWZvcmUgc2hpcHBpbmc', flow: 'pengaduan-disposisi', trigger_event_id: 'lapor-1234567', trigger_source: '/lapor', subject: 'lapor-1234567', status: 'completed', started_at: at, finished_at: '2026-12-01T09:20:00.420Z',
  steps: [
    { step: 'verifikasi-pelapor', outcome: 'skipped', result: null, error: null, attempts: 0, started_at: at, finished_at: at },
    { step: 'tentukan-opd', outcome: 'done', result: { instansi_tujuan: 'Dinas Pekerjaan Umum dan Penataan Ruang' }, error: null, attempts: 1, started_at: at, finished_at: at },
    { step: 'buat-naskah', outcome: 'done', result: { id: 'sitampan-6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b' }, error: null, attempts: 1, started_at: at, finished_at: '2026-12-01T09:20:00.300Z' },
    { step: 'umumkan-disposisi', outcome: 'done', result: null, error: null, attempts: 1, started_at: '2026-12-01T09:20:00.300Z', finished_at: '2026-12-01T09:20:00.420Z' },
  ],
};
const client = { id: 'aplikasi-contoh', name: 'Aplikasi contoh', opd: 'Dinas Komunikasi dan Informatika Kabupaten Pesawaran', role: 'app', clearance: 'publik', rights: ['catalog:read'] };
const serviceInput = {
  id: 'izin-usaha', title: 'Perizinan usaha DPMPTSP', description: 'Checks a business permit by its number', baseUrl: 'https://perizinan.opd.example/api',
  openapi: { openapi: '3.1.0', info: { title: 'Perizinan', version: '1.0.0' }, paths: { '/izin/{nomor}': { get: { operationId: 'cek-izin', summary: 'Status of a permit', parameters: [{ name: 'nomor', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'The permit', content: { 'application/json': { schema: { type: 'object', properties: { nomor: { type: 'string' }, status: { type: 'string' }, pemilik: { type: 'string' } } } } } } } } } } },
  auth: { type: 'api-key', header: 'X-Api-Key', value: 'kunci-layanan-contoh' },
  classification: { '/nomor': 'publik', '/status': 'publik' },
};
const { value: _secret, ...shownAuth } = serviceInput.auth;
const service = {
  id: 'izin-usaha', version: 1, owner: 'aplikasi-dpmptsp', opd: 'DPMPTSP Kabupaten Pesawaran', title: serviceInput.title, description: serviceInput.description,
  operations: [{ id: 'cek-izin', method: 'GET', path: '/izin/{nomor}', summary: 'Status of a permit', idempotent: true, contentType: 'application/json', responseSchema: { type: 'object', properties: { nomor: { type: 'string' }, status: { type: 'string' }, pemilik: { type: 'string' } } } }],
  classification: serviceInput.classification, timeoutMs: 5000, status: 'active', createdAt: at, updatedAt: at, baseUrl: serviceInput.baseUrl, auth: shownAuth,
};
const accessRequest = { id: '01JEZ8K6Q3M4N5P6R7S8T9V0WX', service: 'izin-usaha', operations: ['cek-izin'], client: 'aplikasi-opd-demo', purpose: 'Memeriksa izin usaha pemohon bantuan UMKM', status: 'pending', requestedAt: at };
const decided = { ...accessRequest, status: 'approved', decidedBy: 'aplikasi-dpmptsp', decidedAt: '2026-12-02T08:00:00.000Z', expiresAt: '2027-12-31T23:59:59.000Z' };

/** By operationId. */
export const fixedExamples: Record<string, FixedExample> = {
  publishEvents: { response: { id: 'contoh-1', source: '/opd/diskominfo', topic: 'penghubung.uji', duplicate: false } },
  pullEvents: { response: { events: [{ specversion: '1.0', id: 'contoh-1', source: '/opd/diskominfo', type: 'uji.dibuat', subject: 'contoh', time: '2026-12-01T09:00:00+07:00', datacontenttype: 'application/json', data: { pesan: 'halo' }, penghubungclient: 'aplikasi-opd-demo' }], next: 'WzIsIm8iLDFd.ks-r9D5LRw7OATaH' } },
  readPullCursor: { response: { consumer: 'aplikasi-opd-demo-pengaduan', cursor: 'WzIsIm8iLDFd.ks-r9D5LRw7OATaH' } },
  commitPullCursor: { request: { cursor: 'WzIsIm8iLDFd.ks-r9D5LRw7OATaH' }, response: { consumer: 'aplikasi-opd-demo-pengaduan', cursor: 'WzIsIm8iLDFd.ks-r9D5LRw7OATaH' } },
  connectorStatuses: { response: { instance, live_instances: 1, outbox_backlog: 0, connectors: [connectorStatus] } },
  connectorStatus: { response: connectorStatus },
  forceCircuit: { request: { state: 'open', reason: 'SIPD maintenance window announced by Bappeda' }, response: { ...connectorStatus, state: 'down', circuit: { state: 'open', forced: 'open' } } },
  listRejectedRecords: { response: { items: [{ id: 1, connector: 'lapor', operation: 'pengaduan-masuk', via: 'push', reason: 'field-missing', detail: 'a local complaint has no content', cursor: null, first_rejected_at: at, last_rejected_at: at, times: 1, digest: '4769f6a998b87425cf2ea4e86ab88fe9f48a4318f5894790341f6a752258e84f', index: 0 }], next: null, record_masked: true } },
  pollNow: { response: { connector: 'sipd', operation: 'sub-kegiatan-masuk', leader: instance, pages: 1, read: 40, published: 2, unchanged: 38, rejected: 0, started_at: at, finished_at: '2026-12-01T09:20:01.200Z', error: null } },
  listDeadLetters: { response: { dead_letters: [letterSummary] } },
  replayDeadLetters: { request: { connector: 'lapor', from: '2026-12-01T00:00:00Z' }, response: { replayed: [{ id: letter.id, outcome: 'delivered' }] } },
  getDeadLetter: { response: fullLetter },
  replayDeadLetter: { response: { id: letter.id, outcome: 'delivered' } },
  discardDeadLetter: { request: { reason: 'Follow-up sent to LAPOR! by hand' }, response: { ...fullLetter, status: 'discarded', resolved_at: '2026-12-01T10:00:00.000Z', resolution: 'Follow-up sent to LAPOR! by hand' } },
  recentAudit: { response: { entries: [{ seq: 14, id: '8c427348-0c30-4ca1-acd3-b9ae8feec79f', time: at, actor: 'client', client: 'aplikasi-opd-demo', on_behalf_of: null, event_digest: null, operation: 'siak:cari-penduduk', connector: 'siak', method: 'GET', route: '/v1/penduduk/:nik', status: 200, outcome: 'ok', latency_ms: 21.5, correlation_id: '905ffc14-fa65-4d57-9153-fbc3d2ccde3d', request_digest: null, response_digest: '1ae3ce0f63551ec276b78636a59371d95cd9d3dc84a7453d425a779f8ed4d5b5' }], stats: { file: '/var/lib/penghubung/audit.db', keyId: '3f5f0038183e190d', recorded: 14, written: 14, batches: 1, lastSeq: 14, flushErrors: 0, lost: 0, queued: 0, lastFlushAt: at, lastFlushMs: 1.4, lastError: null } } },
  listClients: { response: { clients: [{ ...client, sources: ['/opd/diskominfo'], rateLimitPerMinute: 600, source: 'api', revoked: false }] } },
  createClient: { request: { ...client, sources: ['/opd/diskominfo'], rateLimitPerMinute: 600 }, response: { client, api_key: 'phb_contoh0000001_BukanKunciAsliHanyaContohSajaUntukDokumentasi', note: 'The API key is shown only now; the hub keeps its SHA-256.' } },
  revokeClient: { parameters: { id: 'aplikasi-contoh' } },
  rotateClientKey: { parameters: { id: 'aplikasi-contoh' }, response: { client: 'aplikasi-contoh', api_key: 'phb_contoh0000002_BukanKunciAsliHanyaContohSajaUntukDokumentasi' } },
  listFlows: { response: { flows: [{ id: 'pengaduan-disposisi', name: 'Disposisi pengaduan LAPOR!', description: 'Routes every complaint the regency receives to the responsible OPD with a disposition letter.', trigger: 'pengaduan.diterima', steps: ['verifikasi-pelapor', 'tentukan-opd', 'buat-naskah', 'umumkan-disposisi'], recent: [flowInstance] }] } },
  flowInstances: { response: { instances: [flowInstance] } },
  flowInstance: { response: flowInstance },
  listSubscriptions: { response: { subscriptions: [subscriptionRecord] } },
  subscribe: { request: { types: ['pengaduan.diterima'], url: 'https://aplikasi.opd.example/webhook', filter: { connector: 'lapor' } }, response: { subscription: subscriptionRecord, secret: 'whsec_BukanRahasiaAsliHanyaContoh0000', note: 'Verify deliveries with this secret (Standard Webhooks); it is not shown again.' } },
  getSubscription: { response: subscription },
  unsubscribe: { parameters: { id: 'sub_00000000-0000-4000-8000-000000000000' } },
  pauseSubscription: { response: { ...subscriptionRecord, status: 'paused', paused_reason: 'paused by aplikasi-opd-demo' } },
  resumeSubscription: { response: subscriptionRecord },
  subscriptionDeadLetters: { response: { dead_letters: [{ id: 1, subscription_id: subscription.id, event_id: 'contoh-1', type: 'pengaduan.diterima', reason: 'receiver answered 500 on every attempt', attempts: 8, parked_at: at, replayed_at: null, event: { specversion: '1.0', id: 'contoh-1', source: '/lapor', type: 'pengaduan.diterima', subject: 'lapor-1234567', data: { id: 'lapor-1234567', judul: 'Jalan berlubang di Gedong Tataan' } } }] } },
  replaySubscriptionDeadLetter: { response: { delivered: true, error: null } },
  subscriptionDeliveries: { response: { deliveries: [{ subscription_id: subscription.id, event_id: 'contoh-1', attempt: 1, outcome: 'delivered', http_status: 204, error: null, duration_ms: 38, at }] } },
  listServices: { response: { services: [service] } },
  registerService: { request: serviceInput, response: { ...service, openapi: serviceInput.openapi } },
  getService: { response: { ...service, openapi: serviceInput.openapi, versions: [{ version: 1, status: 'active', updatedAt: at }] } },
  updateService: { request: { id: serviceInput.id, title: serviceInput.title, description: 'Checks a business permit by its number or NIB', baseUrl: serviceInput.baseUrl, openapi: serviceInput.openapi, classification: serviceInput.classification }, response: { ...service, version: 2, description: 'Checks a business permit by its number or NIB', openapi: serviceInput.openapi } },
  retireService: { response: { ...service, version: 3, status: 'retired' } },
  requestServiceAccess: { request: { purpose: accessRequest.purpose, operations: ['cek-izin'] }, response: accessRequest },
  listServiceAccessRequests: { response: { access_requests: [accessRequest] } },
  getServiceAccessRequest: { response: accessRequest },
  approveServiceAccess: { request: { expiresAt: '2027-12-31T23:59:59.000Z' }, response: decided },
  refuseServiceAccess: { request: { reason: 'The purpose does not need the owner’s name' }, response: { ...accessRequest, status: 'refused', decidedBy: 'aplikasi-dpmptsp', decidedAt: '2026-12-02T08:00:00.000Z', reason: 'The purpose does not need the owner’s name' } },
  revokeServiceAccess: { request: { reason: 'The programme ended' }, response: { ...decided, status: 'revoked', reason: 'The programme ended' } },
  listAccessRequests: { response: { access_requests: [accessRequest] } },
  token: { request: { grant_type: 'client_credentials', client_id: 'aplikasi-opd-demo', client_secret: 'phb_contoh0000001_BukanKunciAsliHanyaContohSajaUntukDokumentasi' }, response: { access_token: 'eyJhbGciOiJFZERTQSIsImtpZCI6ImNvbnRvaCJ9.eyJzdWIiOiJhcGxpa2FzaS1vcGQtZGVtbyJ9.Y29udG9o', token_type: 'Bearer', expires_in: 300 } },
  openidConfiguration: { response: { issuer: 'penghubung', token_endpoint: 'https://penghubung.pesawarankab.go.id/oauth/token', jwks_uri: 'https://penghubung.pesawarankab.go.id/.well-known/jwks.json', grant_types_supported: ['client_credentials'], token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'], response_types_supported: ['token'], token_endpoint_auth_signing_alg_values_supported: ['EdDSA'], scopes_supported: ['*', 'catalog:read', 'events:publish:pengaduan.diterima', 'siak:cari-penduduk'] } },
  openApiDocument: { response: { openapi: '3.1.0', info: { title: 'Penghubung — canonical interoperability API', version: '0.1.0' }, paths: {} } },
  jwks: { response: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'cdJ8EYzacefWTTG4ZYbYHh37k_5NpOZigrI0NFzggCI', kid: 'BXt1mlD4Oa1la0axr9o2t0Awa0Mdc22qxVEqK3L61DI', alg: 'EdDSA', use: 'sig' }] } },
  referensiKode: { response: { jenis: 'klasifikasi-arsip', kode: '000.1', kode_normal: '000.1', level: 'sub-1', induk: [{ kode: '000', level: 'kelas', nama: 'Umum' }] } },
  live: { response: { status: 'up' } },
  ready: { response: { status: 'up', checks: { outbox: { status: 'up', backlog: 0, oldest_pending_at: null }, bus: { status: 'up', kind: 'kafka' } } } },
};

type Content = Record<string, { example?: unknown; examples?: unknown }>;
interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content?: Content };
  responses?: Record<string, { content?: Content }>;
}

/** Adds the examples above where an operation has none of its own. */
export function withFixedExamples(document: object): object {
  const paths = (document as { paths: Record<string, Record<string, Operation>> }).paths;
  for (const methods of Object.values(paths)) {
    for (const operation of Object.values(methods)) {
      const examples = fixedExamples[operation.operationId ?? ''];
      if (!examples) continue;
      const requestContent = Object.values(operation.requestBody?.content ?? {})[0];
      if (requestContent && examples.request !== undefined && requestContent.example === undefined) requestContent.example = examples.request;
      const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'))?.[1];
      const responseContent = Object.values(success?.content ?? {})[0];
      if (responseContent && examples.response !== undefined && responseContent.example === undefined) responseContent.example = examples.response;
      for (const parameter of operation.parameters ?? []) {
        if (parameter.example === undefined && examples.parameters?.[parameter.name] !== undefined) parameter.example = examples.parameters[parameter.name];
      }
    }
  }
  return document;
}
