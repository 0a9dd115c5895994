// Synthetic tenders of the LPSE of Kabupaten Pesawaran (kd_lpse 279) for the simulator, and how
// SPSE 4.4 / 4.5 and the ISB write them. Names and numbers are invented; the shapes, wordings and
// quirks are SPSE's. RUP codes 40000001–40000012 are the ones the SIPD sandbox is expected to
// carry (the budget → procurement link, see README.md).
import { LosslessNumber } from '../../src/connectors/simulator-sdk.js';

export const SANDBOX_KODE_LPSE = '279';
export const SANDBOX_NAMA_LPSE = 'LPSE Kabupaten Pesawaran';
export const SANDBOX_ISB_UUID = '7f3c2a10-6b1d-4e8a-9c55-1809a0279b26';
export const SANDBOX_ISB_ID = '2161';
export const SANDBOX_TAHUN = 2026;
/** SPSE caps a DataTables page at this many rows, whatever `length` asks. */
export const MAX_PAGE_LENGTH = 10;

/**
 * The tender listing's shape: `lelang`, the DataTables JSON as pyproc captured it (9 columns,
 * kind and year in the last: wakataw/pyproc tests/fixtures/dt_lelang.json); `tampilan`, the five
 * columns the public page shows, the name cell rendered with its description and contract
 * paragraphs (smallest87/LPSE-Table-Scraper processor.js).
 */
export type VersiSpse = 'lelang' | 'tampilan';

/**
 * How the ISB writes a record: current snake_case (isb-2 SPSE-TenderPengumuman), upper case,
 * camelCase, or the older inaproc.lkpp.go.id TenderPengumumanDetailSPSE keys (no satker name).
 */
export type IsbStyle = 'snake' | 'upper' | 'camel' | 'lama';

export interface SandboxTender {
  kdTender: string;
  kdRup?: string;
  namaPaket: string;
  instansi: string;
  kdSatker: string;
  satker: string;
  /** SPSE wording, e.g. `Pekerjaan Konstruksi`. */
  jenis: string;
  /** SPSE wording, e.g. `Tender`. */
  metode: string;
  tahun: number;
  pagu: number;
  hps?: number;
  nilaiKontrak?: number;
  /** SPSE's stage wording, e.g. `Pengumuman Pascakualifikasi`. */
  tahap: string;
  /** `YYYY-MM-DD HH:mm` in WIB. */
  tglPengumuman: string;
  tglPenetapan?: string;
  tglKontrak?: string;
  /** Carried by the ISB record itself (otherwise the hub fills it from SIPD by kd_rup). */
  kdSubKegiatan?: string;
  isb: IsbStyle;
  /** A badge SPSE shows next to the name on the listing, e.g. `Tender Ulang`. */
  label?: string;
  /** Its listing row comes with the cells shifted (a fault to show one record set aside). */
  rusak?: boolean;
  /** Listed by the ISB yet (the ISB is refreshed from SPSE periodically; a new tender is on the listing first). */
  diIsb: boolean;
}

const PEMDA = 'Pemerintah Daerah Kabupaten Pesawaran';

const SATKER = {
  pupr: ['184061', 'Dinas Pekerjaan Umum dan Penataan Ruang'],
  pendidikan: ['184052', 'Dinas Pendidikan dan Kebudayaan'],
  kesehatan: ['184055', 'Dinas Kesehatan'],
  rsud: ['184091', 'RSUD Kabupaten Pesawaran'],
  perkim: ['184063', 'Dinas Perumahan, Kawasan Permukiman dan Pertanahan'],
  pertanian: ['184071', 'Dinas Pertanian dan Ketahanan Pangan'],
  perhubungan: ['184066', 'Dinas Perhubungan'],
  bpbd: ['184081', 'Badan Penanggulangan Bencana Daerah'],
  kominfo: ['184068', 'Dinas Komunikasi, Informatika dan Statistik'],
} as const satisfies Record<string, readonly [string, string]>;

const tender = (satker: keyof typeof SATKER, fields: Omit<SandboxTender, 'instansi' | 'kdSatker' | 'satker' | 'tahun' | 'diIsb'> & { tahun?: number; diIsb?: boolean }): SandboxTender => ({
  instansi: PEMDA,
  kdSatker: SATKER[satker][0],
  satker: SATKER[satker][1],
  tahun: SANDBOX_TAHUN,
  diIsb: true,
  ...fields,
});

/** The 15 tenders the simulator starts with (and returns to on reset). */
export function initialTenders(): SandboxTender[] {
  return [
    tender('pupr', {
      kdTender: '10301279', kdRup: '40000001', namaPaket: 'Rekonstruksi Ruas Jalan Kedondong – Way Lima', jenis: 'Pekerjaan Konstruksi', metode: 'Tender',
      pagu: 15_900_000_000, hps: 15_602_948_688, tahap: 'Pengumuman Pascakualifikasi', tglPengumuman: '2026-03-02 10:15', kdSubKegiatan: '1.03.10.2.01.0015', isb: 'snake',
    }),
    tender('pupr', {
      kdTender: '10302279', kdRup: '40000002', namaPaket: 'Pembangunan Jembatan Way Semah Desa Bernung', jenis: 'Pekerjaan Konstruksi', metode: 'Tender',
      pagu: 4_850_000_000, hps: 4_812_550_000, tahap: 'Tender Sedang Berjalan', tglPengumuman: '2026-02-16 09:00', isb: 'snake',
    }),
    tender('pendidikan', {
      kdTender: '10303279', kdRup: '40000003', namaPaket: 'Pembangunan Ruang Kelas Baru SDN 3 Gedong Tataan & Rehabilitasi Toilet', jenis: 'Pekerjaan Konstruksi', metode: 'Tender',
      pagu: 1_250_000_000, hps: 1_248_300_000, tahap: 'Evaluasi Administrasi, Kualifikasi, Teknis, dan Harga', tglPengumuman: '2026-04-06 08:30', kdSubKegiatan: '1.01.02.2.01.0016', isb: 'upper',
    }),
    tender('kesehatan', {
      kdTender: '10304279', kdRup: '40000004', namaPaket: 'Pengadaan Alat Kesehatan Puskesmas Tegineneng dan Puskesmas Kedondong', jenis: 'Pengadaan Barang', metode: 'Tender',
      pagu: 2_400_000_000, hps: 2_395_750_000, nilaiKontrak: 2_287_000_000, tahap: 'Tender Sudah Selesai', tglPengumuman: '2026-01-20 13:00', tglPenetapan: '2026-02-24', tglKontrak: '2026-03-05', isb: 'snake',
    }),
    tender('rsud', {
      kdTender: '10305279', kdRup: '40000005', namaPaket: 'Pengadaan CT Scan 128 Slice RSUD Pesawaran', jenis: 'Pengadaan Barang', metode: 'Tender',
      pagu: 15_900_000_000, hps: 15_876_000_000, tahap: 'Penetapan Pemenang', tglPengumuman: '2026-05-11 10:00', tglPenetapan: '2026-06-19', isb: 'camel',
    }),
    tender('pupr', {
      kdTender: '10306279', kdRup: '40000006', namaPaket: 'Jasa Konsultansi Perencanaan Teknis Jalan Padang Cermin – Punduh Pidada', jenis: 'Jasa Konsultansi Badan Usaha Konstruksi', metode: 'Seleksi',
      pagu: 750_000_000, hps: 745_000_000, tahap: 'Masa Sanggah', tglPengumuman: '2026-02-02 09:30', kdSubKegiatan: '1.03.10.2.01.0001', isb: 'lama',
    }),
    tender('perkim', {
      kdTender: '10307279', kdRup: '40000007', namaPaket: 'Pembangunan Sistem Penyediaan Air Minum Desa Hanura', jenis: 'Pekerjaan Konstruksi', metode: 'Tender Cepat',
      pagu: 980_000_000, hps: 975_200_000, tahap: 'Download Dokumen Pemilihan', tglPengumuman: '2026-06-01 08:00', isb: 'snake',
    }),
    tender('pertanian', {
      kdTender: '10308279', kdRup: '40000008', namaPaket: 'Rehabilitasi Jaringan Irigasi Tersier Way Khilau', jenis: 'Pekerjaan Konstruksi', metode: 'Tender',
      pagu: 1_780_000_000, hps: 1_776_000_000, tahap: 'Tender Batal', tglPengumuman: '2026-03-16 10:00', isb: 'upper',
    }),
    tender('perhubungan', {
      kdTender: '10309279', kdRup: '40000009', namaPaket: 'Pengadaan dan Pemasangan Rambu Lalu Lintas Jalan Kabupaten', jenis: 'Pengadaan Barang', metode: 'Pengadaan Langsung',
      pagu: 195_000_000, hps: 194_250_000, nilaiKontrak: 189_900_000, tahap: 'Penandatanganan Kontrak', tglPengumuman: '2026-04-20 14:00', tglPenetapan: '2026-05-04', tglKontrak: '2026-05-08', isb: 'camel',
    }),
    tender('bpbd', {
      kdTender: '10310279', kdRup: '40000010', namaPaket: 'Penanganan Darurat Longsor Ruas Jalan Way Ratai', jenis: 'Pekerjaan Konstruksi', metode: 'Penunjukan Langsung',
      pagu: 650_000_000, tahap: 'Tender Gagal', tglPengumuman: '2026-01-12 08:00', isb: 'lama',
    }),
    tender('kominfo', {
      kdTender: '10311279', kdRup: '40000011', namaPaket: 'Jasa Konsultansi Penyusunan Masterplan SPBE', jenis: 'Jasa Konsultansi Perorangan', metode: 'Seleksi',
      pagu: 320_000_000, hps: 318_500_000, tahap: 'Pembukaan Dokumen Penawaran', tglPengumuman: '2026-07-06 09:00', isb: 'snake',
    }),
    tender('pendidikan', {
      kdTender: '10312279', kdRup: '40000012', namaPaket: 'Pengadaan Meubelair Sekolah Dasar Kecamatan Negeri Katon', jenis: 'Pengadaan Barang', metode: 'E-Purchasing',
      pagu: 860_000_000, hps: 858_000_000, tahap: 'Pengumuman Pascakualifikasi, Download Dokumen Pemilihan', tglPengumuman: '2026-07-13 10:30', isb: 'snake',
    }),
    tender('pupr', {
      kdTender: '20260279000000017', namaPaket: 'Pembangunan Gedung Kantor Kecamatan Teluk Pandan (Terintegrasi Rancang dan Bangun)', jenis: 'Pekerjaan Konstruksi Terintegrasi', metode: 'Tender',
      pagu: 6_500_000_000, hps: 6_480_000_000, tahap: 'Upload Dokumen Penawaran', tglPengumuman: '2026-08-03 08:00', isb: 'snake',
    }),
    tender('kesehatan', {
      kdTender: '10314279', namaPaket: 'Jasa Kebersihan Gedung Dinas Kesehatan', jenis: 'Jasa Lainnya', metode: 'Pengadaan Langsung',
      pagu: 180_000_000, hps: 176_400_000, tahap: 'Pengumuman Pascakualifikasi', tglPengumuman: '2026-08-10 09:00', isb: 'upper',
    }),
    tender('pupr', {
      kdTender: '10295279', kdRup: '39000077', namaPaket: 'Pemeliharaan Berkala Jalan Gedong Tataan – Negeri Katon', jenis: 'Pekerjaan Konstruksi', metode: 'Tender',
      pagu: 2_100_000_000, hps: 2_094_000_000, nilaiKontrak: 1_998_000_000, tahap: 'Tender Sudah Selesai', tglPengumuman: '2025-03-10 10:00', tglPenetapan: '2025-04-21', tglKontrak: '2025-04-30', tahun: 2025, isb: 'snake',
    }),
  ];
}

// ─── how SPSE writes values ──────────────────────────────────────────────────────────────────

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `Rp. 15.602.948.688,00` */
export function rupiah(nilai: number): string {
  return `Rp. ${Math.round(nilai).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')},00`;
}

/** SPSE 4.4's listing: `15,9 M`, `750 Jt`, `1,3 T`. */
export function abbreviated(nilai: number): string {
  const [divisor, unit] = nilai >= 1e12 ? [1e12, 'T'] : nilai >= 1e9 ? [1e9, 'M'] : nilai >= 1e6 ? [1e6, 'Jt'] : [1e3, 'Rb'];
  const amount = Math.round((nilai / divisor) * 10) / 10;
  return `${String(amount).replace('.', ',')} ${unit}`;
}


const partsOf = (wib: string): { y: string; m: string; d: string; time: string } => {
  const [date, time] = wib.split(' ');
  const [y, m, d] = date!.split('-');
  return { y: y!, m: m!, d: d!, time: time ?? '00:00' };
};

/** Epoch milliseconds of a WIB wall-clock time (ISB in upper case). */
export const epochMs = (wib: string): number => {
  const { y, m, d, time } = partsOf(wib);
  const [hh, mm] = time.split(':');
  return Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh) - 7, Number(mm));
};
/** The UTC instant of a WIB wall-clock time (ISB in camelCase), e.g. `2026-03-02T03:15:00.000Z`. */
export const instantUtc = (wib: string): string => new Date(epochMs(wib)).toISOString();
/** `2026-03-02 10:15:00` (current ISB). */
export const tanggalIsb = (wib: string): string => {
  const { y, m, d, time } = partsOf(wib);
  return `${y}-${m}-${d} ${time}:00`;
};

const LABEL: [RegExp, string][] = [
  [/batal|gagal/i, 'danger'],
  [/selesai|kontrak/i, 'success'],
  [/pemenang|sanggah/i, 'warning'],
];
const labelOf = (tahap: string): string => LABEL.find(([pattern]) => pattern.test(tahap))?.[1] ?? 'info';

const big = (digits: string): LosslessNumber => new LosslessNumber(digits);

// ─── DataTables rows ─────────────────────────────────────────────────────────────────────────

/** The listing a package is on: tenders and selections on dt/lelang, the other methods on dt/pl. */
export const isNonTender = (t: SandboxTender): boolean => !/^(?:tender|tender cepat|seleksi)$/i.test(t.metode);

/** A tender as a positional row of the tender listing, in the shape asked for. */
export function toDataTablesRow(t: SandboxTender, versi: VersiSpse): unknown[] {
  const anchor = `<a href="/eproc4/lelang/${t.kdTender}/pengumumanlelang">${escapeHtml(t.namaPaket)}</a>`;
  const badge = t.label === undefined ? '' : ` <span class="badge badge-warning">${escapeHtml(t.label)}</span>`;
  const tahap = `<span class='label label-${labelOf(t.tahap)}'>${escapeHtml(t.tahap)}</span>`;
  const hps = t.hps === undefined ? '' : abbreviated(t.hps);
  if (versi === 'tampilan') {
    const kontrak = t.nilaiKontrak === undefined ? 'Nilai Kontrak belum dibuat' : rupiah(t.nilaiKontrak);
    const nama = `<p>${anchor}${badge} <span class="badge badge-info">spse 4.5</span></p><p>${escapeHtml(t.jenis)} - TA ${t.tahun} - Harga Satuan - Tahun Tunggal</p><p>Nilai Kontrak : ${kontrak}</p>`;
    return [t.kdTender, nama, t.instansi, tahap, hps];
  }
  const row = [big(t.kdTender), `${anchor}${badge}`, t.instansi, tahap, hps, String(t.tahun), '', '', `${t.jenis} - ${t.tahun}`];
  // A broken row: the code cell lost, every other cell one to the left.
  return t.rusak ? [...row.slice(1), ''] : row;
}

/** A package as a row of the non-tender listing (wakataw/pyproc tests/fixtures/dt_nonspk.json). */
export function toNonTenderRow(t: SandboxTender): unknown[] {
  return [t.kdTender, escapeHtml(t.namaPaket), t.instansi, abbreviated(t.pagu), t.metode, t.jenis, String(t.tahun), '5', t.tahap];
}

// ─── ISB records ─────────────────────────────────────────────────────────────────────────────

const upperKeys = (record: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toUpperCase(), v]));
const camelKeys = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]));

/** A tender as the ISB's SPSE-TenderPengumuman writes it, in the record's style. */
export function toIsbRecord(t: SandboxTender): Record<string, unknown> {
  if (t.isb === 'lama') {
    // inaproc.lkpp.go.id/isb TenderPengumumanDetailSPSE: the keys of yzrofiq/sibajalpg
    // app/Models/Tender.php; no satker name, kd_rup_paket, nama_status_tender.
    return {
      tahun_anggaran: t.tahun,
      kd_klpd: 'D279',
      nama_klpd: t.instansi,
      nama_paket: t.namaPaket,
      jenis_klpd: 'KABUPATEN',
      kd_satker: t.kdSatker,
      kd_lpse: Number(SANDBOX_KODE_LPSE),
      kd_tender: big(t.kdTender),
      ...(t.kdRup !== undefined ? { kd_rup_paket: big(t.kdRup) } : {}),
      pagu: t.pagu,
      ...(t.hps !== undefined ? { hps: t.hps } : {}),
      ...(t.nilaiKontrak !== undefined ? { nilai_kontrak: t.nilaiKontrak } : {}),
      metode_pengadaan: t.metode,
      tgl_pengumuman_tender: tanggalIsb(t.tglPengumuman),
      ...(t.tglPenetapan !== undefined ? { tgl_penetapan_pemenang: tanggalIsb(t.tglPenetapan) } : {}),
      jenis_pengadaan: t.jenis,
      mtd_pemilihan: t.metode,
      mtd_evaluasi: 'Harga Terendah Sistem Gugur',
      nama_status_tender: t.tahap,
      versi_tender: 1,
      url_lpse: `https://lpse.pesawarankab.go.id/eproc4/lelang/${t.kdTender}/pengumumanlelang`,
    };
  }
  const dated = (wib: string): unknown => (t.isb === 'upper' ? epochMs(wib) : t.isb === 'camel' ? instantUtc(wib) : tanggalIsb(wib));
  const record: Record<string, unknown> = {
    tahun_anggaran: t.tahun,
    kd_klpd: 'D279',
    nama_klpd: t.instansi,
    jenis_klpd: 'KABUPATEN',
    kd_satker: t.kdSatker,
    nama_satker: t.satker,
    kd_lpse: big(SANDBOX_KODE_LPSE),
    nama_lpse: SANDBOX_NAMA_LPSE,
    kd_tender: big(t.kdTender),
    ...(t.kdRup !== undefined ? { kd_rup: big(t.kdRup) } : {}),
    nama_paket: t.namaPaket.replace(/&/g, '&amp;'),
    pagu: big(`${t.pagu}.00`),
    ...(t.hps !== undefined ? { hps: big(`${t.hps}.00`) } : {}),
    ...(t.nilaiKontrak !== undefined ? { nilai_kontrak: big(`${t.nilaiKontrak}.00`) } : {}),
    sumber_dana: 'APBD',
    jenis_pengadaan: t.jenis,
    mtd_pemilihan: t.metode,
    mtd_evaluasi: 'Harga Terendah Sistem Gugur',
    mtd_kualifikasi: 'Pascakualifikasi',
    status_tender: t.tahap,
    versi_tender: 1,
    tgl_pengumuman_tender: dated(t.tglPengumuman),
    ...(t.tglPenetapan !== undefined ? { tgl_penetapan_pemenang: dated(t.tglPenetapan) } : {}),
    ...(t.tglKontrak !== undefined ? { tgl_kontrak: dated(t.tglKontrak) } : {}),
    ...(t.kdSubKegiatan !== undefined ? { kd_sub_kegiatan: t.kdSubKegiatan } : {}),
    lokasi_pekerjaan: 'Kabupaten Pesawaran',
    url_lpse: `https://lpse.pesawarankab.go.id/eproc4/lelang/${t.kdTender}/pengumumanlelang`,
  };
  return t.isb === 'upper' ? upperKeys(record) : t.isb === 'camel' ? camelKeys(record) : record;
}

// ─── status changes driven by tests ──────────────────────────────────────────────────────────

/** The SPSE wording the simulator shows for a canonical status set through the control API. */
export const TAHAP_OF_STATUS: Record<string, string> = {
  pengumuman: 'Pengumuman Pascakualifikasi',
  pendaftaran: 'Download Dokumen Pemilihan',
  evaluasi: 'Evaluasi Administrasi, Kualifikasi, Teknis, dan Harga',
  penetapan_pemenang: 'Penetapan Pemenang',
  kontrak: 'Penandatanganan Kontrak',
  berlangsung: 'Tender Sedang Berjalan',
  selesai: 'Tender Sudah Selesai',
  batal: 'Tender Batal',
  gagal: 'Tender Gagal',
};
