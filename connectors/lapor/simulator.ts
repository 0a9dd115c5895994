// A stand-in for SP4N-LAPOR! on a real port, reproducing its shapes and quirks:
// - GET  /api/v2/instansi/{instansiId}/laporan?since_id=&limit=  the current listing (JSON,
//        Bearer token or ?token=, pages of at most 10, tracking ids above 2^53 as bare numbers,
//        errors as HTTP 200 with {"status":"error","message":…})
// - POST /api/stream/addstream   the legacy XML stream: a <tindaklanjut> (follow-up) or a new
//        <laporan>, answered with <response><status>…</status><trackingid>…</trackingid></response>
// - POST /api/services/f01/gettopics   the category list
// and a control API under /_simulator for tests and demos (see README.md), besides the
// simulator kit's faults, requests, stats and reset.
import { buildXml, LosslessNumber, parseXml, serveSimulator, stringifyJson, type NextFunction, type Request, type Response, type StartSimulator } from '../../src/connectors/simulator-sdk.js';
import {
  initialComplaints,
  MAX_PAGE_SIZE,
  SANDBOX_INSTANSI_ID,
  SANDBOX_TOKEN,
  toNativeJson,
  TOPICS,
  type Flag,
  type SandboxComplaint,
} from './sandbox-data.js';

export interface RecordedFollowUp {
  /** The follow-up's id attribute, when the sender gave one. */
  id?: string;
  trackingid: string;
  isi: string;
  status: string;
  tanggal: string;
  petugas: { nama: string; instansi: string };
  lampiran: { nama: string; url: string }[];
  receivedAt: string;
}

/** A new complaint received at addstream (a regency's channel forwarding a local complaint). */
export interface RecordedReport {
  trackingid: string;
  transaksiid: string;
  pelapor: { namadepan?: string; namabelakang?: string; telpon?: string; email?: string };
  rahasia: string;
  anonim: string;
  isi: string;
  /** The document as it arrived. */
  dokumen: string;
  receivedAt: string;
}

const LISTING = /^\/api\/v2\/instansi\/([^/]+)\/laporan\/?$/;

const text = (value: unknown): string => {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && '#text' in value) return text((value as Record<string, unknown>)['#text']);
  return '';
};
const asArray = (value: unknown): unknown[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]);
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(stringifyJson(body));
}

function sendXml(res: Response, status: number, body: Record<string, unknown>): void {
  res.status(status).type('text/xml').send(buildXml(body));
}

const xmlError = (res: Response, message: string): void => sendXml(res, 200, { response: { status: 'error', message } });

/** The token of a request: Bearer header, `?token=`, a form or JSON field. */
function tokenOf(req: Request): string | undefined {
  const header = req.get('authorization');
  const bearer = header ? /^Bearer\s+(.+)$/i.exec(header)?.[1] : undefined;
  if (bearer) return bearer.trim();
  if (typeof req.query.token === 'string') return req.query.token;
  const body = record(req.body);
  return typeof body.token === 'string' ? body.token : undefined;
}

export const startSimulator: StartSimulator = (options) => {
  let complaints = initialComplaints();
  let followUps: RecordedFollowUp[] = [];
  let reports: RecordedReport[] = [];

  const largestId = (): bigint => complaints.reduce((max, c) => (BigInt(c.trackingId) > max ? BigInt(c.trackingId) : max), 0n);
  const find = (trackingId: string): SandboxComplaint | undefined => complaints.find((c) => c.trackingId === trackingId);

  return serveSimulator(
    {
      name: 'SP4N-LAPOR!',
      // LAPOR!'s way of failing: HTTP 200 with an error inside, XML on the legacy stream.
      errorInOk: (req, res, message) => {
        if (req.path === '/api/stream/addstream') xmlError(res, message);
        else sendJson(res, 200, { status: 'error', message });
      },
      reset: () => {
        complaints = initialComplaints();
        followUps = [];
        reports = [];
      },
      control: (router) => {
        router.get('/followups', (_req, res) => {
          res.json(followUps);
        });

        router.get('/addstream', (_req, res) => {
          res.json(reports);
        });

        router.get('/complaints', (_req, res) => {
          sendJson(res, 200, complaints.map(toNativeJson));
        });

        router.post('/complaints', (req, res) => {
          const body = record(req.body);
          const given = typeof body.trackingId === 'string' || typeof body.trackingId === 'number' ? String(body.trackingId) : undefined;
          if (given !== undefined && (!/^[0-9]+$/.test(given) || find(given))) {
            res.status(409).json({ error: `tracking id ${given} is not digits or already exists` });
            return;
          }
          const str = (key: string, fallback: string): string => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : fallback);
          const complaint: SandboxComplaint = {
            trackingId: given ?? (largestId() + 1n).toString(),
            idAs: body.idAs === 'string' ? 'string' : 'number',
            keys: body.keys === 'camel' || body.keys === 'pascal' ? body.keys : 'snake',
            judul: str('judul', 'Pengaduan baru dari simulator'),
            isi: str('isi', 'Isi pengaduan baru yang ditambahkan lewat /_simulator/complaints.'),
            kategori: str('kategori', 'Lainnya'),
            tanggal: typeof body.tanggal === 'number' ? body.tanggal : str('tanggal', '2026-11-28 08:00:00'),
            status: typeof body.status === 'number' ? body.status : str('status', 'Belum Terverifikasi'),
            rahasia: (body.rahasia ?? 0) as Flag,
            anonim: (body.anonim ?? 0) as Flag,
            ...(typeof body.pelapor === 'object' && body.pelapor !== null ? { pelapor: body.pelapor as SandboxComplaint['pelapor'] } : {}),
            ...(typeof body.lokasi === 'string' ? { lokasi: body.lokasi } : {}),
            lampiran: Array.isArray(body.lampiran) ? (body.lampiran as SandboxComplaint['lampiran']) : [],
            disposisi: str('disposisi', 'Pemerintah Kabupaten Pesawaran'),
          };
          complaints.push(complaint);
          res.status(201).json({ trackingId: complaint.trackingId });
        });
      },
      routes: (app) => {
        // ─── the current API: complaint listing ────────────────────────────────────────────────
        app.get(LISTING, (req, res) => {
          const instansiId = (LISTING.exec(req.path) ?? [])[1];
          if (tokenOf(req) !== SANDBOX_TOKEN) {
            sendJson(res, 200, { status: 'error', message: 'Token tidak valid' });
            return;
          }
          if (instansiId !== SANDBOX_INSTANSI_ID) {
            sendJson(res, 200, { status: 'error', message: `Instansi ${instansiId ?? ''} tidak terdaftar sebagai integrator` });
            return;
          }
          const sinceText = typeof req.query.since_id === 'string' && req.query.since_id !== '' ? req.query.since_id : '0';
          if (!/^[0-9]{1,39}$/.test(sinceText)) {
            sendJson(res, 200, { status: 'error', message: 'Parameter since_id harus berupa angka' });
            return;
          }
          const since = BigInt(sinceText);
          const asked = Number(typeof req.query.limit === 'string' ? req.query.limit : MAX_PAGE_SIZE);
          const limit = Math.min(MAX_PAGE_SIZE, Number.isInteger(asked) && asked > 0 ? asked : MAX_PAGE_SIZE);
          const newer = complaints
            .filter((c) => BigInt(c.trackingId) > since)
            .sort((a, b) => (BigInt(a.trackingId) < BigInt(b.trackingId) ? -1 : 1));
          const page = newer.slice(0, limit);
          sendJson(res, 200, {
            status: 'success',
            data: page.map(toNativeJson),
            meta: { since_id: new LosslessNumber(since.toString()), limit, count: page.length, has_more: newer.length > limit },
          });
        });

        // ─── the legacy XML stream ─────────────────────────────────────────────────────────────
        app.post('/api/stream/addstream', (req, res) => {
          const body: unknown = req.body;
          const xml = typeof body === 'string' ? body : text(record(body).xml ?? record(body).data);
          let document: Record<string, unknown>;
          try {
            document = parseXml(xml);
          } catch (error) {
            xmlError(res, `XML tidak valid: ${(error as Error).message}`);
            return;
          }
          const lapor = record(document.lapor);
          if (text(lapor['@token']) !== SANDBOX_TOKEN) {
            xmlError(res, 'Token tidak valid');
            return;
          }
          const followUpsIn = asArray(lapor.tindaklanjut).map(record);
          const reportsIn = asArray(lapor.laporan).map(record);
          if (followUpsIn.length === 0 && reportsIn.length === 0) {
            xmlError(res, 'Dokumen tidak memuat <laporan> atau <tindaklanjut>');
            return;
          }
          let answered = '';
          for (const item of followUpsIn) {
            const trackingid = text(item['@trackingid'] ?? item.trackingid);
            if (!find(trackingid)) {
              xmlError(res, `Laporan dengan trackingid ${trackingid} tidak ditemukan`);
              return;
            }
            const isi = text(item.isi);
            if (!isi) {
              xmlError(res, 'Isi tindak lanjut wajib diisi');
              return;
            }
            const id = text(item['@id']) || undefined;
            answered = trackingid;
            // A second delivery of the same follow-up id is acknowledged, not recorded twice.
            if (id !== undefined && followUps.some((f) => f.id === id)) continue;
            const petugas = record(item.petugas);
            followUps.push({
              ...(id !== undefined ? { id } : {}),
              trackingid,
              isi,
              status: text(item.status),
              tanggal: text(item.tanggal),
              petugas: { nama: text(petugas.nama), instansi: text(petugas.instansi) },
              lampiran: asArray(record(item.lampiran).file).map(record).map((f) => ({ nama: text(f['@nama']), url: text(f['@url']) })),
              receivedAt: new Date().toISOString(),
            });
          }
          const reporter = record(lapor.pelapor);
          // Clients send `_` for a name part they do not have (LuthfiFadillah/Lapor-Chatbot).
          const part = (value: unknown): string => (/^[\s_.-]*$/.test(text(value)) ? '' : text(value));
          let transaksiid = '';
          for (const item of reportsIn) {
            const trackingId = (largestId() + 1n).toString();
            const flag = (value: unknown): Flag => (text(value) === '1' ? 1 : 0);
            complaints.push({
              trackingId,
              idAs: 'number',
              keys: 'snake',
              judul: text(item.judul) || 'Tanpa judul',
              isi: text(item.isi) || '-',
              kategori: text(item.kategori) || 'Lainnya',
              tanggal: text(item.tanggal) || '2026-11-28 08:00:00',
              status: 'Belum Terverifikasi',
              rahasia: flag(item['@rahasia']),
              anonim: flag(item['@anonim']),
              // The legacy document splits the name (namadepan, namabelakang) and calls the phone telpon.
              pelapor: { nama: text(reporter.nama) || [part(reporter.namadepan), part(reporter.namabelakang)].filter(Boolean).join(' '), email: text(reporter.email) || undefined, telepon: text(reporter.telepon) || text(reporter.telpon) || undefined, nik: text(reporter.nik) || undefined },
              ...(text(item.lokasi) ? { lokasi: text(item.lokasi) } : {}),
              lampiran: [],
              disposisi: text(item.disposisi) || 'Pemerintah Kabupaten Pesawaran',
            });
            answered = trackingId;
            transaksiid = `TRX-${trackingId}`;
            reports.push({
              trackingid: trackingId,
              transaksiid,
              pelapor: Object.fromEntries((['namadepan', 'namabelakang', 'telpon', 'email'] as const).map((key) => [key, text(reporter[key])]).filter(([, value]) => value !== '')),
              rahasia: text(item['@rahasia']),
              anonim: text(item['@anonim']),
              isi: text(item.isi),
              dokumen: xml,
              receivedAt: new Date().toISOString(),
            });
          }
          // A new complaint is answered as the public client reads it: <trackingid> and <transaksiid> under the root.
          if (followUpsIn.length === 0) sendXml(res, 200, { response: { trackingid: answered, transaksiid } });
          else sendXml(res, 200, { response: { status: 'success', trackingid: answered } });
        });

        // ─── the legacy topic service ──────────────────────────────────────────────────────────
        app.post('/api/services/f01/gettopics', (req, res) => {
          const asXml = typeof req.body === 'string';
          const token = asXml ? (() => {
            try {
              return text(record(parseXml(req.body as string).lapor)['@token']);
            } catch {
              return '';
            }
          })() : tokenOf(req);
          if (token !== SANDBOX_TOKEN) {
            if (asXml) xmlError(res, 'Token tidak valid');
            else sendJson(res, 200, { status: 'error', message: 'Token tidak valid' });
            return;
          }
          if (asXml) sendXml(res, 200, { response: { status: 'success', topics: { topic: TOPICS.map((t) => ({ '@id': String(t.id), '#text': t.nama })) } } });
          else sendJson(res, 200, { status: 'success', data: TOPICS.map((t) => ({ id: t.id, topic: t.nama })) });
        });

        app.use((_req, res) => {
          sendJson(res, 404, { status: 'error', message: 'Halaman tidak ditemukan' });
        });
        // Body parser failures and the like: LAPOR! answers them like any other error.
        app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
          sendJson(res, 400, { status: 'error', message: error.message });
        });
      },
    },
    options,
  );
};
