// Step functions of the complaint flow: pure, deterministic builders of each step's input from
// the complaint and the earlier steps' results (so a resumed instance builds the same letter).
import { createHash } from 'node:crypto';
import type { FlowContext } from '../../src/flows/flow-engine.js';

interface Pengaduan {
  id: string;
  nomor_pelacakan: string;
  /** Absent on a complaint filed in the regency without a title. */
  judul?: string;
  isi: string;
  kategori: string;
  tanggal_laporan: string;
  rahasia: boolean;
  anonim: boolean;
  pelapor?: { nama?: string; nik?: string };
}

const complaintOf = (context: FlowContext): Pengaduan => context.event.data as Pengaduan;

export function reporterGaveNik(context: FlowContext): boolean {
  const complaint = complaintOf(context);
  return !complaint.anonim && typeof complaint.pelapor?.nik === 'string';
}

export function verificationRequest(context: FlowContext): Record<string, unknown> {
  const { pelapor } = complaintOf(context);
  return { nik: pelapor!.nik, ...(pelapor!.nama ? { nama_lengkap: pelapor!.nama.toUpperCase() } : {}) };
}

export function responsibleOpd(context: FlowContext): string {
  const table = (context.options.opdPerKategori ?? {}) as Record<string, string>;
  return table[complaintOf(context).kategori.trim().toLowerCase()] ?? String(context.options.opdLainnya);
}

/** A UUID derived from the complaint, so the same complaint always makes the same letter. */
function letterUuid(complaintId: string): string {
  const hex = createHash('sha256').update(`disposisi:${complaintId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The opening of a complaint without a title: its first line, at most 80 characters. */
const summaryOf = (isi: string): string => {
  const line = isi.split('\n')[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
};

export function dispositionLetter(context: FlowContext): Record<string, unknown> {
  const complaint = complaintOf(context);
  const opd = context.results['tentukan-opd'] as string;
  const klasifikasi = String(context.options.klasifikasiArsip);
  const day = complaint.tanggal_laporan.slice(0, 10);
  return {
    id: `sitampan-${letterUuid(complaint.id)}`,
    nomor: `${klasifikasi}/${complaint.nomor_pelacakan}/LAPOR/${day.slice(0, 4)}`,
    tanggal: day,
    hal: `Disposisi pengaduan SP4N-LAPOR! nomor ${complaint.nomor_pelacakan}`,
    sifat: complaint.rahasia ? 'rahasia' : 'biasa',
    urgensi: 'segera',
    klasifikasi_arsip: klasifikasi,
    pengirim: context.options.pengirim,
    tujuan: [{ instansi: opd }],
    ringkasan: `Mohon tindak lanjut pengaduan "${complaint.judul ?? summaryOf(complaint.isi)}" (kategori ${complaint.kategori}) dan jawab melalui Penghubung.`,
    lampiran: [],
    disposisi: [],
  };
}

export function disposition(context: FlowContext): Record<string, unknown> {
  const complaint = complaintOf(context);
  const verification = context.results['verifikasi-pelapor'] as { sesuai_semua?: boolean; refused?: string } | undefined;
  // SIAK refusing the record (not found, inactive, deceased…) is a verification that failed;
  // SIAK refusing the hub (quota, hours, credentials) verified nothing.
  const recordRefusal = verification?.refused !== undefined && /^upstream-(record|subject)-/.test(verification.refused);
  return {
    pengaduan_id: complaint.id,
    nomor_pelacakan: complaint.nomor_pelacakan,
    kategori: complaint.kategori,
    instansi_tujuan: context.results['tentukan-opd'],
    naskah_id: (context.results['buat-naskah'] as { id: string }).id,
    ...(verification ? { identitas_pelapor: { diverifikasi: verification.refused === undefined || recordRefusal, sesuai: verification.sesuai_semua === true } } : {}),
    didisposisikan_pada: context.event.time ?? new Date(0).toISOString(),
  };
}
