// LPSE / SPSE 4.x → canonical paket-pengadaan.v1.
//
// SPSE speaks two shapes for the same tenders:
// - the public DataTables listing `GET /eproc4/dt/lelang`: `{draw, recordsTotal, recordsFiltered,
//   data: [[…], …]}`, positional rows whose column order depends on the SPSE version (the
//   layouts are declared in the manifest's `options.kolomDataTables` and read from
//   `context.options`), with HTML in cells and money as Indonesian strings or abbreviations;
// - LKPP's ISB (Integrasi Sistem Bersama) `SPSE-TenderPengumuman`: a bare array of objects
//   (`kd_tender`, `nama_paket`, `pagu`, `hps`, `kd_satker`, `status_tender`, `kd_rup`, …) whose
//   keys change spelling and casing between releases, with identifiers beyond 2^53.
// Both are mapped through one intermediate record, so a tender read from either maps to the
// identical entity where the data agrees (twin fixtures `kembar-*`).
//
// The poll reads the ISB list first, then the DataTables pages, skipping there every tender
// the ISB already listed (the cursor carries their codes), and starts over after the last
// page (nextCursor null). Each tender thus has one source per run: the ISB, which is richer
// (kd_rup, kd_sub_kegiatan, exact HPS), or the live listing for tenders announced since the
// ISB was last refreshed. Reading a tender from both in one run would publish it twice per run
// whenever the two disagree (an abbreviated HPS against an exact one), for ever.
import {
  defineConnector,
  parseJson,
  UpstreamError,
  type ConnectorContext,
  type InboundHandler,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../src/connectors/sdk.js';
import { bad, codeOf, dateOf, digitsOf, isDoc, moneyOf, oneLine, pick, present, scalar, yearOf, type Doc } from './fields.js';
import { jenisOf, metodeOf, statusOf, type JenisPengadaan, type MetodePengadaan, type StatusPaket } from './vocabulary.js';

// ─── canonical entity ────────────────────────────────────────────────────────────────────────

export interface Uang {
  nilai: number;
  perkiraan: boolean;
}

export interface PaketPengadaan {
  id: string;
  kode_tender: string;
  kode_rup?: string;
  nama_paket: string;
  instansi: string;
  satuan_kerja: { kode: string; nama: string };
  jenis_pengadaan: JenisPengadaan;
  metode_pengadaan: MetodePengadaan;
  tahun: number;
  pagu: Uang;
  hps?: Uang;
  nilai_kontrak?: Uang;
  status: StatusPaket;
  tanggal: { pengumuman: string; penetapan_pemenang?: string; kontrak?: string };
  kode_sub_kegiatan?: string;
  lpse: { kode: string; nama: string };
  sumber: { sistem: 'LPSE'; diambil_pada: string };
}

export type { JenisPengadaan, MetodePengadaan, StatusPaket };

// ─── upstream paths ──────────────────────────────────────────────────────────────────────────

/** The public DataTables listing of tenders. */
export const DATATABLES_PATH = '/eproc4/dt/lelang';
/** LKPP's ISB service for tender announcements of one LPSE and year. */
export const ISB_PATH = '/isb-2/api/{uuid}/json/{id}/SPSE-TenderPengumuman/tipe/4:4/parameter/{tahun}:{kd_lpse}';
/** Rows per DataTables page the connector asks for (SPSE may answer fewer). */
export const PAGE_LENGTH = 50;

const SISTEM = 'LPSE';
const MAX_NAMA_PAKET = 2000;
const MAX_NAMA = 500;

// ─── DataTables column layouts (manifest options) ────────────────────────────────────────────

/** What a DataTables column may hold; `_` is a column the mapping ignores (action buttons). */
export const COLUMNS = [
  'kd_tender', 'kd_rup', 'nama_paket', 'instansi', 'kd_satker', 'satker', 'tahap', 'pagu', 'hps',
  'nilai_kontrak', 'jenis_pengadaan', 'metode', 'tahun', 'jenis_tahun', 'tgl_pengumuman',
  'tgl_penetapan_pemenang', 'tgl_kontrak', 'kd_sub_kegiatan', '_',
] as const;
export type Column = (typeof COLUMNS)[number];

export interface Layout {
  versi: string;
  columns: Column[];
}

export interface Layouts {
  /** `options.versiSpse`: the version tried first when several layouts fit a row. */
  preferred: string;
  layouts: Layout[];
}

const REQUIRED_COLUMNS: readonly Column[] = ['kd_tender', 'nama_paket', 'instansi', 'kd_satker', 'satker', 'tahap', 'pagu', 'metode', 'tgl_pengumuman'];

/**
 * The layouts of `context.options` (`kolomDataTables: {<versi>: [column, …]}`, `versiSpse`).
 * A layout that cannot be mapped is a configuration error of the hub (a plain Error), not an
 * upstream failure.
 */
export function layoutsOf(options: Record<string, unknown> | undefined): Layouts {
  const declared = options?.kolomDataTables;
  if (!isDoc(declared) || Object.keys(declared).length === 0) throw new Error('the lpse manifest needs options.kolomDataTables: {<SPSE version>: [column, …]}');
  const layouts: Layout[] = Object.entries(declared).map(([versi, list]) => {
    if (!Array.isArray(list) || !list.every((c): c is Column => typeof c === 'string' && (COLUMNS as readonly string[]).includes(c))) {
      throw new Error(`options.kolomDataTables.${versi} must list columns among ${COLUMNS.join(', ')}`);
    }
    const named = list.filter((c) => c !== '_');
    if (new Set(named).size !== named.length) throw new Error(`options.kolomDataTables.${versi} names a column twice`);
    const missing = REQUIRED_COLUMNS.filter((c) => !list.includes(c));
    if (!list.includes('tahun') && !list.includes('jenis_tahun')) missing.push('tahun');
    if (!list.includes('jenis_pengadaan') && !list.includes('jenis_tahun')) missing.push('jenis_pengadaan');
    if (missing.length > 0) throw new Error(`options.kolomDataTables.${versi} lacks ${missing.join(', ')}`);
    return { versi, columns: list };
  });
  const preferred = typeof options?.versiSpse === 'string' ? options.versiSpse : layouts[0]!.versi;
  if (!layouts.some((l) => l.versi === preferred)) throw new Error(`options.versiSpse ${preferred} has no layout in options.kolomDataTables`);
  return { preferred, layouts };
}

const JENIS_TAHUN = /^(.*\S)\s*-\s*(\d{4})$/;

/** Whether a row reads sensibly under a layout: a tender code, a year where the layout has one. */
function fits(row: unknown[], layout: Layout): boolean {
  const at = (column: Column): unknown => row[layout.columns.indexOf(column)];
  try {
    if (digitsOf(at('kd_tender'), 'kd_tender') === undefined) return false;
    if (layout.columns.includes('tahun') && yearOf(at('tahun'), 'tahun') === undefined) return false;
    if (layout.columns.includes('jenis_tahun') && !JENIS_TAHUN.test(present(at('jenis_tahun')) ?? '')) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * The layout of a positional row: among the layouts with the row's number of columns (the
 * configured version first), the first the row reads sensibly under. A row no layout fits is
 * refused: SPSE changed its columns and the manifest must learn the new order.
 */
export function layoutOf(row: unknown[], layouts: Layouts): Layout {
  const candidates = layouts.layouts
    .filter((l) => l.columns.length === row.length)
    .sort((a, b) => Number(b.versi === layouts.preferred) - Number(a.versi === layouts.preferred));
  const layout = candidates.find((l) => fits(row, l));
  if (layout) return layout;
  const known = layouts.layouts.map((l) => `${l.versi}: ${l.columns.length} columns`).join(', ');
  throw bad(`a DataTables row of ${row.length} columns fits no known SPSE layout (${known})${candidates.length > 0 ? '; its cells do not read as that layout' : ''}`);
}

// ─── one tender, from either shape ───────────────────────────────────────────────────────────

/** A tender's values as found, before normalisation. */
interface RawTender {
  kdTender: unknown;
  kdRup?: unknown;
  nama: unknown;
  instansi: unknown;
  kdSatker: unknown;
  satker: unknown;
  status: unknown;
  pagu: unknown;
  hps?: unknown;
  nilaiKontrak?: unknown;
  jenis: unknown;
  metode: unknown;
  tahun: unknown;
  tglPengumuman: unknown;
  tglPenetapan?: unknown;
  tglKontrak?: unknown;
  subKegiatan?: unknown;
}

function rawOfRow(row: unknown[], layouts: Layouts): RawTender {
  const layout = layoutOf(row, layouts);
  const at = (column: Column): unknown => {
    const index = layout.columns.indexOf(column);
    return index < 0 ? undefined : row[index];
  };
  let jenis = at('jenis_pengadaan');
  let tahun = at('tahun');
  const jenisTahun = present(at('jenis_tahun'));
  if (jenisTahun !== undefined) {
    // SPSE 4.4 writes kind and year in one cell: `Pekerjaan Konstruksi - 2026`.
    const [, kind, year] = JENIS_TAHUN.exec(jenisTahun) ?? [];
    if (jenis === undefined) jenis = kind;
    if (tahun === undefined) tahun = year;
    else if (yearOf(tahun, 'tahun') !== Number(year)) throw bad(`a DataTables row gives the year ${scalar(tahun)} and ${JSON.stringify(jenisTahun)}`);
  }
  return {
    kdTender: at('kd_tender'),
    kdRup: at('kd_rup'),
    nama: at('nama_paket'),
    instansi: at('instansi'),
    kdSatker: at('kd_satker'),
    satker: at('satker'),
    status: at('tahap'),
    pagu: at('pagu'),
    hps: at('hps'),
    nilaiKontrak: at('nilai_kontrak'),
    jenis,
    metode: at('metode'),
    tahun,
    tglPengumuman: at('tgl_pengumuman'),
    tglPenetapan: at('tgl_penetapan_pemenang'),
    tglKontrak: at('tgl_kontrak'),
    subKegiatan: at('kd_sub_kegiatan'),
  };
}

/** ISB keys, normalised (lower case, no `_`), under every spelling seen across releases. */
const KEYS = {
  kdTender: ['kdtender', 'kodetender', 'kdlelang', 'kodelelang', 'idtender'],
  kdRup: ['kdrup', 'koderup', 'kdruppaket', 'koderuppaket', 'idrup', 'rupid'],
  nama: ['namapaket', 'nmpaket', 'namapakett', 'paket'],
  instansi: ['namaklpd', 'nmklpd', 'instansi', 'namainstansi', 'klpd'],
  kdSatker: ['kdsatker', 'kodesatker', 'kdsatuankerja', 'kodesatuankerja', 'kdsatkerstr'],
  satker: ['namasatker', 'nmsatker', 'namasatuankerja', 'satuankerja', 'satker'],
  status: ['statustender', 'tahaptender', 'tahap', 'namatahap', 'status', 'namastatustender'],
  pagu: ['pagu', 'nilaipagu', 'pagupaket', 'pagurup'],
  hps: ['hps', 'nilaihps', 'hpspaket'],
  nilaiKontrak: ['nilaikontrak', 'kontraknilai', 'nilaikontrakpaket'],
  jenis: ['jenispengadaan', 'jenispengadan', 'jenispengadaaan', 'kategoripengadaan', 'kategori', 'jenis'],
  metode: ['mtdpemilihan', 'metodepemilihan', 'mtdpengadaan', 'metodepengadaan', 'metode'],
  tahun: ['tahunanggaran', 'tahun', 'thnanggaran', 'ta'],
  tglPengumuman: ['tglpengumumantender', 'tglpengumuman', 'tanggalpengumuman', 'tanggalpengumumantender', 'tglumumkan'],
  tglPenetapan: ['tglpenetapanpemenang', 'tanggalpenetapanpemenang', 'tglpenetapan'],
  tglKontrak: ['tglkontrak', 'tglttdkontrak', 'tanggalkontrak', 'tglpenandatanganankontrak'],
  subKegiatan: ['kdsubkegiatan', 'kodesubkegiatan', 'kdsubgiat', 'kodesubgiat', 'kdsubkeg'],
  kdLpse: ['kdlpse', 'kodelpse', 'lpseid'],
} as const;

function rawOfRecord(record: Doc, context: ConnectorContext): RawTender {
  const kdLpse = present(pick(record, KEYS.kdLpse));
  const ours = context.settings.kodeLpse;
  if (kdLpse !== undefined && ours && kdLpse !== ours) {
    throw bad(`the ISB answered a tender of LPSE ${kdLpse} (kd_tender ${present(pick(record, KEYS.kdTender)) ?? '?'}) where LPSE ${ours} was asked`);
  }
  return {
    kdTender: pick(record, KEYS.kdTender),
    kdRup: pick(record, KEYS.kdRup),
    nama: pick(record, KEYS.nama),
    instansi: pick(record, KEYS.instansi),
    kdSatker: pick(record, KEYS.kdSatker),
    satker: pick(record, KEYS.satker),
    status: pick(record, KEYS.status),
    pagu: pick(record, KEYS.pagu),
    hps: pick(record, KEYS.hps),
    nilaiKontrak: pick(record, KEYS.nilaiKontrak),
    jenis: pick(record, KEYS.jenis),
    metode: pick(record, KEYS.metode),
    tahun: pick(record, KEYS.tahun),
    tglPengumuman: pick(record, KEYS.tglPengumuman),
    tglPenetapan: pick(record, KEYS.tglPenetapan),
    tglKontrak: pick(record, KEYS.tglKontrak),
    subKegiatan: pick(record, KEYS.subKegiatan),
  };
}

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * A sub-kegiatan code as SIPD writes it (`1.03.10.2.01.0001`, or the older two-digit tail), the
 * same rule as the `kode-sub-kegiatan` format. A code that does not read as one is left out, so
 * the hub fills it from SIPD through kode_rup (enrich) instead of refusing the tender.
 */
export function subKegiatanOf(value: unknown): string | undefined {
  const text = present(value)?.replace(/\s+/g, '');
  if (text === undefined) return undefined;
  const match = /^(\d)\.(\d{2})\.(\d{2})\.(\d)\.(\d{2})\.(\d{4}|\d{2})$/.exec(text);
  return match && match.slice(1).every((segment) => /[1-9]/.test(segment)) ? text : undefined;
}

function required<T>(value: T | undefined, what: string, where: string): T {
  if (value === undefined) throw bad(`${where} has no ${what}`);
  return value;
}

function toEntity(raw: RawTender, context: ConnectorContext): PaketPengadaan {
  const kode = digitsOf(raw.kdTender, 'kd_tender');
  if (kode === undefined) throw bad('a tender has no kd_tender');
  const where = `tender ${kode}`;
  const statusText = required(present(raw.status), 'stage (tahap / status_tender)', where);
  const status = statusOf(statusText);
  if (status === undefined) throw bad(`${where} has a stage SPSE wording the hub does not know: ${JSON.stringify(statusText)}`);
  const jenisText = required(present(raw.jenis), 'jenis pengadaan', where);
  const jenis = jenisOf(jenisText);
  if (jenis === undefined) throw bad(`${where} has an unknown jenis pengadaan ${JSON.stringify(jenisText)}`);
  const metodeText = required(present(raw.metode), 'metode pemilihan', where);
  const metode = metodeOf(metodeText);
  if (metode === undefined) throw bad(`${where} has an unknown metode pemilihan ${JSON.stringify(metodeText)}`);
  const kodeLpse = context.settings.kodeLpse ?? '';
  const namaLpse = context.settings.namaLpse ?? '';
  if (!kodeLpse || !namaLpse) throw new Error('the lpse settings kodeLpse (LPSE_KODE) and namaLpse (LPSE_NAMA) must be set');

  const kodeRup = digitsOf(raw.kdRup, `${where}: kd_rup`);
  const hps = moneyOf(raw.hps, `${where}: hps`);
  const nilaiKontrak = moneyOf(raw.nilaiKontrak, `${where}: nilai_kontrak`);
  const penetapan = dateOf(raw.tglPenetapan, `${where}: tgl_penetapan_pemenang`);
  const kontrak = dateOf(raw.tglKontrak, `${where}: tgl_kontrak`);
  const subKegiatan = subKegiatanOf(raw.subKegiatan);
  return {
    id: `lpse-${kode}`,
    kode_tender: kode,
    ...(kodeRup !== undefined ? { kode_rup: kodeRup } : {}),
    nama_paket: cut(required(present(raw.nama), 'nama_paket', where), MAX_NAMA_PAKET),
    instansi: cut(required(present(raw.instansi), 'instansi (K/L/PD)', where), MAX_NAMA),
    satuan_kerja: {
      kode: required(codeOf(raw.kdSatker, `${where}: kd_satker`), 'kd_satker', where),
      nama: cut(required(present(raw.satker), 'satuan kerja', where), MAX_NAMA),
    },
    jenis_pengadaan: jenis,
    metode_pengadaan: metode,
    tahun: required(yearOf(raw.tahun, `${where}: tahun`), 'tahun anggaran', where),
    pagu: required(moneyOf(raw.pagu, `${where}: pagu`), 'pagu', where),
    ...(hps !== undefined ? { hps } : {}),
    ...(nilaiKontrak !== undefined ? { nilai_kontrak: nilaiKontrak } : {}),
    status,
    tanggal: {
      pengumuman: required(dateOf(raw.tglPengumuman, `${where}: tgl_pengumuman`), 'announcement date', where),
      ...(penetapan !== undefined ? { penetapan_pemenang: penetapan } : {}),
      ...(kontrak !== undefined ? { kontrak } : {}),
    },
    ...(subKegiatan !== undefined ? { kode_sub_kegiatan: subKegiatan } : {}),
    lpse: { kode: kodeLpse, nama: namaLpse },
    sumber: { sistem: SISTEM, diambil_pada: context.now().toISOString() },
  };
}

// ─── documents: DataTables pages, ISB lists, errors with HTTP 200 ────────────────────────────

export type Document =
  | { kind: 'datatables'; rows: unknown[][]; total: number | undefined }
  | { kind: 'isb'; records: Doc[] }
  | { kind: 'empty' };

const CREDENTIALS = /uuid|token|akses ditolak|tidak berhak|unauthori[sz]ed|forbidden|api.?key|kunci akses|tidak terdaftar/i;
const UNAVAILABLE = /pemeliharaan|maintenance|perbaikan|sibuk|coba (?:lagi|beberapa)|busy|timeout|too many|service unavailable|gateway/i;
const REJECTED = /parameter|tahun.*tidak valid|tidak valid.*tahun|format|invalid (?:start|length|request)/i;

/** The UpstreamError for an error SPSE or the ISB reports inside a 200 answer. */
function refusal(message: string): UpstreamError {
  if (UNAVAILABLE.test(message)) return new UpstreamError('upstream-unavailable', `SPSE is unavailable: ${message}`, { retryable: true });
  if (CREDENTIALS.test(message)) return new UpstreamError('upstream-credentials-rejected', `the ISB refused the hub's key: ${message}`);
  if (REJECTED.test(message)) return new UpstreamError('upstream-request-rejected', `SPSE refused the request: ${message}`);
  return bad(`SPSE answered an error: ${message}`);
}

const messageOf = (doc: Doc): string => {
  const message = pick(doc, ['error', 'message', 'msg', 'pesan', 'keterangan', 'errors']);
  return present(message) ?? (isDoc(message) ? JSON.stringify(message) : 'no message');
};

const ERROR_WORDS = new Set(['error', 'gagal', 'failed', 'fail', 'false']);

function isErrorAnswer(doc: Doc): boolean {
  const status = pick(doc, ['status', 'success']);
  if (status === false) return true;
  return typeof status === 'string' && ERROR_WORDS.has(status.trim().toLowerCase());
}

const countOf = (value: unknown): number | undefined => {
  const text = present(value);
  return text !== undefined && /^\d{1,12}$/.test(text) ? Number(text) : undefined;
};

/** What a native document is: a DataTables page, an ISB list, nothing, or an error (thrown). */
export function readDocument(native: unknown): Document {
  if (typeof native === 'string') {
    const text = native.trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = parseJson(text);
      } catch (error) {
        throw bad(`SPSE answered JSON that does not parse: ${(error as Error).message}`);
      }
      return readDocument(parsed);
    }
    const plain = oneLine(text).slice(0, 160);
    if (UNAVAILABLE.test(plain)) throw new UpstreamError('upstream-unavailable', `SPSE answered a maintenance page: ${plain}`, { retryable: true });
    throw bad(`SPSE answered text instead of JSON: ${JSON.stringify(plain)}`);
  }
  if (Array.isArray(native)) {
    if (native.length === 0) return { kind: 'empty' };
    // The ISB answers a bare array of objects; a DataTables `data` may come without its envelope.
    if (native.every((item) => Array.isArray(item))) return { kind: 'datatables', rows: native as unknown[][], total: undefined };
    if (native.every(isDoc)) return { kind: 'isb', records: native };
    throw bad('SPSE answered an array that mixes rows and objects');
  }
  if (!isDoc(native)) throw bad(`SPSE answered ${native === null ? 'null' : typeof native} instead of a listing`);
  // DataTables' own error convention: {"error": "…"} (with or without an empty page).
  const error = pick(native, ['error', 'errors']);
  if ((error !== undefined && error !== '' && error !== false) || isErrorAnswer(native)) throw refusal(messageOf(native));
  const data = pick(native, ['data', 'aadata']);
  if (Array.isArray(data)) {
    const total = countOf(pick(native, ['recordsfiltered', 'itotaldisplayrecords'])) ?? countOf(pick(native, ['recordstotal', 'itotalrecords']));
    if (data.length === 0) return { kind: 'datatables', rows: [], total };
    if (data.every((row) => Array.isArray(row))) return { kind: 'datatables', rows: data as unknown[][], total };
    if (data.every(isDoc)) return { kind: 'isb', records: data };
    throw bad('a DataTables page whose data mixes rows and objects');
  }
  if (pick(native, KEYS.kdTender) !== undefined) return { kind: 'isb', records: [native] };
  if (pick(native, ['message', 'msg', 'pesan']) !== undefined) throw refusal(messageOf(native));
  throw bad(`SPSE answered a document that is neither a DataTables page nor an ISB list (keys: ${Object.keys(native).slice(0, 8).join(', ') || 'none'})`);
}

/** Maps a document; a tender listed twice counts once, as its last row says. */
function entitiesOf(native: unknown, context: ConnectorContext): PaketPengadaan[] {
  const document = readDocument(native);
  let entities: PaketPengadaan[];
  if (document.kind === 'empty') entities = [];
  else if (document.kind === 'isb') entities = document.records.map((record) => toEntity(rawOfRecord(record, context), context));
  else {
    const layouts = layoutsOf(context.options);
    entities = document.rows.map((row) => toEntity(rawOfRow(row, layouts), context));
  }
  return [...new Map(entities.map((entity) => [entity.id, entity])).values()];
}

// ─── polling ─────────────────────────────────────────────────────────────────────────────────

/** Where a run is: the ISB list, or a DataTables page with the codes the ISB listed. */
type Position = { phase: 'isb' } | { phase: 'datatables'; start: number; known: string[] };

const isbConfigured = (context: ConnectorContext): boolean => Boolean(context.settings.isbUuid?.trim());

function positionOf(cursor: string | undefined, context: ConnectorContext): Position {
  if (cursor === undefined || cursor === '' || cursor === 'isb') return isbConfigured(context) ? { phase: 'isb' } : { phase: 'datatables', start: 0, known: [] };
  const match = /^dt:(\d{1,9})(?::([0-9,]*))?$/.exec(cursor);
  if (!match) throw new UpstreamError('cursor-invalid', `the LPSE cursor is "isb" or "dt:<start>:<codes>", not ${JSON.stringify(cursor.slice(0, 60))}`);
  return { phase: 'datatables', start: Number(match[1]), known: (match[2] ?? '').split(',').filter(Boolean) };
}

const cursorOf = (start: number, known: readonly string[]): string => `dt:${start}:${known.join(',')}`;

/** The budget year to list: the `tahun` setting, or the current year in WIB when it is empty. */
export function tahunOf(context: ConnectorContext): string {
  const tahun = context.settings.tahun?.trim();
  if (!tahun) return String(new Date(context.now().getTime() + 7 * 3_600_000).getUTCFullYear());
  if (!/^\d{4}$/.test(tahun)) throw new UpstreamError('upstream-request-rejected', `LPSE_TAHUN ${JSON.stringify(tahun)} is not a year`);
  return tahun;
}

function kodeLpseOf(context: ConnectorContext): string {
  const kode = context.settings.kodeLpse?.trim() ?? '';
  if (!/^[0-9A-Za-z-]{1,20}$/.test(kode)) throw new UpstreamError('upstream-request-rejected', 'LPSE_KODE is not set or not an LPSE code');
  return kode;
}

/** Fails on HTTP statuses that carry no usable answer. */
function checkHttp(upstream: UpstreamResponse): void {
  const { status } = upstream;
  if (status >= 500 || status === 429 || status === 408) throw new UpstreamError('upstream-unavailable', `SPSE answered HTTP ${status}`, { retryable: true });
  if (status === 401 || status === 403) throw new UpstreamError('upstream-credentials-rejected', `SPSE answered HTTP ${status}`);
  if (status === 404) throw new UpstreamError('upstream-request-rejected', 'SPSE answered HTTP 404: the path or the ISB service id is wrong');
  if (status >= 400) throw new UpstreamError('upstream-request-rejected', `SPSE answered HTTP ${status}`);
  if (status < 200 || status >= 300) throw bad(`SPSE answered HTTP ${status}`);
}

/** The kd_tender of a DataTables row (its layout detected as map() does). */
function kodeOfRow(row: unknown[], layouts: Layouts): string {
  const layout = layoutOf(row, layouts);
  return digitsOf(row[layout.columns.indexOf('kd_tender')], 'kd_tender')!;
}

const paketMasuk: InboundHandler<PaketPengadaan> = {
  map: entitiesOf,
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context): UpstreamRequest {
      const position = positionOf(cursor, context);
      const tahun = tahunOf(context);
      const kodeLpse = kodeLpseOf(context);
      if (position.phase === 'isb') {
        const uuid = context.settings.isbUuid!.trim();
        const id = context.settings.isbId?.trim() ?? '';
        if (!/^[0-9A-Za-z-]{1,20}$/.test(id)) throw new UpstreamError('upstream-request-rejected', 'LPSE_ISB_ID is not set or not an ISB service id');
        return {
          method: 'GET',
          path: ISB_PATH.replace('{uuid}', encodeURIComponent(uuid)).replace('{id}', id).replace('{tahun}', tahun).replace('{kd_lpse}', kodeLpse),
          headers: { Accept: 'application/json' },
        };
      }
      return {
        method: 'GET',
        path: DATATABLES_PATH,
        query: { tahun, draw: 1, start: position.start, length: PAGE_LENGTH },
        headers: { Accept: 'application/json, text/javascript, */*; q=0.01', 'X-Requested-With': 'XMLHttpRequest' },
      };
    },
    page(upstream, cursor, context) {
      checkHttp(upstream);
      const position = positionOf(cursor, context);
      const document = readDocument(upstream.body);
      if (position.phase === 'isb') {
        if (document.kind === 'datatables') throw bad('the ISB answered positional rows, not a list of objects');
        const records = document.kind === 'isb' ? document.records : [];
        const known = records.map((record) => digitsOf(pick(record, KEYS.kdTender), 'kd_tender') ?? '').filter(Boolean);
        return { native: upstream.body, nextCursor: cursorOf(0, [...new Set(known)].sort()) };
      }
      if (document.kind === 'isb') throw bad('the DataTables listing answered objects, not positional rows');
      const rows = document.kind === 'datatables' ? document.rows : [];
      const known = new Set(position.known);
      const layouts = known.size > 0 && rows.length > 0 ? layoutsOf(context.options) : undefined;
      // Tenders the ISB listed in this run are the ISB's: their listing rows are left out.
      const fresh = layouts ? rows.filter((row) => !known.has(kodeOfRow(row, layouts))) : rows;
      const body = upstream.body;
      const native = isDoc(body) ? { ...body, data: fresh } : fresh;
      const next = position.start + rows.length;
      const total = document.kind === 'datatables' ? document.total : undefined;
      const done = rows.length === 0 || total === undefined || next >= total;
      return { native, nextCursor: done ? null : cursorOf(next, position.known) };
    },
  },
};

export default defineConnector({
  inbound: { 'paket-masuk': paketMasuk },
});
