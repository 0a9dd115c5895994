// Access control end to end: every route of /openapi.json is called without credentials (401),
// by a client without the right (403) and by one with it (2xx); masking to each clearance;
// OAuth client credentials; client administration; rate limiting.
import { beforeAll, describe, expect, it } from 'vitest';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll, sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const nik = RESIDENTS.find((r) => r.status === 'aktif' && r.nik.startsWith('18') && r.jenisKelamin === 'PEREMPUAN')!.nik;

const hub = hubBeforeAll({ connectors: { polling: false } });

beforeAll(async () => {
  // A complaint in the view, for the view routes and masking.
  await hub().connectors.pollers.get('lapor:pengaduan-masuk')!.runOnce();
  await waitFor(async () => ((await (await hubFetch(`${hub().url}/v1/pengaduan?limit=1`)).json()) as { items: unknown[] }).items.length > 0, 5000, 'complaints in the view');
});

interface Case {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  /** Set when the route is public: it answers without credentials. */
  public?: true;
  /** Set when any authenticated client may call it (a client asking about itself): no right needed. */
  anyClient?: true;
}

const letterId = 'sitampan-7c1f4a9e-2b6d-4e8a-9f3c-1d2e3f4a5b6c';

/** One request per route of /openapi.json that succeeds for a client holding the right. */
function cases(complaintId: string, deadLetterId: string): Record<string, Case> {
  const event = (id: string): unknown => sampleEvent(id);
  return {
    'POST /v1/events': { method: 'POST', path: '/v1/events', body: event(`matrix-${Date.now()}`), contentType: 'application/cloudevents+json' },
    'GET /v1/events': { method: 'GET', path: '/v1/events?type=uji.dibuat' },
    'GET /health/live': { method: 'GET', path: '/health/live', public: true },
    'GET /health/ready': { method: 'GET', path: '/health/ready', public: true },
    'GET /v1/catalog': { method: 'GET', path: '/v1/catalog' },
    'GET /v1/catalog/{id}': { method: 'GET', path: '/v1/catalog/siak' },
    'GET /v1/referensi/{jenis}/{kode}': { method: 'GET', path: '/v1/referensi/sub-kegiatan/1.02.01.2.01.0002' },
    'GET /v1/penduduk/{nik}': { method: 'GET', path: `/v1/penduduk/${nik}` },
    'POST /v1/penduduk/verifikasi': { method: 'POST', path: '/v1/penduduk/verifikasi', body: { nik, nama_lengkap: 'SIAPA SAJA' }, contentType: 'application/json' },
    'POST /v1/connectors/lapor/inbound': { method: 'POST', path: '/v1/connectors/lapor/inbound', body: { tracking_id: 9900077, title: 'Uji hak akses', content: 'Isi uji.', category: 'Lainnya', created_at: '2026-11-28 08:00:00', status: 'Belum Terverifikasi' }, contentType: 'application/json' },
    'GET /v1/pengaduan': { method: 'GET', path: '/v1/pengaduan?limit=5' },
    'POST /v1/pengaduan': { method: 'POST', path: '/v1/pengaduan', body: { id: 'lapor-lokal-00000000000000000000000000000000' }, contentType: 'application/json' },
    'GET /v1/disposisi-pengaduan': { method: 'GET', path: '/v1/disposisi-pengaduan?limit=5' },
    'GET /v1/disposisi-pengaduan/{id}': { method: 'GET', path: `/v1/disposisi-pengaduan/${complaintId}` },
    'GET /v1/pengaduan/{id}': { method: 'GET', path: `/v1/pengaduan/${complaintId}` },
    'GET /v1/anggaran/sub-kegiatan': { method: 'GET', path: '/v1/anggaran/sub-kegiatan?tahun=2026' },
    'GET /v1/anggaran/sub-kegiatan/{id}': { method: 'GET', path: '/v1/anggaran/sub-kegiatan/tidak-ada', },
    'GET /v1/anggaran/nomenklatur': { method: 'GET', path: '/v1/anggaran/nomenklatur' },
    'GET /v1/anggaran/nomenklatur/{id}': { method: 'GET', path: '/v1/anggaran/nomenklatur/1.03.10.2.01.0015' },
    'GET /v1/anggaran/rincian': { method: 'GET', path: '/v1/anggaran/rincian' },
    'GET /v1/anggaran/rincian/{id}': { method: 'GET', path: '/v1/anggaran/rincian/tidak-ada' },
    'GET /v1/anggaran/rup': { method: 'GET', path: '/v1/anggaran/rup' },
    'GET /v1/anggaran/rup/{id}': { method: 'GET', path: '/v1/anggaran/rup/tidak-ada' },
    'GET /v1/pengadaan/paket': { method: 'GET', path: '/v1/pengadaan/paket?tahun=2026' },
    'GET /v1/pengadaan/paket/{id}': { method: 'GET', path: '/v1/pengadaan/paket/tidak-ada' },
    'GET /v1/anggaran/sub-kegiatan/{kode}/pengadaan': { method: 'GET', path: '/v1/anggaran/sub-kegiatan/1.03.10.2.01.0015/pengadaan' },
    'POST /v1/connectors/sitampan/inbound': { method: 'POST', path: '/v1/connectors/sitampan/inbound', body: '<naskah/>', contentType: 'application/xml' },
    'POST /v1/naskah-dinas': { method: 'POST', path: '/v1/naskah-dinas', body: { id: letterId }, contentType: 'application/json' },
    'GET /v1/naskah-dinas': { method: 'GET', path: '/v1/naskah-dinas' },
    'GET /v1/naskah-dinas/{id}': { method: 'GET', path: `/v1/naskah-dinas/${letterId}` },
    'GET /v1/connectors': { method: 'GET', path: '/v1/connectors' },
    'GET /v1/connectors/{id}': { method: 'GET', path: '/v1/connectors/siak' },
    'POST /v1/connectors/{id}/circuit': { method: 'POST', path: '/v1/connectors/lpse/circuit', body: { state: 'auto', reason: 'uji matriks akses' }, contentType: 'application/json' },
    'GET /v1/connectors/{id}/rejected': { method: 'GET', path: '/v1/connectors/lapor/rejected' },
    'POST /v1/connectors/{id}/operations/{operation}/poll': { method: 'POST', path: '/v1/connectors/sipd/operations/sub-kegiatan-masuk/poll' },
    'GET /v1/dead-letters': { method: 'GET', path: '/v1/dead-letters' },
    'POST /v1/dead-letters/replay': { method: 'POST', path: '/v1/dead-letters/replay', body: { connector: 'tidak-ada' }, contentType: 'application/json' },
    'GET /v1/dead-letters/{id}': { method: 'GET', path: `/v1/dead-letters/${deadLetterId}` },
    'POST /v1/dead-letters/{id}/replay': { method: 'POST', path: `/v1/dead-letters/${deadLetterId}/replay` },
    'POST /v1/dead-letters/{id}/discard': { method: 'POST', path: `/v1/dead-letters/${deadLetterId}/discard`, body: { reason: 'uji matriks' }, contentType: 'application/json' },
    'GET /v1/clients': { method: 'GET', path: '/v1/clients' },
    'POST /v1/subscriptions': { method: 'POST', path: '/v1/subscriptions', body: { types: ['uji.dibuat'], url: 'http://127.0.0.1:9/matriks' }, contentType: 'application/json' },
    'GET /v1/subscriptions': { method: 'GET', path: '/v1/subscriptions' },
    'GET /v1/subscriptions/{id}': { method: 'GET', path: '/v1/subscriptions/tidak-ada' },
    'DELETE /v1/subscriptions/{id}': { method: 'DELETE', path: '/v1/subscriptions/tidak-ada' },
    'POST /v1/subscriptions/{id}/resume': { method: 'POST', path: '/v1/subscriptions/tidak-ada/resume' },
    'GET /v1/subscriptions/{id}/deliveries': { method: 'GET', path: '/v1/subscriptions/tidak-ada/deliveries' },
    'POST /v1/subscriptions/{id}/pause': { method: 'POST', path: '/v1/subscriptions/tidak-ada/pause' },
    'GET /v1/subscriptions/{id}/dead-letters': { method: 'GET', path: '/v1/subscriptions/tidak-ada/dead-letters' },
    'POST /v1/subscriptions/{id}/dead-letters/{letter}/replay': { method: 'POST', path: '/v1/subscriptions/tidak-ada/dead-letters/tidak-ada/replay' },
    'PUT /v1/events/cursors/{consumer}': { method: 'PUT', path: '/v1/events/cursors/matriks', body: { cursor: 'djE6MA' }, contentType: 'application/json' },
    'GET /v1/events/cursors/{consumer}': { method: 'GET', path: '/v1/events/cursors/matriks' },
    'GET /v1/flows': { method: 'GET', path: '/v1/flows' },
    'GET /v1/services': { method: 'GET', path: '/v1/services' },
    'POST /v1/services': { method: 'POST', path: '/v1/services', body: { id: 'matriks' }, contentType: 'application/json' },
    'GET /v1/services/{id}': { method: 'GET', path: '/v1/services/tidak-ada' },
    'PUT /v1/services/{id}': { method: 'PUT', path: '/v1/services/tidak-ada', body: { title: 'Uji' }, contentType: 'application/json' },
    'DELETE /v1/services/{id}': { method: 'DELETE', path: '/v1/services/tidak-ada' },
    'GET /v1/services/{id}/access-requests': { method: 'GET', path: '/v1/services/tidak-ada/access-requests' },
    'POST /v1/services/{id}/access-requests': { method: 'POST', path: '/v1/services/tidak-ada/access-requests', body: { purpose: 'uji matriks akses' }, contentType: 'application/json' },
    'GET /v1/services/{id}/access-requests/{request}': { method: 'GET', path: '/v1/services/tidak-ada/access-requests/tidak-ada' },
    'POST /v1/services/{id}/access-requests/{request}/approve': { method: 'POST', path: '/v1/services/tidak-ada/access-requests/tidak-ada/approve' },
    'POST /v1/services/{id}/access-requests/{request}/refuse': { method: 'POST', path: '/v1/services/tidak-ada/access-requests/tidak-ada/refuse', body: { reason: 'uji matriks' }, contentType: 'application/json' },
    'POST /v1/services/{id}/access-requests/{request}/revoke': { method: 'POST', path: '/v1/services/tidak-ada/access-requests/tidak-ada/revoke' },
    'GET /v1/access-requests': { method: 'GET', path: '/v1/access-requests?status=pending' },
    'GET /v1/flows/{id}/instances': { method: 'GET', path: '/v1/flows/pengaduan-disposisi/instances' },
    'GET /v1/flows/{id}/instances/{instance}': { method: 'GET', path: '/v1/flows/pengaduan-disposisi/instances/tidak-ada' },
    'GET /v1/me': { method: 'GET', path: '/v1/me', anyClient: true },
    'GET /v1/me/subscriptions': { method: 'GET', path: '/v1/me/subscriptions', anyClient: true },
    'GET /v1/me/dead-letters': { method: 'GET', path: '/v1/me/dead-letters?limit=5', anyClient: true },
    'GET /v1/me/deliveries': { method: 'GET', path: '/v1/me/deliveries?limit=5', anyClient: true },
    'GET /v1/audit/recent': { method: 'GET', path: '/v1/audit/recent?limit=5' },
    'POST /v1/clients': { method: 'POST', path: '/v1/clients', body: { id: 'klien-matriks', name: 'Klien matriks', opd: 'Diskominfo', role: 'app', clearance: 'publik', rights: ['catalog:read'] }, contentType: 'application/json' },
    'DELETE /v1/clients/{id}': { method: 'DELETE', path: '/v1/clients/klien-matriks' },
    'POST /v1/clients/{id}/keys': { method: 'POST', path: '/v1/clients/uji-aplikasi-publik/keys?keep_previous=true' },
    'POST /oauth/token': { method: 'POST', path: '/oauth/token', body: 'grant_type=client_credentials&client_id=uji-operator&client_secret=uji-kunci-operator-rahasia', contentType: 'application/x-www-form-urlencoded', public: true },
    'GET /.well-known/jwks.json': { method: 'GET', path: '/.well-known/jwks.json', public: true },
    'GET /.well-known/openid-configuration': { method: 'GET', path: '/.well-known/openid-configuration', public: true },
    'GET /openapi.json': { method: 'GET', path: '/openapi.json', public: true },
  };
}

const send = (c: Case, key?: string): Promise<Response> => {
  const init: RequestInit = { method: c.method, headers: { ...(c.contentType ? { 'content-type': c.contentType } : {}), ...(key ? { 'x-api-key': key } : {}) } };
  if (c.body !== undefined) init.body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  return fetch(`${hub().url}${c.path}`, init);
};

describe('the access matrix over every route', () => {
  it('answers 401 without credentials, 403 without the right, and not 401/403 with it', async () => {
    const spec = (await (await fetch(`${hub().url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const complaint = ((await (await hubFetch(`${hub().url}/v1/pengaduan?limit=1`)).json()) as { items: { id: string }[] }).items[0]!.id;
    const table = cases(complaint, 'tidak-ada');
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.filter((route) => !(route in table)), 'routes of /openapi.json the matrix does not call').toEqual([]);

    for (const [route, c] of Object.entries(table)) {
      const anonymous = (await send(c)).status;
      const withoutRight = (await send(c, testKeys.noRights)).status;
      const allowed = await send(c, testKeys.operator);
      if (c.public) {
        expect(anonymous, route).not.toBe(401);
      } else if (c.anyClient) {
        expect(anonymous, `${route} without credentials`).toBe(401);
        expect(withoutRight, `${route} for a client without rights`).toBe(200);
      } else {
        expect(anonymous, `${route} without credentials`).toBe(401);
        expect(withoutRight, `${route} without the right`).toBe(403);
      }
      // With the right the request reaches the route itself: it may still be refused as
      // input (4xx other than 401/403) or not found, but never for lack of access.
      expect([401, 403], `${route} with the right (${allowed.status}: ${await allowed.text()})`).not.toContain(allowed.status);
      expect(allowed.status, route).toBeLessThan(500);
    }
  }, 60_000);

  it('names the missing right in the 403', async () => {
    const response = await hubFetch(`${hub().url}/v1/penduduk/${nik}`, {}, testKeys.noRights);
    const problem = (await response.json()) as { code: string; errors: { pointer: string; message: string }[] };
    expect(problem.code).toBe('forbidden');
    expect(problem.errors).toEqual([{ pointer: 'rights', message: 'missing siak:cari-penduduk' }]);
  });

  it('keeps apps out of the admin API even with broad data rights', async () => {
    expect((await hubFetch(`${hub().url}/v1/connectors`, {}, testKeys.terbatas)).status).toBe(403);
    expect((await hubFetch(`${hub().url}/v1/penduduk/${nik}`, {}, testKeys.terbatas)).status).toBe(200);
  });
});

describe('masking to the caller’s clearance', () => {
  it('shows a resident whole at terbatas, and masked at publik', async () => {
    const whole = (await (await hubFetch(`${hub().url}/v1/penduduk/${nik}`, {}, testKeys.terbatas)).json()) as Record<string, unknown> & { alamat: Record<string, string> };
    const masked = (await (await hubFetch(`${hub().url}/v1/penduduk/${nik}`, {}, testKeys.publik)).json()) as Record<string, unknown> & { alamat: Record<string, string> };
    expect(whole.nik).toBe(nik);
    expect(masked.nik).toBe(`${nik.slice(0, 4)}••••••••${nik.slice(12)}`);
    expect(masked.nama_lengkap).toBe(String(whole.nama_lengkap).split(/\s+/).map((w) => `${w[0]}.`).join(' '));
    expect(masked.alamat.kecamatan).toBe(whole.alamat.kecamatan);
    expect(masked.alamat.kabupaten).toBe('PESAWARAN');
    for (const field of ['jalan', 'rt', 'rw', 'kelurahan']) expect(masked.alamat[field], field).toBe('••••');
    expect(masked.tanggal_lahir).toBe('••••');
    expect(JSON.stringify(masked)).not.toContain(String(whole.no_kk));
    // nama_ibu is rahasia: initials below it, the name at rahasia (the operator).
    const operator = (await (await hubFetch(`${hub().url}/v1/penduduk/${nik}`)).json()) as Record<string, unknown>;
    expect(String(operator.nama_ibu)).toMatch(/^[A-Z][A-Z .']{2,}$/);
    expect(whole.nama_ibu).toBe(String(operator.nama_ibu).split(/\s+/).map((w) => `${w[0]}.`).join(' '));
  });

  it('masks complaints in the view to the caller’s clearance', async () => {
    const body = { tracking_id: 9900088, title: 'Pungutan liar', content: 'Diminta uang saat mengurus KTP.', category: 'Kependudukan', created_at: '2026-11-28 08:00:00', status: 'Belum Terverifikasi', is_anonymous: 0, reporter: { name: 'Siti Rahmawati', email: 'siti@contoh.id', phone: '081234567890' } };
    const pushed = await hubFetch(`${hub().url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(pushed.status).toBe(202);
    await waitFor(async () => (await hubFetch(`${hub().url}/v1/pengaduan/lapor-9900088`)).status === 200, 5000, 'the complaint in the view');
    const full = (await (await hubFetch(`${hub().url}/v1/pengaduan/lapor-9900088`)).json()) as { pelapor: Record<string, string>; isi: string };
    const terbatas = (await (await hubFetch(`${hub().url}/v1/pengaduan/lapor-9900088`, {}, testKeys.terbatas)).json()) as { pelapor: Record<string, string>; isi: string };
    const publik = (await (await hubFetch(`${hub().url}/v1/pengaduan/lapor-9900088`, {}, testKeys.publik)).json()) as { pelapor: Record<string, string>; isi: string; judul: string };
    expect(full.pelapor).toEqual({ nama: 'Siti Rahmawati', email: 'siti@contoh.id', telepon: '081234567890' });
    expect(terbatas.pelapor).toEqual({ nama: 'S. R.', email: 's•••@contoh.id', telepon: '0812••••••90' });
    expect(terbatas.isi).toBe(full.isi);
    expect(publik.isi).toBe('••••');
    expect(JSON.stringify(publik)).not.toContain('Siti');
  });

  it('masks pulled events above the subscriber’s clearance', async () => {
    const pulled = (await (await hubFetch(`${hub().url}/v1/events?type=pengaduan.diterima&limit=1000`, {}, testKeys.publik)).json()) as { events: { subject: string; data: { pelapor?: Record<string, string> } }[] };
    const event = pulled.events.find((e) => e.subject === 'lapor-9900088')!;
    expect(event.data.pelapor!.nama).toBe('S. R.');
  });
});

describe('the audit log', () => {
  it('records each exchange with its client and operation, and never the personal data', async () => {
    await hubFetch(`${hub().url}/v1/penduduk/${nik}`, {}, testKeys.terbatas);
    await hubFetch(`${hub().url}/v1/penduduk/${nik}`, {}, testKeys.noRights);
    await hub().audit.flush();
    const { entries } = (await (await hubFetch(`${hub().url}/v1/audit/recent?limit=20`)).json()) as { entries: { client: string | null; operation: string; status: number; route: string; outcome: string }[] };
    expect(entries.find((e) => e.client === 'uji-aplikasi-terbatas' && e.operation === 'siak:cari-penduduk')).toMatchObject({ status: 200, route: '/v1/penduduk/:nik', outcome: 'ok' });
    expect(entries.find((e) => e.client === 'uji-tanpa-hak')).toMatchObject({ status: 403, outcome: 'refused' });
    expect(JSON.stringify(entries)).not.toContain(nik);
  });
});

describe('OAuth 2.0 client credentials', () => {
  it('issues a short-lived EdDSA token that authenticates, and refuses a wrong secret', async () => {
    const issued = await fetch(`${hub().url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=uji-aplikasi-terbatas&client_secret=uji-kunci-aplikasi-terbatas' });
    expect(issued.status).toBe(200);
    const token = (await issued.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(token.token_type).toBe('Bearer');
    expect(token.expires_in).toBeLessThanOrEqual(3600);
    expect(JSON.parse(Buffer.from(token.access_token.split('.')[0]!, 'base64url').toString()).alg).toBe('EdDSA');
    expect((await fetch(`${hub().url}/v1/penduduk/${nik}`, { headers: { authorization: `Bearer ${token.access_token}` } })).status).toBe(200);
    const forged = `${token.access_token.slice(0, -4)}AAAA`;
    expect((await fetch(`${hub().url}/v1/penduduk/${nik}`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    const wrong = await fetch(`${hub().url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=uji-aplikasi-terbatas&client_secret=salah' });
    expect(wrong.status).toBe(401);
  });

  const tokenFor = (clientId: string, secret: string, scope: string): Promise<Response> =>
    fetch(`${hub().url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }) });
  const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

  it('narrows a token to the scope asked for: rights the client holds, nothing else', async () => {
    const issued = await tokenFor('uji-aplikasi-terbatas', testKeys.terbatas, 'siak:cari-penduduk');
    expect(issued.status).toBe(200);
    const token = (await issued.json()) as { access_token: string; scope: string };
    expect(token.scope).toBe('siak:cari-penduduk');
    expect((await fetch(`${hub().url}/v1/penduduk/${nik}`, bearer(token.access_token))).status).toBe(200);
    // catalog:read is the client's, but not in the token's scope.
    const outside = await fetch(`${hub().url}/v1/catalog`, bearer(token.access_token));
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { detail: string }).detail).toContain('catalog:read');
    // A pattern within the client's own (siak:* under siak:*) is a scope too.
    expect((await tokenFor('uji-aplikasi-terbatas', testKeys.terbatas, 'siak:* catalog:read')).status).toBe(200);
  });

  it('refuses a scope naming a right the client lacks (fail closed), and a narrowed operator token is no operator', async () => {
    const refused = await tokenFor('uji-aplikasi-publik', testKeys.publik, 'catalog:read siak:verifikasi-penduduk');
    expect(refused.status).toBe(400);
    const error = (await refused.json()) as { error: string; error_description: string };
    expect(error.error).toBe('invalid_scope');
    expect(error.error_description).toContain('siak:verifikasi-penduduk');
    const wider = await tokenFor('uji-aplikasi-publik', testKeys.publik, 'siak:*');
    expect(wider.status).toBe(400);

    const operator = (await (await tokenFor('uji-operator', testKeys.operator, 'catalog:read')).json()) as { access_token: string };
    expect((await fetch(`${hub().url}/v1/catalog`, bearer(operator.access_token))).status).toBe(200);
    expect((await fetch(`${hub().url}/v1/clients`, bearer(operator.access_token))).status).toBe(403);
    const full = (await (await tokenFor('uji-operator', testKeys.operator, '*')).json()) as { access_token: string };
    expect((await fetch(`${hub().url}/v1/clients`, bearer(full.access_token))).status).toBe(200);
  });

  it('lists in discovery the scopes a token can really be narrowed to', async () => {
    const discovery = (await (await fetch(`${hub().url}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    const scopes = discovery.scopes_supported;
    // `*`, the fixed routes' rights, the connectors' and per event type, each once.
    expect(scopes).toEqual(expect.arrayContaining(['*', 'catalog:read', 'siak:cari-penduduk', 'siak:verifikasi-penduduk', 'events:publish:pengaduan.diterima', 'events:subscribe:pengaduan.diterima', 'metrics:read']));
    expect(new Set(scopes).size).toBe(scopes.length);
    // Every one is a scope the hub grants: the operator (`*`) gets a token narrowed to all of them at once.
    const issued = await tokenFor('uji-operator', testKeys.operator, scopes.join(' '));
    expect(issued.status).toBe(200);
    expect(((await issued.json()) as { scope: string }).scope.split(' ').sort()).toEqual([...scopes].sort());
  });
});

describe('client administration', () => {
  it('creates a client with a key shown once, rotates it, and revokes it', async () => {
    const created = await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'aplikasi-baru', name: 'Aplikasi baru', opd: 'Dinas Kesehatan', role: 'app', clearance: 'terbatas', rights: ['catalog:read'] }) });
    expect(created.status).toBe(201);
    const { api_key: first } = (await created.json()) as { api_key: string };
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, first)).status).toBe(200);
    const listed = JSON.stringify(await (await hubFetch(`${hub().url}/v1/clients`)).json());
    expect(listed).toContain('aplikasi-baru');
    expect(listed).not.toContain(first);

    const rotated = (await (await hubFetch(`${hub().url}/v1/clients/aplikasi-baru/keys`, { method: 'POST' })).json()) as { api_key: string };
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, first)).status).toBe(401);
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, rotated.api_key)).status).toBe(200);

    expect((await hubFetch(`${hub().url}/v1/clients/aplikasi-baru`, { method: 'DELETE' })).status).toBe(204);
    expect((await hubFetch(`${hub().url}/v1/catalog`, {}, rotated.api_key)).status).toBe(401);
  });
});

describe('rate limiting', () => {
  // Recovery after Retry-After is shown on the limiter's own clock (rate-limit.unit.test.ts).
  it('answers 429 with Retry-After past the limit, and audits the refusal', async () => {
    const created = (await (await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'aplikasi-hemat', name: 'Aplikasi hemat', opd: 'Diskominfo', role: 'app', clearance: 'publik', rights: ['catalog:read'], rateLimitPerMinute: 60 }) })).json()) as { api_key: string };
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 70; i++) statuses.push((await hubFetch(`${hub().url}/v1/catalog`, {}, created.api_key)).status);
    // The bucket refills one token a second (60 a minute) while the 70 requests run.
    const refilled = Math.ceil((Date.now() - started) / 1000);
    const allowed = statuses.filter((s) => s === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(60);
    expect(allowed).toBeLessThanOrEqual(60 + refilled);
    expect(statuses.filter((s) => s === 429)).toHaveLength(70 - allowed);
    const limited = await hubFetch(`${hub().url}/v1/catalog`, {}, created.api_key);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { code: string }).code).toBe('rate-limited');
    // The 429 is audited with the client it refused, under an id the hub made.
    await hub().audit.flush();
    const refused = hub().audit.recent(100).find((e) => e.status === 429);
    expect(refused).toMatchObject({ client: 'aplikasi-hemat', actor: 'client', outcome: 'refused' });
    expect(refused!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
