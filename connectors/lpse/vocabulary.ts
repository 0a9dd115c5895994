// SPSE's words for a package's stage, kind and method → the canonical enums of
// paket-pengadaan.v1. SPSE writes them in cells with HTML around them, in several generations
// of wording (Lelang → Tender after Perpres 16/2018), and the stage cell can list several
// stages that run at once. A wording not listed here is refused, never guessed.
import { remembered } from '../../src/connectors/sdk.js';
import { oneLine } from './fields.js';

export type StatusPaket =
  | 'pengumuman' | 'pendaftaran' | 'evaluasi' | 'penetapan_pemenang' | 'kontrak'
  | 'berlangsung' | 'selesai' | 'batal' | 'gagal';

export type JenisPengadaan =
  | 'pengadaan_barang' | 'pekerjaan_konstruksi' | 'jasa_konsultansi' | 'jasa_konsultansi_badan_usaha'
  | 'jasa_konsultansi_perorangan' | 'jasa_lainnya' | 'terintegrasi';

export type MetodePengadaan =
  | 'tender' | 'tender_cepat' | 'seleksi' | 'pengadaan_langsung' | 'penunjukan_langsung' | 'e_purchasing' | 'darurat'
  | 'kontes' | 'sayembara' | 'dikecualikan';

/**
 * `read` with its answers kept: every row of a listing repeats one of a few dozen wordings, each
 * read through several regular expressions. Long text is read every time.
 */
const rememberedWording = <T>(read: (raw: string) => T | undefined): ((raw: string) => T | undefined) => remembered(read, { max: 1024, maxInputLength: 200 });

/** Lower case, HTML out, `&` as `dan`, punctuation but `/` as spaces. */
function words(text: string): string {
  return oneLine(text).toLowerCase().replace(/&/g, ' dan ').replace(/[^a-z0-9/ ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

// ─── stage (tahap / status_tender) ───────────────────────────────────────────────────────────

/** Stages in the order a tender goes through them. */
const PROGRESSION: readonly StatusPaket[] = ['pengumuman', 'pendaftaran', 'evaluasi', 'penetapan_pemenang', 'kontrak'];

/** Stages that say nothing about a step in progress: checked first, whole words. */
const FINAL: readonly [RegExp, StatusPaket][] = [
  // ISB's combined wording: the tender ended without a contract; gagal is the broader term.
  [/\bgagal ?\/ ?batal\b|\bbatal ?\/ ?gagal\b/, 'gagal'],
  [/\b(?:batal|dibatalkan|pembatalan|ditutup)\b/, 'batal'],
  [/\bgagal\b|\b(?:tender|seleksi|lelang) ulang\b/, 'gagal'],
  [/\b(?:sudah|telah) selesai\b|^(?:(?:tender|seleksi|lelang|paket|pekerjaan) )?selesai$/, 'selesai'],
  [/\bsedang (?:berjalan|berlangsung)\b|^(?:berlangsung|berjalan|aktif)$/, 'berlangsung'],
];

/** One stage of the schedule (jadwal) each; the most advanced one found wins. */
const STEPS: readonly [RegExp, StatusPaket][] = [
  [/\bpengumuman\b/, 'pengumuman'],
  [/\b(?:pendaftaran|download|unduh|upload|unggah|pemberian penjelasan|penjelasan|aanwijzing|kirim persyaratan|pemasukan|undangan)\b/, 'pendaftaran'],
  [/\b(?:evaluasi|pembukaan|pembuktian|klarifikasi|negosiasi|penilaian|verifikasi|peringkat)\b/, 'evaluasi'],
  [/\b(?:penetapan|pengumuman|penunjukan)? ?(?:calon )?pemenang\b|\bsanggah(?:an)?\b|\bberita acara hasil\b/, 'penetapan_pemenang'],
  [/\bkontrak\b|\bpenunjukan penyedia\b|\bsppbj\b/, 'kontrak'],
];

/**
 * SPSE's stage wording → the canonical status, undefined when unknown. `Pengumuman
 * Pascakualifikasi` → pengumuman, `Tender Sedang Berjalan` → berlangsung, `Tender Sudah Selesai`
 * → selesai, `Tender Batal` → batal; a cell listing several stages (`Pengumuman Pascakualifikasi,
 * Download Dokumen Pemilihan`) is the most advanced of them.
 */
export const statusOf = rememberedWording(function statusOf(raw: string): StatusPaket | undefined {
  const text = words(raw);
  if (text === '') return undefined;
  for (const [pattern, status] of FINAL) if (pattern.test(text)) return status;
  // Objections and results of a prequalification come before bidding, not after the award.
  const normal = text.replace(/\b(?:masa )?sanggah(?:an)? (?:hasil )?(?:pra|pasca)?kualifikasi\b|\b(?:pengumuman|penetapan) hasil (?:pra|pasca)?kualifikasi\b/g, ' evaluasi ');
  let best = -1;
  for (const [pattern, status] of STEPS) if (pattern.test(normal)) best = Math.max(best, PROGRESSION.indexOf(status));
  return best < 0 ? undefined : PROGRESSION[best];
});

// ─── kind (jenis pengadaan) ──────────────────────────────────────────────────────────────────

const JENIS: readonly [RegExp, JenisPengadaan][] = [
  [/^(?:pengadaan )?barang$/, 'pengadaan_barang'],
  [/^(?:pekerjaan )?konstruksi terintegrasi$|^terintegrasi$|^rancang bangun$/, 'terintegrasi'],
  [/^(?:pekerjaan )?konstruksi$/, 'pekerjaan_konstruksi'],
  [/^jasa konsultan(?:s)?i badan usaha(?: (?:non ?)?konstruksi)?$/, 'jasa_konsultansi_badan_usaha'],
  [/^jasa konsultan(?:s)?i perorangan(?: (?:non ?)?konstruksi)?$/, 'jasa_konsultansi_perorangan'],
  [/^jasa lain(?:nya)?$/, 'jasa_lainnya'],
  // Older SPSE listings write the bare kind without saying whether a firm or a person is hired.
  [/^jasa konsultan(?:s)?i(?: (?:non ?)?konstruksi)?$/, 'jasa_konsultansi'],
];

/**
 * `Pengadaan Barang`, `Pekerjaan Konstruksi`, `Jasa Konsultansi Badan Usaha Non Konstruksi`,
 * `Jasa Konsultansi Perorangan`, `Jasa Lainnya`, `Pekerjaan Konstruksi Terintegrasi` → the enum.
 * The bare `Jasa Konsultansi` of older SPSE listings (wakataw/pyproc tests/fixtures/dt_lelang.json)
 * does not say whether a firm or a person is hired: `jasa_konsultansi`.
 */
export const jenisOf = rememberedWording(function jenisOf(raw: string): JenisPengadaan | undefined {
  const text = words(raw);
  for (const [pattern, jenis] of JENIS) if (pattern.test(text)) return jenis;
  return undefined;
});

// ─── method (metode pemilihan) ───────────────────────────────────────────────────────────────

const METODE: readonly [RegExp, MetodePengadaan][] = [
  [/^e ?purchasing$|^katalog elektronik$|^e ?katalog$/, 'e_purchasing'],
  [/^(?:e )?(?:tender|lelang|pelelangan) cepat$/, 'tender_cepat'],
  [/^(?:e )?(?:tender|lelang|pelelangan)(?: (?:umum|sederhana|terbatas))?$/, 'tender'],
  [/^(?:e )?seleksi(?: (?:umum|sederhana))?$/, 'seleksi'],
  [/^(?:e )?pengadaan langsung$/, 'pengadaan_langsung'],
  [/^(?:e )?penunjukan langsung$/, 'penunjukan_langsung'],
  [/^(?:pengadaan |penanganan )?darurat$/, 'darurat'],
  [/^kontes$/, 'kontes'],
  [/^sayembara$/, 'sayembara'],
  [/^(?:pengadaan )?dikecualikan$/, 'dikecualikan'],
];

/** `Tender`, `e-Lelang Umum`, `Tender Cepat`, `Seleksi`, `Pengadaan Langsung`, `E-Purchasing`, … → the enum. */
export const metodeOf = rememberedWording(function metodeOf(raw: string): MetodePengadaan | undefined {
  const text = words(raw.replace(/-/g, ' '));
  for (const [pattern, metode] of METODE) if (pattern.test(text)) return metode;
  return undefined;
});
