// SIAK (Dukcapil web service): resident lookup by NIK (CALL_NIK) and verification of identity
// elements (CALL_VERIFY_BY_ELEMEN). Pure functions from canonical input to the native request,
// and from the native answer to penduduk.v1 / verifikasi-penduduk.v1.
import { defineConnector, UpstreamError, type ConnectorContext, type QueryHandler, type UpstreamRequest } from '../../src/connectors/sdk.js';
import {
  bad,
  coded,
  date,
  golonganDarah,
  identifier,
  jenisKelamin,
  pick,
  rtRw,
  statusPerkawinan,
  text,
  toDdMmYyyy,
  type NativeRecord,
  type StatusPerkawinan,
} from './fields.js';
import { readRecords } from './responses.js';

export interface CariPendudukInput {
  nik: string;
}

export interface Penduduk {
  nik: string;
  no_kk: string;
  nama_lengkap: string;
  tempat_lahir: string;
  tanggal_lahir: string;
  jenis_kelamin: 'LAKI-LAKI' | 'PEREMPUAN';
  golongan_darah?: string;
  agama: string;
  status_perkawinan: StatusPerkawinan;
  pendidikan_terakhir: string;
  pekerjaan: string;
  nama_ibu?: string;
  alamat: { jalan: string; rt: string; rw: string; kelurahan: string; kecamatan: string; kabupaten: string; provinsi: string };
  sumber: Sumber;
}

export interface VerifikasiPendudukInput {
  nik: string;
  nama_lengkap?: string;
  tempat_lahir?: string;
  tanggal_lahir?: string;
  jenis_kelamin?: 'LAKI-LAKI' | 'PEREMPUAN';
  nama_ibu?: string;
  alamat?: string;
  ambang?: number;
}

export type Elemen = 'nama_lengkap' | 'tempat_lahir' | 'tanggal_lahir' | 'jenis_kelamin' | 'nama_ibu' | 'alamat';

export interface VerifikasiPenduduk {
  nik: string;
  hasil: Partial<Record<Elemen, { sesuai: boolean; skor?: number }>>;
  sesuai_semua: boolean;
  sumber: Sumber;
}

interface Sumber {
  sistem: 'SIAK';
  diambil_pada: string;
}

/**
 * Each native field under every spelling seen in the wild, keys upper-cased. The first is what
 * the reference deployment sends; the others are misspellings and renamings of other versions.
 */
const fields = {
  nik: ['NIK', 'NO_NIK', 'NOMOR_NIK'],
  noKk: ['NO_KK', 'NOKK', 'NO_KARTU_KELUARGA', 'NOMOR_KK'],
  nama: ['NAMA_LGKP', 'NAMA_LENGKAP', 'NAMA_LGKAP', 'NAMA_LKP', 'NAMA'],
  tempatLahir: ['TMPT_LHR', 'TEMPAT_LAHIR', 'TMP_LHR', 'TMPT_LAHIR'],
  tanggalLahir: ['TGL_LHR', 'TANGGAL_LAHIR', 'TGL_LAHIR', 'TANGGAL_LHR'],
  jenisKelamin: ['JENIS_KLMIN', 'JENIS_KELAMIN', 'JNS_KLMIN', 'JENIS_KLAMIN', 'JNS_KELAMIN'],
  golonganDarah: ['GOL_DARAH', 'GOLONGAN_DARAH', 'GOL_DRH'],
  agama: ['AGAMA', 'NAMA_AGAMA'],
  statusKawin: ['STATUS_KAWIN', 'STAT_KWN', 'STATUS_PERKAWINAN', 'STATUS_KWN', 'STAT_KAWIN'],
  pendidikan: ['PDDK_AKH', 'PDDK_AKHIR', 'PENDIDIKAN_AKHIR', 'PENDIDIKAN_TERAKHIR', 'PENDIDIKAN'],
  pekerjaan: ['JENIS_PKRJN', 'JENIS_PEKERJAAN', 'JNS_PKRJN', 'PEKERJAAN'],
  namaIbu: ['NAMA_LGKP_IBU', 'NAMA_LENGKAP_IBU', 'NAMA_IBU', 'NAMA_LGKP_IBU_KANDUNG'],
  alamat: ['ALAMAT', 'ALAMAT_LENGKAP', 'ALMT'],
  rt: ['NO_RT', 'RT'],
  rw: ['NO_RW', 'RW'],
  kelurahan: ['KEL_NAME', 'NAMA_KEL', 'KELURAHAN', 'NAMA_KELURAHAN', 'DESA'],
  kecamatan: ['KEC_NAME', 'NAMA_KEC', 'KECAMATAN', 'NAMA_KECAMATAN'],
  kabupaten: ['KAB_NAME', 'NAMA_KAB', 'KABUPATEN', 'NAMA_KABUPATEN'],
  provinsi: ['PROP_NAME', 'PROV_NAME', 'NAMA_PROP', 'PROVINSI', 'NAMA_PROVINSI'],
} as const satisfies Record<string, readonly string[]>;

/** A required field under any of its spellings, read by `read`; missing → upstream-bad-response. */
function required<T>(record: NativeRecord, aliases: readonly string[], read: (value: unknown, field: string) => T): T {
  const value = pick(record, aliases);
  if (value === undefined) throw bad(`the record has no ${aliases[0]}`);
  return read(value, aliases[0]!);
}

function optional<T>(record: NativeRecord, aliases: readonly string[], read: (value: unknown, field: string) => T): T | undefined {
  const value = pick(record, aliases);
  return value === undefined ? undefined : read(value, aliases[0]!);
}

function setting(context: ConnectorContext, name: string): string {
  const value = context.settings[name];
  if (value === undefined || value === '') throw new Error(`SIAK setting ${name} is not configured`);
  return value;
}

const methodPath = (context: ConnectorContext, method: string): string =>
  `/dukcapil/get_json/${encodeURIComponent(setting(context, 'consumer'))}/${method}`;

const sumber = (context: ConnectorContext): Sumber => ({ sistem: 'SIAK', diambil_pada: context.now().toISOString() });

/** One native CALL_NIK record → penduduk.v1. */
export function toPenduduk(record: NativeRecord, context: ConnectorContext): Penduduk {
  const golongan = optional(record, fields.golonganDarah, golonganDarah);
  const namaIbu = optional(record, fields.namaIbu, text);
  return {
    nik: required(record, fields.nik, identifier),
    no_kk: required(record, fields.noKk, identifier),
    nama_lengkap: required(record, fields.nama, text),
    tempat_lahir: required(record, fields.tempatLahir, text),
    tanggal_lahir: required(record, fields.tanggalLahir, date),
    jenis_kelamin: required(record, fields.jenisKelamin, jenisKelamin),
    ...(golongan === undefined ? {} : { golongan_darah: golongan }),
    agama: required(record, fields.agama, coded),
    status_perkawinan: required(record, fields.statusKawin, statusPerkawinan),
    pendidikan_terakhir: required(record, fields.pendidikan, coded),
    pekerjaan: required(record, fields.pekerjaan, coded),
    ...(namaIbu ? { nama_ibu: namaIbu } : {}),
    alamat: {
      jalan: required(record, fields.alamat, text),
      rt: required(record, fields.rt, rtRw),
      rw: required(record, fields.rw, rtRw),
      kelurahan: required(record, fields.kelurahan, text),
      kecamatan: required(record, fields.kecamatan, text),
      kabupaten: required(record, fields.kabupaten, text),
      provinsi: required(record, fields.provinsi, text),
    },
    sumber: sumber(context),
  };
}

const cariPenduduk: QueryHandler<CariPendudukInput, Penduduk> = {
  request(input, context): UpstreamRequest {
    return {
      method: 'POST',
      path: methodPath(context, 'CALL_NIK'),
      body: {
        json: {
          nik: input.nik,
          user_id: setting(context, 'userId'),
          password: setting(context, 'password'),
          ip_user: setting(context, 'ipUser'),
        },
      },
    };
  },

  response(upstream, input, context) {
    const records = readRecords(upstream, context.now());
    if (records.length > 1) throw bad(`SIAK answered ${records.length} records for one NIK without saying so`);
    const penduduk = toPenduduk(records[0]!, context);
    // Never hand out someone else's record: the answer must be about the NIK asked for.
    if (penduduk.nik !== input.nik) throw bad(`SIAK answered about another NIK than the one asked for`);
    return penduduk;
  },
};

/** Verification elements: canonical name → native request key, and the spellings of the answer's key. */
const elements: readonly { name: Elemen; key: string; answer: readonly string[] }[] = [
  { name: 'nama_lengkap', key: 'NAMA_LGKP', answer: fields.nama },
  { name: 'tempat_lahir', key: 'TMPT_LHR', answer: fields.tempatLahir },
  { name: 'tanggal_lahir', key: 'TGL_LHR', answer: fields.tanggalLahir },
  { name: 'jenis_kelamin', key: 'JENIS_KLMIN', answer: fields.jenisKelamin },
  { name: 'nama_ibu', key: 'NAMA_LGKP_IBU', answer: fields.namaIbu },
  { name: 'alamat', key: 'ALAMAT', answer: fields.alamat },
];

const asked = (input: VerifikasiPendudukInput) => elements.filter(({ name }) => input[name] !== undefined && input[name] !== '');

/** `"Sesuai"`, `"Sesuai (100)"`, `"Tidak Sesuai (0)"`, `"SESUAI(87.5)"`, `"tidak sesuai"`. */
export function verdict(value: unknown, field: string): { sesuai: boolean; skor?: number } {
  if (typeof value !== 'string') throw bad(`${field}: expected a verdict, got ${typeof value}`);
  const words = value.replace(/\s+/g, ' ').trim().toUpperCase();
  const match = /^(TIDAK ?)?SESUAI\s*(?:\(\s*([0-9]{1,3}(?:[.,][0-9]+)?)\s*%?\s*\))?$/.exec(words);
  if (!match) throw bad(`${field}: "${value}" is not a verdict`);
  const skor = match[2] === undefined ? undefined : Math.min(100, Math.max(0, Math.round(Number(match[2].replace(',', '.')))));
  return { sesuai: match[1] === undefined, ...(skor === undefined ? {} : { skor }) };
}

const verifikasiPenduduk: QueryHandler<VerifikasiPendudukInput, VerifikasiPenduduk> = {
  request(input, context): UpstreamRequest {
    const body: Record<string, string> = {
      USER_ID: setting(context, 'userId'),
      PASSWORD: setting(context, 'password'),
      IP_USER: setting(context, 'ipUser'),
      TRESHOLD: String(input.ambang ?? 90),
      NIK: input.nik,
    };
    for (const { name, key } of asked(input)) {
      const value = String(input[name]);
      body[key] = name === 'tanggal_lahir' ? toDdMmYyyy(value) : value;
    }
    return { method: 'POST', path: methodPath(context, 'CALL_VERIFY_BY_ELEMEN'), body: { json: body } };
  },

  response(upstream, input, context) {
    const records = readRecords(upstream, context.now());
    if (records.length > 1) throw bad(`SIAK answered ${records.length} verification results for one NIK`);
    const record = records[0]!;

    // NIK is answered with a verdict, or by some deployments echoed as a number or a string.
    const nik = pick(record, fields.nik);
    if (typeof nik === 'string' && /sesuai/i.test(nik)) {
      if (!verdict(nik, 'NIK').sesuai) throw new UpstreamError('upstream-record-not-found', 'SIAK: the NIK matches no record (NIK: Tidak Sesuai)');
    } else if (nik !== undefined && identifier(nik, 'NIK') !== input.nik) {
      throw bad('SIAK answered about another NIK than the one asked for');
    }

    const hasil: VerifikasiPenduduk['hasil'] = {};
    for (const { name, key, answer } of asked(input)) {
      const value = pick(record, answer);
      if (value === undefined) throw bad(`SIAK gave no verdict for ${key}`);
      hasil[name] = verdict(value, key);
    }
    const verdicts = Object.values(hasil);
    if (verdicts.length === 0) throw bad('the request asked no element to verify');
    return { nik: input.nik, hasil, sesuai_semua: verdicts.every((item) => item.sesuai), sumber: sumber(context) };
  },
};

export default defineConnector({
  queries: {
    'cari-penduduk': cariPenduduk,
    'verifikasi-penduduk': verifikasiPenduduk,
  },
});
