// Synthetic SIPD data for the sandbox: four SKPD of Kabupaten Pesawaran, twelve sub-kegiatan of
// budget year 2026 with realistic nomenclature, and their budget lines. Names and amounts are
// made up; codes follow Permendagri 90/2019 and Kepmendagri 050-5889/2021 in shape.
// Each endpoint writes its records as public SIPD-RI client code reads them
// (agusnurwanto/sipd-ri-chrome-extension): the nomenclature with ids, code and name only; the
// SKPD of list_skpd with their pagu; the sub-kegiatan of an SKPD with nama_skpd written after its
// code (one SKPD in upper case, from an older export; one SKPD's answer encoded); budget lines
// with koefisien and vol_1/sat_1. Ids are JSON numbers, some above 2^53; pagu sometimes a
// number, sometimes Indonesian text.
import { LosslessNumber } from '../../src/connectors/simulator-sdk.js';

export const SANDBOX_TOKEN = 'sipd-token-demo-pesawaran';
export const SANDBOX_ID_DAERAH = '297';
export const SANDBOX_TAHUN = '2026';
/** SIPD-RI answers at most this many nomenclature rows per page, whatever `length` asks. */
export const NOMENKLATUR_PAGE_CAP = 5;
/** … and at most this many SKPD of list_skpd. */
export const SKPD_PAGE_CAP = 3;

export interface SandboxSkpd {
  /** SIPD-RI id_skpd. */
  id: number;
  kode: string;
  nama: string;
  /** Bidang urusan the agency carries (the RKPD listing's `pilihanbidang`). */
  bidang: string[];
  /** How this SKPD's sub-kegiatan rows are written. */
  keys: 'snake' | 'upper';
  /** Whether list_belanja encodes this SKPD's answer (older releases did). */
  encoded?: boolean;
}

export const SKPD: readonly SandboxSkpd[] = [
  { id: 1687, kode: '1.01.2.22.0.00.01.0000', nama: 'Dinas Pendidikan dan Kebudayaan', bidang: ['1.01', '2.22'], keys: 'snake' },
  { id: 1688, kode: '1.02.0.00.0.00.01.0000', nama: 'Dinas Kesehatan', bidang: ['1.02'], keys: 'snake' },
  { id: 1690, kode: '1.03.0.00.0.00.01.0000', nama: 'Dinas Pekerjaan Umum dan Penataan Ruang', bidang: ['1.03'], keys: 'snake', encoded: true },
  { id: 1712, kode: '2.16.2.20.2.21.01.0000', nama: 'Dinas Komunikasi dan Informatika', bidang: ['2.16', '2.20', '2.21'], keys: 'upper' },
];

const URUSAN: Record<string, string> = {
  '1': 'URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR',
  '2': 'URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR',
};

const BIDANG: Record<string, string> = {
  '1.01': 'URUSAN PEMERINTAHAN BIDANG PENDIDIKAN',
  '1.02': 'URUSAN PEMERINTAHAN BIDANG KESEHATAN',
  '1.03': 'URUSAN PEMERINTAHAN BIDANG PEKERJAAN UMUM DAN PENATAAN RUANG',
  '2.16': 'URUSAN PEMERINTAHAN BIDANG KOMUNIKASI DAN INFORMATIKA',
};

const PROGRAM: Record<string, string> = {
  '1.01.02': 'PROGRAM PENGELOLAAN PENDIDIKAN',
  '1.02.02': 'PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT',
  '1.03.10': 'PROGRAM PENYELENGGARAAN JALAN',
  '2.16.02': 'PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK',
  '2.16.03': 'PROGRAM APLIKASI INFORMATIKA',
};

const KEGIATAN: Record<string, string> = {
  '1.01.02.2.01': 'Pengelolaan Pendidikan Sekolah Dasar',
  '1.01.02.2.02': 'Pengelolaan Pendidikan Sekolah Menengah Pertama',
  '1.02.02.2.01': 'Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kewenangan Daerah Kabupaten/Kota',
  '1.02.02.2.02': 'Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah Kabupaten/Kota',
  '1.03.10.2.01': 'Penyelenggaraan Jalan Kabupaten/Kota',
  '2.16.02.2.01': 'Pengelolaan Informasi dan Komunikasi Publik Pemerintah Daerah Kabupaten/Kota',
  '2.16.03.2.02': 'Pengelolaan e-Government di Lingkup Pemerintah Daerah Kabupaten/Kota',
};

export interface SandboxDana {
  kode?: string;
  nama: string;
}

export interface SandboxSubKegiatan {
  /** SIPD-RI id_sub_bl, as digits (some above 2^53). */
  idSubBl: string;
  idSkpd: number;
  kode: string;
  nama: string;
  /** As SIPD sends it: a number of rupiah, or Indonesian text. */
  pagu: number | string;
  dana: SandboxDana[];
  /** SIPD writes the code in front of the name in some rows. */
  codeInName?: boolean;
}

const DAU: SandboxDana = { kode: '1.2.1.01.01.01.0001', nama: 'DAU - Yang Tidak Ditentukan Penggunaannya' };
const DAK_FISIK: SandboxDana = { kode: '1.2.2.01.01.01.0003', nama: 'DAK Fisik - Reguler' };
const PAD: SandboxDana = { kode: '1.1.1.01.01.01.0001', nama: 'Pendapatan Asli Daerah' };
const BOS: SandboxDana = { kode: '1.2.2.02.01.01.0001', nama: 'DAK Non Fisik - BOS Reguler' };
const BOK: SandboxDana = { nama: 'DAK Non Fisik - BOK' };

export function initialSubKegiatan(): SandboxSubKegiatan[] {
  return [
    // Dinas Pendidikan dan Kebudayaan
    { idSubBl: '48211', idSkpd: 1687, kode: '1.01.02.2.01.0009', nama: 'Rehabilitasi Sedang/Berat Ruang Kelas Sekolah', pagu: 'Rp. 3.150.000.000,00', dana: [DAK_FISIK] },
    { idSubBl: '48212', idSkpd: 1687, kode: '1.01.02.2.01.0025', nama: 'Pengelolaan Dana BOS Sekolah Dasar', pagu: 38456120000, dana: [BOS] },
    { idSubBl: '48219', idSkpd: 1687, kode: '1.01.02.2.02.0006', nama: 'Pembangunan Laboratorium Sekolah', pagu: 'Rp. 1.275.000.000,00', dana: [DAK_FISIK, DAU], codeInName: true },
    // Dinas Kesehatan
    { idSubBl: '9007199254741011', idSkpd: 1688, kode: '1.02.02.2.01.0014', nama: 'Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan Kesehatan', pagu: 2650000000, dana: [DAK_FISIK] },
    { idSubBl: '9007199254741013', idSkpd: 1688, kode: '1.02.02.2.02.0001', nama: 'Pengelolaan Pelayanan Kesehatan Ibu Hamil', pagu: 'Rp 412.750.000,00', dana: [BOK] },
    { idSubBl: '9007199254741015', idSkpd: 1688, kode: '1.02.02.2.02.0004', nama: 'Pengelolaan Pelayanan Kesehatan Balita', pagu: 389000000, dana: [BOK, DAU] },
    // Dinas PUPR
    { idSubBl: '50017', idSkpd: 1690, kode: '1.03.10.2.01.0015', nama: 'Pembangunan Jalan', pagu: 'Rp. 16.250.000.000,00', dana: [DAK_FISIK, DAU] },
    { idSubBl: '50018', idSkpd: 1690, kode: '1.03.10.2.01.0018', nama: 'Rehabilitasi Jalan', pagu: 2150000000, dana: [DAU], codeInName: true },
    { idSubBl: '50021', idSkpd: 1690, kode: '1.03.10.2.01.0026', nama: 'Pemeliharaan Rutin Jalan', pagu: '875.500.000', dana: [PAD] },
    // Diskominfo
    { idSubBl: '18014398509481985', idSkpd: 1712, kode: '2.16.02.2.01.0002', nama: 'Penyelenggaraan Hubungan Masyarakat, Media dan Kemitraan Komunitas', pagu: 645000000, dana: [PAD] },
    { idSubBl: '18014398509481986', idSkpd: 1712, kode: '2.16.03.2.02.0003', nama: 'Penyelenggaraan Sistem Jaringan Intra Pemerintah Daerah', pagu: 'Rp. 980.000.000,00', dana: [DAU] },
    { idSubBl: '18014398509481987', idSkpd: 1712, kode: '2.16.03.2.02.0004', nama: 'Pengembangan Aplikasi dan Proses Bisnis Pemerintahan Berbasis Elektronik', pagu: 1350000000, dana: [DAU, PAD] },
  ];
}

export interface SandboxRincian {
  /** SIPD-RI id_rinci_sub_bl, as digits (some above 2^53). */
  id: string;
  kodeSkpd: string;
  kodeSub: string;
  kodeAkun: string;
  namaAkun: string;
  komponen: string;
  spek?: string;
  volume: number | string;
  satuan: string;
  harga: number | string;
  total: number | string;
  /** The SIRUP package that spends the line; 0 when none yet, as SIPD writes it. */
  kodeRup?: number | string;
}

const PUPR = '1.03.0.00.0.00.01.0000';
const DINKES = '1.02.0.00.0.00.01.0000';
const DISDIK = '1.01.2.22.0.00.01.0000';
const KOMINFO = '2.16.2.20.2.21.01.0000';

/**
 * Budget lines. Kode RUP (SIRUP package codes) sit on the lines that are procured (works, goods,
 * consultancy). 40000001, 40000004, 40000011 and 40000012 are tenders of the LPSE sandbox (the last
 * three find their sub-kegiatan through the rup-anggaran view); 528100xx are not tendered yet.
 */
export function initialRincian(): SandboxRincian[] {
  return [
    { id: '9007199254750001', kodeSkpd: PUPR, kodeSub: '1.03.10.2.01.0015', kodeAkun: '5.2.04.01.01.0003', namaAkun: 'Belanja Modal Jalan Kabupaten', komponen: 'Rekonstruksi Ruas Jalan Kedondong - Way Lima', spek: 'Hotmix AC-WC, lebar 6 m, panjang 7,4 km', volume: 1, satuan: 'Paket', harga: 'Rp. 15.900.000.000,00', total: 'Rp. 15.900.000.000,00', kodeRup: 40000001 },
    { id: '9007199254750003', kodeSkpd: PUPR, kodeSub: '1.03.10.2.01.0015', kodeAkun: '5.1.02.02.12.0001', namaAkun: 'Belanja Jasa Konsultansi Perencanaan Rekayasa-Jasa Nasihat dan Konsultansi Rekayasa Konstruksi', komponen: 'Jasa Konsultansi Pengawasan Rekonstruksi Jalan Kedondong - Way Lima', volume: 1, satuan: 'Paket', harga: 245000000, total: 245000000, kodeRup: '52810002' },
    { id: '9007199254750005', kodeSkpd: PUPR, kodeSub: '1.03.10.2.01.0018', kodeAkun: '5.2.04.01.01.0003', namaAkun: 'Belanja Modal Jalan Kabupaten', komponen: 'Rehabilitasi Jalan Ruas Gedong Tataan - Negeri Katon', spek: 'Hotmix AC-WC tebal 4 cm', volume: 1, satuan: 'Paket', harga: 2085000000, total: 2085000000, kodeRup: 52810003 },
    { id: '60001', kodeSkpd: PUPR, kodeSub: '1.03.10.2.01.0018', kodeAkun: '5.1.02.01.01.0024', namaAkun: 'Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor', komponen: 'Kertas HVS A4 80 gram', volume: 40, satuan: 'Rim', harga: 'Rp 65.000', total: 'Rp 2.600.000', kodeRup: 0 },
    { id: '60002', kodeSkpd: PUPR, kodeSub: '1.03.10.2.01.0026', kodeAkun: '5.1.02.02.01.0030', namaAkun: 'Belanja Jasa Tenaga Kebersihan', komponen: 'Upah Tenaga Pemeliharaan Rutin Jalan', volume: '1.440', satuan: 'Orang/Hari', harga: 'Rp 150.000', total: 'Rp 216.000.000' },
    { id: '60003', kodeSkpd: PUPR, kodeSub: '1.03.10.2.01.0026', kodeAkun: '5.1.02.01.01.0012', namaAkun: 'Belanja Bahan-Bahan Bangunan dan Konstruksi', komponen: 'Aspal Curah', volume: '12,5', satuan: 'Ton', harga: 'Rp 9.800.000', total: 'Rp 122.500.000', kodeRup: '52810004' },

    { id: '61001', kodeSkpd: DINKES, kodeSub: '1.02.02.2.01.0014', kodeAkun: '5.2.02.07.01.0001', namaAkun: 'Belanja Modal Alat Kedokteran Umum', komponen: 'Paket Alat Kesehatan Puskesmas Tegineneng dan Puskesmas Kedondong', spek: 'USG, EKG, dental unit, sterilisator', volume: 1, satuan: 'Paket', harga: 'Rp. 2.400.000.000,00', total: 'Rp. 2.400.000.000,00', kodeRup: 40000004 },
    { id: '61002', kodeSkpd: DINKES, kodeSub: '1.02.02.2.01.0014', kodeAkun: '5.2.02.07.01.0002', namaAkun: 'Belanja Modal Alat Kedokteran Gigi', komponen: 'Dental Unit Lengkap', volume: 2, satuan: 'Unit', harga: 98500000, total: 197000000, kodeRup: 52810012 },
    { id: '61003', kodeSkpd: DINKES, kodeSub: '1.02.02.2.02.0001', kodeAkun: '5.1.02.01.01.0052', namaAkun: 'Belanja Makanan dan Minuman Rapat', komponen: 'Makan Minum Kelas Ibu Hamil', volume: 1200, satuan: 'Orang/Kegiatan', harga: 'Rp 45.000', total: 'Rp 54.000.000' },
    { id: '61004', kodeSkpd: DINKES, kodeSub: '1.02.02.2.02.0001', kodeAkun: '5.1.02.04.01.0003', namaAkun: 'Belanja Perjalanan Dinas Dalam Kota', komponen: 'Transport Kunjungan Rumah Ibu Hamil Risiko Tinggi', volume: 2400, satuan: 'OK', harga: 'Rp 100.000', total: 'Rp 240.000.000' },
    { id: '61005', kodeSkpd: DINKES, kodeSub: '1.02.02.2.02.0004', kodeAkun: '5.1.02.01.01.0026', namaAkun: 'Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Cetak', komponen: 'Cetak Buku KIA', volume: 5000, satuan: 'Eksemplar', harga: 'Rp 35.000', total: 'Rp 175.000.000', kodeRup: '52810013' },
    { id: '61006', kodeSkpd: DINKES, kodeSub: '1.02.02.2.02.0004', kodeAkun: '5.1.02.01.01.0055', namaAkun: 'Belanja Makanan dan Minuman pada Fasilitas Pelayanan Urusan Kesehatan', komponen: 'Pemberian Makanan Tambahan Balita Gizi Kurang', volume: '1.800', satuan: 'Paket', harga: 'Rp 75.000', total: 'Rp 135.000.000' },

    { id: '62001', kodeSkpd: DISDIK, kodeSub: '1.01.02.2.01.0009', kodeAkun: '5.2.03.01.01.0015', namaAkun: 'Belanja Modal Bangunan Gedung Tempat Pendidikan', komponen: 'Rehabilitasi Ruang Kelas SDN 14 Gedong Tataan', volume: 3, satuan: 'Ruang', harga: 'Rp. 285.000.000,00', total: 'Rp. 855.000.000,00', kodeRup: 52810021 },
    { id: '62002', kodeSkpd: DISDIK, kodeSub: '1.01.02.2.01.0009', kodeAkun: '5.2.03.01.01.0015', namaAkun: 'Belanja Modal Bangunan Gedung Tempat Pendidikan', komponen: 'Rehabilitasi Ruang Kelas SDN 2 Padang Cermin', volume: 4, satuan: 'Ruang', harga: 'Rp. 292.500.000,00', total: 'Rp. 1.170.000.000,00', kodeRup: 52810022 },
    { id: '62005', kodeSkpd: DISDIK, kodeSub: '1.01.02.2.01.0009', kodeAkun: '5.2.02.05.01.0001', namaAkun: 'Belanja Modal Mebel', komponen: 'Meubelair Sekolah Dasar Kecamatan Negeri Katon', spek: 'Meja dan kursi siswa, lemari kelas', volume: 1, satuan: 'Paket', harga: 'Rp. 860.000.000,00', total: 'Rp. 860.000.000,00', kodeRup: 40000012 },
    { id: '62003', kodeSkpd: DISDIK, kodeSub: '1.01.02.2.01.0025', kodeAkun: '5.1.02.01.01.0024', namaAkun: 'Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor', komponen: 'Alat Tulis Kantor Satuan Pendidikan', volume: 212, satuan: 'Sekolah', harga: 'Rp 4.500.000', total: 'Rp 954.000.000' },
    { id: '62004', kodeSkpd: DISDIK, kodeSub: '1.01.02.2.02.0006', kodeAkun: '5.2.03.01.01.0015', namaAkun: 'Belanja Modal Bangunan Gedung Tempat Pendidikan', komponen: 'Pembangunan Laboratorium IPA SMPN 1 Way Ratai', volume: 1, satuan: 'Unit', harga: 'Rp. 1.150.000.000,00', total: 'Rp. 1.150.000.000,00', kodeRup: 52810023 },

    { id: '63001', kodeSkpd: KOMINFO, kodeSub: '2.16.02.2.01.0002', kodeAkun: '5.1.02.02.01.0063', namaAkun: 'Belanja Jasa Iklan/Reklame, Film, dan Pemotretan', komponen: 'Publikasi Kegiatan Pemerintah Daerah di Media Cetak dan Daring', volume: 24, satuan: 'Kali', harga: 'Rp 12.500.000', total: 'Rp 300.000.000', kodeRup: 52810031 },
    { id: '63002', kodeSkpd: KOMINFO, kodeSub: '2.16.03.2.02.0003', kodeAkun: '5.1.02.02.01.0061', namaAkun: 'Belanja Kawat/Faksimili/Internet/TV Berlangganan', komponen: 'Langganan Internet Dedicated 500 Mbps', volume: 12, satuan: 'Bulan', harga: 'Rp 38.500.000', total: 'Rp 462.000.000', kodeRup: 52810032 },
    { id: '63003', kodeSkpd: KOMINFO, kodeSub: '2.16.03.2.02.0003', kodeAkun: '5.2.02.10.02.0004', namaAkun: 'Belanja Modal Peralatan Jaringan', komponen: 'Switch Core Layer 3', spek: '48 port, 10G uplink', volume: 2, satuan: 'Unit', harga: 'Rp 175.000.000', total: 'Rp 350.000.000', kodeRup: 52810033 },
    { id: '63004', kodeSkpd: KOMINFO, kodeSub: '2.16.03.2.02.0004', kodeAkun: '5.1.02.02.12.0003', namaAkun: 'Belanja Jasa Konsultansi Berorientasi Bidang-Pengembangan Pemanfaatan Teknologi Informasi', komponen: 'Pengembangan Sistem Penghubung Layanan Pemerintah', volume: 1, satuan: 'Paket', harga: 950000000, total: 950000000, kodeRup: 52810034 },
    { id: '63010', kodeSkpd: KOMINFO, kodeSub: '2.16.03.2.02.0004', kodeAkun: '5.1.02.02.12.0003', namaAkun: 'Belanja Jasa Konsultansi Berorientasi Bidang-Pengembangan Pemanfaatan Teknologi Informasi', komponen: 'Jasa Konsultansi Penyusunan Masterplan SPBE', volume: 1, satuan: 'Paket', harga: 320000000, total: 320000000, kodeRup: '40000011' },
    { id: '63005', kodeSkpd: KOMINFO, kodeSub: '2.16.03.2.02.0004', kodeAkun: '5.1.02.01.01.0052', namaAkun: 'Belanja Makanan dan Minuman Rapat', komponen: 'Rapat Koordinasi Integrasi Layanan SPBE', volume: 300, satuan: 'Orang/Kali', harga: 'Rp 50.000', total: 'Rp 15.000.000' },
  ];
}

// ─── native forms, per endpoint ──────────────────────────────────────────────────────────────

/** A JSON number whatever its size: small ids as numbers, large ones as LosslessNumber. */
const number = (digits: string): number | LosslessNumber => (Number.isSafeInteger(Number(digits)) ? Number(digits) : new LosslessNumber(digits));

const upperKeys = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(upperKeys) : value && typeof value === 'object' && !(value instanceof LosslessNumber)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toUpperCase(), upperKeys(v)]))
    : value;

/** A sandbox SIPD-RI id for a nomenclature level, derived from its code (SIPD's own are arbitrary). */
const idOfCode = (kode: string): number => Number(kode.replace(/\./g, '').slice(-6)) + 7000;

/** One entry of the national nomenclature: every sub-kegiatan code of the sandbox, once, in order. */
export interface SandboxNomenklatur {
  kode: string;
  nama: string;
}

export function nomenklaturOf(subKegiatan: readonly SandboxSubKegiatan[]): SandboxNomenklatur[] {
  const byKode = new Map(subKegiatan.map((s) => [s.kode, { kode: s.kode, nama: s.nama }]));
  return [...byKode.values()].sort((a, b) => (a.kode < b.kode ? -1 : a.kode > b.kode ? 1 : 0));
}

/** `POST /api/master/sub_giat/list_table`: ids, code and name (agusnurwanto/sipd-ri-chrome-extension js/content/master/sub_giat.js). */
export function toNomenklaturRow(entry: SandboxNomenklatur, tahun: number): Record<string, unknown> {
  const parts = entry.kode.split('.');
  return {
    id_urusan: idOfCode(parts[0]!),
    id_bidang_urusan: idOfCode(parts.slice(0, 2).join('.')),
    id_program: idOfCode(parts.slice(0, 3).join('.')),
    id_giat: idOfCode(parts.slice(0, 5).join('.')),
    id_sub_giat: idOfCode(entry.kode),
    kode_sub_giat: entry.kode,
    nama_sub_giat: entry.nama,
    tahun,
  };
}

const paguNumber = (pagu: number | string): number => (typeof pagu === 'number' ? pagu : Number(pagu.replace(/^Rp\.?\s*/, '').replace(/,00$/, '').replaceAll('.', '')));

/** A unit of `POST /api/renja/sub_bl/list_skpd` (js/content/renja/renja.js: id_skpd, id_unit, kode_skpd, nama_skpd, set_pagu_skpd, nilaipagu, …). */
export function toUnitRow(skpd: SandboxSkpd, subKegiatan: readonly SandboxSubKegiatan[], tahun: number): Record<string, unknown> {
  const pagu = subKegiatan.filter((s) => s.idSkpd === skpd.id).reduce((sum, s) => sum + paguNumber(s.pagu), 0);
  return { id_skpd: skpd.id, id_unit: skpd.id, kode_skpd: skpd.kode, nama_skpd: skpd.nama, set_pagu_skpd: 1, nilaipagu: pagu, nilaipagumurni: pagu, nilairincian: 0, is_anggaran: 1, is_deleted: 0, tahun };
}

/** A sub-kegiatan of `list_belanja_by_tahun_daerah_unit` (js/content/renja/renja.js: the fields singkron_rka_ke_lokal copies). */
export function toBelanjaRow(record: SandboxSubKegiatan, tahun: number): Record<string, unknown> {
  const skpd = SKPD.find((s) => s.id === record.idSkpd)!;
  const parts = record.kode.split('.');
  const urusan = parts[0]!;
  const bidang = parts.slice(0, 2).join('.');
  const program = parts.slice(0, 3).join('.');
  const kegiatan = parts.slice(0, 5).join('.');
  const row: Record<string, unknown> = {
    id_sub_bl: number(record.idSubBl),
    kode_sbl: `${skpd.id}.${skpd.id}.${idOfCode(kegiatan)}.${idOfCode(record.kode)}`,
    tahun,
    id_daerah: Number(SANDBOX_ID_DAERAH),
    id_unit: skpd.id,
    id_skpd: skpd.id,
    id_sub_skpd: skpd.id,
    // SIPD-RI writes the SKPD's name after its code here (renja.js drops the first word).
    kode_skpd: skpd.kode,
    nama_skpd: `${skpd.kode} ${skpd.nama}`,
    kode_sub_skpd: skpd.kode,
    nama_sub_skpd: skpd.nama,
    id_urusan: idOfCode(urusan),
    id_bidang_urusan: idOfCode(bidang),
    id_program: idOfCode(program),
    id_giat: idOfCode(kegiatan),
    id_sub_giat: idOfCode(record.kode),
    kode_urusan: urusan,
    nama_urusan: URUSAN[urusan],
    kode_bidang_urusan: bidang,
    nama_bidang_urusan: BIDANG[bidang],
    kode_program: program,
    nama_program: PROGRAM[program],
    kode_giat: kegiatan,
    nama_giat: KEGIATAN[kegiatan],
    kode_sub_giat: record.kode,
    nama_sub_giat: record.codeInName ? `${record.kode} ${record.nama}` : record.nama,
    pagu: record.pagu,
    pagumurni: record.pagu,
    rincian: 0,
    rinci_giat: 0,
  };
  return skpd.keys === 'snake' ? row : (upperKeys(row) as Record<string, unknown>);
}

/** A budget line of `rinci_sub_bl/get_by_id_sub_bl` (js/content/renja/renja.js: the fields get_rinci_sub_bl's caller copies). */
export function toRinciRow(line: SandboxRincian, sub: SandboxSubKegiatan): Record<string, unknown> {
  return {
    id_rinci_sub_bl: number(line.id),
    id_sub_bl: number(sub.idSubBl),
    kode_akun: line.kodeAkun,
    nama_akun: `${line.kodeAkun} ${line.namaAkun}`,
    nama_standar_harga: line.komponen,
    spek: line.spek ?? '',
    koefisien: `${line.volume} ${line.satuan}`,
    vol_1: line.volume,
    sat_1: line.satuan,
    harga_satuan: line.harga,
    total_harga: line.total,
    // Not in the public client's field list: the sandbox's link to LPSE (kode RUP), see README.md.
    ...(line.kodeRup !== undefined ? { kode_rup: line.kodeRup } : {}),
  };
}
