// A stand-in for SIPD on a real port, reproducing the shapes and quirks the connector meets:
// - GET  /sipd_api/rkpd/get_rkpd_skpd?kodepemda=&tahun=   the RKPD API's SKPD listing: a bare
//        JSON array labelled text/html (as the PHP service sends it), run-together lower-case keys
// - POST /api/master/sub_giat/list_table   (form: tahun, id_daerah, id_skpd | kode_skpd, start,
//        length) → {"status": true, "data": {"data": [...], "recordsTotal": n}}, at most 2 rows a page
// - POST /api/renja/sub_bl/list_skpd       (form: tahun, id_daerah, start, length) →
//        {"status": true, "data": "<encoded>", "recordsTotal": n}, at most 10 lines a page
// Every call needs the Bearer token (or X-ACCESS-TOKEN, as SIPD-RI's own client sends it); a wrong
// one is answered HTTP 200 {"status": false, "message": "Token tidak valid"}. Ids are JSON numbers,
// some above 2^53. A control API under /_simulator serves tests and demos (see README.md).
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { stringifyJson, type StartSimulator } from '../../src/connectors/sdk.js';
import { encodeSipdPayload } from './codec.js';
import {
  initialRincian,
  initialSubKegiatan,
  RINCIAN_PAGE_CAP,
  SANDBOX_ID_DAERAH,
  SANDBOX_KODE_PEMDA,
  SANDBOX_TAHUN,
  SANDBOX_TOKEN,
  SKPD,
  SUB_KEGIATAN_PAGE_CAP,
  toRincianRow,
  toRkpdSkpd,
  toSubGiatRow,
  type SandboxRincian,
  type SandboxSubKegiatan,
} from './sandbox-data.js';

interface Fault {
  remaining: number;
  status: number;
  message: string;
  delayMs: number;
}

const PATH_SKPD = '/sipd_api/rkpd/get_rkpd_skpd';
const PATH_SUB_GIAT = '/api/master/sub_giat/list_table';
const PATH_RINCIAN = '/api/renja/sub_bl/list_skpd';

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
  const faults = new Map<string, Fault>();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(express.json({ limit: '1mb' }));

  // ─── control API ───────────────────────────────────────────────────────────────────────
  app.post('/_simulator/reset', (_req, res) => {
    subKegiatan = initialSubKegiatan();
    rincian = initialRincian();
    faults.clear();
    res.status(204).end();
  });

  app.post('/_simulator/faults', (req, res) => {
    const body = record(req.body);
    const path = typeof body.path === 'string' ? body.path : '';
    const failNext = Number(body.failNext ?? 1);
    const status = Number(body.status ?? 503);
    if (!path.startsWith('/') || !Number.isInteger(failNext) || failNext < 0 || !Number.isInteger(status) || status < 200 || status > 599) {
      res.status(400).json({ error: 'expected {path: "/…", failNext: n ≥ 0, status: 200-599, message?, delayMs?}' });
      return;
    }
    const fault: Fault = {
      remaining: failNext,
      status,
      message: typeof body.message === 'string' ? body.message : 'Server sedang sibuk, silakan coba beberapa saat lagi',
      delayMs: Math.max(0, Number(body.delayMs ?? 0) || 0),
    };
    if (failNext === 0) faults.delete(path);
    else faults.set(path, fault);
    res.status(201).json({ path, ...fault });
  });

  const plainSubKegiatan = (s: SandboxSubKegiatan): Record<string, unknown> => ({
    id_sub_bl: s.idSubBl,
    kode_skpd: SKPD.find((skpd) => skpd.id === s.idSkpd)!.kode,
    kode_sub_kegiatan: s.kode,
    nama: s.nama,
    pagu: s.pagu,
    sumber_dana: s.dana,
  });

  app.get('/_simulator/sub-kegiatan', (_req, res) => {
    res.json(subKegiatan.map(plainSubKegiatan));
  });

  // Changes one sub-kegiatan: {kode_skpd, kode_sub_kegiatan, pagu?, nama?, sumber_dana?: [{kode?, nama}]}.
  app.post('/_simulator/sub-kegiatan', (req, res) => {
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

  app.get('/_simulator/rincian', (_req, res) => {
    res.json(rincian);
  });

  // Changes one budget line: {id, harga_satuan?, volume?, total?, kode_rup?} (kode_rup null removes it).
  app.post('/_simulator/rincian', (req, res) => {
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

  // ─── faults: the next n calls to a path fail ───────────────────────────────────────────
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const fault = req.path.startsWith('/_simulator/') ? undefined : faults.get(req.path);
    if (!fault || fault.remaining <= 0) {
      next();
      return;
    }
    fault.remaining -= 1;
    if (fault.remaining === 0) faults.delete(req.path);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.status === 200) {
      refuse(res, fault.message, 503);
      return;
    }
    res.status(fault.status).type('text/html').send(`<html><head><title>${fault.status}</title></head><body><h1>${fault.status} Service Temporarily Unavailable</h1><p>SIPD sedang dalam pemeliharaan.</p></body></html>`);
  });

  // ─── authentication: every SIPD path ───────────────────────────────────────────────────
  app.use([PATH_SKPD, PATH_SUB_GIAT, PATH_RINCIAN], (req: Request, res: Response, next: NextFunction) => {
    if (tokenOf(req) !== SANDBOX_TOKEN) {
      refuse(res, 'Token tidak valid', 401);
      return;
    }
    next();
  });

  // ─── the RKPD API: SKPD of a region and year ───────────────────────────────────────────
  app.get(PATH_SKPD, (req, res) => {
    const kodepemda = str(req.query.kodepemda);
    const tahun = str(req.query.tahun);
    if (kodepemda !== SANDBOX_KODE_PEMDA.replace('.', '') && kodepemda !== SANDBOX_KODE_PEMDA) {
      refuse(res, `kodepemda ${kodepemda} tidak valid`);
      return;
    }
    if (!/^[0-9]{4}$/.test(tahun)) {
      refuse(res, 'Parameter tahun wajib diisi');
      return;
    }
    // The PHP service echoes JSON without a JSON content type.
    sendJson(res, tahun === SANDBOX_TAHUN ? SKPD.map(toRkpdSkpd) : [], 'text/html; charset=UTF-8');
  });

  /** Checks tahun, id_daerah, start and length of a SIPD-RI form; answers the refusal itself. */
  function formOf(req: Request, res: Response): { tahun: string; start: number; length: number } | undefined {
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
    const start = count(body.start, 0);
    const length = count(body.length, 10);
    if (start === undefined || length === undefined) {
      refuse(res, 'Parameter start/length tidak valid');
      return undefined;
    }
    return { tahun, start, length };
  }

  // ─── SIPD-RI: the sub-kegiatan table ───────────────────────────────────────────────────
  app.post(PATH_SUB_GIAT, (req, res) => {
    const form = formOf(req, res);
    if (!form) return;
    const body = record(req.body);
    const idSkpd = str(body.id_skpd);
    const kodeSkpd = str(body.kode_skpd);
    const skpd = SKPD.find((s) => (idSkpd !== '' ? String(s.id) === idSkpd : s.kode === kodeSkpd));
    if ((idSkpd !== '' || kodeSkpd !== '') && !skpd) {
      refuse(res, 'Data tidak ditemukan', 404);
      return;
    }
    const rows = form.tahun !== SANDBOX_TAHUN ? [] : subKegiatan
      .filter((s) => skpd === undefined || s.idSkpd === skpd.id)
      .sort((a, b) => (a.kode < b.kode ? -1 : a.kode > b.kode ? 1 : 0));
    const page = rows.slice(form.start, form.start + Math.min(form.length, SUB_KEGIATAN_PAGE_CAP));
    sendJson(res, {
      status: true,
      status_code: 200,
      data: { draw: Number(str(body.draw) || 1), recordsTotal: rows.length, recordsFiltered: rows.length, data: page.map((s) => toSubGiatRow(s, Number(form.tahun))) },
    });
  });

  // ─── SIPD-RI: budget lines, encoded ────────────────────────────────────────────────────
  app.post(PATH_RINCIAN, (req, res) => {
    const form = formOf(req, res);
    if (!form) return;
    const lines = form.tahun !== SANDBOX_TAHUN ? [] : [...rincian].sort((a, b) => (`${a.kodeSkpd} ${a.kodeSub}` < `${b.kodeSkpd} ${b.kodeSub}` ? -1 : `${a.kodeSkpd} ${a.kodeSub}` > `${b.kodeSkpd} ${b.kodeSub}` ? 1 : 0));
    const page = lines.slice(form.start, form.start + Math.min(form.length, RINCIAN_PAGE_CAP));
    sendJson(res, {
      status: true,
      status_code: 200,
      data: encodeSipdPayload(stringifyJson(page.map((line) => toRincianRow(line, Number(form.tahun))))),
      recordsTotal: lines.length,
    });
  });

  app.use((_req, res) => {
    res.status(404).type('application/json').send(stringifyJson({ status: false, status_code: 404, message: 'Halaman tidak ditemukan' }));
  });
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(400).type('application/json').send(stringifyJson({ status: false, status_code: 400, message: error.message }));
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the SIPD simulator has no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
