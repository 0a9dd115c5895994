// SP4N-LAPOR! ↔ canonical pengaduan.v1 / tindak-lanjut-pengaduan.v1.
//
// LAPOR! speaks two dialects: the legacy XML stream (`<lapor token=…><pelapor/><laporan
// rahasia=… anonim=…>…</laporan></lapor>`) and the current JSON API, whose keys come in
// snake_case, camelCase or PascalCase depending on the endpoint and version. Both are read
// through one case- and separator-insensitive key lookup, so a JSON complaint and its XML twin
// map to the identical entity. Everything else LAPOR! is known to do is normalised here:
// tracking ids above 2^53 (kept as digit strings, compared as BigInt), HTML inside text, four
// date formats, flags as 0/1/"ya"/true, status as words or codes, and errors sent with HTTP 200.
import { createHash } from 'node:crypto';
import {
  asArray,
  assertHttpOk,
  buildXml,
  checkNik,
  decodeTextBody,
  oneLine,
  plainText,
  defineConnector,
  formatWib,
  isDoc,
  normaliseKey,
  parseDate,
  pathOf,
  pick,
  RecordRejected,
  scalar,
  stringifyJson,
  UpstreamError,
  type ConnectorContext,
  type Doc,
  type InboundHandler,
  type OutboundHandler,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../src/connectors/sdk.js';

// ─── canonical entities ──────────────────────────────────────────────────────────────────────

export type StatusPengaduan = 'baru' | 'diverifikasi' | 'diproses' | 'selesai' | 'ditutup';

export interface Lampiran {
  nama: string;
  url: string;
}

export interface Pelapor {
  nama?: string;
  email?: string;
  telepon?: string;
  nik?: string;
}

export interface Pengaduan {
  id: string;
  nomor_pelacakan?: string;
  judul?: string;
  isi: string;
  kategori: string;
  tanggal_laporan: string;
  status: StatusPengaduan;
  instansi_tujuan: string;
  asal?: 'lapor' | 'lokal';
  rahasia: boolean;
  anonim: boolean;
  pelapor?: Pelapor;
  lokasi?: string;
  lampiran: Lampiran[];
  sumber: { sistem: 'SP4N-LAPOR!'; diterima_pada: string };
}

export interface TindakLanjutPengaduan {
  id: string;
  pengaduan_id: string;
  nomor_pelacakan: string;
  isi: string;
  status_baru: StatusPengaduan;
  tanggal: string;
  petugas: { nama: string; instansi: string };
  lampiran?: Lampiran[];
}

// ─── constants ───────────────────────────────────────────────────────────────────────────────

/** Upstream paths by name; the manifest's options.jalur (or config connectors.options.lapor.jalur) moves them. */
export const JALUR_BAWAAN = {
  /** The listing of the current API (documented to registered integrators only: unverified). */
  daftar: '/api/v2/instansi/{instansiId}/laporan',
  /** The legacy XML stream: new complaints and follow-ups (LuthfiFadillah/Lapor-Chatbot). */
  addstream: '/api/stream/addstream',
} as const;
/** Complaints per listing page the connector asks for (LAPOR! may cap it lower). */
export const PAGE_LIMIT = 50;
/** instansi_tujuan when a complaint names no disposition: it reached the regency itself. */
export const DEFAULT_INSTANSI = 'Pemerintah Kabupaten Pesawaran';
/** kategori when LAPOR! sends none. */
export const DEFAULT_KATEGORI = 'Lainnya';

const SISTEM = 'SP4N-LAPOR!';
const WIB_OFFSET_MINUTES = 7 * 60;
const JUDUL_MAX = 500;

// ─── generic reading of decoded JSON and XML ─────────────────────────────────────────────────

/**
 * Trimmed non-empty text, or undefined. Not the SDK's present: LAPOR! text keeps its line breaks
 * (plainText reads them), and `-` or `null` are read as written, not as nothing.
 */
function present(value: unknown): string | undefined {
  const text = scalar(value)?.trim();
  return text ? text : undefined;
}

const bad = (detail: string): UpstreamError => new UpstreamError('upstream-bad-response', detail);

// ─── errors LAPOR! sends with HTTP 200 ───────────────────────────────────────────────────────

const CREDENTIALS = /token|unauthori[sz]ed|otentikasi|autentikasi|kredensial|credential|api.?key/i;
const NOT_FOUND = /tidak ditemukan|tidak dikenal|not found|unknown|tidak terdaftar|tidak valid|invalid/i;
const ABOUT_COMPLAINT = /tracking|laporan|pengaduan/i;

function upstreamMessage(doc: Doc): string {
  const message = pick(doc, ['message', 'msg', 'pesan', 'error', 'errors', 'keterangan']);
  return present(message) ?? (isDoc(message) ? JSON.stringify(message) : 'no message');
}

/** The UpstreamError for an error LAPOR! reports inside a 200 answer. */
function refusal(message: string, about: 'inbound' | 'outbound'): UpstreamError {
  if (CREDENTIALS.test(message)) return new UpstreamError('upstream-credentials-rejected', `LAPOR! refused the token: ${message}`);
  if (about === 'outbound' && NOT_FOUND.test(message) && ABOUT_COMPLAINT.test(message)) {
    return new UpstreamError('upstream-record-not-found', `LAPOR! does not know the complaint: ${message}`);
  }
  return bad(`LAPOR! answered an error: ${message}`);
}

const ERROR_WORDS = new Set(['error', 'failed', 'fail', 'gagal', 'false']);
const SUCCESS_WORDS = new Set(['success', 'sukses', 'ok', 'berhasil', 'true', '200']);

/** True when the object is a `{status: "error", message}`-style answer (or `success: false`). */
function isErrorAnswer(doc: Doc): boolean {
  const status = pick(doc, ['status']);
  if (status === false) return true;
  const word = typeof status === 'string' ? status.trim().toLowerCase() : undefined;
  if (word !== undefined && ERROR_WORDS.has(word)) return true;
  const success = pick(doc, ['success']);
  return success === false || (typeof success === 'string' && ERROR_WORDS.has(success.trim().toLowerCase()));
}

/** Fails on HTTP statuses that carry no usable answer. */
const checkHttp = (upstream: UpstreamResponse): void => assertHttpOk(upstream, 'LAPOR!');

// ─── field normalisation ─────────────────────────────────────────────────────────────────────

/** A tracking id as canonical digits (leading zeros dropped), whatever type carried it. */
function trackingIdOf(value: unknown): string | undefined {
  const text = present(value);
  if (text === undefined || !/^[0-9]{1,39}$/.test(text)) return undefined;
  const digits = BigInt(text).toString();
  return digits === '0' ? undefined : digits;
}


// Dates: LAPOR! local times are WIB (UTC+7). Every date is normalised to `YYYY-MM-DDTHH:mm:ss+07:00`.

/**
 * `2026-11-27 14:03:11` (WIB), `27/11/2026 14:03`, `27 November 2026 14:03 WIB`, epoch seconds
 * (or milliseconds), ISO 8601 with or without offset → `2026-11-27T14:03:11+07:00`. A date alone
 * is midnight in the zone written after it, else in WIB.
 */
export function normaliseDate(value: unknown): string | undefined {
  // Users type months freely (`Febuari`); a date before LAPOR!'s epoch-based records is no date.
  const parsed = parseDate(value, { monthByPrefix: true });
  if (!parsed || parsed.year < 1970) return undefined;
  const { year, month, day, epochMs, zoneMinutes = WIB_OFFSET_MINUTES } = parsed;
  return formatWib(epochMs ?? Date.UTC(year, month - 1, day) - zoneMinutes * 60_000);
}

const STATUS_WORDS: Record<string, StatusPengaduan> = {
  'belum terverifikasi': 'baru', 'belum diverifikasi': 'baru', 'menunggu verifikasi': 'baru', menunggu: 'baru', baru: 'baru',
  terverifikasi: 'diverifikasi', diverifikasi: 'diverifikasi', 'belum ditindaklanjuti': 'diverifikasi', disposisi: 'diverifikasi',
  proses: 'diproses', 'dalam proses': 'diproses', diproses: 'diproses', 'sedang diproses': 'diproses', ditindaklanjuti: 'diproses', 'tindak lanjut': 'diproses',
  selesai: 'selesai',
  arsip: 'ditutup', diarsipkan: 'ditutup', ditutup: 'ditutup', tutup: 'ditutup',
};
const STATUS_CODES: readonly StatusPengaduan[] = ['baru', 'diverifikasi', 'diproses', 'selesai', 'ditutup'];

/** LAPOR!'s wording for each canonical status (what the XML stream expects back). */
export const STATUS_TO_LAPOR: Readonly<Record<StatusPengaduan, string>> = {
  baru: 'Belum Terverifikasi',
  diverifikasi: 'Terverifikasi',
  diproses: 'Proses',
  selesai: 'Selesai',
  ditutup: 'Arsip',
};

function statusOf(value: unknown): StatusPengaduan | undefined {
  if (isDoc(value)) return statusOf(pick(value, ['code', 'kode', 'id', 'name', 'nama', 'label']) ?? scalar(value));
  const text = present(value);
  if (text === undefined) return 'baru';
  if (/^\d+$/.test(text)) return STATUS_CODES[Number(text)];
  return STATUS_WORDS[text.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ')];
}

const TRUE_WORDS = new Set(['1', 'true', 'ya', 'y', 'yes', 'iya']);
const FALSE_WORDS = new Set(['0', 'false', 'tidak', 'tdk', 'no', 'n']);

/** 0/1, "0"/"1", true/false, "ya"/"tidak" → boolean; absent → false; anything else → undefined. */
function flagOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = present(value)?.toLowerCase();
  if (text === undefined) return false;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

/** A name-like value: text, or an object's name (`{id, name}`), or the last of a list. */
function nameOf(value: unknown, aliases: readonly string[] = ['nama', 'name', 'label', 'title', 'judul']): string | undefined {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i -= 1) {
      const name = nameOf(value[i], aliases);
      if (name !== undefined) return name;
    }
    return undefined;
  }
  if (isDoc(value) && !('#text' in value)) {
    const inner = pick(value, aliases);
    return inner === undefined ? undefined : nameOf(inner, aliases);
  }
  const text = present(value);
  return text === undefined ? undefined : oneLine(plainText(text)) || undefined;
}

/** A name part a client filled only because the element is required. */
const PLACEHOLDER = /^[\s_.-]*$/;

const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
/**
 * The reporter, field by field. What the canonical model cannot hold (a malformed e-mail, phone
 * or NIK: reporters type these freely) is left out rather than failing the whole complaint.
 */
function reporterOf(value: unknown): Pelapor | undefined {
  if (!isDoc(value)) return undefined;
  const pelapor: Pelapor = {};
  // The legacy <lapor> document splits the name: namadepan, namabelakang; clients send `_` for
  // a part they do not have (LuthfiFadillah/Lapor-Chatbot conversation/LaporConversation.php).
  const split = [pick(value, ['namadepan', 'firstname']), pick(value, ['namabelakang', 'lastname'])].map((part) => nameOf(part, [])).filter((part) => part !== undefined && !PLACEHOLDER.test(part));
  const nama = nameOf(pick(value, ['nama', 'name', 'namalengkap', 'fullname']), []) ?? (split.length > 0 ? split.join(' ') : undefined);
  if (nama !== undefined) pelapor.nama = nama.slice(0, 200);
  const email = present(pick(value, ['email', 'surel', 'mail']));
  if (email !== undefined && email.length <= 254 && EMAIL.test(email)) pelapor.email = email;
  const telepon = present(pick(value, ['telepon', 'telpon', 'phone', 'telp', 'hp', 'nohp', 'notelp', 'phonenumber', 'mobile']))?.replace(/[\s().-]/g, '');
  if (telepon !== undefined && /^\+?[0-9]{5,15}$/.test(telepon)) pelapor.telepon = telepon;
  const nik = present(pick(value, ['nik', 'noktp', 'ktp']))?.replace(/[\s.]/g, '');
  if (nik !== undefined && checkNik(nik) === null) pelapor.nik = nik;
  return Object.keys(pelapor).length > 0 ? pelapor : undefined;
}

/** Attachments: `[{name,url}]`, `[{Nama,Url}]`, `<lampiran><file nama url/></lampiran>`, bare URLs. */
function attachmentsOf(value: unknown): Lampiran[] {
  const items = isDoc(value) && !('url' in value) && pick(value, ['file', 'files', 'lampiran', 'attachment', 'item']) !== undefined
    ? asArray(pick(value, ['file', 'files', 'lampiran', 'attachment', 'item']))
    : asArray(value);
  const lampiran: Lampiran[] = [];
  for (const item of items) {
    const rawUrl = isDoc(item) ? present(pick(item, ['url', 'link', 'fileurl', 'href', 'path'])) : present(item);
    if (rawUrl === undefined) continue;
    const url = (rawUrl.startsWith('//') ? `https:${rawUrl}` : rawUrl).replace(/ /g, '%20');
    // Only fetchable http(s) addresses cross the hub; a relative path means nothing to an OPD.
    if (!/^https?:\/\/[^\s/]+/i.test(url)) continue;
    const named = isDoc(item) ? nameOf(pick(item, ['nama', 'name', 'filename', 'namafile', 'title']), []) : undefined;
    const fromUrl = decodeURIComponent(url.replace(/[?#].*$/, '').split('/').pop() ?? '');
    const nama = named ?? (fromUrl || 'lampiran');
    lampiran.push({ nama, url });
  }
  return lampiran;
}

function locationOf(value: unknown): string | undefined {
  if (isDoc(value) && !('#text' in value)) return locationOf(pick(value, ['alamat', 'address', 'lokasi', 'location', 'nama', 'name']));
  const text = present(value);
  if (text === undefined) return undefined;
  const lokasi = oneLine(plainText(text));
  return lokasi ? lokasi.slice(0, 500) : undefined;
}

// ─── one complaint ───────────────────────────────────────────────────────────────────────────

const KEYS = {
  trackingId: ['trackingid', 'trackingno', 'nomorpelacakan', 'notracking', 'tracking'],
  judul: ['title', 'judul', 'subject', 'judullaporan'],
  isi: ['content', 'isi', 'isilaporan', 'body', 'description', 'deskripsi'],
  kategori: ['category', 'kategori', 'topic', 'topik', 'categoryname', 'namakategori'],
  tanggal: ['createdat', 'tanggal', 'tanggallaporan', 'date', 'tgl', 'tgllaporan', 'submittedat', 'created'],
  status: ['status', 'statuslaporan', 'statusname'],
  rahasia: ['issecret', 'rahasia', 'secret', 'israhasia', 'isconfidential', 'confidential'],
  anonim: ['isanonymous', 'anonim', 'anonymous', 'isanonim', 'anonym'],
  pelapor: ['reporter', 'pelapor', 'user', 'pengadu'],
  lokasi: ['location', 'lokasi', 'alamat', 'address'],
  lampiran: ['attachments', 'lampiran', 'attachment', 'files', 'file'],
  instansi: ['disposisi', 'instansi', 'instansitujuan', 'disposition', 'agency', 'institution'],
} as const;

const hasTrackingKey = (doc: Doc): boolean => pick(doc, KEYS.trackingId) !== undefined;
/** The JSON twin of a local <laporan>: content, and no envelope keys. */
const isLocalComplaint = (doc: Doc): boolean => pick(doc, KEYS.isi) !== undefined && pick(doc, ENVELOPE_DATA) === undefined;

function mapComplaint(record: unknown, context: ConnectorContext, fallbackReporter?: unknown): Pengaduan {
  if (!isDoc(record)) throw new RecordRejected('layout-unknown', `expected a complaint object, got ${Array.isArray(record) ? 'an array' : typeof record}`);
  const rawId = pick(record, KEYS.trackingId);
  const nomor = trackingIdOf(rawId);
  if (nomor === undefined && rawId !== undefined) throw new RecordRejected('id-invalid', `a complaint has a tracking id that is not a positive integer: ${JSON.stringify(scalar(rawId) ?? rawId)}`);
  // No tracking id: a complaint filed in the regency (desk, web form, SMS gateway, older apps), to forward to LAPOR!.
  const local = nomor === undefined;
  const where = local ? 'a local complaint' : `complaint ${nomor}`;

  const judulText = present(pick(record, KEYS.judul));
  const judul = judulText === undefined ? '' : oneLine(plainText(judulText));
  if (!judul && !local) throw new RecordRejected('field-missing', `${where} has no title`);
  const isiText = present(pick(record, KEYS.isi));
  const isi = isiText === undefined ? '' : plainText(isiText);
  if (!isi) throw new RecordRejected('field-missing', `${where} has no content`);

  const rawDate = pick(record, KEYS.tanggal);
  // A local complaint without a date was filed when the hub received it.
  const tanggal = local && rawDate === undefined ? formatWib(context.now().getTime()) : normaliseDate(rawDate);
  if (tanggal === undefined) throw new RecordRejected(rawDate === undefined ? 'field-missing' : 'date-invalid', `${where} has ${rawDate === undefined ? 'no date' : `an unreadable or impossible date ${JSON.stringify(scalar(rawDate))}`}`);

  const rawStatus = pick(record, KEYS.status);
  const status = statusOf(rawStatus);
  if (status === undefined) throw new RecordRejected('status-unknown', `${where} has an unknown status ${JSON.stringify(scalar(rawStatus) ?? rawStatus)}`);

  const rahasia = flagOf(pick(record, KEYS.rahasia));
  const anonim = flagOf(pick(record, KEYS.anonim));
  if (rahasia === undefined || anonim === undefined) throw new RecordRejected('flag-invalid', `${where} has a rahasia/anonim flag that is not 0/1, true/false or ya/tidak`);

  const pengaduan: Pengaduan = {
    // A local complaint's id comes from its content once read (below).
    id: local ? '' : `lapor-${nomor}`,
    ...(nomor !== undefined ? { nomor_pelacakan: nomor } : {}),
    ...(judul ? { judul: judul.length > JUDUL_MAX ? `${judul.slice(0, JUDUL_MAX - 1)}…` : judul } : {}),
    isi,
    kategori: (nameOf(pick(record, KEYS.kategori)) ?? DEFAULT_KATEGORI).slice(0, 200),
    tanggal_laporan: tanggal,
    status,
    instansi_tujuan: (nameOf(pick(record, KEYS.instansi), ['instansi', 'namainstansi', 'instansitujuan', 'nama', 'name', 'tujuan']) ?? DEFAULT_INSTANSI).slice(0, 300),
    ...(local ? { asal: 'lokal' as const } : {}),
    rahasia,
    anonim,
    lampiran: [],
    sumber: { sistem: SISTEM, diterima_pada: context.now().toISOString() },
  };
  // An anonymous complaint from LAPOR! never carries its reporter, whatever LAPOR! sent along. A
  // local one keeps it to forward it to LAPOR!; masking withholds it below rahasia (x-rahasia-when).
  const pelapor = anonim && !local ? undefined : reporterOf(pick(record, KEYS.pelapor) ?? fallbackReporter);
  if (pelapor) pengaduan.pelapor = pelapor;
  const lokasi = locationOf(pick(record, KEYS.lokasi));
  if (lokasi !== undefined) pengaduan.lokasi = lokasi;
  pengaduan.lampiran = attachmentsOf(pick(record, KEYS.lampiran));
  // Canonical key order, whatever was filled in which order.
  const { pelapor: p, lokasi: l, lampiran, sumber, ...head } = pengaduan;
  const ordered = { ...head, ...(p ? { pelapor: p } : {}), ...(l !== undefined ? { lokasi: l } : {}), lampiran, sumber };
  return local ? { ...ordered, id: localIdOf(ordered, rawDate !== undefined) } : ordered;
}

/**
 * A local complaint's id: from what was read, so the same complaint sent twice, or as XML and as
 * its JSON twin, is one complaint. The receipt time stands in for an absent date and is left out.
 */
function localIdOf(complaint: Pengaduan, dated: boolean): string {
  const { id: _id, sumber: _sumber, tanggal_laporan, ...content } = complaint;
  const digest = createHash('sha256').update(stringifyJson({ ...content, ...(dated ? { tanggal_laporan } : {}) })).digest('hex');
  return `lapor-lokal-${digest.slice(0, 32)}`;
}

// ─── documents: JSON envelopes, bare complaints, the legacy XML stream ───────────────────────

/** A native record with the reporter to fall back on (legacy XML keeps <pelapor> beside <laporan>). */
interface NativeRecord {
  record: unknown;
  reporter?: unknown;
}

const ENVELOPE_DATA = ['data', 'laporan', 'result', 'results', 'items', 'records'];

function recordsOf(native: unknown): NativeRecord[] {
  const document = decodeTextBody(native, 'LAPOR!');
  if (Array.isArray(document)) return document.map((record) => ({ record }));
  if (!isDoc(document)) throw bad(`LAPOR! sent no complaint but ${document === null ? 'null' : typeof document}`);

  const lapor = pick(document, ['lapor']);
  if (lapor !== undefined) return xmlRecords(lapor);
  // The JSON twin of <lapor> without its root: {pelapor, laporan}.
  if (pick(document, ['pelapor']) !== undefined && pick(document, ['laporan']) !== undefined) return xmlRecords(document);
  const response = pick(document, ['response']);
  if (isDoc(response)) {
    if (isErrorAnswer(response)) throw refusal(upstreamMessage(response), 'inbound');
    return recordsOf(Object.fromEntries(Object.entries(response).filter(([key]) => normaliseKey(key) !== 'status')));
  }

  if (isErrorAnswer(document)) throw refusal(upstreamMessage(document), 'inbound');
  if (hasTrackingKey(document) || isLocalComplaint(document)) return [{ record: document }];
  const data = pick(document, ENVELOPE_DATA);
  if (data !== undefined || Object.keys(document).some((key) => ENVELOPE_DATA.includes(normaliseKey(key)))) {
    if (Array.isArray(data)) return data.map((record) => ({ record }));
    if (data === undefined || data === '') return [];
    if (isDoc(data)) return hasTrackingKey(data) ? [{ record: data }] : recordsOf(data);
    throw bad(`LAPOR! sent a page whose data is ${typeof data}`);
  }
  if (pick(document, ['message', 'msg', 'pesan', 'error']) !== undefined) throw refusal(upstreamMessage(document), 'inbound');
  throw bad(`LAPOR! sent a document that is not a complaint (keys: ${Object.keys(document).slice(0, 8).join(', ') || 'none'})`);
}

function xmlRecords(lapor: unknown): NativeRecord[] {
  if (!isDoc(lapor)) throw bad('the <lapor> document holds no <laporan>');
  const laporan = asArray(pick(lapor, ['laporan']));
  if (laporan.length === 0) throw bad('the <lapor> document holds no <laporan>');
  const reporters = asArray(pick(lapor, ['pelapor']));
  return laporan.map((record, index) => ({
    record,
    // One <pelapor> for all, or one per <laporan> in the same order.
    reporter: reporters.length === laporan.length ? reporters[index] : reporters.length === 1 ? reporters[0] : undefined,
  }));
}

// ─── polling ─────────────────────────────────────────────────────────────────────────────────

/** The largest of the tracking ids, compared as BigInt (they exceed 2^53). */
export function largestTrackingId(ids: Iterable<string>): string | undefined {
  let largest: bigint | undefined;
  for (const id of ids) {
    const value = BigInt(id);
    if (largest === undefined || value > largest) largest = value;
  }
  return largest?.toString();
}

const pengaduanMasuk: InboundHandler<Pengaduan> = {
  // Read record by record: one unreadable complaint is quarantined, the others go on.
  records: (native) => recordsOf(native),
  mapRecord(native, context) {
    const { record, reporter } = native as NativeRecord;
    return mapComplaint(record, context, reporter);
  },
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context): UpstreamRequest {
      if (cursor !== undefined && trackingIdOf(cursor) === undefined) throw new UpstreamError('cursor-invalid', `the LAPOR! cursor is a tracking id, not ${JSON.stringify(cursor)}`);
      const token = context.settings.token ?? '';
      const instansiId = context.settings.instansiId ?? '';
      if (!token) throw new UpstreamError('upstream-credentials-rejected', 'LAPOR_TOKEN is not set');
      if (!/^[0-9A-Za-z-]+$/.test(instansiId)) throw new UpstreamError('upstream-request-rejected', 'LAPOR_INSTANSI_ID is not set or not an id');
      return {
        method: 'GET',
        path: pathOf(context, 'daftar', JALUR_BAWAAN, { instansiId }),
        query: { since_id: cursor ?? '0', limit: PAGE_LIMIT },
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      };
    },
    page(upstream, cursor) {
      checkHttp(upstream);
      const native = decodeTextBody(upstream.body, 'LAPOR!');
      const ids = recordsOf(native).map(({ record }) => {
        const id = isDoc(record) ? trackingIdOf(pick(record, KEYS.trackingId)) : undefined;
        if (id === undefined) throw bad('a complaint on the LAPOR! page has no valid tracking id');
        return id;
      });
      const largest = largestTrackingId(ids);
      // Caught up: an empty page, or an upstream that ignored since_id and sent nothing newer.
      if (largest === undefined || (cursor !== undefined && BigInt(largest) <= BigInt(cursor))) return { native, nextCursor: undefined };
      // A page marked last still advances the cursor: the runtime saves only a defined nextCursor,
      // so answering undefined here would make every later run fetch this page again. The next
      // request then gets an empty page and ends the run.
      return { native, nextCursor: largest };
    },
  },
};

// ─── follow-ups back to LAPOR! ───────────────────────────────────────────────────────────────

function trackingIdOfFollowUp(entity: TindakLanjutPengaduan): string {
  const fromNomor = trackingIdOf(entity.nomor_pelacakan);
  const fromId = /^lapor-([0-9]+)$/.exec(entity.pengaduan_id ?? '')?.[1];
  const fromPengaduan = fromId === undefined ? undefined : trackingIdOf(fromId);
  if (fromNomor !== undefined && fromPengaduan !== undefined && fromNomor !== fromPengaduan) {
    throw new UpstreamError('event-data-invalid', `nomor_pelacakan ${fromNomor} and pengaduan_id ${entity.pengaduan_id} name different complaints`);
  }
  const id = fromNomor ?? fromPengaduan;
  if (id === undefined) throw new UpstreamError('event-data-invalid', 'the follow-up names no LAPOR! tracking id');
  return id;
}

const kirimTindakLanjut: OutboundHandler<TindakLanjutPengaduan> = {
  request(entity, context): UpstreamRequest {
    const trackingId = trackingIdOfFollowUp(entity);
    const status = STATUS_TO_LAPOR[entity.status_baru] as string | undefined;
    if (status === undefined) throw new UpstreamError('event-data-invalid', `status_baru ${JSON.stringify(entity.status_baru)} is not a canonical status`);
    const epoch = Date.parse(entity.tanggal);
    if (Number.isNaN(epoch)) throw new UpstreamError('event-data-invalid', `tanggal ${JSON.stringify(entity.tanggal)} is not a date-time`);
    const lampiran = entity.lampiran ?? [];
    const tindaklanjut: Record<string, unknown> = {
      '@trackingid': trackingId,
      // The follow-up's own id: LAPOR! (and the simulator) ignore a second delivery of the same id.
      '@id': entity.id,
      isi: entity.isi,
      status,
      tanggal: formatWib(epoch).slice(0, 19).replace('T', ' '),
      petugas: { nama: entity.petugas.nama, instansi: entity.petugas.instansi },
    };
    if (lampiran.length > 0) tindaklanjut.lampiran = { file: lampiran.map((file) => ({ '@nama': file.nama, '@url': file.url })) };
    return {
      method: 'POST',
      path: pathOf(context, 'addstream', JALUR_BAWAAN),
      body: { xml: buildXml({ lapor: { '@token': context.settings.token ?? '', tindaklanjut } }) },
    };
  },
  response(upstream, entity) {
    checkHttp(upstream);
    const document = decodeTextBody(upstream.body, 'LAPOR!');
    if (!isDoc(document)) throw bad('LAPOR! answered the follow-up with no document');
    const answer = pick(document, ['response']) ?? document;
    if (!isDoc(answer)) throw bad('LAPOR! answered the follow-up with an empty <response>');
    if (isErrorAnswer(answer)) throw refusal(upstreamMessage(answer), 'outbound');
    const status = present(pick(answer, ['status']))?.toLowerCase();
    if (status === undefined || !SUCCESS_WORDS.has(status)) {
      throw bad(`LAPOR! answered the follow-up with status ${JSON.stringify(status ?? null)}`);
    }
    return { upstreamId: trackingIdOf(pick(answer, ['trackingid', 'tracking', 'id'])) ?? entity.nomor_pelacakan };
  },
};

// ─── local complaints forwarded to LAPOR! ─────────────────────────────────────────────────────

/** `Siti Rahma Dewi` → namadepan `Siti`, namabelakang `Rahma Dewi` (the legacy document's split). */
function splitName(nama: string): { namadepan: string; namabelakang?: string } {
  const [first, ...rest] = nama.split(/\s+/);
  return { namadepan: first!, ...(rest.length > 0 ? { namabelakang: rest.join(' ') } : {}) };
}

const flag = (value: boolean): string => (value ? '1' : '0');

/**
 * The legacy document as the public client sends it (LuthfiFadillah/Lapor-Chatbot
 * conversation/LaporConversation.php): <pelapor> with email, telpon, namadepan and namabelakang
 * (`_` when there is none), <laporan rahasia anonim> with <isi> only. No element for a title,
 * category or date is shown by any public source, so none is sent; LAPOR! categorises itself.
 */
const teruskanPengaduan: OutboundHandler<Pengaduan> = {
  request(entity, context): UpstreamRequest {
    if (entity.asal !== 'lokal' || entity.nomor_pelacakan !== undefined) throw new UpstreamError('event-data-invalid', `complaint ${entity.id} is not a local complaint waiting for a tracking id`);
    const pelapor = entity.pelapor;
    const name = pelapor?.nama !== undefined ? splitName(pelapor.nama) : undefined;
    const reporter = pelapor === undefined ? undefined : {
      ...(pelapor.email !== undefined ? { email: pelapor.email } : {}),
      ...(pelapor.telepon !== undefined ? { telpon: pelapor.telepon } : {}),
      namadepan: name?.namadepan ?? '_',
      namabelakang: name?.namabelakang ?? '_',
    };
    const isi = entity.judul !== undefined && !entity.isi.startsWith(entity.judul) ? `${entity.judul}\n\n${entity.isi}` : entity.isi;
    return {
      method: 'POST',
      path: pathOf(context, 'addstream', JALUR_BAWAAN),
      body: { xml: buildXml({ lapor: { '@token': context.settings.token ?? '', ...(reporter !== undefined ? { pelapor: reporter } : {}), laporan: { '@rahasia': flag(entity.rahasia), '@anonim': flag(entity.anonim), isi } } }) },
    };
  },
  response(upstream, entity) {
    checkHttp(upstream);
    const document = decodeTextBody(upstream.body, 'LAPOR!');
    if (!isDoc(document)) throw bad('LAPOR! answered addstream with no document');
    // The public client reads <trackingid> and <transaksiid> under the root, whatever its name.
    const roots = Object.entries(document).filter(([key]) => !key.startsWith('?'));
    const answer = roots.length === 1 && isDoc(roots[0]![1]) ? roots[0]![1] : document;
    if (isErrorAnswer(answer)) throw refusal(upstreamMessage(answer), 'outbound');
    const nomor = trackingIdOf(pick(answer, ['trackingid', 'tracking']));
    if (nomor === undefined) {
      if (pick(answer, ['message', 'msg', 'pesan', 'error']) !== undefined) throw refusal(upstreamMessage(answer), 'outbound');
      throw bad('LAPOR! answered addstream without a tracking id');
    }
    // From now on an ordinary complaint: published again, with its tracking id, as pengaduan.diterima.
    return { upstreamId: nomor, entity: { ...entity, nomor_pelacakan: nomor } };
  },
};

export default defineConnector({
  inbound: { 'pengaduan-masuk': pengaduanMasuk },
  outbound: { 'kirim-tindak-lanjut': kirimTindakLanjut, 'teruskan-pengaduan': teruskanPengaduan },
});
