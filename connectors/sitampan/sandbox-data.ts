// Synthetic letters of the Pesawaran administration for the SITAMPAN simulator. Every name and
// number here is invented. They carry what SITAMPAN really sends: dates in several formats, the
// editor's HTML in the ringkasan, JSON keys in several casings, sifat and urgensi as the UI shows
// them, dispositions in the order they were entered.
import type { KeyCasing, NativeLetter } from './naskah.js';

export const SANDBOX_API_KEY = 'kunci-demo-sitampan';

export interface SandboxLetter {
  letter: NativeLetter;
  /** The casing SITAMPAN's JSON push uses for this letter. */
  casing: KeyCasing;
}

const SETDA = 'Sekretariat Daerah Kabupaten Pesawaran';
const KOMINFO = 'Dinas Komunikasi dan Informatika Kabupaten Pesawaran';
const BKPSDM = 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Pesawaran';
const INSPEKTORAT = 'Inspektorat Kabupaten Pesawaran';
const BPKAD = 'Badan Pengelolaan Keuangan dan Aset Daerah Kabupaten Pesawaran';
const BAPPEDA = 'Badan Perencanaan Pembangunan Daerah Kabupaten Pesawaran';
const FILES = 'https://sitampan.pesawarankab.go.id/berkas';

export function sandboxLetters(): SandboxLetter[] {
  return [
    {
      casing: 'snake',
      letter: {
        id: '3f6c1a52-8d7e-4b1a-9c2d-5e6f7a8b9c0d',
        nomor: '000.1.2.3/123/IV.01/2026',
        tanggal: '27-11-2026',
        hal: 'Undangan Rapat Koordinasi Penerapan SPBE',
        sifat: 'Biasa',
        urgensi: 'Segera',
        klasifikasi: '000.1.2.3',
        pengirim: { nama: 'Drs. Hendra Saputra, M.Si.', jabatan: 'Sekretaris Daerah', instansi: SETDA },
        tujuan: [
          { jabatan: 'Kepala Dinas Komunikasi dan Informatika', instansi: KOMINFO },
          { jabatan: 'Kepala Badan Perencanaan Pembangunan Daerah', instansi: BAPPEDA },
        ],
        tembusan: [{ jabatan: 'Bupati Pesawaran (sebagai laporan)', instansi: 'Pemerintah Kabupaten Pesawaran' }],
        ringkasan: '<p>Mengundang Saudara menghadiri rapat koordinasi penerapan SPBE pada hari Senin,&nbsp;30 November 2026 pukul 09.00 WIB di Ruang Rapat Sekretariat Daerah.</p><p>Mohon membawa data <strong>aplikasi layanan</strong> masing-masing perangkat daerah.</p>',
        lampiran: [{ nama: 'undangan-rakor-spbe.pdf', jenis: 'application/pdf', ukuran: 183204, url: `${FILES}/2026/11/undangan-rakor-spbe.pdf` }],
        disposisi: [
          { dari: 'Kepala Dinas Komunikasi dan Informatika', kepada: 'Sekretaris Dinas Komunikasi dan Informatika', instruksi: 'Hadiri dan laporkan hasilnya.', tanggal: '2026-11-27 10:15:00', batas_waktu: '30-11-2026' },
          { dari: 'Sekretaris Dinas Komunikasi dan Informatika', kepada: 'Kepala Bidang Aplikasi Informatika', instruksi: '<p>Siapkan daftar aplikasi&nbsp;layanan.</p>', tanggal: '2026-11-27 13:40:00', batas_waktu: '2026-11-29' },
          { dari: 'Kepala Bidang Aplikasi Informatika', kepada: 'Pranata Komputer Ahli Muda', instruksi: 'Kumpulkan data aplikasi dari setiap OPD.', tanggal: '28-11-2026 08:05' },
        ],
      },
    },
    {
      casing: 'camel',
      letter: {
        id: '8a1d4e7b-2c3f-4a5b-8c6d-7e8f9a0b1c2d',
        nomor: '800.1.11.13/457/IV.05/2026',
        tanggal: '28 November 2026',
        hal: 'Permohonan Data Pegawai untuk Analisis Jabatan',
        sifat: 'Penting',
        urgensi: 'Biasa',
        klasifikasi: '800.1.11.13',
        pengirim: { nama: 'Rina Marlina, S.Sos.', jabatan: 'Kepala Bagian Organisasi', instansi: SETDA },
        tujuan: [{ nama: 'Ahmad Fauzi, S.H.', jabatan: 'Kepala Badan Kepegawaian dan Pengembangan SDM', instansi: BKPSDM }],
        ringkasan: '<p>Dalam rangka analisis jabatan tahun 2027, kami mohon data:</p><ul><li>jumlah pegawai per jabatan,</li><li>formasi yang lowong &amp; rencana pensiun.</li></ul>',
        lampiran: [
          { nama: 'format-data-anjab.xlsx', jenis: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ukuran: 24576, url: `${FILES}/2026/11/format-data-anjab.xlsx` },
        ],
        disposisi: [
          { dari: 'Kepala Badan Kepegawaian dan Pengembangan SDM', kepada: 'Kepala Bidang Pengadaan dan Informasi Kepegawaian', instruksi: 'Siapkan data sesuai format.', tanggal: '2026-11-28T10:30:00+07:00', batas_waktu: '5 Desember 2026' },
        ],
      },
    },
    {
      casing: 'pascal',
      letter: {
        id: 'c4b3a2f1-0e9d-4c8b-a7f6-e5d4c3b2a190',
        nomor: '700.1.2.1/88/IV.02/2026',
        tanggal: '2026-11-26',
        hal: 'Tindak Lanjut Hasil Pemeriksaan Reguler',
        sifat: 'Rahasia',
        urgensi: 'Sangat Segera',
        klasifikasi: '700.1.2.1',
        pengirim: { nama: 'Ir. Yusuf Hidayat', jabatan: 'Inspektur', instansi: INSPEKTORAT },
        tujuan: [{ jabatan: 'Kepala Badan Pengelolaan Keuangan dan Aset Daerah', instansi: BPKAD }],
        ringkasan: 'Mohon tindak lanjut atas temuan pemeriksaan reguler paling lambat 14 hari kerja.',
        lampiran: [{ nama: 'lhp-reguler-2026.pdf', jenis: 'application/pdf', ukuran: 912384 }],
        disposisi: [],
      },
    },
    {
      casing: 'upper',
      letter: {
        id: '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716',
        nomor: '900.1.1/301/IV.03/2026',
        tanggal: '25/11/2026',
        hal: 'Penyampaian Jadwal Rekonsiliasi Belanja Triwulan IV',
        sifat: 'Biasa',
        urgensi: 'Biasa',
        klasifikasi: '900.1.1',
        // Signed by the position only, with a disposition as e-surat/TNDE models record it: a note
        // and a deadline, no instruction and no date (README, public sources).
        pengirim: { jabatan: 'Kepala Badan Pengelolaan Keuangan dan Aset Daerah', instansi: BPKAD },
        tujuan: [{ instansi: 'Seluruh Perangkat Daerah Kabupaten Pesawaran' }],
        ringkasan: 'Rekonsiliasi belanja triwulan IV dilaksanakan tanggal 7&ndash;11 Desember 2026 sesuai jadwal terlampir.',
        lampiran: [],
        disposisi: [{ dari: 'Kepala Badan Pengelolaan Keuangan dan Aset Daerah', kepada: 'Kepala Bidang Akuntansi', catatan: 'Siapkan data realisasi per OPD.', batas_waktu: '04-12-2026' }],
      },
    },
  ];
}
