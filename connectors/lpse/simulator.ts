// A stand-in for the LPSE of Kabupaten Pesawaran (SPSE 4.x) on a real port, in the shapes public
// client code shows (README.md lists the sources):
// - GET /eproc4/dt/lelang and /{slug}/dt/lelang (spse.inaproc.id form) ?tahun=&draw=&start=&length=
//       the public tender listing: 9-column rows as wakataw/pyproc captured them (kind and year in
//       the last cell, HPS abbreviated `15,9 M`, no work unit, pagu or date), or the five displayed
//       columns with the name cell rendered (`tampilan`); kd_tender as bare JSON numbers (one
//       beyond 2^53), pages capped at 10 rows, errors as HTTP 200 {"error": "…"} (DataTables' way)
// - GET /eproc4/dt/pl and /{slug}/dt/pl   the non-tender listing (pyproc's dt_nonspk.json columns)
// - GET /isb-2/api/{uuid}/json/{id}/SPSE-TenderPengumuman/tipe/4:4/parameter/{tahun}:{kd_lpse}
//       LKPP's ISB: a bare array of objects (yzrofiq/sibajalpg's fields) in snake_case, UPPER,
//       camelCase or the older TenderPengumumanDetailSPSE keys; a wrong uuid gets HTTP 200
//       {"status": false, "message": "…"}
// Built on the SDK's simulator kit: its control API under /_simulator (faults, requests, stats,
// reset) plus this simulator's own (version, tenders; see README.md).
import { serveSimulator, stringifyJson, type Request, type Response, type StartSimulator } from '../../src/connectors/simulator-sdk.js';
import {
  initialTenders,
  MAX_PAGE_LENGTH,
  SANDBOX_ISB_ID,
  SANDBOX_ISB_UUID,
  SANDBOX_KODE_LPSE,
  SANDBOX_TAHUN,
  TAHAP_OF_STATUS,
  isNonTender,
  toDataTablesRow,
  toNonTenderRow,
  toIsbRecord,
  type IsbStyle,
  type SandboxTender,
  type VersiSpse,
} from './sandbox-data.js';

const ISB = /^\/isb-2\/api\/([^/]+)\/json\/([^/]+)\/SPSE-TenderPengumuman\/tipe\/4:4\/parameter\/([^/:]*):([^/]*)\/?$/;

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined);

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json; charset=utf-8').send(stringifyJson(body));
}

const MAINTENANCE = (status: number): string =>
  `<!DOCTYPE html><html><head><title>SPSE - Pemeliharaan</title></head><body><div class="container"><h1>${status}</h1>` +
  '<p>Mohon maaf, sistem sedang dalam pemeliharaan. Silakan coba beberapa saat lagi.</p></div></body></html>';

const TENDER_FIELDS = ['kdRup', 'namaPaket', 'instansi', 'kdSatker', 'satker', 'jenis', 'metode', 'tahap', 'tglPengumuman', 'tglPenetapan', 'tglKontrak', 'kdSubKegiatan'] as const;
const MONEY_FIELDS = ['pagu', 'hps', 'nilaiKontrak'] as const;
const STYLES: IsbStyle[] = ['snake', 'upper', 'camel', 'lama'];

/** Applies the fields of a control request to a tender; returns an error message or undefined. */
function applyFields(tender: SandboxTender, body: Record<string, unknown>): string | undefined {
  for (const field of TENDER_FIELDS) {
    if (body[field] === undefined) continue;
    const value = str(body[field]);
    if (value === undefined) return `${field} must be a non-empty string`;
    tender[field] = value;
  }
  for (const field of MONEY_FIELDS) {
    if (body[field] === undefined) continue;
    const value = num(body[field]);
    if (value === undefined) return `${field} must be whole rupiah`;
    tender[field] = value;
  }
  if (body.tahun !== undefined) {
    const tahun = num(body.tahun);
    if (tahun === undefined) return 'tahun must be a year';
    tender.tahun = tahun;
  }
  if (body.isb !== undefined) {
    if (!STYLES.includes(body.isb as IsbStyle)) return `isb must be one of ${STYLES.join(', ')}`;
    tender.isb = body.isb as IsbStyle;
  }
  if (body.rusak !== undefined) {
    if (typeof body.rusak !== 'boolean') return 'rusak must be true or false';
    tender.rusak = body.rusak;
  }
  if (body.diIsb !== undefined) {
    if (typeof body.diIsb !== 'boolean') return 'diIsb must be true or false';
    tender.diIsb = body.diIsb;
  }
  return undefined;
}

export const startSimulator: StartSimulator = async (options = {}) => {
  let tenders = initialTenders();
  let versi: VersiSpse = 'lelang';
  const find = (kd: string): SandboxTender | undefined => tenders.find((t) => t.kdTender === kd);

  // ─── the public DataTables listings ────────────────────────────────────────────────────
  const listing = (nonTender: boolean) => (req: Request, res: Response): void => {
    const draw = Number(req.query.draw ?? 1);
    const start = Number(req.query.start ?? 0);
    const length = Number(req.query.length ?? 10);
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(length) || (length < 1 && length !== -1)) {
      sendJson(res, 200, { draw: Number.isInteger(draw) ? draw : 0, recordsTotal: 0, recordsFiltered: 0, data: [], error: 'Parameter start/length tidak valid' });
      return;
    }
    const tahun = typeof req.query.tahun === 'string' && req.query.tahun !== '' ? Number(req.query.tahun) : undefined;
    const onListing = tenders.filter((t) => isNonTender(t) === nonTender);
    const listed = onListing.filter((t) => tahun === undefined || t.tahun === tahun);
    const rows = listed.slice(start, start + Math.min(length === -1 ? MAX_PAGE_LENGTH : length, MAX_PAGE_LENGTH));
    sendJson(res, 200, {
      draw: Number.isInteger(draw) ? draw : 0,
      recordsTotal: onListing.length,
      recordsFiltered: listed.length,
      data: rows.map((t) => (nonTender ? toNonTenderRow(t) : toDataTablesRow(t, versi))),
    });
  };

  return serveSimulator(
    {
      name: 'LPSE',
      defaultMessage: 'Terjadi kesalahan pada server',
      // SPSE's way of failing: HTTP 200 with an error inside.
      errorInOk(req, res, message) {
        if (req.path.startsWith('/isb-2/')) sendJson(res, 200, { status: false, message });
        else sendJson(res, 200, { draw: Number(req.query.draw ?? 0) || 0, recordsTotal: 0, recordsFiltered: 0, data: [], error: message });
      },
      errorPage: MAINTENANCE,
      reset() {
        tenders = initialTenders();
        versi = 'lelang';
      },
      control(router) {
    router.get('/version', (_req, res) => {
      res.json({ versi });
    });

    router.post('/version', (req, res) => {
      const wanted = record(req.body).versi;
      if (wanted !== 'lelang' && wanted !== 'tampilan') {
        res.status(400).json({ error: 'expected {versi: "lelang" | "tampilan"}' });
        return;
      }
      versi = wanted;
      res.json({ versi });
    });

    router.get('/tenders', (_req, res) => {
      res.json(tenders);
    });

    router.post('/tenders', (req, res) => {
      const body = record(req.body);
      const kdTender = str(body.kdTender) ?? String(Math.max(0, ...tenders.filter((t) => t.kdTender.length <= 12).map((t) => Number(t.kdTender))) + 1000);
      if (!/^[1-9][0-9]{0,39}$/.test(kdTender) || find(kdTender)) {
        res.status(409).json({ error: `kd_tender ${kdTender} is not digits or already exists` });
        return;
      }
      const tender: SandboxTender = {
        kdTender,
        namaPaket: 'Paket baru dari simulator',
        instansi: 'Pemerintah Daerah Kabupaten Pesawaran',
        kdSatker: '184061',
        satker: 'Dinas Pekerjaan Umum dan Penataan Ruang',
        jenis: 'Pekerjaan Konstruksi',
        metode: 'Tender',
        tahun: SANDBOX_TAHUN,
        pagu: 1_000_000_000,
        tahap: 'Pengumuman Pascakualifikasi',
        tglPengumuman: '2026-11-27 09:00',
        isb: 'snake',
        // A new tender is on the live listing before the ISB's next refresh.
        diIsb: false,
      };
      const problem = applyFields(tender, body);
      if (problem) {
        res.status(400).json({ error: problem });
        return;
      }
      tenders.push(tender);
      res.status(201).json(tender);
    });

    router.patch('/tenders/:kd', (req, res) => {
      const tender = find(req.params.kd);
      if (!tender) {
        res.status(404).json({ error: `no tender ${req.params.kd}` });
        return;
      }
      const problem = applyFields(tender, record(req.body));
      if (problem) {
        res.status(400).json({ error: problem });
        return;
      }
      res.json(tender);
    });

    // Moves a tender to a stage: a canonical status (`evaluasi`, `selesai`, …) or an SPSE wording.
    router.post('/tenders/:kd/status', (req, res) => {
      const tender = find(req.params.kd);
      const body = record(req.body);
      const status = str(body.status);
      if (!tender || status === undefined) {
        res.status(tender ? 400 : 404).json({ error: tender ? 'expected {status, tanggal?: "YYYY-MM-DD"}' : `no tender ${req.params.kd}` });
        return;
      }
      const tanggal = str(body.tanggal) ?? '2026-11-27';
      tender.tahap = TAHAP_OF_STATUS[status] ?? status;
      // What SPSE records along with the stage.
      if (status === 'penetapan_pemenang' || status === 'kontrak' || status === 'selesai') tender.tglPenetapan ??= tanggal;
      if (status === 'kontrak' || status === 'selesai') {
        tender.tglKontrak ??= tanggal;
        tender.nilaiKontrak ??= Math.round((tender.hps ?? tender.pagu) * 0.97);
      }
      res.json(tender);
    });
      },
      routes(app) {
        app.get(['/eproc4/dt/lelang', '/:slug/dt/lelang'], listing(false));
        app.get(['/eproc4/dt/pl', '/:slug/dt/pl'], listing(true));

        // ─── LKPP's ISB ──────────────────────────────────────────────────────────────────
        app.get(ISB, (req, res) => {
          const [, uuid, id, tahun, kdLpse] = ISB.exec(req.path) ?? [];
          if (uuid !== SANDBOX_ISB_UUID) {
            sendJson(res, 200, { status: false, message: 'Akses ditolak: UUID tidak terdaftar pada layanan ISB' });
            return;
          }
          if (id !== SANDBOX_ISB_ID) {
            sendJson(res, 404, { status: false, message: `Layanan ${id ?? ''} tidak ditemukan` });
            return;
          }
          if (!/^\d{4}$/.test(tahun ?? '')) {
            sendJson(res, 200, { status: false, message: 'Parameter tahun tidak valid' });
            return;
          }
          const listed = kdLpse === SANDBOX_KODE_LPSE ? tenders.filter((t) => t.diIsb && t.tahun === Number(tahun)) : [];
          sendJson(res, 200, listed.map(toIsbRecord));
        });

        app.use((_req, res) => {
          res.status(404).type('text/html').send('<html><body><h1>404</h1><p>Halaman tidak ditemukan</p></body></html>');
        });
      },
    },
    options,
  );
};
