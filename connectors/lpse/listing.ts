// The rows of SPSE 4's public DataTables listings (`dt/lelang`, `dt/pl`, `dt/nonspk`,
// `dt/darurat-list`): positional arrays whose columns differ per listing and per SPSE release.
// The layouts are declared in the manifest (`options.kolomDataTables`) from public client code
// (wakataw/pyproc: pyproc/lpse.py, pyproc/mcp/schemas.py and its captured responses in
// tests/fixtures/dt_*.json). A row is read as the first layout, among those with its number of
// columns, whose cells make sense there (a tender code where the code goes, a year where the
// year goes, an amount or nothing where money goes); a row no layout fits is rejected alone.
//
// What the tender listing does not carry as a column is read from the text it is in: the kind
// and budget year from `Pengadaan Barang - 2025` (or `Pekerjaan Konstruksi - TA 2025,2026 -
// Tender - Pascakualifikasi … Nilai Kontrak : …`), badges (`Tender Ulang`) out of the name.
import { cellOf, digitsOfText, isDoc, moneyOf, moneyOfCell, oneLine, present, reject, scalar, textOfCell, yearOfText } from './fields.js';
import { jenisOf, metodeOf, type MetodePengadaan } from './vocabulary.js';

/** What a DataTables column may hold; `_` is a column the mapping ignores. */
export const COLUMNS = [
  'kd_tender', 'kd_rup', 'nama_paket', 'instansi', 'kd_satker', 'satker', 'tahap', 'pagu', 'hps',
  'nilai_kontrak', 'jenis_pengadaan', 'metode', 'tahun', 'jenis_tahun', 'tgl_pengumuman',
  'tgl_penetapan_pemenang', 'tgl_kontrak', 'kd_sub_kegiatan', '_',
] as const;
export type Column = (typeof COLUMNS)[number];

export interface Layout {
  name: string;
  columns: Column[];
  /** Where each named column is in a row. */
  index: Partial<Record<Column, number>>;
  /** The method every row of this listing has when no column says (`dt/lelang`: tender). */
  metode?: MetodePengadaan;
}

export interface Layouts {
  /** `options.versiSpse`: the layout tried first when several fit a row. */
  preferred: string;
  layouts: Layout[];
  /** Number of columns → the layouts with that many, the preferred one first. */
  byWidth: Map<number, Layout[]>;
}

const REQUIRED_COLUMNS: readonly Column[] = ['kd_tender', 'nama_paket', 'instansi', 'tahap'];
const METODE_DEFAULTS: readonly MetodePengadaan[] = ['tender', 'seleksi', 'pengadaan_langsung', 'penunjukan_langsung', 'darurat', 'e_purchasing', 'tender_cepat'];

/**
 * The layouts of `context.options`: `kolomDataTables: {<name>: [column, …] | {kolom: [column, …],
 * metode?}}`, `versiSpse`. A layout that cannot be mapped is a configuration error of the hub (a
 * plain Error), not an upstream failure.
 */
export function layoutsOf(options: Record<string, unknown> | undefined): Layouts {
  if (options === undefined) return readLayouts(options);
  let layouts = layoutsByOptions.get(options);
  if (layouts === undefined) {
    layouts = readLayouts(options);
    layoutsByOptions.set(options, layouts);
  }
  return layouts;
}

/** A runtime's options are fixed for its life: each object's layouts are read on its first row, not on every row. */
const layoutsByOptions = new WeakMap<Record<string, unknown>, Layouts>();

function readLayouts(options: Record<string, unknown> | undefined): Layouts {
  const declared = options?.kolomDataTables;
  if (!isDoc(declared) || Object.keys(declared).length === 0) throw new Error('the lpse manifest needs options.kolomDataTables: {<layout>: {kolom: [column, …], metode?}}');
  const layouts: Layout[] = Object.entries(declared).map(([name, spec]) => {
    const list = Array.isArray(spec) ? spec : isDoc(spec) ? spec.kolom : undefined;
    if (!Array.isArray(list) || !list.every((c): c is Column => typeof c === 'string' && (COLUMNS as readonly string[]).includes(c))) {
      throw new Error(`options.kolomDataTables.${name} must list columns among ${COLUMNS.join(', ')}`);
    }
    const named = list.filter((c) => c !== '_');
    if (new Set(named).size !== named.length) throw new Error(`options.kolomDataTables.${name} names a column twice`);
    const missing = REQUIRED_COLUMNS.filter((c) => !list.includes(c));
    if (missing.length > 0) throw new Error(`options.kolomDataTables.${name} lacks ${missing.join(', ')}`);
    const metode = isDoc(spec) ? spec.metode : undefined;
    if (metode !== undefined && !METODE_DEFAULTS.includes(metode as MetodePengadaan)) throw new Error(`options.kolomDataTables.${name}.metode must be one of ${METODE_DEFAULTS.join(', ')}`);
    if (metode === undefined && !list.includes('metode')) throw new Error(`options.kolomDataTables.${name} needs a metode column or a metode for the whole listing`);
    const index: Partial<Record<Column, number>> = {};
    list.forEach((column, at) => (index[column] ??= at));
    return { name, columns: list, index, ...(metode !== undefined ? { metode: metode as MetodePengadaan } : {}) };
  });
  const preferred = typeof options?.versiSpse === 'string' ? options.versiSpse : layouts[0]!.name;
  if (!layouts.some((l) => l.name === preferred)) throw new Error(`options.versiSpse ${preferred} has no layout in options.kolomDataTables`);
  const byWidth = new Map<number, Layout[]>();
  for (const layout of [...layouts].sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred))) {
    byWidth.set(layout.columns.length, [...(byWidth.get(layout.columns.length) ?? []), layout]);
  }
  return { preferred, layouts, byWidth };
}

// ─── the text that carries kind, year, method and contract value ─────────────────────────────

/** What a listing's description text says: `Pekerjaan Konstruksi - TA 2025,2026 - Tender - … Nilai Kontrak : …`. */
export interface Keterangan {
  jenis?: string;
  tahun?: string;
  metode?: string;
  nilaiKontrak?: string;
}

const NILAI_KONTRAK = /\bnilai kontrak\s*:?\s*(.*)$/i;
const TAHUN_PART = /^(?:TA\.?\s*|Tahun(?: Anggaran)?\s*)?((?:19|20)\d{2})(?:\s*[,/]\s*(?:19|20)\d{2})*$/i;

/** Reads a description cell; undefined when it holds no ` - ` separated parts with a year. */
export const keteranganOf = (value: unknown): Keterangan | undefined => keteranganOfText(present(value));

function keteranganOfText(text: string | undefined): Keterangan | undefined {
  if (text === undefined) return undefined;
  const kontrak = NILAI_KONTRAK.exec(text);
  const head = (kontrak ? text.slice(0, kontrak.index) : text).replace(/[\s,;-]+$/, '');
  const parts = head.split(/\s+-\s+/).map((part) => part.trim()).filter(Boolean);
  const found: Keterangan = {};
  for (const part of parts) {
    const year = TAHUN_PART.exec(part);
    if (year && found.tahun === undefined) found.tahun = year[1];
    else if (found.jenis === undefined && jenisOf(part) !== undefined) found.jenis = part;
    else if (found.metode === undefined && metodeOf(part) !== undefined) found.metode = part;
  }
  if (kontrak) found.nilaiKontrak = kontrak[1]!.trim();
  if (found.tahun === undefined) {
    // `Pengadaan Barang - 2025` with an unknown kind still says where the kind is.
    if (parts.length >= 2 && TAHUN_PART.test(parts[parts.length - 1]!)) found.tahun = TAHUN_PART.exec(parts[parts.length - 1]!)![1];
  }
  if (found.jenis === undefined && parts.length >= 2 && found.tahun !== undefined) found.jenis = parts[0];
  return found.tahun === undefined && found.nilaiKontrak === undefined ? undefined : found;
}

/** A budget year written in a name (`… Tahun Anggaran 2026`, `… TA 2026`), the last one given. */
export function yearInText(value: unknown): string | undefined {
  const text = present(value);
  if (text === undefined) return undefined;
  const years = [...text.matchAll(/\b(?:Tahun Anggaran|T\.?A\.?)\s*((?:19|20)\d{2})\b/gi)].map((m) => m[1]!);
  return years.at(-1);
}

/**
 * A contract value as the listing writes it: an amount (`Rp. 1.020.000.000,00`, `1,02 M`), or a
 * sentence saying there is none yet (`Nilai Kontrak belum dibuat`), which the SDK reads as none;
 * from a value read by `cellOf`.
 */
export function contractValueOfCell(cell: unknown, label: string): ReturnType<typeof moneyOf> {
  const text = textOfCell(cell)?.replace(/^nilai kontrak\s*:?\s*/i, '');
  return text ? moneyOf(text, label) : undefined;
}

/** What the name cell of a listing row holds. */
export interface NameCell {
  nama?: string;
  /** Badge words (`Tender Ulang`, the SPSE version). */
  label: string[];
  /** The description paragraph: `Pengadaan Barang - TA 2026 - Harga Satuan - …`. */
  keterangan?: string;
  /** The contract paragraph's value: `Rp. 1.020.000.000,00` or `Nilai Kontrak belum dibuat`. */
  nilaiKontrak?: string;
}

const BADGE = /<(span|label|small)\b[^>]*\bclass\s*=\s*["'][^"']*\b(?:badge|label)\b[^"']*["'][^>]*>([\s\S]*?)<\/\1\s*>/gi;

/** `present` of the HTML without its badges (their words go to `label`); `read`: `present(html)` when already known. */
function withoutBadges(html: string, label: string[], read?: string): string | undefined {
  // SPSE marks the SPSE version, re-tenders and the like with Bootstrap badges/labels.
  let badges = false;
  const rest = html.replace(BADGE, (_whole, _tag, inner: string) => {
    badges = true;
    const word = oneLine(inner);
    if (word) label.push(word);
    return ' ';
  });
  return badges || read === undefined ? present(rest) : read;
}

/**
 * A name cell: the package name without its badges, and, when the cell is rendered as the public
 * page shows it (smallest87/LPSE-Table-Scraper processor.js: `<p><a>name</a> <span
 * class="badge">…</span></p><p>jenis - tahun - …</p><p>Nilai Kontrak : …</p>`), its description
 * and contract paragraphs. `read`: the cell's `present` text, when the caller has read it already.
 */
export function nameOf(value: unknown, read?: string): NameCell {
  const html = scalar(value);
  if (html === undefined) return { label: [] };
  const label: string[] = [];
  const paragraphs = [...html.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p\s*>/gi)].map((match) => match[1]!);
  if (paragraphs.length === 0) return { nama: withoutBadges(html, label, read), label };
  const cell: NameCell = { nama: withoutBadges(paragraphs[0]!, label), label };
  for (const paragraph of paragraphs.slice(1)) {
    const text = present(paragraph);
    if (text === undefined) continue;
    if (NILAI_KONTRAK.test(text)) cell.nilaiKontrak = NILAI_KONTRAK.exec(text)![1]!.trim();
    else cell.keterangan ??= text;
  }
  return cell;
}

// ─── rows ────────────────────────────────────────────────────────────────────────────────────

const NOT_READ = Symbol('not read');

/**
 * A row's cells, each read once (HTML out, as `cellOf` reads it) however many layouts try the row
 * and however many fields read a cell: a 9-column row is tried as two layouts, and its name and
 * stage cells are HTML.
 */
class RowCells {
  readonly #values: unknown[];
  readonly #keterangan: (Keterangan | undefined | typeof NOT_READ)[];

  constructor(readonly row: unknown[]) {
    this.#values = new Array<unknown>(row.length).fill(NOT_READ);
    this.#keterangan = new Array<Keterangan | undefined | typeof NOT_READ>(row.length).fill(NOT_READ);
  }

  /** The cell as it came (undefined when the layout has no such column). */
  raw(index: number | undefined): unknown {
    return index === undefined ? undefined : this.row[index];
  }

  /** The cell read by `cellOf`. */
  value(index: number | undefined): unknown {
    if (index === undefined) return undefined;
    let value = this.#values[index];
    if (value === NOT_READ) value = this.#values[index] = cellOf(this.row[index]);
    return value;
  }

  /** The cell's `present` text. */
  text(index: number | undefined): string | undefined {
    return textOfCell(this.value(index));
  }

  /** What the cell says as a description (`keteranganOf`). */
  keterangan(index: number | undefined): Keterangan | undefined {
    if (index === undefined) return undefined;
    let found = this.#keterangan[index];
    if (found === NOT_READ) found = this.#keterangan[index] = keteranganOfText(this.text(index));
    return found;
  }

  /** The cell when it is there (not null or undefined), else `fallback`, read by `cellOf`: `raw ?? fallback`. */
  valueOr(index: number | undefined, fallback: unknown): unknown {
    const raw = this.raw(index);
    return raw === undefined || raw === null ? cellOf(fallback) : this.value(index);
  }
}

const isMoneyOrNothing = (cells: RowCells, index: number): boolean => {
  if (cells.text(index) === undefined) return true;
  try {
    return moneyOfCell(cells.value(index), 'money') !== undefined;
  } catch {
    return false;
  }
};

const isWords = (text: string | undefined): boolean =>
  text !== undefined && /[A-Za-z]{3}/.test(text) && !/^(?:rp\.?\s*)?[\d.,]+\s*(?:m|jt|rb|t)?$/i.test(text);

/** Whether a row's cells make sense under a layout. */
function fits(cells: RowCells, layout: Layout): boolean {
  try {
    if (digitsOfText(cells.text(layout.index.kd_tender), 'kd_tender') === undefined) return false;
  } catch {
    return false;
  }
  for (let index = 0; index < layout.columns.length; index++) {
    const column = layout.columns[index]!;
    if (column === 'tahun') {
      try {
        if (yearOfText(cells.text(index), 'tahun') === undefined) return false;
      } catch {
        return false;
      }
    }
    if ((column === 'pagu' || column === 'hps') && !isMoneyOrNothing(cells, index)) return false;
    if ((column === 'nama_paket' || column === 'instansi' || column === 'tahap' || column === 'jenis_pengadaan' || column === 'metode') && !isWords(cells.text(index))) return false;
    if (column === 'jenis_tahun' && cells.keterangan(index)?.tahun === undefined) return false;
  }
  return true;
}

/**
 * The layout of a positional row: among the layouts with the row's number of columns (the
 * preferred one first), the first whose cells make sense. A row no layout fits is rejected.
 */
function layoutOfCells(cells: RowCells, layouts: Layouts): Layout {
  const candidates = layouts.byWidth.get(cells.row.length) ?? [];
  const layout = candidates.find((l) => fits(cells, l));
  if (layout) return layout;
  const known = layouts.layouts.map((l) => `${l.name}: ${l.columns.length} columns`).join(', ');
  throw reject('layout-unknown', `a DataTables row of ${cells.row.length} columns fits no known SPSE layout (${known})${candidates.length > 0 ? '; its cells do not read as that layout' : ''}`);
}

/**
 * A row's values by meaning, before normalisation (the shape ISB records are read into too): each
 * read by `cellOf` (text without HTML, numbers as they are), so the mapping reads it with the
 * `…OfCell` readers and no value is cleaned twice.
 */
export interface RawTender {
  kdTender: unknown;
  kdRup?: unknown;
  nama: unknown;
  label?: string[];
  instansi: unknown;
  kdSatker?: unknown;
  satker?: unknown;
  status: unknown;
  pagu?: unknown;
  hps?: unknown;
  nilaiKontrak?: unknown;
  /** The contract value comes as text that may say there is none yet. */
  nilaiKontrakText?: boolean;
  jenis: unknown;
  metode?: unknown;
  /** The listing's method when the row does not say. */
  metodeListing?: MetodePengadaan;
  tahun?: unknown;
  tglPengumuman?: unknown;
  tglPenetapan?: unknown;
  tglKontrak?: unknown;
  subKegiatan?: unknown;
}

export function rawOfRow(row: unknown[], layouts: Layouts): RawTender {
  const cells = new RowCells(row);
  const layout = layoutOfCells(cells, layouts);
  const at = layout.index;
  const name = nameOf(cells.raw(at.nama_paket), cells.text(at.nama_paket));
  const keterangan = cells.keterangan(at.jenis_tahun) ?? keteranganOf(name.keterangan);
  const jenisTahun = keterangan?.tahun;
  if (cells.raw(at.tahun) !== undefined && jenisTahun !== undefined && yearOfText(cells.text(at.tahun), 'tahun') !== Number(jenisTahun)) {
    throw reject('year-invalid', `a DataTables row gives the year ${scalar(cells.raw(at.tahun))} and ${jenisTahun} in its description`);
  }
  return {
    kdTender: cells.value(at.kd_tender),
    kdRup: cells.value(at.kd_rup),
    nama: cellOf(name.nama),
    label: name.label,
    instansi: cells.value(at.instansi),
    kdSatker: cells.value(at.kd_satker),
    satker: cells.value(at.satker),
    status: cells.value(at.tahap),
    pagu: cells.value(at.pagu),
    hps: cells.value(at.hps),
    nilaiKontrak: cells.valueOr(at.nilai_kontrak, name.nilaiKontrak ?? keterangan?.nilaiKontrak),
    nilaiKontrakText: true,
    jenis: cells.valueOr(at.jenis_pengadaan, keterangan?.jenis),
    metode: cells.valueOr(at.metode, keterangan?.metode),
    ...(layout.metode !== undefined ? { metodeListing: layout.metode } : {}),
    // The year where the listing puts it: its own column, the description, or the name.
    tahun: cells.valueOr(at.tahun, jenisTahun ?? yearInText(name.nama)),
    tglPengumuman: cells.value(at.tgl_pengumuman),
    tglPenetapan: cells.value(at.tgl_penetapan_pemenang),
    tglKontrak: cells.value(at.tgl_kontrak),
    subKegiatan: cells.value(at.kd_sub_kegiatan),
  };
}

/** The kd_tender of a row (its layout detected as mapping does), or undefined when no layout fits. */
export function kodeOfRow(row: unknown[], layouts: Layouts): string | undefined {
  try {
    const cells = new RowCells(row);
    return digitsOfText(cells.text(layoutOfCells(cells, layouts).index.kd_tender), 'kd_tender');
  } catch {
    return undefined;
  }
}
