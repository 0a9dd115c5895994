// LPSE / SPSE 4.x → canonical paket-pengadaan.v1, read record by record.
//
// SPSE speaks several shapes for the same packages:
// - the public DataTables listings (`{lpse}/eproc4/dt/lelang`, or `spse.inaproc.id/{slug}/dt/lelang`
//   since SPSE went national; `dt/pl` for non-tender): `{draw, recordsTotal, recordsFiltered,
//   data: [[…], …]}`, positional rows read in listing.ts. The tender listing carries no work
//   unit, no pagu and no announcement date: those stay absent unless the ISB has the package;
// - LKPP's ISB (Integrasi Sistem Bersama) `SPSE-TenderPengumuman` (isb.lkpp.go.id/isb-2) and the
//   older `TenderPengumumanDetailSPSE` (inaproc.lkpp.go.id/isb): a bare array of objects
//   (`kd_tender`, `nama_paket`, `pagu`, `hps`, `kd_satker`, `status_tender`, `kd_rup`, …) whose
//   keys change spelling and casing between releases, with identifiers beyond 2^53;
// - data.inaproc.id `{data: [objects], meta: {cursor, has_more}}` (same fields, cursor paging).
// Each record is mapped alone (records + mapRecord): a row or object that cannot be read is
// rejected with its reason and the rest of the page is published.
//
// The poll reads the ISB list first, then the DataTables pages of the tender listing and the
// non-tender listing, skipping there every package the ISB already listed (the cursor carries
// their codes), and starts over after the last page (nextCursor null). Each package thus has
// one source per run: the ISB, which is richer (work unit, pagu, kd_rup, exact HPS, dates), or
// the live listing for packages announced since the ISB was last refreshed. Reading a package
// from both in one run would publish it twice per run whenever the two disagree.
import {
  defineConnector,
  keyTable,
  parseJson,
  pathOf,
  UpstreamError,
  safeMessage,
  type ConnectorContext,
  type TableRead,
  type InboundHandler,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../src/connectors/sdk.js';
import { bad, cellOf, codeOfCell, dateOfCell, digitsOfText, isDoc, moneyOfCell, oneLine, pick, present, reject, textOfCell, yearOf, yearOfText, type Doc } from './fields.js';
import { contractValueOfCell, kodeOfRow, layoutsOf, rawOfRow, type RawTender } from './listing.js';
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
  satuan_kerja?: { kode?: string; nama?: string };
  jenis_pengadaan: JenisPengadaan;
  metode_pengadaan: MetodePengadaan;
  tahun: number;
  pagu?: Uang;
  hps?: Uang;
  nilai_kontrak?: Uang;
  status: StatusPaket;
  tanggal?: { pengumuman?: string; penetapan_pemenang?: string; kontrak?: string };
  kode_sub_kegiatan?: string;
  lpse: { kode: string; nama: string };
  sumber: { sistem: 'LPSE'; diambil_pada: string };
  tambahan?: Record<string, unknown>;
}

export type { JenisPengadaan, MetodePengadaan, StatusPaket };

// ─── upstream paths (manifest options.jalur; these are the defaults) ─────────────────────────

export const JALUR_BAWAAN = {
  /** The public tender listing of an LPSE's own SPSE 4 host (wakataw/pyproc pyproc/lpse.py). */
  lelang: '/eproc4/dt/lelang',
  /** The public non-tender listing. */
  nonTender: '/eproc4/dt/pl',
  /** LKPP's ISB service for tender announcements of one LPSE and year. */
  isb: '/isb-2/api/{isbUuid}/json/{isbId}/SPSE-TenderPengumuman/tipe/4:4/parameter/{tahun}:{kodeLpse}',
} as const;
/** Rows per DataTables page the connector asks for (SPSE may answer fewer). */
export const PAGE_LENGTH = 50;

const SISTEM = 'LPSE';
const MAX_NAMA_PAKET = 2000;
const MAX_NAMA = 500;

// ─── ISB records ─────────────────────────────────────────────────────────────────────────────

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

/** The ISB keys, each record's read in one pass over its keys; the keys not listed go to `tambahan`. */
const readIsbRecord = keyTable(KEYS);

function rawOfRecord(fields: TableRead<keyof typeof KEYS>['fields'], context: ConnectorContext): RawTender {
  const kdLpse = present(fields.kdLpse);
  const ours = context.settings.kodeLpse;
  if (kdLpse !== undefined && ours && kdLpse !== ours) {
    throw reject('lpse-other', `the ISB answered a tender of LPSE ${kdLpse} (kd_tender ${present(fields.kdTender) ?? '?'}) where LPSE ${ours} was asked`);
  }
  return {
    kdTender: cellOf(fields.kdTender),
    kdRup: cellOf(fields.kdRup),
    nama: cellOf(fields.nama),
    instansi: cellOf(fields.instansi),
    kdSatker: cellOf(fields.kdSatker),
    satker: cellOf(fields.satker),
    status: cellOf(fields.status),
    pagu: cellOf(fields.pagu),
    hps: cellOf(fields.hps),
    nilaiKontrak: cellOf(fields.nilaiKontrak),
    jenis: cellOf(fields.jenis),
    metode: cellOf(fields.metode),
    tahun: cellOf(fields.tahun),
    tglPengumuman: cellOf(fields.tglPengumuman),
    tglPenetapan: cellOf(fields.tglPenetapan),
    tglKontrak: cellOf(fields.tglKontrak),
    subKegiatan: cellOf(fields.subKegiatan),
  };
}

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * A sub-kegiatan code as SIPD writes it (`1.03.10.2.01.0001`, or the older two-digit tail), the
 * same rule as the `kode-sub-kegiatan` format. A code that does not read as one is left out, so
 * the hub fills it from SIPD through kode_rup (enrich) instead of refusing the tender.
 */
export const subKegiatanOfCell = (cell: unknown): string | undefined => subKegiatanOfText(textOfCell(cell));

function subKegiatanOfText(present: string | undefined): string | undefined {
  const text = present?.replace(/\s+/g, '');
  if (text === undefined) return undefined;
  const match = /^(\d)\.(\d{2})\.(\d{2})\.(\d)\.(\d{2})\.(\d{4}|\d{2})$/.exec(text);
  return match && match.slice(1).every((segment) => /[1-9]/.test(segment)) ? text : undefined;
}

function required<T>(value: T | undefined, what: string, where: string): T {
  if (value === undefined) throw reject('field-missing', `${where} has no ${what}`);
  return value;
}

/** The method of a package: its own wording, else the listing's (dt/lelang: Seleksi for consultancy). */
function metodeOfRaw(raw: RawTender, jenis: JenisPengadaan, where: string): MetodePengadaan {
  const text = textOfCell(raw.metode);
  if (text !== undefined) {
    const metode = metodeOf(text);
    if (metode === undefined) throw reject('metode-unknown', `${where} has an unknown metode pemilihan ${JSON.stringify(text.slice(0, 80))}`);
    return metode;
  }
  if (raw.metodeListing === 'tender' && jenis.startsWith('jasa_konsultansi')) return 'seleksi';
  return required(raw.metodeListing, 'metode pemilihan', where);
}

function toEntity(raw: RawTender, context: ConnectorContext, extras?: Record<string, unknown>): PaketPengadaan {
  const kode = digitsOfText(textOfCell(raw.kdTender), 'kd_tender');
  if (kode === undefined) throw reject('field-missing', 'a package has no kd_tender');
  const where = `package ${kode}`;
  const statusText = required(textOfCell(raw.status), 'stage (tahap / status_tender)', where);
  const status = statusOf(statusText);
  if (status === undefined) throw reject('status-unknown', `${where} has a stage SPSE wording the hub does not know: ${JSON.stringify(statusText.slice(0, 120))}`);
  const jenisText = required(textOfCell(raw.jenis), 'jenis pengadaan', where);
  const jenis = jenisOf(jenisText);
  if (jenis === undefined) throw reject('jenis-unknown', `${where} has an unknown jenis pengadaan ${JSON.stringify(jenisText.slice(0, 80))}`);
  const metode = metodeOfRaw(raw, jenis, where);
  const kodeLpse = context.settings.kodeLpse ?? '';
  const namaLpse = context.settings.namaLpse ?? '';
  if (!kodeLpse || !namaLpse) throw new Error('the lpse settings kodeLpse (LPSE_KODE) and namaLpse (LPSE_NAMA) must be set');

  const kodeRup = digitsOfText(textOfCell(raw.kdRup), `${where}: kd_rup`);
  const hps = moneyOfCell(raw.hps, `${where}: hps`);
  const pagu = moneyOfCell(raw.pagu, `${where}: pagu`);
  const nilaiKontrak = raw.nilaiKontrakText ? contractValueOfCell(raw.nilaiKontrak, `${where}: nilai_kontrak`) : moneyOfCell(raw.nilaiKontrak, `${where}: nilai_kontrak`);
  const pengumuman = dateOfCell(raw.tglPengumuman, `${where}: tgl_pengumuman`);
  const penetapan = dateOfCell(raw.tglPenetapan, `${where}: tgl_penetapan_pemenang`);
  const kontrak = dateOfCell(raw.tglKontrak, `${where}: tgl_kontrak`);
  const subKegiatan = subKegiatanOfCell(raw.subKegiatan);
  const kdSatker = codeOfCell(raw.kdSatker, `${where}: kd_satker`);
  const satker = textOfCell(raw.satker);
  // The budget year the listing was asked for, when no cell says (the poll lists one year).
  const tahun = yearOfText(textOfCell(raw.tahun), `${where}: tahun`) ?? yearOf(context.settings.tahun, 'LPSE_TAHUN');

  // Built field by field in the canonical order (the event's JSON follows it), without spreading a
  // throw-away object per optional field.
  const entity = { id: `lpse-${kode}`, kode_tender: kode } as PaketPengadaan;
  if (kodeRup !== undefined) entity.kode_rup = kodeRup;
  entity.nama_paket = cut(required(textOfCell(raw.nama), 'nama_paket', where), MAX_NAMA_PAKET);
  entity.instansi = cut(required(textOfCell(raw.instansi), 'instansi (K/L/PD)', where), MAX_NAMA);
  if (kdSatker !== undefined || satker !== undefined) {
    const satuanKerja: NonNullable<PaketPengadaan['satuan_kerja']> = {};
    if (kdSatker !== undefined) satuanKerja.kode = kdSatker;
    if (satker !== undefined) satuanKerja.nama = cut(satker, MAX_NAMA);
    entity.satuan_kerja = satuanKerja;
  }
  entity.jenis_pengadaan = jenis;
  entity.metode_pengadaan = metode;
  entity.tahun = required(tahun, 'tahun anggaran', where);
  if (pagu !== undefined) entity.pagu = pagu;
  if (hps !== undefined) entity.hps = hps;
  if (nilaiKontrak !== undefined) entity.nilai_kontrak = nilaiKontrak;
  entity.status = status;
  if (pengumuman !== undefined || penetapan !== undefined || kontrak !== undefined) {
    const tanggal: NonNullable<PaketPengadaan['tanggal']> = {};
    if (pengumuman !== undefined) tanggal.pengumuman = pengumuman;
    if (penetapan !== undefined) tanggal.penetapan_pemenang = penetapan;
    if (kontrak !== undefined) tanggal.kontrak = kontrak;
    entity.tanggal = tanggal;
  }
  if (subKegiatan !== undefined) entity.kode_sub_kegiatan = subKegiatan;
  entity.lpse = { kode: kodeLpse, nama: namaLpse };
  entity.sumber = { sistem: SISTEM, diambil_pada: context.now().toISOString() };
  const label = raw.label !== undefined && raw.label.length > 0 ? raw.label : undefined;
  if (extras !== undefined || label !== undefined) {
    const tambahan = label === undefined ? { ...extras } : { ...extras, label };
    if (Object.keys(tambahan).length > 0) entity.tambahan = tambahan;
  }
  return entity;
}

// ─── documents: DataTables pages, ISB lists, data.inaproc.id pages, errors with HTTP 200 ─────

export interface Document {
  /** `rows`: positional (DataTables); `objects`: keyed (ISB, data.inaproc.id); `mixed`; `empty`. */
  shape: 'rows' | 'objects' | 'mixed' | 'empty';
  records: unknown[];
  /** DataTables' recordsFiltered/recordsTotal. */
  total?: number;
  /** data.inaproc.id's meta.cursor when meta.has_more. */
  next?: string;
}

const CREDENTIALS = /uuid|token|akses ditolak|tidak berhak|unauthori[sz]ed|forbidden|api.?key|kunci akses|tidak terdaftar/i;
const UNAVAILABLE = /pemeliharaan|maintenance|perbaikan|sibuk|coba (?:lagi|beberapa)|busy|timeout|too many|service unavailable|gateway/i;
const REJECTED = /parameter|tahun.*tidak valid|tidak valid.*tahun|format|invalid (?:start|length|request)/i;

/** The UpstreamError for an error SPSE or the ISB reports inside a 200 answer. */
function refusal(reported: string): UpstreamError {
  const message = safeMessage(reported);
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

function listOf(items: unknown[], total?: number, next?: string): Document {
  const shape = items.length === 0 ? 'empty' : items.every(Array.isArray) ? 'rows' : items.every(isDoc) ? 'objects' : 'mixed';
  return { shape, records: items, ...(total !== undefined ? { total } : {}), ...(next !== undefined ? { next } : {}) };
}

/** What a native document is: a list of records (rows or objects), nothing, or an error (thrown). */
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
    // Its words are not repeated: a page may echo what was asked, and errors reach logs and answers.
    if (UNAVAILABLE.test(plain)) throw new UpstreamError('upstream-unavailable', 'SPSE answered a maintenance page', { retryable: true });
    throw bad('SPSE answered text instead of JSON');
  }
  // The ISB answers a bare array of objects; a DataTables `data` may come without its envelope.
  if (Array.isArray(native)) return listOf(native);
  if (!isDoc(native)) throw bad(`SPSE answered ${native === null ? 'null' : typeof native} instead of a listing`);
  // DataTables' own error convention: {"error": "…"} (with or without an empty page).
  const error = pick(native, ['error', 'errors']);
  if ((error !== undefined && error !== '' && error !== false) || isErrorAnswer(native)) throw refusal(messageOf(native));
  const data = pick(native, ['data', 'aadata']);
  if (Array.isArray(data)) {
    const total = countOf(pick(native, ['recordsfiltered', 'itotaldisplayrecords'])) ?? countOf(pick(native, ['recordstotal', 'itotalrecords']));
    // data.inaproc.id: {data, meta: {cursor, has_more}}.
    const meta = pick(native, ['meta']);
    const next = isDoc(meta) && pick(meta, ['hasmore']) === true ? present(pick(meta, ['cursor'])) : undefined;
    return listOf(data, total, next);
  }
  if (pick(native, KEYS.kdTender) !== undefined) return listOf([native]);
  if (pick(native, ['message', 'msg', 'pesan']) !== undefined) throw refusal(messageOf(native));
  throw bad(`SPSE answered a document that is neither a DataTables page nor an ISB list (keys: ${Object.keys(native).slice(0, 8).join(', ') || 'none'})`);
}


/** One record of a document: a DataTables row or an ISB / data.inaproc.id object. */
function mapRecord(record: unknown, context: ConnectorContext): PaketPengadaan {
  if (Array.isArray(record)) return toEntity(rawOfRow(record, layoutsOf(context.options)), context);
  if (isDoc(record)) {
    const read = readIsbRecord(record);
    return toEntity(rawOfRecord(read.fields, context), context, read.extras);
  }
  throw reject('layout-unknown', `a listing record is ${record === null ? 'null' : typeof record}, neither a row nor an object`);
}

// ─── polling ─────────────────────────────────────────────────────────────────────────────────

type Listing = 'lelang' | 'nonTender';

/** Where a run is: the ISB list, or a listing's page with the codes the ISB listed. */
type Position = { phase: 'isb' } | { phase: Listing; start: number; known: string[] };

const isbConfigured = (context: ConnectorContext): boolean => Boolean(context.settings.isbUuid?.trim());

const PREFIX: Record<Listing, string> = { lelang: 'dt', nonTender: 'pl' };

function positionOf(cursor: string | undefined, context: ConnectorContext): Position {
  if (cursor === undefined || cursor === '' || cursor === 'isb') return isbConfigured(context) ? { phase: 'isb' } : { phase: 'lelang', start: 0, known: [] };
  const match = /^(dt|pl):(\d{1,9})(?::([0-9,]*))?$/.exec(cursor);
  if (!match) throw new UpstreamError('cursor-invalid', `the LPSE cursor is "isb", "dt:<start>:<codes>" or "pl:<start>:<codes>", not ${JSON.stringify(cursor.slice(0, 60))}`);
  return { phase: match[1] === 'pl' ? 'nonTender' : 'lelang', start: Number(match[2]), known: (match[3] ?? '').split(',').filter(Boolean) };
}

const cursorOf = (listing: Listing, start: number, known: readonly string[]): string => `${PREFIX[listing]}:${start}:${known.join(',')}`;

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


/** The listings a run walks after the ISB, in order (options.daftar; default both). */
function listingsOf(context: ConnectorContext): Listing[] {
  const configured = context.options?.daftar;
  if (Array.isArray(configured) && configured.length > 0 && configured.every((l) => l === 'lelang' || l === 'nonTender')) return configured as Listing[];
  return ['lelang', 'nonTender'];
}

const paketMasuk: InboundHandler<PaketPengadaan> = {
  records: (native) => readDocument(native).records,
  mapRecord: (record, context) => mapRecord(record, context),
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context): UpstreamRequest {
      const position = positionOf(cursor, context);
      const tahun = tahunOf(context);
      const kodeLpse = kodeLpseOf(context);
      if (position.phase === 'isb') {
        const isbUuid = context.settings.isbUuid!.trim();
        const isbId = context.settings.isbId?.trim() ?? '';
        if (!/^[0-9A-Za-z-]{1,20}$/.test(isbId)) throw new UpstreamError('upstream-request-rejected', 'LPSE_ISB_ID is not set or not an ISB service id');
        return { method: 'GET', path: pathOf(context, 'isb', JALUR_BAWAAN, { isbUuid, isbId, tahun, kodeLpse }), headers: { Accept: 'application/json' } };
      }
      return {
        method: 'GET',
        path: pathOf(context, position.phase, JALUR_BAWAAN, { tahun, kodeLpse }),
        query: { tahun, draw: 1, start: position.start, length: PAGE_LENGTH },
        headers: { Accept: 'application/json, text/javascript, */*; q=0.01', 'X-Requested-With': 'XMLHttpRequest' },
      };
    },
    page(upstream, cursor, context) {
      checkHttp(upstream);
      const position = positionOf(cursor, context);
      const document = readDocument(upstream.body);
      const listings = listingsOf(context);
      if (position.phase === 'isb') {
        if (document.shape === 'rows') throw bad('the ISB answered positional rows, not a list of objects');
        const known = document.records.filter(isDoc).map((record) => present(pick(record, KEYS.kdTender))?.replace(/^0+/, '') ?? '').filter((code) => /^[0-9]+$/.test(code));
        return { native: upstream.body, nextCursor: cursorOf(listings[0]!, 0, [...new Set(known)].sort()) };
      }
      if (document.shape === 'objects') throw bad('the DataTables listing answered objects, not positional rows');
      const rows = document.records;
      const known = new Set(position.known);
      const layouts = known.size > 0 && rows.length > 0 ? layoutsOf(context.options) : undefined;
      // Packages the ISB listed in this run are the ISB's: their listing rows are left out.
      const fresh = layouts ? rows.filter((row) => !Array.isArray(row) || !known.has(kodeOfRow(row, layouts) ?? '')) : rows;
      const body = upstream.body;
      const native = isDoc(body) ? { ...body, data: fresh } : fresh;
      const next = position.start + rows.length;
      const done = rows.length === 0 || document.total === undefined || next >= document.total;
      if (!done) return { native, nextCursor: cursorOf(position.phase, next, position.known) };
      const following = listings[listings.indexOf(position.phase) + 1];
      return { native, nextCursor: following ? cursorOf(following, 0, position.known) : null };
    },
  },
};

export default defineConnector({
  inbound: { 'paket-masuk': paketMasuk },
});
