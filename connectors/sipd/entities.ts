// SIPD records → canonical entities, one record at a time (the handlers in mapping.ts read the
// envelopes). Three kinds of rows, by what they carry:
// - nomenclature rows (api/master/sub_giat/list_table: ids, code and name of a sub-kegiatan, no
//   SKPD, no money) → nomenklatur.v1, reference data;
// - sub-kegiatan rows of an SKPD with their budget (api/renja/sub_bl/list_belanja_by_tahun_daerah_unit,
//   and list_skpd where it lists them) → sub-kegiatan.v1;
// - budget lines (api/renja/rinci_sub_bl/get_by_id_sub_bl) → rincian-anggaran.v1.
// Field names are those public SIPD-RI client code reads (agusnurwanto/sipd-ri-chrome-extension).
import { digitsOf, extrasOf, isDoc, isLossless, pick, scalar, type ConnectorContext, type Doc } from '../../src/connectors/sdk.js';
import { KODE_SKPD, KODE_SUB_KEGIATAN, money, nameOf, reject, text, tingkatRekening, type TingkatRekening, type Uang } from './fields.js';

export interface KodeNama {
  kode: string;
  nama?: string;
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
  urusan: KodeNama;
  bidang_urusan: KodeNama;
  program: KodeNama;
  kegiatan: KodeNama;
  sub_kegiatan: { kode: string; nama: string };
  pagu: Uang;
  sumber_dana?: { kode?: string; nama: string }[];
  sumber: Sumber;
  tambahan?: Record<string, unknown>;
}

export interface Nomenklatur {
  id: string;
  kode: string;
  kode_sipd?: string;
  level: 'sub-kegiatan';
  nama: string;
  tahun?: number;
  id_sipd?: string;
  urusan: KodeNama & { id_sipd?: string };
  bidang_urusan: KodeNama & { id_sipd?: string };
  program: KodeNama & { id_sipd?: string };
  kegiatan: KodeNama & { id_sipd?: string };
  sumber: Sumber;
  tambahan?: Record<string, unknown>;
}

export interface RincianAnggaran {
  id: string;
  id_sipd: string;
  tahun: number;
  kode_skpd: string;
  kode_sub_kegiatan: string;
  kode_rekening: { kode: string; nama: string; tingkat: TingkatRekening };
  uraian: string;
  spesifikasi?: string;
  volume: number;
  satuan: string;
  harga_satuan: Uang;
  total: Uang;
  kode_rup?: string;
  sumber: Sumber;
  tambahan?: Record<string, unknown>;
}

const SISTEM = 'SIPD';

// ─── field keys, as normalised keys, in preference order ─────────────────────────────────────

export const KEYS = {
  tahun: ['tahun', 'tahunanggaran', 'ta'],
  idSkpd: ['idskpd', 'idunit'],
  kodeSubSkpd: ['kodesubskpd'],
  namaSubSkpd: ['namasubskpd'],
  kodeSkpd: ['kodeskpd', 'kodeunit'],
  namaSkpd: ['namaskpd', 'uraiskpd', 'namaunit'],
  idSubBl: ['idsubbl'],
  idSubGiat: ['idsubgiat'],
  idUrusan: ['idurusan'],
  idBidang: ['idbidangurusan'],
  idProgram: ['idprogram'],
  idGiat: ['idgiat'],
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
  uraian: ['namakomponen', 'namastandarharga', 'uraian', 'uraiankomponen'],
  spesifikasi: ['spekkomponen', 'spek', 'spesifikasi'],
  volume: ['volume', 'vol'],
  satuan: ['satuan', 'satuankomponen'],
  koefisien: ['koefisien'],
  hargaSatuan: ['hargasatuan', 'harga'],
  total: ['totalharga', 'total', 'nilai', 'rincian'],
  kodeRup: ['koderup', 'idrup', 'kdrup'],
} as const;

const known = (...groups: (readonly string[])[]): string[] => groups.flat();

// ─── shared record fields ────────────────────────────────────────────────────────────────────

function tahunOfRecord(record: Doc, fallback: string, where: string): number {
  const raw = pick(record, KEYS.tahun);
  const tahun = raw === undefined ? fallback : text(raw);
  if (tahun === undefined || !/^[0-9]{4}$/.test(tahun)) throw reject('year-invalid', `${where} has a year that is not one: ${JSON.stringify((scalar(raw) ?? typeof raw).slice(0, 20))}`);
  return Number(tahun);
}

/** The SKPD a row belongs to: the sub-unit when SIPD names one, else the SKPD. */
function skpdOf(record: Doc, where: string): KodeNama {
  const sub = text(pick(record, KEYS.kodeSubSkpd));
  const kode = sub ?? text(pick(record, KEYS.kodeSkpd));
  if (kode === undefined) throw reject('field-missing', `${where} names no SKPD code`);
  if (!KODE_SKPD.test(kode)) throw reject('code-invalid', `${where} has an SKPD code that is not U.BB.U.BB.U.BB.UU.SSSS: ${JSON.stringify(kode.slice(0, 40))}`);
  const nama = nameOf(record, sub !== undefined ? KEYS.namaSubSkpd : KEYS.namaSkpd, kode);
  return nama === undefined ? { kode } : { kode, nama };
}

function kodeSubOf(record: Doc, where: string): RegExpExecArray {
  const kode = text(pick(record, KEYS.kodeSub));
  if (kode === undefined) throw reject('field-missing', `${where} has no sub-kegiatan code`);
  const parts = KODE_SUB_KEGIATAN.exec(kode);
  if (!parts) throw reject('code-invalid', `${where} has a sub-kegiatan code that is not U.BB.PP.K.KK.SSSS (or .SS): ${JSON.stringify(kode.slice(0, 40))}`);
  return parts;
}

interface Levels {
  urusan: string;
  bidang: string;
  program: string;
  kegiatan: string;
}

/** The levels a sub-kegiatan code encodes; the codes SIPD sends beside it must agree. */
function levelsOf(record: Doc, parts: RegExpExecArray, where: string): Levels {
  const levels = {
    urusan: parts[1]!,
    bidang: `${parts[1]}.${parts[2]}`,
    program: `${parts[1]}.${parts[2]}.${parts[3]}`,
    kegiatan: `${parts[1]}.${parts[2]}.${parts[3]}.${parts[4]}.${parts[5]}`,
  };
  for (const [level, keys, expected] of [
    ['urusan', KEYS.kodeUrusan, levels.urusan],
    ['bidang urusan', KEYS.kodeBidang, levels.bidang],
    ['program', KEYS.kodeProgram, levels.program],
    ['kegiatan', KEYS.kodeKegiatan, levels.kegiatan],
  ] as const) {
    const sent = text(pick(record, keys));
    // SIPD writes supporting programmes generically (`X.XX.01`) in some lists.
    if (sent !== undefined && sent !== expected && !/^X\.XX\./i.test(sent)) throw reject('code-mismatch', `${where} has ${level} code ${sent}, which is not the prefix ${expected} of its code`);
  }
  return levels;
}

const withName = (kode: string, nama: string | undefined): KodeNama => (nama === undefined ? { kode } : { kode, nama });

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

// ─── what a row is ───────────────────────────────────────────────────────────────────────────

const has = (record: Doc, keys: readonly string[]): boolean => text(pick(record, keys)) !== undefined;

/** A national nomenclature row: a sub-kegiatan code without SKPD or money. */
export const isNomenklaturRow = (record: Doc): boolean => has(record, KEYS.kodeSub) && !has(record, KEYS.kodeSkpd) && !has(record, KEYS.kodeSubSkpd) && pick(record, KEYS.pagu) === undefined;

/** An SKPD of a list (list_skpd's units, the RKPD SKPD listing): an SKPD code without a sub-kegiatan. */
export const isSkpdRow = (record: Doc): boolean => (has(record, KEYS.kodeSkpd) || has(record, KEYS.kodeSubSkpd)) && !has(record, KEYS.kodeSub);

// ─── sub-kegiatan ────────────────────────────────────────────────────────────────────────────

const SUB_KEGIATAN_KEYS = known(KEYS.tahun, KEYS.kodeSubSkpd, KEYS.namaSubSkpd, KEYS.kodeSkpd, KEYS.namaSkpd, KEYS.idSubBl, KEYS.kodeUrusan, KEYS.namaUrusan, KEYS.kodeBidang, KEYS.namaBidang, KEYS.kodeProgram, KEYS.namaProgram, KEYS.kodeKegiatan, KEYS.namaKegiatan, KEYS.kodeSub, KEYS.namaSub, KEYS.pagu, KEYS.sumberDana, ['kodedana', 'namadana']);

/** A sub-kegiatan row of an SKPD, with its pagu → sub-kegiatan.v1. */
export function mapSubKegiatan(record: Doc, context: ConnectorContext, tahunAsked: string): SubKegiatan {
  const parts = kodeSubOf(record, 'a sub-kegiatan row');
  const kodeSub = parts[0];
  const where = `sub-kegiatan ${kodeSub}`;
  const skpd = skpdOf(record, where);
  const tahun = tahunOfRecord(record, tahunAsked, where);
  const levels = levelsOf(record, parts, where);
  const namaSub = nameOf(record, KEYS.namaSub, kodeSub);
  if (namaSub === undefined) throw reject('field-missing', `${where} has no name`);
  const rawId = pick(record, KEYS.idSubBl);
  const idSipd = digitsOf(rawId);
  const sumberDana = sumberDanaOf(record);
  const tambahan = extrasOf(record, SUB_KEGIATAN_KEYS);
  // Built by assignment in the canonical order: a literal of conditional spreads runs key by key in V8's runtime.
  const entity = { id: `${tahun}:${skpd.kode}:${kodeSub}`, tahun, kode_skpd: skpd.kode, kode_sub_kegiatan: kodeSub } as SubKegiatan;
  if (idSipd !== undefined) entity.id_sipd = idSipd;
  entity.skpd = skpd;
  entity.urusan = withName(levels.urusan, nameOf(record, KEYS.namaUrusan, levels.urusan));
  entity.bidang_urusan = withName(levels.bidang, nameOf(record, KEYS.namaBidang, levels.bidang));
  entity.program = withName(levels.program, nameOf(record, KEYS.namaProgram, levels.program));
  entity.kegiatan = withName(levels.kegiatan, nameOf(record, KEYS.namaKegiatan, levels.kegiatan));
  entity.sub_kegiatan = { kode: kodeSub, nama: namaSub };
  entity.pagu = money(pick(record, KEYS.pagu), 'pagu', where);
  if (sumberDana.length > 0) entity.sumber_dana = sumberDana;
  entity.sumber = { sistem: SISTEM, diambil_pada: context.now().toISOString() };
  if (tambahan !== undefined) entity.tambahan = tambahan;
  return entity;
}

// ─── nomenclature ────────────────────────────────────────────────────────────────────────────

const NOMENKLATUR_KEYS = known(KEYS.tahun, KEYS.idSubGiat, KEYS.idUrusan, KEYS.idBidang, KEYS.idProgram, KEYS.idGiat, KEYS.kodeUrusan, KEYS.namaUrusan, KEYS.kodeBidang, KEYS.namaBidang, KEYS.kodeProgram, KEYS.namaProgram, KEYS.kodeKegiatan, KEYS.namaKegiatan, KEYS.kodeSub, KEYS.namaSub);

const idOf = (record: Doc, keys: readonly string[]): { id_sipd?: string } => {
  const id = digitsOf(pick(record, keys));
  return id === undefined ? {} : { id_sipd: id };
};

/** A row of the national nomenclature → nomenklatur.v1, the pre-2022 code in its current form. */
export function mapNomenklatur(record: Doc, context: ConnectorContext): Nomenklatur {
  const parts = kodeSubOf(record, 'a nomenclature row');
  const sipd = parts[0];
  // Kepmendagri 050-5889/2021 writes the sub-kegiatan number with four digits (…2.01.02 → …2.01.0002).
  const kode = `${parts.slice(1, 6).join('.')}.${parts[6]!.padStart(4, '0')}`;
  const where = `nomenclature ${sipd}`;
  const levels = levelsOf(record, parts, where);
  const nama = nameOf(record, KEYS.namaSub, sipd);
  if (nama === undefined) throw reject('field-missing', `${where} has no name`);
  const rawTahun = pick(record, KEYS.tahun);
  const tahun = rawTahun === undefined ? undefined : tahunOfRecord(record, '', where);
  const tambahan = extrasOf(record, NOMENKLATUR_KEYS);
  const level = (kodeLevel: string, names: readonly string[], ids: readonly string[]): KodeNama & { id_sipd?: string } => ({ ...withName(kodeLevel, nameOf(record, names, kodeLevel)), ...idOf(record, ids) });
  return {
    id: kode,
    kode,
    ...(kode !== sipd ? { kode_sipd: sipd } : {}),
    level: 'sub-kegiatan',
    nama,
    ...(tahun !== undefined ? { tahun } : {}),
    ...idOf(record, KEYS.idSubGiat),
    urusan: level(levels.urusan, KEYS.namaUrusan, KEYS.idUrusan),
    bidang_urusan: level(levels.bidang, KEYS.namaBidang, KEYS.idBidang),
    program: level(levels.program, KEYS.namaProgram, KEYS.idProgram),
    kegiatan: level(levels.kegiatan, KEYS.namaKegiatan, KEYS.idGiat),
    sumber: { sistem: SISTEM, diambil_pada: context.now().toISOString() },
    ...(tambahan !== undefined ? { tambahan } : {}),
  };
}

// ─── rincian anggaran ────────────────────────────────────────────────────────────────────────

/** A quantity: a number, or text with a decimal comma (`1,5`), thousands dots (`1.000`) or a decimal point (`2.5`). */
function quantityOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const raw = isLossless(value) ? value.toString() : typeof value === 'string' ? value.trim() : undefined;
  if (raw === undefined) return undefined;
  let quantity: number | undefined;
  if (/^[0-9]+$/.test(raw)) quantity = Number(raw);
  else if (/^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$/.test(raw)) quantity = Number(raw.replaceAll('.', '').replace(',', '.'));
  else if (/^[0-9]+,[0-9]+$/.test(raw)) quantity = Number(raw.replace(',', '.'));
  else if (/^[0-9]+\.[0-9]+$/.test(raw)) quantity = Number(raw);
  return quantity !== undefined && Number.isFinite(quantity) && quantity >= 0 ? quantity : undefined;
}

/** Volume and unit: `volume`/`satuan`, else the dimensions vol_1..4 × sat_1..4, else the koefisien (`12 Orang / Kali`). */
function volumeSatuanOf(record: Doc, where: string): { volume: number; satuan: string } {
  const koefisien = text(pick(record, KEYS.koefisien));
  const fromKoefisien = koefisien === undefined ? undefined : /^([0-9][0-9.,]*)\s+(.+)$/.exec(koefisien);
  let satuan = text(pick(record, KEYS.satuan));
  const rawVolume = pick(record, KEYS.volume);
  let volume: number | undefined;
  if (rawVolume !== undefined) {
    volume = quantityOf(rawVolume);
    if (volume === undefined) throw reject('volume-unreadable', `${where} has a volume that is not a quantity: ${JSON.stringify((scalar(rawVolume) ?? typeof rawVolume).slice(0, 20))}`);
  } else {
    const dims = [1, 2, 3, 4].map((n) => ({ vol: quantityOf(pick(record, [`vol${n}`, `volum${n}`])), sat: text(pick(record, [`sat${n}`])) })).filter((d) => d.vol !== undefined && d.vol > 0);
    if (dims.length > 0) {
      volume = dims.reduce((product, d) => product * d.vol!, 1);
      satuan ??= dims.map((d) => d.sat).filter(Boolean).join(' x ') || undefined;
    } else if (fromKoefisien) {
      volume = quantityOf(fromKoefisien[1]);
    }
  }
  satuan ??= fromKoefisien?.[2]?.trim();
  if (volume === undefined) throw reject('field-missing', `${where} has no volume (volume, vol_1…, koefisien)`);
  if (satuan === undefined) throw reject('field-missing', `${where} has no unit (satuan, sat_1…, koefisien)`);
  return { volume, satuan };
}

const RINCIAN_KEYS = known(KEYS.idRinci, KEYS.tahun, KEYS.kodeSub, KEYS.kodeSkpd, KEYS.kodeSubSkpd, KEYS.namaSkpd, KEYS.namaSubSkpd, KEYS.kodeAkun, KEYS.namaAkun, KEYS.uraian, KEYS.spesifikasi, KEYS.volume, KEYS.satuan, KEYS.hargaSatuan, KEYS.total, KEYS.kodeRup, KEYS.idSubBl);
/** Also read (into volume and satuan) by volumeSatuanOf. One list for every line, so its known-key set is built once. */
const RINCIAN_READ_KEYS = [...RINCIAN_KEYS, 'koefisien', 'vol1', 'vol2', 'vol3', 'vol4', 'sat1', 'sat2', 'sat3', 'sat4'];

/** A budget line → rincian-anggaran.v1 (the sub-kegiatan and SKPD from the row, or from the sub_bl it was asked for). */
export function mapRincian(record: Doc, context: ConnectorContext, tahunAsked: string): RincianAnggaran {
  const rawId = pick(record, KEYS.idRinci);
  const idSipd = digitsOf(rawId);
  if (idSipd === undefined) throw rawId === undefined ? reject('field-missing', 'a budget line has no id_rinci_sub_bl') : reject('code-invalid', 'a budget line has an id_rinci_sub_bl that is not a number');
  const where = `budget line ${idSipd}`;
  const kodeSub = kodeSubOf(record, where)[0];
  const skpd = skpdOf(record, where);
  const tahun = tahunOfRecord(record, tahunAsked, where);
  const kodeAkun = text(pick(record, KEYS.kodeAkun));
  if (kodeAkun === undefined) throw reject('field-missing', `${where} has no kode rekening`);
  const tingkat = tingkatRekening(kodeAkun);
  if (tingkat === undefined) throw reject('code-invalid', `${where} has a kode rekening that is not one (5 … 5.1.02.01.01.0001): ${JSON.stringify(kodeAkun.slice(0, 40))}`);
  const namaAkun = nameOf(record, KEYS.namaAkun, kodeAkun);
  if (namaAkun === undefined) throw reject('field-missing', `${where} has no account name`);
  // A line without a component of the price standard is named by its account (as SIPD-RI shows it).
  const uraian = text(pick(record, KEYS.uraian)) ?? namaAkun;
  const spesifikasi = text(pick(record, KEYS.spesifikasi));
  const { volume, satuan } = volumeSatuanOf(record, where);
  const rawRup = pick(record, KEYS.kodeRup);
  const kodeRup = digitsOf(rawRup);
  if (rawRup !== undefined && kodeRup === undefined && text(rawRup) !== undefined && text(rawRup) !== '0') throw reject('code-invalid', `${where} has a kode RUP that is not a number`);
  const tambahan = extrasOf(record, RINCIAN_READ_KEYS);
  // Assigned in the canonical order (see mapSubKegiatan).
  const line = { id: `${tahun}:${skpd.kode}:${kodeSub}:${idSipd}`, id_sipd: idSipd, tahun, kode_skpd: skpd.kode, kode_sub_kegiatan: kodeSub, kode_rekening: { kode: kodeAkun, nama: namaAkun, tingkat }, uraian } as RincianAnggaran;
  if (spesifikasi !== undefined) line.spesifikasi = spesifikasi;
  line.volume = volume;
  line.satuan = satuan;
  line.harga_satuan = money(pick(record, KEYS.hargaSatuan), 'unit price', where);
  line.total = money(pick(record, KEYS.total), 'total', where);
  // 0 is how SIPD says "no RUP package yet".
  if (kodeRup !== undefined) line.kode_rup = kodeRup;
  line.sumber = { sistem: SISTEM, diambil_pada: context.now().toISOString() };
  if (tambahan !== undefined) line.tambahan = tambahan;
  return line;
}
