// SIPD (Sistem Informasi Pemerintahan Daerah, Kemendagri) → canonical sub-kegiatan.v1 and
// rincian-anggaran.v1.
//
// Two inbound polls, both full scans (SIPD lists; it cannot say what changed since when):
// - sub-kegiatan: the SKPD listing of the RKPD API (`GET /sipd_api/rkpd/get_rkpd_skpd`), then,
//   SKPD by SKPD, the sub-kegiatan table of SIPD-RI (`POST /api/master/sub_giat/list_table`),
//   paged DataTables-style with start/length. The cursor carries the SKPD list and the position.
// - rincian anggaran: the budget lines (`POST /api/renja/sub_bl/list_skpd`), whose `data` is
//   obfuscated (base64 → reverse → base64 → reverse → JSON), paged with start/length.
// At the end of a scan nextCursor is null: the next run starts over, and the runtime's
// fingerprints publish only what changed.
//
// Quirks handled here: errors with HTTP 200 (`{"status": false, "message": …}`), ids as JSON
// numbers above 2^53, money as numbers or Indonesian strings, key casing that differs between
// endpoints (`kodeskpd`, `kode_skpd`, `KODE_SKPD`, `kodeSkpd`), and the encoded payload.
import {
  defineConnector,
  LosslessNumber,
  parseJson,
  parseRupiah,
  UpstreamError,
  type ConnectorContext,
  type InboundHandler,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../src/connectors/sdk.js';
import { decodeSipdPayload, PayloadDecodeError } from './codec.js';

// ─── canonical entities ──────────────────────────────────────────────────────────────────────

export interface KodeNama {
  kode: string;
  nama: string;
}

export interface Uang {
  nilai: number;
  perkiraan: boolean;
}

export interface Sumber {
  sistem: 'SIPD';
  diambil_pada: string;
}

export interface SubKegiatan {
  id: string;
  tahun: number;
  kode_skpd: string;
  kode_sub_kegiatan: string;
  id_sipd?: string;
  skpd: KodeNama;
  urusan: { kode: string; nama?: string };
  bidang_urusan: { kode: string; nama?: string };
  program: KodeNama;
  kegiatan: KodeNama;
  sub_kegiatan: KodeNama;
  pagu: Uang;
  sumber_dana: { kode?: string; nama: string }[];
  sumber: Sumber;
}

export type TingkatRekening = 'akun' | 'kelompok' | 'jenis' | 'objek' | 'rincian-objek' | 'sub-rincian-objek';

export interface RincianAnggaran {
  id: string;
  id_sipd: string;
  tahun: number;
  kode_skpd: string;
  kode_sub_kegiatan: string;
  kode_rekening: KodeNama & { tingkat: TingkatRekening };
  uraian: string;
  spesifikasi?: string;
  volume: number;
  satuan: string;
  harga_satuan: Uang;
  total: Uang;
  kode_rup?: string;
  sumber: Sumber;
}

// ─── constants ───────────────────────────────────────────────────────────────────────────────

export const PATHS = {
  /** The RKPD API (sipd.go.id): the SKPD of a region and year. Bearer token. */
  skpd: '/sipd_api/rkpd/get_rkpd_skpd',
  /** SIPD-RI: the sub-kegiatan table, DataTables-style. */
  subKegiatan: '/api/master/sub_giat/list_table',
  /** SIPD-RI: budget lines, with an encoded payload. */
  rincian: '/api/renja/sub_bl/list_skpd',
} as const;

/** Rows asked per page; SIPD may answer fewer (the simulator does), the cursor follows what came. */
export const PAGE_LENGTH = 100;

const SISTEM = 'SIPD';

// ─── codes (the shapes of src/domain/kode-anggaran.ts, which a connector cannot import) ──────

const KODE_SKPD = /^[1-9]\.(?!00)[0-9]{2}\.(?:0\.00\.0\.00|[1-9]\.(?!00)[0-9]{2}\.(?:0\.00|[1-9]\.(?!00)[0-9]{2}))\.(?!00)[0-9]{2}\.[0-9]{4}$/;
const KODE_SUB_KEGIATAN = /^([1-9])\.((?!00)[0-9]{2})\.((?!00)[0-9]{2})\.([1-9])\.((?!00)[0-9]{2})\.((?!0000)[0-9]{4}|(?!00)[0-9]{2})$/;
const TINGKAT: readonly TingkatRekening[] = ['akun', 'kelompok', 'jenis', 'objek', 'rincian-objek', 'sub-rincian-objek'];
const REKENING_WIDTHS = [1, 1, 2, 2, 2, 4];

function tingkatRekening(kode: string): TingkatRekening | undefined {
  if (!/^[0-9]+(\.[0-9]+)*$/.test(kode)) return undefined;
  const segments = kode.split('.');
  if (segments.length > 6) return undefined;
  const fits = segments.every((segment, i) => segment.length === REKENING_WIDTHS[i] && /[1-9]/.test(segment));
  return fits ? TINGKAT[segments.length - 1] : undefined;
}

// ─── reading decoded JSON ────────────────────────────────────────────────────────────────────

type Doc = Record<string, unknown>;

const isLossless = (value: unknown): value is LosslessNumber =>
  value instanceof LosslessNumber || (typeof value === 'object' && value !== null && (value as { isLosslessNumber?: unknown }).isLosslessNumber === true);

const isDoc = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value) && !isLossless(value);

/** `kode_skpd`, `kodeSkpd`, `KODE_SKPD`, `kodeskpd` → `kodeskpd`. */
const normaliseKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The first present value (not null, not an empty string) among the aliases, in alias order. */
function pick(doc: Doc, aliases: readonly string[]): unknown {
  const byKey = new Map<string, unknown>();
  for (const [key, value] of Object.entries(doc)) {
    const normal = normaliseKey(key);
    if (value !== undefined && value !== null && value !== '' && !byKey.has(normal)) byKey.set(normal, value);
  }
  for (const alias of aliases) if (byKey.has(alias)) return byKey.get(alias);
  return undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isLossless(value)) return value.toString();
  return undefined;
}

/** Trimmed text with inner whitespace collapsed, or undefined when empty. */
function text(value: unknown): string | undefined {
  const raw = scalar(value)?.replace(/\s+/g, ' ').trim();
  return raw ? raw : undefined;
}

/** An identifier SIPD sends as a number (possibly above 2^53) or text, as canonical digits. */
function digitsOf(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined || !/^[0-9]{1,30}$/.test(raw)) return undefined;
  return BigInt(raw).toString();
}

const bad = (detail: string): UpstreamError => new UpstreamError('upstream-bad-response', detail);

// ─── settings ────────────────────────────────────────────────────────────────────────────────

function tokenOf(context: ConnectorContext): string {
  const token = context.settings.token?.trim();
  if (!token) throw new UpstreamError('upstream-credentials-rejected', 'SIPD_TOKEN is not set');
  return token;
}

function tahunOf(context: ConnectorContext): string {
  const tahun = context.settings.tahun?.trim() ?? '';
  if (!/^20[0-9]{2}$/.test(tahun)) throw new UpstreamError('upstream-request-rejected', `SIPD_TAHUN must be a budget year, not ${JSON.stringify(tahun)}`);
  return tahun;
}

/** `18.09` or `1809` (the RKPD API wants the digits, as its client code sends `kodepemda=1408`). */
export function kodePemdaOf(context: ConnectorContext): string {
  const kode = context.settings.kodePemda?.trim() ?? '';
  if (!/^[0-9]{2}(\.?[0-9]{2})?$/.test(kode)) throw new UpstreamError('upstream-request-rejected', `SIPD_KODE_PEMDA must be a region code like 18.09, not ${JSON.stringify(kode)}`);
  return kode.replace('.', '');
}

function idDaerahOf(context: ConnectorContext): string {
  const id = context.settings.idDaerah?.trim() ?? '';
  if (!/^[0-9]{1,10}$/.test(id)) throw new UpstreamError('upstream-request-rejected', `SIPD_ID_DAERAH must be SIPD's numeric region id, not ${JSON.stringify(id)}`);
  return id;
}

const headersOf = (context: ConnectorContext): Record<string, string> => ({ Authorization: `Bearer ${tokenOf(context)}`, Accept: 'application/json' });

// ─── answers: HTTP status, text bodies, errors with HTTP 200 ─────────────────────────────────

function checkHttp(upstream: UpstreamResponse): void {
  const { status } = upstream;
  if (status >= 500 || status === 429 || status === 408) throw new UpstreamError('upstream-unavailable', `SIPD answered HTTP ${status}`, { retryable: true });
  if (status === 401 || status === 403) throw new UpstreamError('upstream-credentials-rejected', `SIPD answered HTTP ${status}`);
  if (status >= 400) throw new UpstreamError('upstream-request-rejected', `SIPD answered HTTP ${status}`);
  if (status < 200 || status >= 300) throw bad(`SIPD answered HTTP ${status}`);
}

const BUSY = /maintenance|pemeliharaan|sibuk|busy|coba (lagi )?beberapa saat|try again|too many|terlalu banyak/i;

/** A body the runtime left as text (SIPD often labels JSON text/html): JSON, or a refusal. */
function decodeBody(native: unknown): unknown {
  if (typeof native !== 'string') return native;
  const body = native.trim();
  if (body.startsWith('{') || body.startsWith('[')) {
    try {
      return parseJson(body);
    } catch (error) {
      throw bad(`SIPD answered JSON that does not parse: ${(error as Error).message}`);
    }
  }
  if (BUSY.test(body)) throw new UpstreamError('upstream-unavailable', 'SIPD answered a maintenance page', { retryable: true });
  throw bad(`SIPD answered text that is not JSON: ${JSON.stringify(body.slice(0, 80))}`);
}

const CREDENTIALS = /token|unauthori[sz]ed|unauthenticated|tidak terautentikasi|sesi|session|login|akses ditolak|forbidden|kedaluwarsa|expired/i;
const NOTHING = /tidak ditemukan|not found|data kosong|tidak ada data|belum ada data/i;
const REJECTED = /tahun|parameter|tidak valid|invalid|wajib|required|jadwal|daerah|pemda|skpd/i;

/** `{status: false}`, `{status: "error"}`, `{success: false}` or an error status_code without data. */
function isErrorAnswer(doc: Doc): boolean {
  const status = pick(doc, ['status']);
  if (status === false || (typeof status === 'string' && /^(false|error|gagal|failed)$/i.test(status.trim()))) return true;
  if (pick(doc, ['success']) === false) return true;
  const code = Number(scalar(pick(doc, ['statuscode'])));
  return Number.isInteger(code) && code >= 400 && pick(doc, ['data']) === undefined;
}

function messageOf(doc: Doc): string {
  const message = pick(doc, ['message', 'msg', 'pesan', 'error', 'errors', 'keterangan']);
  return text(message) ?? (message !== undefined ? JSON.stringify(message) : 'no message');
}

/**
 * Reads an error answer and returns only when it says "no data": that is an empty page (an SKPD
 * without a budget yet is no failure of the scan). Anything else throws the matching UpstreamError.
 */
function assertNoData(doc: Doc): void {
  const message = messageOf(doc);
  if (CREDENTIALS.test(message)) throw new UpstreamError('upstream-credentials-rejected', `SIPD refused the token: ${message}`);
  if (NOTHING.test(message)) return;
  if (BUSY.test(message)) throw new UpstreamError('upstream-unavailable', `SIPD is busy: ${message}`, { retryable: true });
  if (REJECTED.test(message)) throw new UpstreamError('upstream-request-rejected', `SIPD refused the request: ${message}`);
  throw bad(`SIPD answered an error: ${message}`);
}

// ─── field keys, as normalised keys, in preference order ─────────────────────────────────────

const KEYS = {
  tahun: ['tahun', 'tahunanggaran', 'ta'],
  idSkpd: ['idskpd', 'idunit'],
  kodeSkpd: ['kodeskpd', 'kodeunit'],
  namaSkpd: ['namaskpd', 'uraiskpd', 'namaunit'],
  idSubBl: ['idsubbl'],
  kodeUrusan: ['kodeurusan'],
  namaUrusan: ['namaurusan', 'uraiurusan'],
  kodeBidang: ['kodebidangurusan', 'kodebidang'],
  namaBidang: ['namabidangurusan', 'namabidang', 'uraibidangurusan'],
  kodeProgram: ['kodeprogram'],
  namaProgram: ['namaprogram', 'uraiprogram'],
  kodeKegiatan: ['kodegiat', 'kodekegiatan'],
  namaKegiatan: ['namagiat', 'namakegiatan', 'uraigiat', 'uraikegiatan'],
  kodeSub: ['kodesubgiat', 'kodesubkegiatan'],
  namaSub: ['namasubgiat', 'namasubkegiatan', 'uraisubgiat', 'uraisubkegiatan'],
  pagu: ['pagu', 'pagusubgiat', 'pagusubkegiatan', 'nilaipagu'],
  sumberDana: ['sumberdana', 'danasubbl', 'dana'],
  kodeDana: ['kodedana', 'kode', 'kodesumberdana'],
  namaDana: ['namadana', 'nama', 'namasumberdana', 'sumberdana'],
  idRinci: ['idrincisubbl', 'idrinci', 'idrincian'],
  kodeAkun: ['kodeakun', 'koderekening'],
  namaAkun: ['namaakun', 'namarekening'],
  uraian: ['namakomponen', 'uraian', 'uraiankomponen'],
  spesifikasi: ['spekkomponen', 'spesifikasi', 'spek'],
  volume: ['volume', 'vol'],
  satuan: ['satuan', 'satuankomponen'],
  hargaSatuan: ['hargasatuan', 'harga'],
  total: ['totalharga', 'total', 'nilai'],
  kodeRup: ['koderup', 'idrup', 'kdrup'],
  recordsTotal: ['recordstotal', 'recordsfiltered', 'total'],
} as const;

// ─── shared record fields ────────────────────────────────────────────────────────────────────

function tahunOfRecord(record: Doc, context: ConnectorContext, where: string): number {
  const raw = pick(record, KEYS.tahun);
  const tahun = raw === undefined ? tahunOf(context) : text(raw);
  if (tahun === undefined || !/^[0-9]{4}$/.test(tahun)) throw bad(`${where} has a year that is not one: ${JSON.stringify(scalar(raw) ?? raw)}`);
  return Number(tahun);
}

function kodeSkpdOf(record: Doc, where: string): string {
  const kode = text(pick(record, KEYS.kodeSkpd));
  if (kode === undefined) throw bad(`${where} names no SKPD code`);
  if (!KODE_SKPD.test(kode)) throw bad(`${where} has an SKPD code that is not U.BB.U.BB.U.BB.UU.SSSS: ${JSON.stringify(kode)}`);
  return kode;
}

function kodeSubOf(record: Doc, where: string): RegExpExecArray {
  const kode = text(pick(record, KEYS.kodeSub));
  if (kode === undefined) throw bad(`${where} has no sub-kegiatan code`);
  const parts = KODE_SUB_KEGIATAN.exec(kode);
  if (!parts) throw bad(`${where} has a sub-kegiatan code that is not U.BB.PP.K.KK.SSSS (or .SS): ${JSON.stringify(kode)}`);
  return parts;
}

/** SIPD sometimes writes the code in front of the name (`1.03.10.2.01.0015 Pembangunan Jalan`). */
function nameOf(record: Doc, keys: readonly string[], kode: string): string | undefined {
  const nama = text(pick(record, keys));
  if (nama === undefined) return undefined;
  const stripped = nama.startsWith(`${kode} `) ? nama.slice(kode.length + 1).trim() : nama;
  return stripped || undefined;
}

function money(value: unknown, what: string, where: string): Uang {
  if (value === undefined) throw bad(`${where} has no ${what}`);
  const parsed = parseRupiah(value);
  if (parsed === undefined) throw bad(`${where} has a ${what} that is not an amount of money: ${JSON.stringify(scalar(value) ?? value)}`);
  return parsed;
}

// ─── sub-kegiatan ────────────────────────────────────────────────────────────────────────────

function sumberDanaOf(record: Doc): { kode?: string; nama: string }[] {
  const raw = pick(record, KEYS.sumberDana);
  const items: unknown[] = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  if (items.length === 0) {
    // A flat record: `kode_dana` / `nama_dana` on the row itself.
    const nama = text(pick(record, ['namadana']));
    if (nama !== undefined) items.push({ nama_dana: nama, kode_dana: pick(record, ['kodedana']) });
  }
  const seen = new Set<string>();
  const sumber: { kode?: string; nama: string }[] = [];
  for (const item of items) {
    const nama = isDoc(item) ? text(pick(item, KEYS.namaDana)) : text(item);
    if (nama === undefined) continue;
    const kode = isDoc(item) ? text(pick(item, KEYS.kodeDana)) : undefined;
    const key = `${kode ?? ''}\u0000${nama}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sumber.push(kode === undefined ? { nama } : { kode, nama });
  }
  return sumber;
}

function mapSubKegiatan(record: unknown, context: ConnectorContext): SubKegiatan {
  if (!isDoc(record)) throw bad(`expected a sub-kegiatan row, got ${Array.isArray(record) ? 'an array' : typeof record}`);
  const parts = kodeSubOf(record, 'a sub-kegiatan row');
  const kodeSub = parts[0];
  const where = `sub-kegiatan ${kodeSub}`;
  const kodeSkpd = kodeSkpdOf(record, where);
  const tahun = tahunOfRecord(record, context, where);

  const derived = {
    urusan: parts[1]!,
    bidang: `${parts[1]}.${parts[2]}`,
    program: `${parts[1]}.${parts[2]}.${parts[3]}`,
    kegiatan: `${parts[1]}.${parts[2]}.${parts[3]}.${parts[4]}.${parts[5]}`,
  };
  // The levels SIPD sends must be the prefixes of the sub-kegiatan code; a mismatch is refused.
  for (const [level, keys, expected] of [
    ['urusan', KEYS.kodeUrusan, derived.urusan],
    ['bidang urusan', KEYS.kodeBidang, derived.bidang],
    ['program', KEYS.kodeProgram, derived.program],
    ['kegiatan', KEYS.kodeKegiatan, derived.kegiatan],
  ] as const) {
    const sent = text(pick(record, keys));
    if (sent !== undefined && sent !== expected) throw bad(`${where} has ${level} code ${sent}, which is not the prefix ${expected} of its code`);
  }

  const namaSkpd = text(pick(record, KEYS.namaSkpd));
  if (namaSkpd === undefined) throw bad(`${where} has no SKPD name`);
  const namaProgram = nameOf(record, KEYS.namaProgram, derived.program);
  const namaKegiatan = nameOf(record, KEYS.namaKegiatan, derived.kegiatan);
  const namaSub = nameOf(record, KEYS.namaSub, kodeSub);
  if (namaProgram === undefined) throw bad(`${where} has no program name`);
  if (namaKegiatan === undefined) throw bad(`${where} has no kegiatan name`);
  if (namaSub === undefined) throw bad(`${where} has no name`);
  const namaUrusan = nameOf(record, KEYS.namaUrusan, derived.urusan);
  const namaBidang = nameOf(record, KEYS.namaBidang, derived.bidang);

  const rawId = pick(record, KEYS.idSubBl);
  const idSipd = digitsOf(rawId);
  if (rawId !== undefined && idSipd === undefined) throw bad(`${where} has an id_sub_bl that is not a number: ${JSON.stringify(scalar(rawId) ?? rawId)}`);

  return {
    id: `${tahun}:${kodeSkpd}:${kodeSub}`,
    tahun,
    kode_skpd: kodeSkpd,
    kode_sub_kegiatan: kodeSub,
    ...(idSipd !== undefined ? { id_sipd: idSipd } : {}),
    skpd: { kode: kodeSkpd, nama: namaSkpd },
    urusan: namaUrusan === undefined ? { kode: derived.urusan } : { kode: derived.urusan, nama: namaUrusan },
    bidang_urusan: namaBidang === undefined ? { kode: derived.bidang } : { kode: derived.bidang, nama: namaBidang },
    program: { kode: derived.program, nama: namaProgram },
    kegiatan: { kode: derived.kegiatan, nama: namaKegiatan },
    sub_kegiatan: { kode: kodeSub, nama: namaSub },
    pagu: money(pick(record, KEYS.pagu), 'pagu', where),
    sumber_dana: sumberDanaOf(record),
    sumber: { sistem: SISTEM, diambil_pada: context.now().toISOString() },
  };
}

// ─── the pages of the sub-kegiatan scan ──────────────────────────────────────────────────────

/** One SKPD of the listing: SIPD-RI's numeric id when the listing has it, and its code. */
interface SkpdRef {
  id?: string;
  kode: string;
}

type SubKegiatanPage =
  | { kind: 'skpd'; skpd: SkpdRef[] }
  | { kind: 'rows'; rows: unknown[]; total: number | undefined };

const looksLikeSkpd = (row: unknown): boolean => isDoc(row) && pick(row, KEYS.kodeSkpd) !== undefined && pick(row, KEYS.kodeSub) === undefined;

function skpdListing(rows: unknown[]): SubKegiatanPage {
  const skpd: SkpdRef[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (!isDoc(row)) throw bad('the SKPD listing holds something that is not an SKPD');
    const kode = kodeSkpdOf(row, 'an SKPD of the listing');
    if (seen.has(kode)) continue;
    seen.add(kode);
    const rawId = pick(row, KEYS.idSkpd);
    const id = digitsOf(rawId);
    if (rawId !== undefined && id === undefined) throw bad(`SKPD ${kode} has an id that is not a number: ${JSON.stringify(scalar(rawId) ?? rawId)}`);
    skpd.push(id === undefined ? { kode } : { id, kode });
  }
  return { kind: 'skpd', skpd };
}

function totalOf(doc: Doc): number | undefined {
  const raw = text(pick(doc, KEYS.recordsTotal));
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(raw)) throw bad(`SIPD sent a recordsTotal that is not a count: ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** What a native sub-kegiatan document is: the SKPD listing, a page of rows, or nothing. */
function readSubKegiatanPage(native: unknown): SubKegiatanPage {
  const document = decodeBody(native);
  if (Array.isArray(document)) {
    // The RKPD API answers a bare array of SKPD; an old SIPD-RI answers a bare array of rows.
    if (document.length > 0 && document.every(looksLikeSkpd)) return skpdListing(document);
    return { kind: 'rows', rows: document, total: document.length };
  }
  if (!isDoc(document)) throw bad(`SIPD sent ${document === null ? 'null' : typeof document} instead of a page`);
  if (isErrorAnswer(document)) {
    assertNoData(document);
    return { kind: 'rows', rows: [], total: 0 };
  }
  const data = pick(document, ['data']);
  if (data === undefined && Object.keys(document).some((key) => normaliseKey(key) === 'data')) return { kind: 'rows', rows: [], total: 0 };
  if (Array.isArray(data)) {
    if (data.length > 0 && data.every(looksLikeSkpd)) return skpdListing(data);
    return { kind: 'rows', rows: data, total: totalOf(document) };
  }
  if (isDoc(data)) {
    const rows = pick(data, ['data', 'rows', 'items']);
    if (rows === undefined) return { kind: 'rows', rows: [], total: 0 };
    if (!Array.isArray(rows)) throw bad('SIPD sent a page whose data.data is not a list');
    return { kind: 'rows', rows, total: totalOf(data) ?? totalOf(document) };
  }
  if (pick(document, ['message', 'msg', 'pesan']) !== undefined) {
    assertNoData(document);
    return { kind: 'rows', rows: [], total: 0 };
  }
  throw bad(`SIPD sent a document that is not a sub-kegiatan page (keys: ${Object.keys(document).slice(0, 8).join(', ') || 'none'})`);
}

/** Where the sub-kegiatan scan is: the SKPD of this year, which one, and the row to start at. */
interface SubKegiatanCursor {
  tahun: string;
  skpd: SkpdRef[];
  i: number;
  start: number;
}

function parseCursor(cursor: string, what: string): unknown {
  try {
    return JSON.parse(cursor) as unknown;
  } catch {
    throw new UpstreamError('cursor-invalid', `the ${what} cursor is not one this connector wrote: ${JSON.stringify(cursor.slice(0, 80))}`);
  }
}

function readSubKegiatanCursor(cursor: string | undefined, context: ConnectorContext): SubKegiatanCursor | undefined {
  if (cursor === undefined) return undefined;
  const value = parseCursor(cursor, 'sub-kegiatan');
  const valid = isDoc(value)
    && typeof value.tahun === 'string'
    && Array.isArray(value.skpd)
    && value.skpd.length > 0
    && value.skpd.every((s) => isDoc(s) && typeof s.kode === 'string' && KODE_SKPD.test(s.kode) && (s.id === undefined || (typeof s.id === 'string' && /^[0-9]{1,30}$/.test(s.id))))
    && Number.isInteger(value.i) && (value.i as number) >= 0 && (value.i as number) < value.skpd.length
    && Number.isInteger(value.start) && (value.start as number) >= 0;
  if (!valid) throw new UpstreamError('cursor-invalid', `the sub-kegiatan cursor is not one this connector wrote: ${JSON.stringify(cursor.slice(0, 80))}`);
  const state = value as unknown as SubKegiatanCursor;
  // A scan of another year (SIPD_TAHUN changed between runs) starts over.
  return state.tahun === tahunOf(context) ? state : undefined;
}

const writeCursor = (state: object): string => JSON.stringify(state);

const subKegiatanMasuk: InboundHandler<SubKegiatan> = {
  map(native, context) {
    const page = readSubKegiatanPage(native);
    return page.kind === 'skpd' ? [] : page.rows.map((row) => mapSubKegiatan(row, context));
  },
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context): UpstreamRequest {
      const state = readSubKegiatanCursor(cursor, context);
      const tahun = tahunOf(context);
      if (state === undefined) {
        return { method: 'GET', path: PATHS.skpd, query: { kodepemda: kodePemdaOf(context), tahun }, headers: headersOf(context) };
      }
      const skpd = state.skpd[state.i]!;
      return {
        method: 'POST',
        path: PATHS.subKegiatan,
        headers: headersOf(context),
        body: {
          form: {
            tahun,
            id_daerah: idDaerahOf(context),
            ...(skpd.id !== undefined ? { id_skpd: skpd.id } : {}),
            kode_skpd: skpd.kode,
            start: state.start,
            length: PAGE_LENGTH,
          },
        },
      };
    },
    page(upstream, cursor, context) {
      checkHttp(upstream);
      const state = readSubKegiatanCursor(cursor, context);
      const page = readSubKegiatanPage(upstream.body);
      if (state === undefined) {
        // The first page of a scan must be the SKPD listing; an empty one ends the scan.
        if (page.kind !== 'skpd') {
          if (page.rows.length === 0) return { native: upstream.body, nextCursor: null };
          throw bad('SIPD answered the SKPD listing with something else');
        }
        if (page.skpd.length === 0) return { native: upstream.body, nextCursor: null };
        return { native: upstream.body, nextCursor: writeCursor({ tahun: tahunOf(context), skpd: page.skpd, i: 0, start: 0 }) };
      }
      if (page.kind !== 'rows') throw bad('SIPD answered the sub-kegiatan table with an SKPD listing');
      const next = state.start + page.rows.length;
      const more = page.rows.length > 0 && (page.total === undefined || next < page.total);
      if (more) return { native: upstream.body, nextCursor: writeCursor({ ...state, start: next }) };
      if (state.i + 1 < state.skpd.length) return { native: upstream.body, nextCursor: writeCursor({ ...state, i: state.i + 1, start: 0 }) };
      return { native: upstream.body, nextCursor: null };
    },
  },
};

// ─── rincian anggaran ────────────────────────────────────────────────────────────────────────

/** A volume: a number, or text with a decimal comma (`1,5`), thousands dots (`1.000`) or a decimal point (`2.5`). */
function volumeOf(value: unknown, where: string): number {
  let volume: number | undefined;
  if (typeof value === 'number') volume = value;
  else if (isLossless(value)) volume = Number(value.toString());
  else if (typeof value === 'string') {
    const raw = value.trim();
    if (/^[0-9]+$/.test(raw)) volume = Number(raw);
    else if (/^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$/.test(raw)) volume = Number(raw.replaceAll('.', '').replace(',', '.'));
    else if (/^[0-9]+,[0-9]+$/.test(raw)) volume = Number(raw.replace(',', '.'));
    else if (/^[0-9]+\.[0-9]+$/.test(raw)) volume = Number(raw);
  }
  if (volume === undefined || !Number.isFinite(volume) || volume < 0) throw bad(`${where} has a volume that is not a quantity: ${JSON.stringify(scalar(value) ?? value)}`);
  return volume;
}

function mapRincian(record: unknown, context: ConnectorContext): RincianAnggaran {
  if (!isDoc(record)) throw bad(`expected a budget line, got ${Array.isArray(record) ? 'an array' : typeof record}`);
  const rawId = pick(record, KEYS.idRinci);
  const idSipd = digitsOf(rawId);
  if (idSipd === undefined) throw bad(rawId === undefined ? 'a budget line has no id_rinci_sub_bl' : `a budget line has an id that is not a number: ${JSON.stringify(scalar(rawId) ?? rawId)}`);
  const where = `budget line ${idSipd}`;
  const kodeSub = kodeSubOf(record, where)[0];
  const kodeSkpd = kodeSkpdOf(record, where);
  const tahun = tahunOfRecord(record, context, where);

  const kodeAkun = text(pick(record, KEYS.kodeAkun));
  if (kodeAkun === undefined) throw bad(`${where} has no kode rekening`);
  const tingkat = tingkatRekening(kodeAkun);
  if (tingkat === undefined) throw bad(`${where} has a kode rekening that is not one (5 … 5.1.02.01.01.0001): ${JSON.stringify(kodeAkun)}`);
  const namaAkun = nameOf(record, KEYS.namaAkun, kodeAkun);
  if (namaAkun === undefined) throw bad(`${where} has no account name`);
  const uraian = text(pick(record, KEYS.uraian));
  if (uraian === undefined) throw bad(`${where} has no uraian (component)`);
  const spesifikasi = text(pick(record, KEYS.spesifikasi));
  const satuan = text(pick(record, KEYS.satuan));
  if (satuan === undefined) throw bad(`${where} has no unit (satuan)`);
  const rawVolume = pick(record, KEYS.volume);
  if (rawVolume === undefined) throw bad(`${where} has no volume`);

  const rawRup = pick(record, KEYS.kodeRup);
  const kodeRup = digitsOf(rawRup);
  if (rawRup !== undefined && kodeRup === undefined) throw bad(`${where} has a kode RUP that is not a number: ${JSON.stringify(scalar(rawRup) ?? rawRup)}`);

  return {
    id: `${tahun}:${kodeSkpd}:${kodeSub}:${idSipd}`,
    id_sipd: idSipd,
    tahun,
    kode_skpd: kodeSkpd,
    kode_sub_kegiatan: kodeSub,
    kode_rekening: { kode: kodeAkun, nama: namaAkun, tingkat },
    uraian,
    ...(spesifikasi !== undefined ? { spesifikasi } : {}),
    volume: volumeOf(rawVolume, where),
    satuan,
    harga_satuan: money(pick(record, KEYS.hargaSatuan), 'unit price', where),
    total: money(pick(record, KEYS.total), 'total', where),
    // 0 is how SIPD says "no RUP package yet".
    ...(kodeRup !== undefined && kodeRup !== '0' ? { kode_rup: kodeRup } : {}),
    sumber: { sistem: SISTEM, diambil_pada: context.now().toISOString() },
  };
}

/** The budget lines of a native page, decoding SIPD's obfuscated payload. */
function readRincianPage(native: unknown): { rows: unknown[]; total: number | undefined } {
  const document = decodeBody(native);
  if (Array.isArray(document)) return { rows: document, total: document.length };
  if (!isDoc(document)) throw bad(`SIPD sent ${document === null ? 'null' : typeof document} instead of a page`);
  if (isErrorAnswer(document)) {
    assertNoData(document);
    return { rows: [], total: 0 };
  }
  const data = pick(document, ['data']);
  if (data === undefined) {
    if (Object.keys(document).some((key) => normaliseKey(key) === 'data')) return { rows: [], total: 0 };
    if (pick(document, ['message', 'msg', 'pesan']) !== undefined) {
      assertNoData(document);
      return { rows: [], total: 0 };
    }
    throw bad(`SIPD sent a document that is not a page of budget lines (keys: ${Object.keys(document).slice(0, 8).join(', ') || 'none'})`);
  }
  let payload: unknown = data;
  if (typeof data === 'string') {
    let json: string;
    try {
      json = decodeSipdPayload(data);
    } catch (error) {
      if (error instanceof PayloadDecodeError) throw bad(`SIPD's encoded payload does not decode: ${error.message}`);
      throw error;
    }
    try {
      payload = parseJson(json);
    } catch (error) {
      throw bad(`SIPD's encoded payload decodes to text that is not JSON: ${(error as Error).message}`);
    }
  }
  // Decoded: a list of lines, or (other versions) {data: [...]}.
  const rows = isDoc(payload) ? pick(payload, ['data', 'rows', 'items']) ?? [] : payload;
  if (!Array.isArray(rows)) throw bad('SIPD sent budget lines that are not a list');
  return { rows, total: totalOf(document) ?? (isDoc(payload) ? totalOf(payload) : undefined) };
}

interface RincianCursor {
  tahun: string;
  start: number;
}

function readRincianCursor(cursor: string | undefined, context: ConnectorContext): RincianCursor | undefined {
  if (cursor === undefined) return undefined;
  const value = parseCursor(cursor, 'rincian');
  if (!isDoc(value) || typeof value.tahun !== 'string' || !Number.isInteger(value.start) || (value.start as number) < 0) {
    throw new UpstreamError('cursor-invalid', `the rincian cursor is not one this connector wrote: ${JSON.stringify(cursor.slice(0, 80))}`);
  }
  return value.tahun === tahunOf(context) ? (value as unknown as RincianCursor) : undefined;
}

const rincianAnggaranMasuk: InboundHandler<RincianAnggaran> = {
  map(native, context) {
    return readRincianPage(native).rows.map((row) => mapRincian(row, context));
  },
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context): UpstreamRequest {
      const start = readRincianCursor(cursor, context)?.start ?? 0;
      return {
        method: 'POST',
        path: PATHS.rincian,
        headers: headersOf(context),
        body: { form: { tahun: tahunOf(context), id_daerah: idDaerahOf(context), start, length: PAGE_LENGTH } },
      };
    },
    page(upstream, cursor, context) {
      checkHttp(upstream);
      const start = readRincianCursor(cursor, context)?.start ?? 0;
      const { rows, total } = readRincianPage(upstream.body);
      const next = start + rows.length;
      const more = rows.length > 0 && (total === undefined || next < total);
      return { native: upstream.body, nextCursor: more ? writeCursor({ tahun: tahunOf(context), start: next }) : null };
    },
  },
};

export default defineConnector({
  inbound: {
    'sub-kegiatan-masuk': subKegiatanMasuk,
    'rincian-anggaran-masuk': rincianAnggaranMasuk,
  },
});
