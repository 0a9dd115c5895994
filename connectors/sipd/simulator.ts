// A stand-in for SIPD-RI on a real port, in the shapes public SIPD-RI client code reads
// (agusnurwanto/sipd-ri-chrome-extension; README.md lists the files):
// - POST /api/master/sub_giat/list_table   (form tahun, id_daerah, start, length) → the national
//        nomenclature {data: {data: [{id_urusan, id_bidang_urusan, id_program, id_giat,
//        id_sub_giat, kode_sub_giat, nama_sub_giat, tahun}], recordsTotal}}, at most 5 rows a page
// - POST /api/renja/sub_bl/list_skpd       (form tahun, id_daerah, limit, offset, …) →
//        {data: "<encoded>", recordsTotal}: the SKPD with their pagu, at most 3 a page
// - POST /api/renja/sub_bl/list_belanja_by_tahun_daerah_unit (form tahun, id_daerah, id_unit) →
//        {data: [...]}: the sub-kegiatan of one SKPD with pagu (encoded for one SKPD, as older
//        releases answered; upper-case keys for another, from an older export)
// - POST /api/renja/rinci_sub_bl/get_by_id_sub_bl (form tahun, id_daerah, id_sub_bl, id_unit) →
//        {data: [...]}: the budget lines of one sub-kegiatan
// Every call needs the token as X-ACCESS-TOKEN (SIPD-RI's client) or Bearer; a wrong one is
// answered HTTP 200 {"status": false, "message": "Token tidak valid"}. Ids are JSON numbers, some
// above 2^53. Built on the SDK's simulator kit: its control API under /_simulator (faults,
// requests, stats, reset) plus this simulator's own (sub-kegiatan, rincian; see README.md).
import { serveSimulator, stringifyJson, type NextFunction, type Request, type Response, type StartSimulator } from '../../src/connectors/simulator-sdk.js';
import { encodeSipdPayload } from './codec.js';
import {
  initialRincian,
  initialSubKegiatan,
  nomenklaturOf,
  NOMENKLATUR_PAGE_CAP,
  SANDBOX_ID_DAERAH,
  SANDBOX_TAHUN,
  SANDBOX_TOKEN,
  SKPD,
  SKPD_PAGE_CAP,
  toBelanjaRow,
  toNomenklaturRow,
  toRinciRow,
  toUnitRow,
  type SandboxRincian,
  type SandboxSubKegiatan,
} from './sandbox-data.js';

const PATH_SUB_GIAT = '/api/master/sub_giat/list_table';
const PATH_SKPD = '/api/renja/sub_bl/list_skpd';
const PATH_BELANJA = '/api/renja/sub_bl/list_belanja_by_tahun_daerah_unit';
const PATH_RINCI = '/api/renja/rinci_sub_bl/get_by_id_sub_bl';

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const str = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');

function sendJson(res: Response, body: unknown, type = 'application/json'): void {
  res.status(200).type(type).send(stringifyJson(body));
}

/** SIPD's way of failing: HTTP 200 with status false. */
function refuse(res: Response, message: string, statusCode = 400): void {
  sendJson(res, { status: false, status_code: statusCode, message });
}

function tokenOf(req: Request): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
  return bearer?.trim() ?? req.get('x-access-token')?.trim();
}

/** A non-negative integer form field, or the fallback when absent; undefined when malformed. */
function count(value: unknown, fallback: number): number | undefined {
  const text = str(value);
  if (text === '') return fallback;
  return /^[0-9]{1,9}$/.test(text) ? Number(text) : undefined;
}

export const startSimulator: StartSimulator = async (options = {}) => {
  let subKegiatan = initialSubKegiatan();
  let rincian = initialRincian();

  const plainSubKegiatan = (s: SandboxSubKegiatan): Record<string, unknown> => ({
    id_sub_bl: s.idSubBl,
    kode_skpd: SKPD.find((skpd) => skpd.id === s.idSkpd)!.kode,
    kode_sub_kegiatan: s.kode,
    nama: s.nama,
    pagu: s.pagu,
    sumber_dana: s.dana,
  });

  return serveSimulator(
    {
      name: 'SIPD',
      defaultMessage: 'Server sedang sibuk, silakan coba beberapa saat lagi',
      // SIPD's way of failing: HTTP 200 with status false.
      errorInOk: (_req, res, message) => refuse(res, message, 503),
      errorPage: (status) => `<html><head><title>${status}</title></head><body><h1>${status} Service Temporarily Unavailable</h1><p>SIPD sedang dalam pemeliharaan.</p></body></html>`,
      reset() {
        subKegiatan = initialSubKegiatan();
        rincian = initialRincian();
      },
      control(router) {
      router.get('/sub-kegiatan', (_req, res) => {
        res.json(subKegiatan.map(plainSubKegiatan));
      });

      // Changes one sub-kegiatan: {kode_skpd, kode_sub_kegiatan, pagu?, nama?, sumber_dana?: [{kode?, nama}]}.
      router.post('/sub-kegiatan', (req, res) => {
        const body = record(req.body);
        const target = subKegiatan.find((s) => s.kode === str(body.kode_sub_kegiatan) && SKPD.find((skpd) => skpd.id === s.idSkpd)?.kode === str(body.kode_skpd));
        if (!target) {
          res.status(404).json({ error: `no sub-kegiatan ${str(body.kode_sub_kegiatan)} of SKPD ${str(body.kode_skpd)}` });
          return;
        }
        const changes = Object.keys(body).filter((key) => ['pagu', 'nama', 'sumber_dana'].includes(key));
        if (changes.length === 0) {
          res.status(400).json({ error: 'give pagu (a number or Indonesian text), nama, or sumber_dana to change' });
          return;
        }
        if (body.pagu !== undefined) {
          if (typeof body.pagu !== 'number' && typeof body.pagu !== 'string') {
            res.status(400).json({ error: 'pagu is a number or text' });
            return;
          }
          target.pagu = body.pagu;
        }
        if (typeof body.nama === 'string' && body.nama.trim() !== '') target.nama = body.nama.trim();
        if (Array.isArray(body.sumber_dana)) target.dana = body.sumber_dana.map(record).map((d) => ({ ...(typeof d.kode === 'string' ? { kode: d.kode } : {}), nama: str(d.nama) }));
        res.json(plainSubKegiatan(target));
      });

      router.get('/rincian', (_req, res) => {
        res.json(rincian);
      });

      // Changes one budget line: {id, harga_satuan?, volume?, total?, kode_rup?} (kode_rup null removes it).
      router.post('/rincian', (req, res) => {
        const body = record(req.body);
        const target = rincian.find((line) => line.id === str(body.id));
        if (!target) {
          res.status(404).json({ error: `no budget line ${str(body.id)}` });
          return;
        }
        const set = <K extends keyof SandboxRincian>(key: K, value: unknown): void => {
          if (typeof value === 'number' || typeof value === 'string') target[key] = value as SandboxRincian[K];
        };
        set('harga', body.harga_satuan);
        set('volume', body.volume);
        set('total', body.total);
        if (body.kode_rup === null) delete target.kodeRup;
        else set('kodeRup', body.kode_rup);
        res.json(target);
      });
      },
      routes(app) {
      // ─── authentication: every SIPD path ───────────────────────────────────────────────────
      app.use([PATH_SUB_GIAT, PATH_SKPD, PATH_BELANJA, PATH_RINCI], (req: Request, res: Response, next: NextFunction) => {
        if (tokenOf(req) !== SANDBOX_TOKEN) {
          refuse(res, 'Token tidak valid', 401);
          return;
        }
        next();
      });

      /** Checks tahun and id_daerah of a SIPD-RI form, and reads two counters; answers the refusal itself. */
      function formOf(req: Request, res: Response, counters: [string, string], defaults: [number, number]): { tahun: string; start: number; length: number } | undefined {
        const body = record(req.body);
        const tahun = str(body.tahun);
        if (!/^[0-9]{4}$/.test(tahun)) {
          refuse(res, 'Parameter tahun wajib diisi');
          return undefined;
        }
        if (str(body.id_daerah) !== SANDBOX_ID_DAERAH) {
          refuse(res, 'Data daerah tidak sesuai dengan akun');
          return undefined;
        }
        const start = count(body[counters[0]], defaults[0]);
        const length = count(body[counters[1]], defaults[1]);
        if (start === undefined || length === undefined) {
          refuse(res, `Parameter ${counters.join('/')} tidak valid`);
          return undefined;
        }
        return { tahun, start, length };
      }

      const unitOf = (req: Request, res: Response): (typeof SKPD)[number] | undefined => {
        const skpd = SKPD.find((s) => String(s.id) === str(record(req.body).id_unit));
        if (!skpd) refuse(res, 'Data tidak ditemukan', 404);
        return skpd;
      };

      // ─── the national nomenclature ─────────────────────────────────────────────────────────
      app.post(PATH_SUB_GIAT, (req, res) => {
        const form = formOf(req, res, ['start', 'length'], [0, 10]);
        if (!form) return;
        const rows = form.tahun !== SANDBOX_TAHUN ? [] : nomenklaturOf(subKegiatan);
        const page = rows.slice(form.start, form.start + Math.min(form.length, NOMENKLATUR_PAGE_CAP));
        sendJson(res, { status: true, status_code: 200, data: { draw: Number(str(record(req.body).draw) || 1), recordsTotal: rows.length, recordsFiltered: rows.length, data: page.map((n) => toNomenklaturRow(n, Number(form.tahun))) } });
      });

      // ─── the SKPD of the budget, encoded ───────────────────────────────────────────────────
      app.post(PATH_SKPD, (req, res) => {
        const form = formOf(req, res, ['offset', 'limit'], [0, 10]);
        if (!form) return;
        const units = form.tahun !== SANDBOX_TAHUN ? [] : SKPD;
        const page = units.slice(form.start, form.start + Math.min(form.length, SKPD_PAGE_CAP));
        sendJson(res, { status: true, status_code: 200, data: encodeSipdPayload(stringifyJson(page.map((skpd) => toUnitRow(skpd, subKegiatan, Number(form.tahun))))), recordsTotal: units.length });
      });

      // ─── the sub-kegiatan of one SKPD ──────────────────────────────────────────────────────
      app.post(PATH_BELANJA, (req, res) => {
        const form = formOf(req, res, ['start', 'length'], [0, 0]);
        if (!form) return;
        const skpd = unitOf(req, res);
        if (!skpd) return;
        const rows = form.tahun !== SANDBOX_TAHUN ? [] : subKegiatan.filter((s) => s.idSkpd === skpd.id).map((s) => toBelanjaRow(s, Number(form.tahun)));
        sendJson(res, { status: true, status_code: 200, data: skpd.encoded ? encodeSipdPayload(stringifyJson(rows)) : rows });
      });

      // ─── the budget lines of one sub-kegiatan ──────────────────────────────────────────────
      app.post(PATH_RINCI, (req, res) => {
        const form = formOf(req, res, ['start', 'length'], [0, 0]);
        if (!form) return;
        const skpd = unitOf(req, res);
        if (!skpd) return;
        const sub = subKegiatan.find((s) => s.idSubBl === str(record(req.body).id_sub_bl) && s.idSkpd === skpd.id);
        if (!sub) {
          refuse(res, 'Data tidak ditemukan', 404);
          return;
        }
        const lines = form.tahun !== SANDBOX_TAHUN ? [] : rincian.filter((line) => line.kodeSub === sub.kode && line.kodeSkpd === skpd.kode);
        sendJson(res, { status: true, status_code: 200, data: lines.map((line) => toRinciRow(line, sub)) });
      });

      app.use((_req, res) => {
        res.status(404).type('application/json').send(stringifyJson({ status: false, status_code: 404, message: 'Halaman tidak ditemukan' }));
      });
      app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
        res.status(400).type('application/json').send(stringifyJson({ status: false, status_code: 400, message: error.message }));
      });
      },
    },
    options,
  );
};
