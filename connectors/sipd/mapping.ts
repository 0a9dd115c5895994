// SIPD (Sistem Informasi Pemerintahan Daerah, Kemendagri) → canonical nomenklatur.v1,
// sub-kegiatan.v1 and rincian-anggaran.v1, read record by record (entities.ts maps the records).
//
// The paths and forms are those public SIPD-RI client code calls (agusnurwanto/sipd-ri-chrome-extension):
// - nomenclature: `POST /api/master/sub_giat/list_table` (tahun, id_daerah, start, length) →
//   `{data: {data: [...], recordsTotal}}`, the national list of sub-kegiatan: reference data;
// - the SKPD of the budget: `POST /api/renja/sub_bl/list_skpd` (tahun, id_daerah, id_unit 0,
//   limit, offset, is_anggaran) → `{data: "<encoded>", recordsTotal}`, decoded base64 → reverse →
//   base64 → reverse → JSON: the units with their pagu (and sub-kegiatan rows where a SIPD release
//   lists them there);
// - the sub-kegiatan of one SKPD with their pagu: `POST /api/renja/sub_bl/list_belanja_by_tahun_daerah_unit`
//   (tahun, id_daerah, id_unit, is_prop, is_anggaran) → `{data: [...]}` (encoded on some releases);
// - the budget lines of one sub-kegiatan: `POST /api/renja/rinci_sub_bl/get_by_id_sub_bl`
//   (tahun, id_daerah, id_sub_bl, id_unit, is_anggaran) → `{data: [...]}`.
// Every scan is whole (SIPD cannot say what changed since when): at its end nextCursor is null and
// the next run starts over; the runtime's fingerprints publish only what changed.
import {
  defineConnector,
  digitsOf,
  isDoc,
  pick,
  UpstreamError,
  type ConnectorContext,
  type Doc,
  type InboundHandler,
  type UpstreamRequest,
} from '../../src/connectors/sdk.js';
import { checkHttp, readList } from './answers.js';
import { isNomenklaturRow, isSkpdRow, KEYS, mapNomenklatur, mapRincian, mapSubKegiatan, type Nomenklatur, type RincianAnggaran, type SubKegiatan } from './entities.js';
import { KODE_SKPD, KODE_SUB_KEGIATAN, reject, text } from './fields.js';

export type { Nomenklatur, RincianAnggaran, SubKegiatan };

// ─── constants ───────────────────────────────────────────────────────────────────────────────

export const PATHS = {
  nomenklatur: '/api/master/sub_giat/list_table',
  skpd: '/api/renja/sub_bl/list_skpd',
  subKegiatan: '/api/renja/sub_bl/list_belanja_by_tahun_daerah_unit',
  rincian: '/api/renja/rinci_sub_bl/get_by_id_sub_bl',
} as const;

/** Rows asked per page; SIPD may answer fewer (the simulator does), the cursor follows what came. */
export const PAGE_LENGTH = 100;

// ─── settings ────────────────────────────────────────────────────────────────────────────────

function tokenOf(context: ConnectorContext): string {
  const token = context.settings.token?.trim();
  if (!token) throw new UpstreamError('upstream-credentials-rejected', 'SIPD_TOKEN is not set');
  return token;
}

export function tahunOf(context: ConnectorContext): string {
  const tahun = context.settings.tahun?.trim() ?? '';
  if (!/^20[0-9]{2}$/.test(tahun)) throw new UpstreamError('upstream-request-rejected', `SIPD_TAHUN must be a budget year, not ${JSON.stringify(tahun)}`);
  return tahun;
}

function idDaerahOf(context: ConnectorContext): string {
  const id = context.settings.idDaerah?.trim() ?? '';
  if (!/^[0-9]{1,10}$/.test(id)) throw new UpstreamError('upstream-request-rejected', `SIPD_ID_DAERAH must be SIPD's numeric region id, not ${JSON.stringify(id)}`);
  return id;
}

// SIPD-RI's own client sends the token as X-ACCESS-TOKEN; the hub sends it both ways.
const headersOf = (context: ConnectorContext): Record<string, string> => ({ Authorization: `Bearer ${tokenOf(context)}`, 'X-Access-Token': tokenOf(context), Accept: 'application/json' });

const post = (context: ConnectorContext, path: string, form: Record<string, string | number>): UpstreamRequest => ({ method: 'POST', path, headers: headersOf(context), body: { form } });

// ─── cursors ─────────────────────────────────────────────────────────────────────────────────

/** One SKPD (unit) of list_skpd: SIPD-RI's numeric id and its code. */
interface Unit {
  id: string;
  kode: string;
}

/** One sub-kegiatan of an SKPD, as the budget-line scan needs it. */
interface SubBl {
  id_sub_bl: string;
  kode_sub_giat: string;
  kode_skpd: string;
}

type ScanCursor =
  | { tahun: string; phase: 'units'; offset: number; units: Unit[] }
  | { tahun: string; phase: 'belanja'; units: Unit[]; i: number }
  | { tahun: string; phase: 'rinci'; units: Unit[]; i: number; subs: SubBl[]; j: number };

const invalid = (cursor: string, what: string): UpstreamError => new UpstreamError('cursor-invalid', `the ${what} cursor is not one this connector wrote: ${JSON.stringify(cursor.slice(0, 80))}`);
const index = (value: unknown, length: number): boolean => Number.isInteger(value) && (value as number) >= 0 && (value as number) < length;

function readScanCursor(cursor: string | undefined, context: ConnectorContext, what: string): ScanCursor | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(cursor) as unknown;
  } catch {
    throw invalid(cursor, what);
  }
  if (!isDoc(value) || typeof value.tahun !== 'string' || !Array.isArray(value.units)) throw invalid(cursor, what);
  const units = value.units as unknown[];
  if (!units.every((u) => isDoc(u) && typeof u.id === 'string' && /^[0-9]{1,30}$/.test(u.id) && typeof u.kode === 'string' && KODE_SKPD.test(u.kode))) throw invalid(cursor, what);
  const ok =
    (value.phase === 'units' && Number.isInteger(value.offset) && (value.offset as number) >= 0) ||
    (value.phase === 'belanja' && index(value.i, units.length)) ||
    (value.phase === 'rinci' && index(value.i, units.length) && Array.isArray(value.subs) && index(value.j, (value.subs as unknown[]).length) &&
      (value.subs as unknown[]).every((s) => isDoc(s) && typeof s.id_sub_bl === 'string' && typeof s.kode_sub_giat === 'string' && KODE_SUB_KEGIATAN.test(s.kode_sub_giat) && typeof s.kode_skpd === 'string' && KODE_SKPD.test(s.kode_skpd)));
  if (!ok) throw invalid(cursor, what);
  const state = value as unknown as ScanCursor;
  // A scan of another year (SIPD_TAHUN changed between runs) starts over.
  return state.tahun === tahunOf(context) ? state : undefined;
}

const writeCursor = (state: ScanCursor): string => JSON.stringify(state);

/** The units (SKPD rows) of a list_skpd page, in order, without repeats of `known`. */
function unitsOf(rows: unknown[], known: Unit[]): Unit[] {
  const units = [...known];
  for (const row of rows) {
    if (!isDoc(row) || !isSkpdRow(row)) continue;
    const id = digitsOf(pick(row, KEYS.idSkpd));
    const kode = text(pick(row, KEYS.kodeSkpd));
    if (id === undefined || kode === undefined || !KODE_SKPD.test(kode) || units.some((u) => u.id === id)) continue;
    units.push({ id, kode });
  }
  return units;
}

function skpdRequest(context: ConnectorContext, offset: number): UpstreamRequest {
  return post(context, PATHS.skpd, { tahun: tahunOf(context), id_daerah: idDaerahOf(context), id_user: 0, id_unit: 0, id_level: 2, search: '', limit: PAGE_LENGTH, offset, is_anggaran: 1 });
}

function belanjaRequest(context: ConnectorContext, unit: Unit): UpstreamRequest {
  return post(context, PATHS.subKegiatan, { tahun: tahunOf(context), id_daerah: idDaerahOf(context), id_unit: unit.id, is_prop: 0, is_anggaran: 1 });
}

/** After a page of units: more units, the first SKPD's sub-kegiatan, or the end of the scan. */
function afterUnits(tahun: string, offset: number, rows: unknown[], total: number | undefined, units: Unit[]): string | null {
  const next = offset + rows.length;
  if (rows.length > 0 && total !== undefined && next < total) return writeCursor({ tahun, phase: 'units', offset: next, units });
  return units.length > 0 ? writeCursor({ tahun, phase: 'belanja', units, i: 0 }) : null;
}

// ─── nomenclature ────────────────────────────────────────────────────────────────────────────

const nomenklaturMasuk: InboundHandler<Nomenklatur> = {
  records: (native) => readList(native).rows,
  mapRecord(record, context) {
    if (!isDoc(record)) throw reject('record-invalid', `a nomenclature row is ${Array.isArray(record) ? 'an array' : typeof record}`);
    return mapNomenklatur(record, context);
  },
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context) {
      const start = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isSafeInteger(start) || start < 0) throw invalid(cursor ?? '', 'nomenclature');
      return post(context, PATHS.nomenklatur, { tahun: tahunOf(context), id_daerah: idDaerahOf(context), deleted_data: 'false', 'search[value]': '', start, length: PAGE_LENGTH });
    },
    page(upstream, cursor, _context) {
      checkHttp(upstream);
      const start = cursor === undefined ? 0 : Number(cursor);
      const { rows, total } = readList(upstream.body);
      const next = start + rows.length;
      return { native: upstream.body, nextCursor: rows.length > 0 && total !== undefined && next < total ? String(next) : null };
    },
  },
};

// ─── sub-kegiatan per SKPD ───────────────────────────────────────────────────────────────────

const subKegiatanMasuk: InboundHandler<SubKegiatan> = {
  records: (native) => readList(native).rows,
  mapRecord(record, context) {
    if (!isDoc(record)) throw reject('record-invalid', `a sub-kegiatan row is ${Array.isArray(record) ? 'an array' : typeof record}`);
    // The SKPD of a list and the national nomenclature are not budget lines: read elsewhere.
    if (isSkpdRow(record) || isNomenklaturRow(record)) return undefined;
    return mapSubKegiatan(record, context, tahunOf(context));
  },
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context) {
      const state = readScanCursor(cursor, context, 'sub-kegiatan');
      if (state === undefined || state.phase === 'units') return skpdRequest(context, state?.offset ?? 0);
      return belanjaRequest(context, state.units[state.i]!);
    },
    page(upstream, cursor, context) {
      checkHttp(upstream);
      const tahun = tahunOf(context);
      const state = readScanCursor(cursor, context, 'sub-kegiatan') ?? { tahun, phase: 'units', offset: 0, units: [] };
      const { rows, total } = readList(upstream.body);
      if (state.phase === 'units') return { native: upstream.body, nextCursor: afterUnits(tahun, state.offset, rows, total, unitsOf(rows, state.units)) };
      const next = state.i + 1;
      return { native: upstream.body, nextCursor: next < state.units.length ? writeCursor({ tahun, phase: 'belanja', units: state.units, i: next }) : null };
    },
  },
};

// ─── budget lines ────────────────────────────────────────────────────────────────────────────

/**
 * A page of budget lines as the poll hands it on: SIPD's answer with the sub-kegiatan it was asked
 * for (get_by_id_sub_bl's lines name neither the sub-kegiatan nor the SKPD).
 */
interface RinciPage {
  sub_bl: SubBl & { tahun: string };
  jawaban: unknown;
}

const isRinciPage = (native: unknown): native is RinciPage => isDoc(native) && isDoc(native.sub_bl) && 'jawaban' in native;

/**
 * `{ ...context, ...row }`. Object.assign writes the same keys in the same order and cost a tenth
 * of the two spreads (which V8 runs key by key in its runtime); it differs only for a `__proto__`
 * key, which it would take for the prototype, so such a record keeps the spreads.
 */
const withContext = (context: Doc, row: Doc): Doc =>
  Object.hasOwn(row, '__proto__') || Object.hasOwn(context, '__proto__') ? { ...context, ...row } : Object.assign({}, context, row);

function subsOf(rows: unknown[], unit: Unit): SubBl[] {
  const subs: SubBl[] = [];
  for (const row of rows) {
    if (!isDoc(row)) continue;
    const id = digitsOf(pick(row, KEYS.idSubBl));
    const kode = text(pick(row, KEYS.kodeSub));
    const skpd = text(pick(row, KEYS.kodeSubSkpd)) ?? text(pick(row, KEYS.kodeSkpd)) ?? unit.kode;
    if (id !== undefined && kode !== undefined && KODE_SUB_KEGIATAN.test(kode) && KODE_SKPD.test(skpd)) subs.push({ id_sub_bl: id, kode_sub_giat: kode, kode_skpd: skpd });
  }
  return subs;
}

/** After an SKPD's sub-kegiatan (or its last line page): its first line page, the next SKPD, or the end. */
function nextSkpd(tahun: string, units: Unit[], i: number): string | null {
  return i + 1 < units.length ? writeCursor({ tahun, phase: 'belanja', units, i: i + 1 }) : null;
}

const rincianAnggaranMasuk: InboundHandler<RincianAnggaran> = {
  records(native) {
    if (!isRinciPage(native)) return readList(native).rows;
    // The row's own fields win; the sub-kegiatan asked for fills what the line does not name.
    const context: Doc = { ...native.sub_bl };
    return readList(native.jawaban).rows.map((row) => (isDoc(row) ? withContext(context, row) : row));
  },
  mapRecord(record, context) {
    if (!isDoc(record)) throw reject('record-invalid', `a budget line is ${Array.isArray(record) ? 'an array' : typeof record}`);
    if (isSkpdRow(record)) return undefined;
    return mapRincian(record, context, tahunOf(context));
  },
  identify: (entity) => entity.id,
  poll: {
    request(cursor, context) {
      const state = readScanCursor(cursor, context, 'rincian');
      if (state === undefined || state.phase === 'units') return skpdRequest(context, state?.offset ?? 0);
      const unit = state.units[state.i]!;
      if (state.phase === 'belanja') return belanjaRequest(context, unit);
      return post(context, PATHS.rincian, { tahun: tahunOf(context), id_daerah: idDaerahOf(context), id_sub_bl: state.subs[state.j]!.id_sub_bl, id_unit: unit.id, is_anggaran: 1 });
    },
    page(upstream, cursor, context) {
      checkHttp(upstream);
      const tahun = tahunOf(context);
      const state = readScanCursor(cursor, context, 'rincian') ?? { tahun, phase: 'units', offset: 0, units: [] };
      const { rows, total } = readList(upstream.body);
      // Pages that only lead to the lines carry nothing to map.
      if (state.phase === 'units') return { native: [], nextCursor: afterUnits(tahun, state.offset, rows, total, unitsOf(rows, state.units)) };
      if (state.phase === 'belanja') {
        const subs = subsOf(rows, state.units[state.i]!);
        return { native: [], nextCursor: subs.length > 0 ? writeCursor({ tahun, phase: 'rinci', units: state.units, i: state.i, subs, j: 0 }) : nextSkpd(tahun, state.units, state.i) };
      }
      const native: RinciPage = { sub_bl: { ...state.subs[state.j]!, tahun }, jawaban: upstream.body };
      const j = state.j + 1;
      return { native, nextCursor: j < state.subs.length ? writeCursor({ ...state, j }) : nextSkpd(tahun, state.units, state.i) };
    },
  },
};


export default defineConnector({
  inbound: {
    'nomenklatur-masuk': nomenklaturMasuk,
    'sub-kegiatan-masuk': subKegiatanMasuk,
    'rincian-anggaran-masuk': rincianAnggaranMasuk,
  },
});
