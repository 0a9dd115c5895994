// Synthetic SP4N-LAPOR! complaints disposed to Kabupaten Pesawaran, for the simulator.
// Every name, NIK, phone number and address here is invented. The records reproduce what the
// real API sends: keys in three casings, tracking ids above 2^53 as bare JSON numbers, HTML in
// the content, four date formats, flags as 0/1, "ya"/"tidak" or booleans, status as words or codes.
import { LosslessNumber } from '../../src/connectors/simulator-sdk.js';

export const SANDBOX_TOKEN = 'token-demo-pesawaran';
export const SANDBOX_INSTANSI_ID = '1809';
/** The listing never answers more than this many complaints per page, whatever `limit` asks. */
export const MAX_PAGE_SIZE = 10;

export type KeyStyle = 'snake' | 'camel' | 'pascal';
export type Flag = 0 | 1 | '0' | '1' | boolean | 'ya' | 'tidak';

export interface SandboxComplaint {
  /** Digits; may exceed 2^53. */
  trackingId: string;
  /** How the listing sends the id: a bare JSON number (LAPOR!'s habit) or a quoted string. */
  idAs: 'number' | 'string';
  keys: KeyStyle;
  judul: string;
  isi: string;
  kategori: string;
  /** As LAPOR! sends it: `YYYY-MM-DD HH:mm:ss` (WIB), `DD/MM/YYYY HH:mm`, epoch seconds or ISO. */
  tanggal: string | number;
  status: string | number;
  rahasia: Flag;
  anonim: Flag;
  pelapor?: { nama?: string; email?: string; telepon?: string; nik?: string };
  lokasi?: string;
  lampiran: { nama: string; url: string }[];
  disposisi: string;
}

export const TOPICS: readonly { id: number; nama: string }[] = [
  { id: 1, nama: 'Infrastruktur' },
  { id: 2, nama: 'Kependudukan' },
  { id: 3, nama: 'Kesehatan' },
  { id: 4, nama: 'Pendidikan' },
  { id: 5, nama: 'Lingkungan Hidup dan Kebencanaan' },
  { id: 6, nama: 'Perhubungan' },
  { id: 7, nama: 'Sosial' },
  { id: 8, nama: 'Pelayanan Publik' },
  { id: 9, nama: 'Ketenagakerjaan' },
  { id: 10, nama: 'Lainnya' },
];

const PUPR = 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Pesawaran';
const DISHUB = 'Dinas Perhubungan Kabupaten Pesawaran';
const DUKCAPIL = 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Pesawaran';
const BPBD = 'Badan Penanggulangan Bencana Daerah Kabupaten Pesawaran';
const DINKES = 'Dinas Kesehatan Kabupaten Pesawaran';
const DISDIK = 'Dinas Pendidikan dan Kebudayaan Kabupaten Pesawaran';
const DINSOS = 'Dinas Sosial Kabupaten Pesawaran';
const DLH = 'Dinas Lingkungan Hidup Kabupaten Pesawaran';
const PERKIM = 'Dinas Perumahan dan Kawasan Permukiman Kabupaten Pesawaran';
const DISNAKER = 'Dinas Tenaga Kerja dan Transmigrasi Kabupaten Pesawaran';

const FOTO = 'https://lapor.go.id/storage/lampiran';

const COMPLAINTS: readonly SandboxComplaint[] = [
  {
    trackingId: '4512208', idAs: 'number', keys: 'snake',
    judul: 'Jalan rusak parah di Desa Bernung',
    isi: 'Jalan penghubung Desa Bernung menuju Gedong Tataan rusak parah dan berlubang sedalam 30 cm. Sudah banyak pengendara motor yang jatuh, terutama saat hujan.',
    kategori: 'Infrastruktur', tanggal: '2026-11-02 07:45:10', status: 'Selesai', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Suparman', email: 'suparman.bernung@contoh.id', telepon: '081279001234', nik: '1809011204850003' },
    lokasi: 'Jl. Raya Bernung, Kec. Gedong Tataan', lampiran: [{ nama: 'jalan-bernung.jpg', url: `${FOTO}/4512208/jalan-bernung.jpg` }], disposisi: PUPR,
  },
  {
    trackingId: '4512391', idAs: 'number', keys: 'camel',
    judul: 'Lampu PJU mati sepanjang jalan lintas Way Ratai',
    isi: '<p>Lampu penerangan jalan umum (PJU) di jalan lintas Way Ratai&nbsp;mati total sejak dua minggu.</p><p>Rawan begal &amp; kecelakaan pada malam hari.</p>',
    kategori: 'Infrastruktur', tanggal: '03/11/2026 19:20', status: 'Proses', rahasia: false, anonim: false,
    pelapor: { nama: 'Rini Andriani', telepon: '0852-6900-4411' },
    lokasi: 'Jalan lintas Way Ratai, Kec. Way Ratai', lampiran: [], disposisi: DISHUB,
  },
  {
    trackingId: '4512577', idAs: 'string', keys: 'snake',
    judul: 'KTP elektronik belum jadi setelah 3 bulan',
    isi: 'Saya sudah merekam KTP-el di kantor Disdukcapil sejak Agustus 2026, tetapi sampai sekarang belum dicetak dengan alasan blangko habis. Mohon kejelasan.',
    kategori: 'Kependudukan', tanggal: 1794040200, status: 2, rahasia: 0, anonim: 0,
    pelapor: { nama: 'Dewi Lestari', email: 'dewi.lestari@contoh.id', nik: '1809025507900001' },
    lampiran: [], disposisi: DUKCAPIL,
  },
  {
    trackingId: '4512640', idAs: 'number', keys: 'pascal',
    judul: 'Banjir di Dusun Sukajaya setiap hujan deras',
    isi: 'Setiap hujan deras, air sungai meluap ke permukiman warga Dusun Sukajaya. Drainase tersumbat sampah dan sedimen.<br>Mohon normalisasi sungai segera.',
    kategori: 'Lingkungan Hidup dan Kebencanaan', tanggal: '2026-11-04T02:10:00Z', status: 'Terverifikasi', rahasia: '0', anonim: '1',
    pelapor: { nama: 'Warga Sukajaya', telepon: '081300112233' },
    lokasi: 'Dusun Sukajaya, Kec. Padang Cermin', lampiran: [{ nama: 'banjir-1.jpg', url: `${FOTO}/4512640/banjir-1.jpg` }, { nama: 'banjir-2.jpg', url: `${FOTO}/4512640/banjir-2.jpg` }], disposisi: BPBD,
  },
  {
    trackingId: '4512702', idAs: 'number', keys: 'snake',
    judul: 'Kartu BPJS Kesehatan PBI tidak aktif',
    isi: 'Kartu BPJS Kesehatan PBI ibu saya tiba-tiba nonaktif saat berobat di Puskesmas Kedondong, padahal masih terdaftar sebagai penerima bantuan.',
    kategori: 'Kesehatan', tanggal: '2026-11-05 10:02:44', status: 'Belum Terverifikasi', rahasia: 'ya', anonim: 'tidak',
    pelapor: { nama: 'Hendra Saputra', telepon: '+6282177889900' },
    lampiran: [], disposisi: DINSOS,
  },
  {
    trackingId: '4512815', idAs: 'number', keys: 'camel',
    judul: 'Pungutan di sekolah dasar',
    isi: '<div>Ada pungutan uang seragam &amp; buku sebesar Rp&nbsp;750.000 di salah satu SD negeri di Kecamatan Tegineneng.</div><div>Mohon ditindak.</div>',
    kategori: 'Pendidikan', tanggal: '06/11/2026 08:05', status: 1, rahasia: 1, anonim: 1,
    lampiran: [], disposisi: DISDIK,
  },
  {
    trackingId: '4512933', idAs: 'number', keys: 'snake',
    judul: 'Sampah menumpuk di Pasar Gedong Tataan',
    isi: 'Sampah di belakang Pasar Gedong Tataan tidak diangkut sudah lebih dari seminggu, bau menyengat dan mengganggu pedagang.',
    kategori: 'Lingkungan Hidup dan Kebencanaan', tanggal: '2026-11-07 06:30:00', status: 'Dalam Proses', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Ahmad Fauzi', email: 'ahmad.fauzi@contoh.id' },
    lokasi: 'Pasar Gedong Tataan', lampiran: [{ nama: 'sampah.jpg', url: `${FOTO}/4512933/sampah.jpg` }], disposisi: DLH,
  },
  {
    trackingId: '4513010', idAs: 'string', keys: 'pascal',
    judul: 'Jembatan gantung Way Khilau nyaris putus',
    isi: 'Tali baja jembatan gantung di Desa Bayas sudah berkarat dan beberapa papan lantainya lepas. Jembatan ini dipakai anak sekolah setiap hari.',
    kategori: 'Infrastruktur', tanggal: 1794300600, status: 'Proses', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Sri Wahyuni', telepon: '081366778899' },
    lokasi: 'Desa Bayas, Kec. Way Khilau', lampiran: [], disposisi: PUPR,
  },
  {
    trackingId: '4513122', idAs: 'number', keys: 'snake',
    judul: 'Pelayanan akta kelahiran lambat',
    isi: 'Pengurusan akta kelahiran anak saya di MPP Pesawaran sudah 3 minggu belum selesai, katanya &quot;sistem sedang gangguan&quot;.',
    kategori: 'Kependudukan', tanggal: '2026-11-09 13:15:27', status: 'Selesai', rahasia: false, anonim: false,
    pelapor: { nama: 'Yusuf Maulana', email: 'yusuf.m@contoh.id', telepon: '082280001122' },
    lampiran: [], disposisi: DUKCAPIL,
  },
  {
    trackingId: '4513208', idAs: 'number', keys: 'camel',
    judul: 'Antrean panjang di Puskesmas Hanura',
    isi: 'Antrean pendaftaran di Puskesmas Hanura mulai pukul 06.00 dan baru dilayani pukul 09.00. Petugas loket hanya satu orang.',
    kategori: 'Kesehatan', tanggal: '10/11/2026 09:40', status: 'Arsip', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Maya Sari' },
    lokasi: 'Puskesmas Hanura, Kec. Teluk Pandan', lampiran: [], disposisi: DINKES,
  },
  {
    trackingId: '4513366', idAs: 'number', keys: 'snake',
    judul: 'Bantuan sosial tidak tepat sasaran',
    isi: '<p>Penerima BLT di desa kami sebagian besar keluarga mampu,<br/>sedangkan janda lansia tidak mendapat bantuan.</p>',
    kategori: 'Sosial', tanggal: '2026-11-11 16:00:00', status: 'Terverifikasi', rahasia: 1, anonim: 1,
    pelapor: { nama: 'Tidak ditampilkan' },
    lampiran: [], disposisi: DINSOS,
  },
  {
    trackingId: '4513490', idAs: 'number', keys: 'pascal',
    judul: 'Rumah tidak layak huni belum dibantu',
    isi: 'Rumah kami di Desa Kurungan Nyawa dindingnya bambu dan atapnya bocor. Sudah didata program RTLH sejak 2024 tetapi belum ada realisasi.',
    kategori: 'Sosial', tanggal: '2026-11-12T09:30:00+07:00', status: 0, rahasia: 'tidak', anonim: 'tidak',
    pelapor: { nama: 'Paijo', telepon: '085267001100' },
    lokasi: 'Desa Kurungan Nyawa, Kec. Gedong Tataan', lampiran: [{ nama: 'rumah.jpg', url: `${FOTO}/4513490/rumah.jpg` }], disposisi: PERKIM,
  },
  {
    trackingId: '4513555', idAs: 'number', keys: 'snake',
    judul: 'Angkutan desa berhenti beroperasi',
    isi: 'Trayek angkutan desa Kedondong - Gedong Tataan sudah tidak beroperasi sejak Oktober, warga kesulitan ke pasar dan sekolah.',
    kategori: 'Perhubungan', tanggal: 1794717000, status: 'Belum Terverifikasi', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Nurhayati', telepon: '081369002211' },
    lampiran: [], disposisi: DISHUB,
  },
  {
    trackingId: '4513601', idAs: 'number', keys: 'camel',
    judul: 'Gaji pekerja perkebunan di bawah UMK',
    isi: 'Pekerja harian lepas di sebuah perkebunan di Way Lima dibayar jauh di bawah UMK &mdash; sekitar Rp 60.000/hari &mdash; tanpa BPJS Ketenagakerjaan.',
    kategori: 'Ketenagakerjaan', tanggal: '2026-11-14 11:11:11', status: 'Proses', rahasia: true, anonim: true,
    lampiran: [], disposisi: DISNAKER,
  },
  {
    trackingId: '4513777', idAs: 'string', keys: 'snake',
    judul: 'Longsor menutup jalan di Punduh Pidada',
    isi: 'Tebing di tepi jalan Desa Pagar Jaya longsor setelah hujan semalam. Jalan tertutup tanah dan pohon tumbang, kendaraan tidak bisa lewat.',
    kategori: 'Lingkungan Hidup dan Kebencanaan', tanggal: '15/11/2026 05:50', status: 'Selesai', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Iwan Setiawan', telepon: '081200334455', email: 'iwan.setiawan@contoh.id' },
    lokasi: 'Desa Pagar Jaya, Kec. Punduh Pidada', lampiran: [{ nama: 'longsor.mp4', url: `${FOTO}/4513777/longsor.mp4` }], disposisi: BPBD,
  },
  {
    trackingId: '4513850', idAs: 'number', keys: 'pascal',
    judul: 'Guru honorer belum menerima insentif',
    isi: 'Insentif guru honorer triwulan III tahun 2026 di beberapa sekolah di Kecamatan Negeri Katon belum dibayarkan.',
    kategori: 'Pendidikan', tanggal: '2026-11-16 08:00:00', status: 'Dalam Proses', rahasia: 0, anonim: 1,
    lampiran: [], disposisi: DISDIK,
  },
  {
    trackingId: '4513921', idAs: 'number', keys: 'snake',
    judul: 'Kartu Keluarga salah cetak nama',
    isi: 'Nama anak saya di Kartu Keluarga tercetak &#34;Muhamad&#34; seharusnya &#34;Muhammad&#34;. Sudah dua kali mengajukan perbaikan.',
    kategori: 'Kependudukan', tanggal: '2026-11-17 14:22:09', status: 'Terverifikasi', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Siti Aminah', nik: '1809064203880002', telepon: '085366112233' },
    lampiran: [{ nama: 'kk.pdf', url: `${FOTO}/4513921/kk.pdf` }], disposisi: DUKCAPIL,
  },
  {
    trackingId: '4514005', idAs: 'number', keys: 'camel',
    judul: 'Air PDAM keruh dan sering mati',
    isi: 'Air PDAM di perumahan kami di Negeri Katon keruh kecokelatan dan sering mati berhari-hari.',
    kategori: 'Pelayanan Publik', tanggal: 1795012805, status: 'Belum Terverifikasi', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Bambang Riyadi', email: 'bambang.riyadi@contoh.id' },
    lokasi: 'Perumahan Griya Negeri Katon', lampiran: [], disposisi: PERKIM,
  },
  {
    trackingId: '4514120', idAs: 'number', keys: 'snake',
    judul: 'Drainase tersumbat di Jalan Ahmad Yani',
    isi: '<ul><li>Saluran air di depan toko-toko tersumbat</li><li>Genangan setinggi mata kaki setiap hujan</li></ul>',
    kategori: 'Infrastruktur', tanggal: '2026-11-19 17:05:00', status: 'Proses', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Lina Marlina', telepon: '081279554433' },
    lokasi: 'Jl. Ahmad Yani, Gedong Tataan', lampiran: [], disposisi: PUPR,
  },
  {
    trackingId: '4514233', idAs: 'number', keys: 'pascal',
    judul: 'Obat di puskesmas sering kosong',
    isi: 'Obat hipertensi di Puskesmas Gedong Tataan sering kosong sehingga pasien harus membeli sendiri di apotek.',
    kategori: 'Kesehatan', tanggal: '20/11/2026 10:30', status: 'Belum Terverifikasi', rahasia: 'ya', anonim: 'ya',
    lampiran: [], disposisi: DINKES,
  },
  // Tracking ids above 2^53: a double cannot tell several of these apart.
  {
    trackingId: '9007199254740993', idAs: 'number', keys: 'snake',
    judul: 'Pohon tumbang menimpa kabel listrik',
    isi: 'Pohon besar tumbang di Jalan Raya Hanura dan menimpa kabel listrik. Mohon segera ditangani sebelum membahayakan warga.',
    kategori: 'Lingkungan Hidup dan Kebencanaan', tanggal: '2026-11-21 15:45:00', status: 'Terverifikasi', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Rudi Hartono', telepon: '081377665544' },
    lokasi: 'Jl. Raya Hanura, Kec. Teluk Pandan', lampiran: [], disposisi: BPBD,
  },
  {
    trackingId: '9007199254740995', idAs: 'number', keys: 'camel',
    judul: 'Jalan desa Wiyono berlumpur',
    isi: 'Jalan tanah di Desa Wiyono berubah menjadi kubangan lumpur setiap musim hujan. Hasil panen sulit diangkut ke pasar.',
    kategori: 'Infrastruktur', tanggal: '22/11/2026 07:10', status: 'Belum Terverifikasi', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Slamet Riyadi', email: 'slamet.r@contoh.id', telepon: '082177001234' },
    lokasi: 'Desa Wiyono, Kec. Gedong Tataan', lampiran: [], disposisi: PUPR,
  },
  {
    trackingId: '18014398509481985', idAs: 'number', keys: 'snake',
    judul: 'Lampu lalu lintas simpang Kota Dalam mati',
    isi: '<p>Lampu lalu lintas di simpang Kota Dalam mati&nbsp;sejak kemarin sore.</p><p>Arus kendaraan semrawut pada jam sibuk.</p>',
    kategori: 'Perhubungan', tanggal: 1795474800, status: 'Proses', rahasia: 0, anonim: 0,
    pelapor: { nama: 'Agus Salim', telepon: '081233445566' },
    lokasi: 'Simpang Kota Dalam, Kec. Way Lima', lampiran: [{ nama: 'simpang.jpg', url: `${FOTO}/18014398509481985/simpang.jpg` }], disposisi: DISHUB,
  },
  {
    trackingId: '18014398509481986', idAs: 'string', keys: 'pascal',
    judul: 'Pencemaran sungai oleh limbah tahu',
    isi: 'Limbah pabrik tahu dibuang langsung ke sungai di Desa Bagelen, air sungai berbau busuk &amp; ikan mati.',
    kategori: 'Lingkungan Hidup dan Kebencanaan', tanggal: '2026-11-25T03:20:00Z', status: 'Belum Terverifikasi', rahasia: 1, anonim: 0,
    pelapor: { nama: 'Komariah', telepon: '085269887766' },
    lokasi: 'Desa Bagelen, Kec. Gedong Tataan', lampiran: [], disposisi: DLH,
  },
  {
    trackingId: '123456789012345678', idAs: 'number', keys: 'snake',
    judul: 'Pelayanan KTP di kecamatan dipungut biaya',
    isi: 'Oknum petugas di kantor kecamatan meminta uang Rp 50.000 untuk mempercepat pengurusan KTP-el. Padahal layanan adminduk gratis.',
    kategori: 'Kependudukan', tanggal: '2026-11-27 14:03:11', status: 'Belum Terverifikasi', rahasia: 1, anonim: 1,
    lampiran: [], disposisi: DUKCAPIL,
  },
];

/** A fresh, mutable copy of the initial complaints (the simulator's reset state). */
export function initialComplaints(): SandboxComplaint[] {
  return structuredClone(COMPLAINTS) as SandboxComplaint[];
}

const KEY_NAMES: Record<KeyStyle, Record<string, string>> = {
  snake: {
    trackingId: 'tracking_id', judul: 'title', isi: 'content', kategori: 'category', tanggal: 'created_at', status: 'status',
    rahasia: 'is_secret', anonim: 'is_anonymous', pelapor: 'reporter', lokasi: 'location', lampiran: 'attachments', disposisi: 'disposisi',
    nama: 'name', email: 'email', telepon: 'phone', nik: 'nik', url: 'url',
  },
  camel: {
    trackingId: 'trackingId', judul: 'title', isi: 'content', kategori: 'category', tanggal: 'createdAt', status: 'status',
    rahasia: 'isSecret', anonim: 'isAnonymous', pelapor: 'reporter', lokasi: 'location', lampiran: 'attachments', disposisi: 'disposisi',
    nama: 'name', email: 'email', telepon: 'phone', nik: 'nik', url: 'url',
  },
  pascal: {
    trackingId: 'TrackingID', judul: 'Judul', isi: 'Isi', kategori: 'Kategori', tanggal: 'Tanggal', status: 'Status',
    rahasia: 'Rahasia', anonim: 'Anonim', pelapor: 'Pelapor', lokasi: 'Lokasi', lampiran: 'Lampiran', disposisi: 'Instansi',
    nama: 'Nama', email: 'Email', telepon: 'Telepon', nik: 'NIK', url: 'Url',
  },
};

/**
 * The complaint as the current JSON API sends it. Like the real one, it sends the reporter of
 * an anonymous complaint as null (or, for some, with placeholder data) and leaves the rest to
 * the integrator. Big tracking ids become LosslessNumber: bare JSON numbers on the wire.
 */
export function toNativeJson(complaint: SandboxComplaint): Record<string, unknown> {
  const k = KEY_NAMES[complaint.keys];
  const name = (key: string): string => k[key] ?? key;
  const id = complaint.idAs === 'string' ? complaint.trackingId : Number.isSafeInteger(Number(complaint.trackingId)) ? Number(complaint.trackingId) : new LosslessNumber(complaint.trackingId);
  const record: Record<string, unknown> = {
    [name('trackingId')]: id,
    [name('judul')]: complaint.judul,
    [name('isi')]: complaint.isi,
    [name('kategori')]: complaint.kategori,
    [name('tanggal')]: complaint.tanggal,
    [name('status')]: complaint.status,
    [name('rahasia')]: complaint.rahasia,
    [name('anonim')]: complaint.anonim,
  };
  if (complaint.pelapor) {
    const reporter: Record<string, string> = {};
    for (const [field, value] of Object.entries(complaint.pelapor)) if (value !== undefined) reporter[name(field)] = value;
    record[name('pelapor')] = reporter;
  } else {
    record[name('pelapor')] = null;
  }
  record[name('lokasi')] = complaint.lokasi ?? null;
  record[name('lampiran')] = complaint.lampiran.map((file) => ({ [name('nama')]: file.nama, [name('url')]: file.url }));
  record[name('disposisi')] = complaint.disposisi;
  return record;
}
