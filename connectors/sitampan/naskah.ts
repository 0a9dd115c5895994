// The SITAMPAN interface the hub defines (README.md is its specification for SITAMPAN's
// maintainers): one letter as `<naskah id="…">…</naskah>` or as its JSON twin, read into the
// canonical naskah-dinas.v1 and written back from it. Both formats go through one case- and
// separator-insensitive key lookup (`batas_waktu`, `batasWaktu`, `BatasWaktu`, `BATAS_WAKTU`,
// `<Batas_Waktu>` are one key), and XML attributes count as fields (`@nama` is `nama`), so an
// XML letter and its JSON twin map to the identical entity.
import {
  asArray,
  extrasOf as extrasBeyond,
  holdsKey,
  isDoc,
  normaliseKey,
  pick,
  RecordRejected,
  scalar,
  UpstreamError,
  oneLine,
  plainText,
  type Doc,
} from '../../src/connectors/simulator-sdk.js';
import type { ConnectorContext } from '../../src/connectors/sdk.js';
import { normaliseDate, normaliseDateTime } from './dates.js';
import { klasifikasiProblem } from './klasifikasi.js';

// ─── canonical entity (schemas/naskah-dinas.v1.json) ─────────────────────────────────────────

export type Sifat = 'biasa' | 'penting' | 'rahasia' | 'sangat_rahasia';
export type Urgensi = 'biasa' | 'segera' | 'sangat_segera';

export interface Pengirim {
  nama?: string;
  jabatan: string;
  instansi: string;
}

export interface Penerima {
  nama?: string;
  jabatan?: string;
  instansi: string;
}

export interface Lampiran {
  nama: string;
  jenis: string;
  ukuran_byte?: number;
  url?: string;
}

export interface Disposisi {
  dari: string;
  kepada: string;
  instruksi?: string;
  catatan?: string;
  tanggal?: string;
  batas_waktu?: string;
}

/** A disposition as read, with what the upstream sent beyond the interface. */
interface ReadDisposition {
  disposisi: Disposisi;
  extras?: Record<string, unknown>;
}

export interface NaskahDinas {
  id: string;
  nomor: string;
  tanggal: string;
  hal: string;
  sifat: Sifat;
  urgensi: Urgensi;
  klasifikasi_arsip: string;
  pengirim: Pengirim;
  tujuan: Penerima[];
  tembusan?: Penerima[];
  ringkasan: string;
  lampiran: Lampiran[];
  disposisi: Disposisi[];
  sumber?: { sistem: 'SITAMPAN'; diterima_pada: string };
  tambahan?: Record<string, unknown>;
}

export const SISTEM = 'SITAMPAN';
/** The canonical id: this prefix and the letter's UUID in lower case. */
export const ID_PREFIX = 'sitampan-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The nomor as naskah-dinas.v1 allows it (after spaces around slashes are removed). */
const NOMOR = /^[A-Za-z0-9](?:[A-Za-z0-9./()_-]| (?=[A-Za-z0-9(]))*$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

// ─── generic reading of decoded JSON and XML ─────────────────────────────────────────────────

/** True for an XML element that holds child elements (not just text and attributes). */
const hasChildElements = (value: Doc): boolean => Object.keys(value).some((key) => key !== '#text' && !key.startsWith('@'));

/** A scalar as text (see the SDK's scalar); an XML element with only attributes is `''`, one with child elements has no text. */
function elementText(value: unknown): string | undefined {
  if (!isDoc(value)) return scalar(value);
  return hasChildElements(value) ? undefined : scalar(value['#text'] ?? '');
}

const bad = (detail: string): UpstreamError => new UpstreamError('upstream-bad-response', detail);
/** A letter that cannot be read: quarantined with its reason, the other letters of the document go on. */
const rejected = (reason: string, detail: string): RecordRejected => new RecordRejected(reason, detail);

/**
 * Trimmed non-empty text, or undefined. Markup sent unescaped inside an XML text element
 * (`<ringkasan><p>…</p></ringkasan>`) arrives as child elements whose order the parser loses:
 * refused, the interface asks for CDATA or escaped HTML.
 */
function textOf(value: unknown, where: string): string | undefined {
  if (Array.isArray(value)) throw rejected('field-repeated', `${where} is given more than once`);
  if (isDoc(value) && hasChildElements(value)) throw rejected('markup-unescaped', `${where} holds unescaped markup or child elements; send HTML as CDATA or escaped (&lt;p&gt;)`);
  const text = elementText(value)?.trim();
  return text ? text : undefined;
}

/**
 * A list however it comes: a JSON array, an XML wrapper of repeated elements
 * (`<tujuan><penerima/><penerima/></tujuan>`, also in JSON as `{"penerima": [...]}`), one item.
 */
function listOf(value: unknown, itemKeys: readonly string[]): unknown[] {
  if (isDoc(value) && !hasOwnFields(value, itemKeys)) {
    const items = pick(value, itemKeys);
    if (items !== undefined) return asArray(items).filter((item) => item !== '');
    if (Object.keys(value).length === 0) return [];
  }
  return asArray(value).filter((item) => item !== '');
}
/** True when an object carries fields of an item itself (not only the wrapper's item key). */
const hasOwnFields = (value: Doc, itemKeys: readonly string[]): boolean => Object.keys(value).some((key) => !itemKeys.includes(normaliseKey(key)));

// ─── field values ────────────────────────────────────────────────────────────────────────────

const KEYS = {
  id: ['id', 'uuid', 'idnaskah'],
  nomor: ['nomor', 'nomornaskah', 'nomorsurat', 'nosurat'],
  tanggal: ['tanggal', 'tanggalnaskah', 'tanggalsurat', 'tglsurat', 'tgl'],
  hal: ['hal', 'perihal'],
  sifat: ['sifat', 'sifatnaskah'],
  urgensi: ['urgensi', 'derajatkecepatan', 'kecepatan'],
  klasifikasi: ['klasifikasi', 'klasifikasiarsip', 'kodeklasifikasi'],
  pengirim: ['pengirim'],
  tujuan: ['tujuan'],
  tembusan: ['tembusan'],
  ringkasan: ['ringkasan', 'isiringkas'],
  lampiran: ['lampiran'],
  disposisi: ['disposisi'],
  nama: ['nama', 'namapejabat'],
  jabatan: ['jabatan', 'namajabatan'],
  // e-surat/TNDE models name the sender's unit so (see README, sources).
  instansi: ['instansi', 'unitkerja', 'unit', 'satuankerja', 'opd', 'namaopd', 'perangkatdaerah'],
  berkasNama: ['nama', 'namaberkas', 'namafile'],
  jenis: ['jenis', 'mime', 'mimetype', 'tipe'],
  ukuran: ['ukuran', 'ukuranbyte'],
  url: ['url', 'tautan'],
  dari: ['dari', 'pemberi'],
  kepada: ['kepada', 'penerima', 'tujuan', 'diteruskankepada', 'diteruskanpada'],
  // isi_disposisi: papedabungkus/surat_skp tbl_disposisi; harap: demarnaposo/TND disposisi_suratmasuk.
  instruksi: ['instruksi', 'isidisposisi', 'harap'],
  // catatan: surat_skp tbl_disposisi; keterangan: TND disposisi_suratmasuk.
  catatan: ['catatan', 'keterangan', 'catatandisposisi'],
  // tanggal_terusan: teameoffice/database disposisi.sql.
  tanggalDisposisi: ['tanggal', 'tanggaldisposisi', 'tgldisposisi', 'tanggalterusan', 'tgl'],
  batasWaktu: ['bataswaktu', 'tenggat', 'tenggatwaktu'],
  // TND keeps the clock time apart from the date, 12-hour (`02:40:11pm`).
  waktu: ['waktudisposisi', 'waktu', 'jam'],
} as const;

/** `Sangat Rahasia`, `sangat_rahasia`, `SANGAT-RAHASIA` → `sangat rahasia`. */
const word = (text: string): string => text.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();

const SIFAT: Record<string, Sifat> = { biasa: 'biasa', penting: 'penting', rahasia: 'rahasia', 'sangat rahasia': 'sangat_rahasia' };
const URGENSI: Record<string, Urgensi> = { biasa: 'biasa', segera: 'segera', 'sangat segera': 'sangat_segera', 'amat segera': 'sangat_segera', kilat: 'sangat_segera' };

/** The letter's UUID from `id` (a `sitampan-` prefix is tolerated), lower case, or undefined. */
export function uuidOf(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  const uuid = text?.startsWith(ID_PREFIX) ? text.slice(ID_PREFIX.length) : text;
  return uuid !== undefined && UUID.test(uuid) ? uuid : undefined;
}

/** `000.1.2.3 / 123 / IV.01 / 2026` → `000.1.2.3/123/IV.01/2026`. */
export const normaliseNomor = (text: string): string => text.trim().replace(/\s+/g, ' ').replace(/ ?\/ ?/g, '/');

function partyOf(value: unknown, where: string, full: boolean): Penerima {
  // An addressee may be just an agency's name.
  if (!full && !isDoc(value)) {
    const instansi = textOf(value, where);
    if (instansi === undefined) throw rejected('field-missing', `${where} is empty`);
    return { instansi: oneLine(instansi) };
  }
  if (!isDoc(value)) throw rejected('layout-unknown', `${where} is not an element or object with nama, jabatan and instansi`);
  const field = (keys: readonly string[], name: string): string | undefined => {
    const text = textOf(pick(value, keys), `${where}.${name}`);
    return text === undefined ? undefined : oneLine(text) || undefined;
  };
  const nama = field(KEYS.nama, 'nama');
  const jabatan = field(KEYS.jabatan, 'jabatan');
  const instansi = field(KEYS.instansi, 'instansi');
  if (instansi === undefined) throw rejected('field-missing', `${where} has no instansi`);
  // A sender is a position in a unit; the official's name is often not given.
  if (full && jabatan === undefined) throw rejected('field-missing', `${where} needs jabatan and instansi`);
  // Built by assignment in the canonical order: a literal of conditional spreads runs key by key in V8's runtime.
  const party = {} as Penerima;
  if (nama !== undefined) party.nama = nama;
  if (jabatan !== undefined) party.jabatan = jabatan;
  party.instansi = instansi;
  return party;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  zip: 'application/zip',
  txt: 'text/plain',
};

function attachmentOf(item: unknown, where: string): Lampiran {
  if (!isDoc(item)) throw rejected('layout-unknown', `${where} is not a <berkas> element or an object`);
  const rawUrl = textOf(pick(item, KEYS.url), `${where}.url`);
  const url = rawUrl === undefined ? undefined : (rawUrl.startsWith('//') ? `https:${rawUrl}` : rawUrl).replace(/ /g, '%20');
  // Only fetchable http(s) addresses cross the hub; a server-relative path means nothing to an OPD.
  const fetchable = url !== undefined && /^https?:\/\/[^\s/]+/i.test(url) ? url : undefined;
  const named = textOf(pick(item, KEYS.berkasNama), `${where}.nama`);
  const fromUrl = fetchable === undefined ? '' : decodeURIComponent(fetchable.replace(/[?#].*$/, '').split('/').pop() ?? '');
  const nama = named !== undefined ? oneLine(named) : fromUrl;
  if (!nama) throw rejected('field-missing', `${where} has no nama`);

  const rawJenis = textOf(pick(item, KEYS.jenis), `${where}.jenis`);
  let jenis: string;
  if (rawJenis !== undefined) {
    jenis = rawJenis.split(';')[0]!.trim().toLowerCase();
    if (!MIME.test(jenis)) throw rejected('value-invalid', `${where} has jenis ${JSON.stringify(rawJenis)}, which is not a media type such as application/pdf`);
  } else {
    // The interface asks for jenis; without it the file name's extension decides, else octet-stream.
    jenis = MIME_BY_EXTENSION[/\.([A-Za-z0-9]{1,5})$/.exec(nama)?.[1]?.toLowerCase() ?? ''] ?? 'application/octet-stream';
  }

  const rawUkuran = pick(item, KEYS.ukuran);
  const ukuranText = rawUkuran === undefined ? undefined : textOf(rawUkuran, `${where}.ukuran`);
  let ukuran_byte: number | undefined;
  if (ukuranText !== undefined) {
    ukuran_byte = /^[0-9]{1,15}$/.test(ukuranText) ? Number(ukuranText) : Number.NaN;
    if (!Number.isSafeInteger(ukuran_byte)) throw rejected('value-invalid', `${where} has ukuran ${JSON.stringify(ukuranText)}; the interface sends the size in bytes as an integer`);
  }
  const lampiran: Lampiran = { nama, jenis };
  if (ukuran_byte !== undefined) lampiran.ukuran_byte = ukuran_byte;
  if (fetchable !== undefined) lampiran.url = fetchable;
  return lampiran;
}

/** The alias groups read at each level: a key is read when it is the first present alias of its group. */
const LETTER_KEYS = [KEYS.id, KEYS.nomor, KEYS.tanggal, KEYS.hal, KEYS.sifat, KEYS.urgensi, KEYS.klasifikasi, KEYS.pengirim, KEYS.tujuan, KEYS.tembusan, KEYS.ringkasan, KEYS.lampiran, KEYS.disposisi];
const PARTY_KEYS = [KEYS.nama, KEYS.jabatan, KEYS.instansi];
const DISPOSITION_KEYS = [KEYS.dari, KEYS.kepada, KEYS.instruksi, KEYS.catatan, KEYS.tanggalDisposisi, KEYS.batasWaktu];

const CLOCK = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$/i;

/** A date-only `tanggal` with a separate clock time (`02:40:11pm`, `14.40`) → `YYYY-MM-DD HH:mm:ss`; else the date as given. */
function withClock(date: string, clock: string | undefined): string {
  const match = clock === undefined ? null : CLOCK.exec(clock.trim());
  const day = normaliseDate(date);
  if (!match || day === undefined || normaliseDateTime(date) !== normaliseDateTime(day)) return date;
  let hour = Number(match[1]);
  const meridiem = match[4]?.[0]?.toLowerCase();
  if (meridiem !== undefined && (hour < 1 || hour > 12)) return date;
  if (meridiem === 'p' && hour < 12) hour += 12;
  if (meridiem === 'a' && hour === 12) hour = 0;
  return `${day} ${String(hour).padStart(2, '0')}:${match[2]}:${match[3] ?? '00'}`;
}

/**
 * What a native object holds beyond the keys the mapping read, as received; undefined when
 * nothing. A second alias of a read field (`keterangan` beside `catatan`) is kept here too.
 */
function extrasOf(doc: Doc, groups: readonly (readonly string[])[]): Record<string, unknown> | undefined {
  const read: string[] = [];
  for (const aliases of groups) {
    const alias = aliases.find((normal) => holdsKey(doc, normal));
    if (alias !== undefined) read.push(alias);
  }
  read.push('#text');
  return extrasBeyond(doc, read);
}

/** One disposition; several `kepada` make one disposition per recipient. Date, instruction or note may be absent, not both of the last two. */
function dispositionsOf(item: unknown, where: string): ReadDisposition[] {
  if (!isDoc(item)) throw rejected('layout-unknown', `${where} is not a <butir> element or an object`);
  const dariText = textOf(pick(item, KEYS.dari), `${where}.dari`);
  const dari = dariText === undefined ? '' : oneLine(dariText);
  if (!dari) throw rejected('field-missing', `${where} has no dari`);
  const instruksiText = textOf(pick(item, KEYS.instruksi), `${where}.instruksi`);
  const instruksi = instruksiText === undefined ? '' : plainText(instruksiText);
  const catatanText = textOf(pick(item, KEYS.catatan), `${where}.catatan`);
  const catatan = catatanText === undefined ? '' : plainText(catatanText);
  if (!instruksi && !catatan) throw rejected('field-missing', `${where} has neither instruksi nor catatan`);
  const rawTanggal = textOf(pick(item, KEYS.tanggalDisposisi), `${where}.tanggal`);
  const dated = rawTanggal === undefined ? undefined : withClock(rawTanggal, textOf(pick(item, KEYS.waktu), `${where}.waktu`));
  const tanggal = dated === undefined ? undefined : normaliseDateTime(dated);
  if (rawTanggal !== undefined && tanggal === undefined) throw rejected('date-invalid', `${where} has an unreadable or impossible tanggal ${JSON.stringify(rawTanggal)}`);
  const rawBatas = textOf(pick(item, KEYS.batasWaktu), `${where}.batas_waktu`);
  const batas_waktu = rawBatas === undefined ? undefined : normaliseDate(rawBatas);
  if (rawBatas !== undefined && batas_waktu === undefined) throw rejected('date-invalid', `${where} has an unreadable or impossible batas_waktu ${JSON.stringify(rawBatas)}`);
  // The clock time is read only when it joined a date; otherwise it is kept as sent.
  const extras = extrasOf(item, dated !== rawTanggal ? [...DISPOSITION_KEYS, KEYS.waktu] : DISPOSITION_KEYS);

  const recipients = asArray(pick(item, KEYS.kepada)).map((value, index) => {
    const text = textOf(value, `${where}.kepada[${index}]`);
    return text === undefined ? '' : oneLine(text);
  }).filter((kepada) => kepada !== '');
  if (recipients.length === 0) throw rejected('field-missing', `${where} has no kepada`);
  return recipients.map((kepada) => {
    const disposisi: Disposisi = { dari, kepada };
    if (instruksi) disposisi.instruksi = instruksi;
    if (catatan) disposisi.catatan = catatan;
    if (tanggal !== undefined) disposisi.tanggal = tanggal;
    if (batas_waktu !== undefined) disposisi.batas_waktu = batas_waktu;
    return extras !== undefined ? { disposisi, extras } : { disposisi };
  });
}

/**
 * Dispositions in one order whatever order SITAMPAN lists them in, exact duplicates dropped: a
 * letter pushed again unchanged must fingerprint the same. Dated ones are ordered by time (then by
 * text); when one has no date (e-surat models record none, see README) the upstream's order is
 * the only order there is, and it is kept.
 */
function orderDispositions(items: ReadDisposition[]): ReadDisposition[] {
  const key = ({ disposisi: d, extras }: ReadDisposition): string => JSON.stringify([d.tanggal ?? '', d.dari, d.kepada, d.instruksi ?? '', d.catatan ?? '', d.batas_waktu ?? '', extras ?? null]);
  const unique = [...new Map(items.map((item) => [key(item), item])).values()];
  if (unique.some((d) => d.disposisi.tanggal === undefined)) return unique;
  return unique.sort((a, b) => {
    const byTime = Date.parse(a.disposisi.tanggal!) - Date.parse(b.disposisi.tanggal!);
    if (byTime !== 0) return byTime;
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** The letter's `tambahan`: its own extras, its sender's under `pengirim`, its dispositions' under `disposisi`. */
function extrasOfLetter(record: Doc, rawPengirim: unknown, dispositions: ReadDisposition[]): Record<string, unknown> | undefined {
  const tambahan: Record<string, unknown> = { ...extrasOf(record, LETTER_KEYS) };
  const sender = isDoc(rawPengirim) ? extrasOf(rawPengirim, PARTY_KEYS) : undefined;
  if (sender !== undefined) tambahan.pengirim = sender;
  if (dispositions.some((d) => d.extras !== undefined)) tambahan.disposisi = dispositions.map((d) => d.extras ?? null);
  return Object.keys(tambahan).length === 0 ? undefined : tambahan;
}

// ─── one letter ──────────────────────────────────────────────────────────────────────────────

export function mapLetter(record: unknown, context: ConnectorContext): NaskahDinas {
  if (!isDoc(record)) throw rejected('layout-unknown', `expected a letter (<naskah> or an object), got ${Array.isArray(record) ? 'an array' : typeof record}`);
  const rawId = pick(record, KEYS.id);
  const uuid = uuidOf(elementText(rawId));
  if (uuid === undefined) throw rejected('id-invalid', rawId === undefined ? 'a letter has no id' : `a letter has an id that is not a UUID: ${JSON.stringify(elementText(rawId) ?? rawId)}`);
  const where = `letter ${uuid}`;

  const nomorText = textOf(pick(record, KEYS.nomor), `${where}: nomor`);
  if (nomorText === undefined) throw rejected('field-missing', `${where} has no nomor`);
  const nomor = normaliseNomor(nomorText);
  if (nomor.length > 100 || !NOMOR.test(nomor)) throw rejected('nomor-invalid', `${where} has a nomor with characters a letter number does not use: ${JSON.stringify(nomorText)}`);

  const rawTanggal = textOf(pick(record, KEYS.tanggal), `${where}: tanggal`);
  const tanggal = rawTanggal === undefined ? undefined : normaliseDate(rawTanggal);
  if (tanggal === undefined) throw rejected(rawTanggal === undefined ? 'field-missing' : 'date-invalid', `${where} has ${rawTanggal === undefined ? 'no tanggal' : `an unreadable or impossible tanggal ${JSON.stringify(rawTanggal)}`}`);

  const halText = textOf(pick(record, KEYS.hal), `${where}: hal`);
  const hal = halText === undefined ? '' : oneLine(halText);
  if (!hal) throw rejected('field-missing', `${where} has no hal`);

  const rawSifat = textOf(pick(record, KEYS.sifat), `${where}: sifat`);
  // No default: taking an unmarked letter for biasa could expose a secret one.
  const sifat = rawSifat === undefined ? undefined : SIFAT[word(rawSifat)];
  if (sifat === undefined) throw rejected(rawSifat === undefined ? 'field-missing' : 'value-unknown', `${where} has ${rawSifat === undefined ? 'no sifat' : `an unknown sifat ${JSON.stringify(rawSifat)}`} (biasa, penting, rahasia, sangat_rahasia)`);

  const rawUrgensi = textOf(pick(record, KEYS.urgensi), `${where}: urgensi`);
  // An unmarked letter is of ordinary urgency.
  const urgensi = rawUrgensi === undefined ? 'biasa' : URGENSI[word(rawUrgensi)];
  if (urgensi === undefined) throw rejected('value-unknown', `${where} has an unknown urgensi ${JSON.stringify(rawUrgensi)} (biasa, segera, sangat_segera)`);

  const rawKlasifikasi = textOf(pick(record, KEYS.klasifikasi), `${where}: klasifikasi`)?.replace(/\s+/g, '');
  // Without <klasifikasi>, the code that opens the nomor (Permendagri 1/2023) is the letter's class.
  const klasifikasi_arsip = rawKlasifikasi ?? nomor.split('/')[0]!;
  const problem = klasifikasiProblem(klasifikasi_arsip);
  if (problem) {
    throw rejected('klasifikasi-invalid', rawKlasifikasi === undefined
      ? `${where} has no klasifikasi and its nomor does not open with a valid code (${JSON.stringify(klasifikasi_arsip)}: ${problem})`
      : `${where} has an invalid klasifikasi ${JSON.stringify(rawKlasifikasi)}: ${problem}`);
  }

  const rawPengirim = pick(record, KEYS.pengirim);
  const pengirim = partyOf(rawPengirim, `${where}: pengirim`, true) as Pengirim;
  const tujuan = listOf(pick(record, KEYS.tujuan), ['penerima']).map((item, index) => partyOf(item, `${where}: tujuan[${index}]`, false));
  if (tujuan.length === 0) throw rejected('field-missing', `${where} has no tujuan (addressee)`);
  const tembusan = listOf(pick(record, KEYS.tembusan), ['penerima']).map((item, index) => partyOf(item, `${where}: tembusan[${index}]`, false));

  const ringkasanText = textOf(pick(record, KEYS.ringkasan), `${where}: ringkasan`);
  const ringkasan = ringkasanText === undefined ? '' : plainText(ringkasanText);
  if (!ringkasan) throw rejected('field-missing', `${where} has no ringkasan`);

  const lampiran = listOf(pick(record, KEYS.lampiran), ['berkas']).map((item, index) => attachmentOf(item, `${where}: lampiran[${index}]`));
  const read = orderDispositions(listOf(pick(record, KEYS.disposisi), ['butir']).flatMap((item, index) => dispositionsOf(item, `${where}: disposisi[${index}]`)));

  const disposisi = read.map((d) => d.disposisi);
  const tambahan = extrasOfLetter(record, rawPengirim, read);

  // Assigned in the canonical order (see partyOf).
  const letter = { id: `${ID_PREFIX}${uuid}`, nomor, tanggal, hal, sifat, urgensi, klasifikasi_arsip, pengirim, tujuan } as NaskahDinas;
  if (tembusan.length > 0) letter.tembusan = tembusan;
  letter.ringkasan = ringkasan;
  letter.lampiran = lampiran;
  letter.disposisi = disposisi;
  letter.sumber = { sistem: SISTEM, diterima_pada: context.now().toISOString() };
  if (tambahan !== undefined) letter.tambahan = tambahan;
  return letter;
}

// ─── documents ───────────────────────────────────────────────────────────────────────────────

/**
 * The letters of a pushed document, decoded: `<naskah>`, `<daftar_naskah><naskah/>…</daftar_naskah>`,
 * a JSON letter, `{"naskah": {…}}`, `{"daftar_naskah": […]}` or a bare array of letters.
 */
export function lettersOf(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (!isDoc(document)) throw bad(`SITAMPAN sent no letter but ${document === null ? 'null' : typeof document}`);
  const list = pick(document, ['daftarnaskah']);
  if (list !== undefined) return listOf(list, ['naskah']);
  const naskah = pick(document, ['naskah']);
  if (naskah !== undefined && Object.keys(document).length === 1) return asArray(naskah);
  if (pick(document, KEYS.nomor) !== undefined || pick(document, KEYS.id) !== undefined) return [document];
  if (pick(document, ['hasil']) !== undefined) throw bad('SITAMPAN sent an answer (<hasil>), not a letter');
  throw bad(`SITAMPAN sent a document that is not a letter (keys: ${Object.keys(document).slice(0, 8).join(', ') || 'none'})`);
}

// ─── writing the interface: canonical → native ───────────────────────────────────────────────

/** A letter in the interface's terms, as SITAMPAN sends and receives it (values as text). */
export interface NativeLetter {
  id: string;
  nomor: string;
  tanggal: string;
  hal: string;
  sifat: string;
  urgensi?: string;
  klasifikasi?: string;
  pengirim: { nama?: string; jabatan: string; instansi: string };
  tujuan: { nama?: string; jabatan?: string; instansi: string }[];
  tembusan?: { nama?: string; jabatan?: string; instansi: string }[];
  ringkasan: string;
  lampiran: { nama: string; jenis?: string; ukuran?: number; url?: string }[];
  disposisi: { dari: string; kepada: string; instruksi?: string; catatan?: string; tanggal?: string; batas_waktu?: string }[];
}

/** The canonical entity in the interface's terms (what the hub sends SITAMPAN). */
export function toNative(entity: NaskahDinas): NativeLetter {
  const uuid = uuidOf(entity.id);
  if (uuid === undefined) throw new UpstreamError('event-data-invalid', `id ${JSON.stringify(entity.id)} is not sitampan-<uuid>`);
  return {
    id: uuid,
    nomor: entity.nomor,
    tanggal: entity.tanggal,
    hal: entity.hal,
    sifat: entity.sifat,
    urgensi: entity.urgensi,
    klasifikasi: entity.klasifikasi_arsip,
    pengirim: { ...entity.pengirim },
    tujuan: entity.tujuan.map((p) => ({ ...p })),
    ...(entity.tembusan && entity.tembusan.length > 0 ? { tembusan: entity.tembusan.map((p) => ({ ...p })) } : {}),
    ringkasan: entity.ringkasan,
    lampiran: entity.lampiran.map(({ nama, jenis, ukuran_byte, url }) => ({ nama, jenis, ...(ukuran_byte !== undefined ? { ukuran: ukuran_byte } : {}), ...(url !== undefined ? { url } : {}) })),
    // tambahan (what an upstream sent beyond the interface) is not sent on.
    disposisi: entity.disposisi.map((d) => ({ ...d })),
  };
}

const party = (p: { nama?: string; jabatan?: string; instansi: string }): Doc => ({
  ...(p.nama !== undefined ? { nama: p.nama } : {}),
  ...(p.jabatan !== undefined ? { jabatan: p.jabatan } : {}),
  instansi: p.instansi,
});

/** The fields XML and JSON write alike, in the interface's order: nomor to pengirim. */
const heading = (letter: NativeLetter): Doc => ({
  nomor: letter.nomor,
  tanggal: letter.tanggal,
  hal: letter.hal,
  sifat: letter.sifat,
  ...(letter.urgensi !== undefined ? { urgensi: letter.urgensi } : {}),
  ...(letter.klasifikasi !== undefined ? { klasifikasi: letter.klasifikasi } : {}),
  pengirim: party(letter.pengirim),
});

/** `<naskah id="…">…</naskah>` as the shape buildXml takes. Empty lists are empty elements. */
export function nativeXml(letter: NativeLetter): Record<string, unknown> {
  const naskah: Doc = {
    '@id': letter.id,
    ...heading(letter),
    tujuan: { penerima: letter.tujuan.map(party) },
    ...(letter.tembusan && letter.tembusan.length > 0 ? { tembusan: { penerima: letter.tembusan.map(party) } } : {}),
    ringkasan: letter.ringkasan,
    lampiran: letter.lampiran.length === 0 ? '' : {
      berkas: letter.lampiran.map((b) => ({
        '@nama': b.nama,
        ...(b.jenis !== undefined ? { '@jenis': b.jenis } : {}),
        ...(b.ukuran !== undefined ? { '@ukuran': String(b.ukuran) } : {}),
        ...(b.url !== undefined ? { '@url': b.url } : {}),
      })),
    },
    disposisi: letter.disposisi.length === 0 ? '' : {
      butir: letter.disposisi.map((d) => ({
        dari: d.dari,
        kepada: d.kepada,
        ...(d.instruksi !== undefined ? { instruksi: d.instruksi } : {}),
        ...(d.catatan !== undefined ? { catatan: d.catatan } : {}),
        ...(d.tanggal !== undefined ? { tanggal: d.tanggal } : {}),
        ...(d.batas_waktu !== undefined ? { batas_waktu: d.batas_waktu } : {}),
      })),
    },
  };
  return { naskah };
}

export type KeyCasing = 'snake' | 'camel' | 'pascal' | 'upper';

function recase(key: string, casing: KeyCasing): string {
  const parts = key.split('_');
  if (casing === 'snake') return key;
  if (casing === 'upper') return key.toUpperCase();
  const capital = (part: string): string => part.charAt(0).toUpperCase() + part.slice(1);
  return casing === 'camel' ? parts[0]! + parts.slice(1).map(capital).join('') : parts.map(capital).join('');
}

function recaseDeep(value: unknown, casing: KeyCasing): unknown {
  if (Array.isArray(value)) return value.map((item) => recaseDeep(item, casing));
  if (isDoc(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [recase(key, casing), recaseDeep(inner, casing)]));
  return value;
}

/** The JSON twin of `<naskah>`: the same names, lists as arrays, keys in the casing asked. */
export function nativeJson(letter: NativeLetter, casing: KeyCasing = 'snake'): Record<string, unknown> {
  const json: Doc = {
    id: letter.id,
    ...heading(letter),
    tujuan: letter.tujuan.map(party),
    ...(letter.tembusan && letter.tembusan.length > 0 ? { tembusan: letter.tembusan.map(party) } : {}),
    ringkasan: letter.ringkasan,
    lampiran: letter.lampiran.map((b) => ({ ...b })),
    disposisi: letter.disposisi.map((d) => ({ ...d })),
  };
  return recaseDeep(json, casing) as Record<string, unknown>;
}
