// The example e-kinerja's made-up civil servants: names, NIPs, NIKs and phone numbers are
// invented for the sandbox (the NIKs carry Pesawaran's region code 1809 and a made-up rest).
export interface Pegawai {
  nip: string;
  nama: string;
  jabatan: string;
  unit_kerja: string;
  nik: string;
  telepon: string;
}

export interface Kinerja {
  nip: string;
  tahun: number;
  nilai: number;
  predikat: 'Sangat Baik' | 'Baik' | 'Cukup' | 'Kurang';
}

export interface Kehadiran {
  nip: string;
  bulan: string;
  hadir: number;
  izin: number;
  alpa: number;
}

export const SANDBOX_API_KEY = 'ekinerja-sandbox-kunci';

export const initialPegawai: Pegawai[] = [
  { nip: '198703152010011002', nama: 'Rudi Hartono', jabatan: 'Analis Kepegawaian Ahli Muda', unit_kerja: 'BKPSDM', nik: '1809021503870002', telepon: '081277001234' },
  { nip: '199001202015032001', nama: 'Siti Aminah', jabatan: 'Pranata Komputer Ahli Pertama', unit_kerja: 'Dinas Komunikasi dan Informatika', nik: '1809036001900003', telepon: '085366112233' },
  { nip: '198512102009021003', nama: 'Agus Salim Nasution', jabatan: 'Kepala Seksi Jalan', unit_kerja: 'Dinas Pekerjaan Umum dan Penataan Ruang', nik: '1809011012850004', telepon: '082180445566' },
];

export const initialKinerja: Kinerja[] = [
  { nip: '198703152010011002', tahun: 2025, nilai: 91.5, predikat: 'Sangat Baik' },
  { nip: '199001202015032001', tahun: 2025, nilai: 84.25, predikat: 'Baik' },
  { nip: '198512102009021003', tahun: 2025, nilai: 76, predikat: 'Baik' },
];

export const initialKehadiran: Kehadiran[] = [
  { nip: '198703152010011002', bulan: '2026-11', hadir: 20, izin: 1, alpa: 0 },
  { nip: '199001202015032001', bulan: '2026-11', hadir: 19, izin: 2, alpa: 0 },
  { nip: '198512102009021003', bulan: '2026-11', hadir: 18, izin: 1, alpa: 2 },
];
