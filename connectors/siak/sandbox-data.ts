// Synthetic residents of Kabupaten Pesawaran (region 18.09) for the SIAK simulator, demos and
// tests. Nobody here exists: names, NIKs and family card numbers are made up, but every NIK is
// valid (PP RR SS DDMMYY NNNN, women with 40 added to the day) and every NO_KK carries a real
// issuance date. `wire` says how the simulator writes the record, so that the sandbox shows the
// same quirks as real deployments.

export const KECAMATAN: Readonly<Record<string, string>> = {
  '01': 'GEDONG TATAAN',
  '02': 'NEGERI KATON',
  '03': 'TEGINENENG',
  '04': 'WAY LIMA',
  '05': 'PADANG CERMIN',
  '06': 'PUNDUH PIDADA',
  '07': 'KEDONDONG',
  '08': 'MARGA PUNDUH',
  '09': 'WAY KHILAU',
  '10': 'TELUK PANDAN',
  '11': 'WAY RATAI',
};

export type StatusRecord = 'aktif' | 'meninggal' | 'nonaktif' | 'ganda';

/** How the simulator writes a record on the wire. */
export interface Wire {
  /** NIK and NO_KK as bare JSON numbers (a NIK above 2^53 then needs a lossless parser). */
  nikAsNumber?: boolean;
  dateFormat?: 'dd-mm-yyyy' | 'yyyy-mm-dd' | 'dd/mm/yyyy' | 'yyyy-mm-ddT00:00:00';
  keyCase?: 'upper' | 'lower' | 'mixed';
  /** NAMA_LENGKAP, TEMPAT_LAHIR, JENIS_KELAMIN instead of NAMA_LGKP, TMPT_LHR, JENIS_KLMIN. */
  misspelledKeys?: boolean;
  /** `LAKI-LAKI` (upper, the default), `Laki-Laki` (title) or `L` (letter). */
  sexStyle?: 'upper' | 'title' | 'letter';
  /** NO_RT / NO_RW as JSON numbers without leading zeros. */
  rtRwAsNumber?: boolean;
  /** SIAK's own wording of the marital status, e.g. `KAWIN TERCATAT`. */
  maritalText?: string;
  /** The record comes with `"RESPONSE_CODE": "01"` in the same object. */
  withResponseCode?: boolean;
}

export interface SandboxResident {
  nik: string;
  noKk: string;
  nama: string;
  tempatLahir: string;
  /** yyyy-mm-dd */
  tanggalLahir: string;
  jenisKelamin: 'LAKI-LAKI' | 'PEREMPUAN';
  golonganDarah: string;
  agama: string;
  statusPerkawinan: 'BELUM KAWIN' | 'KAWIN' | 'CERAI HIDUP' | 'CERAI MATI';
  pendidikan: string;
  pekerjaan: string;
  namaIbu: string;
  alamat: { jalan: string; rt: string; rw: string; kodeKecamatan: string; kelurahan: string; kecamatan: string; kabupaten: string; provinsi: string };
  status: StatusRecord;
  wire: Wire;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A family card number: 18 09 SS, the issuance date DDMMYY, a serial. */
function kk(kecamatan: number, issued: string, serial: number): string {
  const [y, m, d] = issued.split('-');
  return `1809${pad(kecamatan, 2)}${d}${m}${y!.slice(2)}${pad(serial, 4)}`;
}

/** A NIK: 18 09 SS, the birth date DDMMYY with 40 added to the day for women, a serial. */
function nik(kecamatan: number, born: string, sex: 'L' | 'P', serial: number): string {
  const [y, m, d] = born.split('-');
  const day = Number(d) + (sex === 'P' ? 40 : 0);
  return `1809${pad(kecamatan, 2)}${pad(day, 2)}${m}${y!.slice(2)}${pad(serial, 4)}`;
}

interface Row {
  kec: number;
  desa: string;
  lahir: string;
  sex: 'L' | 'P';
  serial: number;
  kk: string;
  nama: string;
  tempat: string;
  gol: string;
  agama?: string;
  kawin: SandboxResident['statusPerkawinan'];
  pddk: string;
  kerja: string;
  ibu: string;
  jalan: string;
  rt: number;
  rw: number;
  status?: StatusRecord;
  wire?: Wire;
  /** A NIK registered elsewhere (people keep their NIK when they move). */
  nikOverride?: string;
}

const SD = 'TAMAT SD/SEDERAJAT';
const SLTP = 'SLTP/SEDERAJAT';
const SLTA = 'SLTA/SEDERAJAT';
const S1 = 'DIPLOMA IV/STRATA I';
const D3 = 'AKADEMI/DIPLOMA III/S. MUDA';
const BELUM_SEKOLAH = 'TIDAK/BELUM SEKOLAH';
const PETANI = 'PETANI/PEKEBUN';
const MRT = 'MENGURUS RUMAH TANGGA';
const PELAJAR = 'PELAJAR/MAHASISWA';
const NELAYAN = 'NELAYAN/PERIKANAN';

// Families share a family card.
const kkSukaraja = kk(1, '2015-03-12', 21);
const kkHalangan = kk(2, '2012-07-02', 8);
const kkHanura = kk(5, '2018-11-20', 134);
const kkBawang = kk(6, '2016-01-05', 47);
const kkKubuBatu = kk(9, '2019-09-30', 12);

const rows: Row[] = [
  // Gedong Tataan
  { kec: 1, desa: 'SUKARAJA', lahir: '1978-04-17', sex: 'L', serial: 1, kk: kkSukaraja, nama: 'AHMAD SUPRIYADI', tempat: 'PESAWARAN', gol: 'O', kawin: 'KAWIN', pddk: SLTA, kerja: PETANI, ibu: 'SITI MAEMUNAH', jalan: 'DUSUN SUKARAJA I', rt: 1, rw: 2, wire: { maritalText: 'KAWIN TERCATAT' } },
  { kec: 1, desa: 'SUKARAJA', lahir: '1982-09-03', sex: 'P', serial: 2, kk: kkSukaraja, nama: 'RINA MARLINA', tempat: 'TANJUNG KARANG', gol: 'A', kawin: 'KAWIN', pddk: SLTA, kerja: MRT, ibu: 'NURHAYATI', jalan: 'DUSUN SUKARAJA I', rt: 1, rw: 2, wire: { dateFormat: 'yyyy-mm-dd', sexStyle: 'title', maritalText: 'Kawin Tercatat' } },
  { kec: 1, desa: 'SUKARAJA', lahir: '2008-01-25', sex: 'L', serial: 3, kk: kkSukaraja, nama: 'RIZKY ADITYA PRATAMA', tempat: 'PESAWARAN', gol: 'O', kawin: 'BELUM KAWIN', pddk: SLTP, kerja: PELAJAR, ibu: 'RINA MARLINA', jalan: 'DUSUN SUKARAJA I', rt: 1, rw: 2, wire: { nikAsNumber: true } },
  { kec: 1, desa: 'BAGELEN', lahir: '1990-01-15', sex: 'P', serial: 1, kk: kk(1, '2021-06-14', 305), nama: 'YOHANA MARIA KAFIAR', tempat: 'SORONG', gol: 'B', agama: 'KRISTEN', kawin: 'KAWIN', pddk: S1, kerja: 'GURU', ibu: 'MARTHA RUMBIAK', jalan: 'JL. RAYA BAGELEN NO. 12', rt: 4, rw: 1, nikOverride: '9271015501900001', wire: { nikAsNumber: true, dateFormat: 'yyyy-mm-ddT00:00:00' } },
  { kec: 1, desa: 'WIYONO', lahir: '1965-12-08', sex: 'L', serial: 14, kk: kk(1, '2010-02-22', 77), nama: 'SUTARNO', tempat: 'WONOGIRI', gol: 'TIDAK TAHU', kawin: 'CERAI MATI', pddk: SD, kerja: 'PENSIUNAN', ibu: 'PAINEM', jalan: 'DUSUN WIYONO II', rt: 3, rw: 1, wire: { dateFormat: 'dd/mm/yyyy', rtRwAsNumber: true } },
  { kec: 1, desa: 'KEBAGUSAN', lahir: '1995-06-30', sex: 'P', serial: 9, kk: kk(1, '2020-10-01', 150), nama: 'DEWI ANGGRAINI', tempat: 'PESAWARAN', gol: 'AB', kawin: 'BELUM KAWIN', pddk: D3, kerja: 'BIDAN', ibu: 'SUMIATI', jalan: 'JL. KEBAGUSAN RAYA', rt: 2, rw: 3, wire: { keyCase: 'lower' } },
  { kec: 1, desa: 'BERNUNG', lahir: '1958-03-21', sex: 'L', serial: 4, kk: kk(1, '2009-05-18', 40), nama: 'HI. MUKHTAR EFFENDI', tempat: 'TELUK BETUNG', gol: 'A', kawin: 'KAWIN', pddk: SLTA, kerja: 'PENSIUNAN', ibu: 'HJ. ROSIDAH', jalan: 'DUSUN BERNUNG', rt: 5, rw: 2, status: 'meninggal' },
  // Negeri Katon
  { kec: 2, desa: 'HALANGAN RATU', lahir: '1975-08-11', sex: 'L', serial: 2, kk: kkHalangan, nama: 'I KETUT WIRAWAN', tempat: 'NEGERI KATON', gol: 'B', agama: 'HINDU', kawin: 'KAWIN', pddk: SLTA, kerja: 'WIRASWASTA', ibu: 'NI MADE SUARTINI', jalan: 'DUSUN BALI AGUNG', rt: 2, rw: 1, wire: { misspelledKeys: true } },
  { kec: 2, desa: 'HALANGAN RATU', lahir: '1979-02-14', sex: 'P', serial: 3, kk: kkHalangan, nama: 'NI LUH PUTU ARIANI', tempat: 'NEGERI KATON', gol: 'O', agama: 'HINDU', kawin: 'KAWIN', pddk: SLTP, kerja: MRT, ibu: 'NI WAYAN SUDARMI', jalan: 'DUSUN BALI AGUNG', rt: 2, rw: 1, wire: { sexStyle: 'letter', dateFormat: 'yyyy-mm-dd' } },
  { kec: 2, desa: 'PUJO RAHAYU', lahir: '1988-10-05', sex: 'L', serial: 17, kk: kk(2, '2014-04-09', 66), nama: 'EKO PRASETYO', tempat: 'METRO', gol: 'A+', kawin: 'KAWIN', pddk: SLTA, kerja: 'KARYAWAN SWASTA', ibu: 'SRI WAHYUNI', jalan: 'DUSUN PUJO RAHAYU III', rt: 6, rw: 3, wire: { keyCase: 'mixed', withResponseCode: true } },
  { kec: 2, desa: 'ROWOREJO', lahir: '2001-05-19', sex: 'P', serial: 5, kk: kk(2, '2017-08-23', 112), nama: 'FITRI HANDAYANI', tempat: 'PESAWARAN', gol: 'O', kawin: 'BELUM KAWIN', pddk: SLTA, kerja: PELAJAR, ibu: 'SUPARMI', jalan: 'DUSUN ROWOREJO', rt: 1, rw: 1, wire: { dateFormat: 'dd/mm/yyyy' } },
  { kec: 2, desa: 'KALIREJO', lahir: '1969-09-14', sex: 'P', serial: 4, kk: kk(2, '2010-06-21', 33), nama: 'TUKIYEM', tempat: 'SRAGEN', gol: 'TIDAK TAHU', kawin: 'CERAI MATI', pddk: SD, kerja: PETANI, ibu: 'KASMIRAH', jalan: 'DUSUN KALIREJO I', rt: 5, rw: 2, wire: { maritalText: 'CERAI MATI', sexStyle: 'title', keyCase: 'lower' } },
  // Tegineneng
  { kec: 3, desa: 'BUMI AGUNG', lahir: '1970-07-07', sex: 'L', serial: 8, kk: kk(3, '2011-03-03', 29), nama: 'SUKIMAN', tempat: 'KLATEN', gol: 'TIDAK TAHU', kawin: 'KAWIN', pddk: SD, kerja: PETANI, ibu: 'SAMINAH', jalan: 'DUSUN BUMI AGUNG II', rt: 4, rw: 2, wire: { rtRwAsNumber: true, maritalText: 'KAWIN BELUM TERCATAT' } },
  { kec: 3, desa: 'TRIMULYO', lahir: '1992-11-29', sex: 'P', serial: 21, kk: kk(3, '2016-12-12', 201), nama: 'LESTARI NINGSIH', tempat: 'PESAWARAN', gol: 'B', kawin: 'CERAI HIDUP', pddk: SLTA, kerja: 'PEDAGANG', ibu: 'WAGIYEM', jalan: 'DUSUN TRIMULYO I', rt: 3, rw: 4, wire: { maritalText: 'CERAI HIDUP TERCATAT' } },
  { kec: 3, desa: 'GERNING', lahir: '1985-03-01', sex: 'L', serial: 11, kk: kk(3, '2013-01-15', 58), nama: 'MUHAMMAD IQBAL', tempat: 'BANDAR LAMPUNG', gol: 'O', kawin: 'KAWIN', pddk: S1, kerja: 'PEGAWAI NEGERI SIPIL (PNS)', ibu: 'ZUBAIDAH', jalan: 'JL. LINTAS SUMATERA KM 25', rt: 1, rw: 5, status: 'nonaktif' },
  { kec: 3, desa: 'KEJADIAN', lahir: '1999-12-31', sex: 'L', serial: 6, kk: kk(3, '2019-02-28', 88), nama: 'ANDI SAPUTRA', tempat: 'PESAWARAN', gol: 'A', kawin: 'BELUM KAWIN', pddk: SLTA, kerja: 'BURUH HARIAN LEPAS', ibu: 'SURTINAH', jalan: 'DUSUN KEJADIAN', rt: 2, rw: 2, wire: { nikAsNumber: true, dateFormat: 'dd/mm/yyyy' } },
  // Way Lima
  { kec: 4, desa: 'KOTA DALAM', lahir: '1968-06-12', sex: 'L', serial: 3, kk: kk(4, '2008-09-09', 19), nama: 'RADEN SYAMSUDIN', tempat: 'WAY LIMA', gol: 'AB', kawin: 'KAWIN', pddk: SLTP, kerja: 'PERANGKAT DESA', ibu: 'MASNUN', jalan: 'DUSUN KOTA DALAM', rt: 1, rw: 1 },
  { kec: 4, desa: 'SINDANG GARUT', lahir: '1973-04-02', sex: 'P', serial: 12, kk: kk(4, '2012-11-11', 73), nama: 'ENENG KURNIASIH', tempat: 'GARUT', gol: 'O', kawin: 'CERAI MATI', pddk: SD, kerja: PETANI, ibu: 'IJAH', jalan: 'DUSUN SINDANG GARUT', rt: 2, rw: 1, wire: { dateFormat: 'yyyy-mm-ddT00:00:00' } },
  { kec: 4, desa: 'GUNUNG REJO', lahir: '2012-08-17', sex: 'P', serial: 30, kk: kk(4, '2013-02-04', 96), nama: 'NAYLA PUTRI RAMADHANI', tempat: 'PESAWARAN', gol: 'A', kawin: 'BELUM KAWIN', pddk: 'BELUM TAMAT SD/SEDERAJAT', kerja: PELAJAR, ibu: 'YULIANTI', jalan: 'DUSUN GUNUNG REJO', rt: 3, rw: 2, wire: { keyCase: 'lower', nikAsNumber: true } },
  // Padang Cermin
  { kec: 5, desa: 'HANURA', lahir: '1980-02-20', sex: 'L', serial: 5, kk: kkHanura, nama: 'HERMANSYAH', tempat: 'PADANG CERMIN', gol: 'B', kawin: 'KAWIN', pddk: SLTP, kerja: NELAYAN, ibu: 'ROHAYA', jalan: 'DUSUN HANURA PANTAI', rt: 7, rw: 3 },
  { kec: 5, desa: 'HANURA', lahir: '1984-05-09', sex: 'P', serial: 6, kk: kkHanura, nama: 'SITI KHOIRIAH', tempat: 'PADANG CERMIN', gol: 'O', kawin: 'KAWIN', pddk: SD, kerja: MRT, ibu: 'MAHMUDAH', jalan: 'DUSUN HANURA PANTAI', rt: 7, rw: 3, wire: { misspelledKeys: true, dateFormat: 'yyyy-mm-dd' } },
  { kec: 5, desa: 'HANURA', lahir: '2019-03-14', sex: 'L', serial: 7, kk: kkHanura, nama: 'MUHAMMAD ALFARIZI', tempat: 'PESAWARAN', gol: 'TIDAK TAHU', kawin: 'BELUM KAWIN', pddk: BELUM_SEKOLAH, kerja: 'BELUM/TIDAK BEKERJA', ibu: 'SITI KHOIRIAH', jalan: 'DUSUN HANURA PANTAI', rt: 7, rw: 3, wire: { sexStyle: 'letter', rtRwAsNumber: true } },
  { kec: 5, desa: 'GAYAU', lahir: '1991-09-09', sex: 'L', serial: 19, kk: kk(5, '2015-07-27', 61), nama: 'YOGI PERMANA', tempat: 'PESAWARAN', gol: 'A', agama: 'KATHOLIK', kawin: 'BELUM KAWIN', pddk: S1, kerja: 'KARYAWAN SWASTA', ibu: 'THERESIA SUMARNI', jalan: 'DUSUN GAYAU', rt: 2, rw: 1, status: 'ganda' },
  // Punduh Pidada
  { kec: 6, desa: 'BAWANG', lahir: '1976-11-23', sex: 'L', serial: 2, kk: kkBawang, nama: 'BAHTIAR', tempat: 'PUNDUH PIDADA', gol: 'O', kawin: 'KAWIN', pddk: SD, kerja: NELAYAN, ibu: 'SALAMAH', jalan: 'DUSUN BAWANG', rt: 1, rw: 1, wire: { dateFormat: 'yyyy-mm-dd' } },
  { kec: 6, desa: 'BAWANG', lahir: '1981-01-30', sex: 'P', serial: 3, kk: kkBawang, nama: 'MARYAM', tempat: 'PUNDUH PIDADA', gol: 'B', kawin: 'KAWIN', pddk: SD, kerja: MRT, ibu: 'HALIMAH', jalan: 'DUSUN BAWANG', rt: 1, rw: 1, wire: { sexStyle: 'title' } },
  { kec: 6, desa: 'PULAU LEGUNDI', lahir: '1963-10-10', sex: 'L', serial: 1, kk: kk(6, '2007-04-16', 5), nama: 'DAENG MAPPASOMBA', tempat: 'BONE', gol: 'TIDAK TAHU', kawin: 'KAWIN', pddk: SD, kerja: NELAYAN, ibu: 'BACCE', jalan: 'DUSUN PULAU LEGUNDI', rt: 2, rw: 1, wire: { keyCase: 'mixed' } },
  // Kedondong
  { kec: 7, desa: 'PASAR BARU', lahir: '1987-07-21', sex: 'P', serial: 15, kk: kk(7, '2014-10-30', 93), nama: 'NURUL HIDAYAH', tempat: 'KEDONDONG', gol: 'A', kawin: 'KAWIN', pddk: D3, kerja: 'PEDAGANG', ibu: 'AMINAH', jalan: 'JL. PASAR BARU NO. 5', rt: 3, rw: 1, wire: { withResponseCode: true, dateFormat: 'dd/mm/yyyy' } },
  { kec: 7, desa: 'TEMPEL REJO', lahir: '1960-12-25', sex: 'L', serial: 2, kk: kk(7, '2009-12-01', 14), nama: 'YOHANES SUWARDI', tempat: 'YOGYAKARTA', gol: 'O', agama: 'KATHOLIK', kawin: 'KAWIN', pddk: SLTA, kerja: 'PENSIUNAN', ibu: 'MARIA SUTINAH', jalan: 'DUSUN TEMPEL REJO', rt: 4, rw: 2, status: 'nonaktif', wire: { keyCase: 'lower' } },
  { kec: 7, desa: 'KEDONDONG', lahir: '1997-04-04', sex: 'L', serial: 10, kk: kk(7, '2018-05-05', 140), nama: 'DIMAS ARYA WIBOWO', tempat: 'PESAWARAN', gol: 'B+', kawin: 'BELUM KAWIN', pddk: S1, kerja: 'WIRASWASTA', ibu: 'ENDANG SUSILOWATI', jalan: 'DUSUN KEDONDONG ILIR', rt: 5, rw: 3, wire: { nikAsNumber: true, keyCase: 'mixed' } },
  // Marga Punduh
  { kec: 8, desa: 'PULAU PAHAWANG', lahir: '1983-08-08', sex: 'L', serial: 4, kk: kk(8, '2015-08-17', 37), nama: 'RUSLAN EFENDI', tempat: 'PESAWARAN', gol: 'O', kawin: 'KAWIN', pddk: SLTP, kerja: NELAYAN, ibu: 'MASITAH', jalan: 'DUSUN PAHAWANG', rt: 1, rw: 1, wire: { maritalText: 'Kawin Tercatat', sexStyle: 'title' } },
  { kec: 8, desa: 'MAJA', lahir: '1994-02-28', sex: 'P', serial: 8, kk: kk(8, '2020-01-20', 91), nama: 'AULIA RAHMAWATI', tempat: 'BANDAR LAMPUNG', gol: 'AB', kawin: 'BELUM KAWIN', pddk: S1, kerja: 'GURU', ibu: 'FAUZIAH', jalan: 'DUSUN MAJA', rt: 2, rw: 1, wire: { dateFormat: 'yyyy-mm-ddT00:00:00', misspelledKeys: true } },
  // Way Khilau
  { kec: 9, desa: 'KUBU BATU', lahir: '1972-05-05', sex: 'L', serial: 1, kk: kkKubuBatu, nama: 'SYAHRIAL', tempat: 'WAY KHILAU', gol: 'A', kawin: 'KAWIN', pddk: SLTA, kerja: PETANI, ibu: 'NURBAYA', jalan: 'DUSUN KUBU BATU', rt: 3, rw: 2, wire: { rtRwAsNumber: true } },
  { kec: 9, desa: 'KUBU BATU', lahir: '1974-09-19', sex: 'P', serial: 2, kk: kkKubuBatu, nama: 'ROSMALA DEWI', tempat: 'WAY KHILAU', gol: 'B', kawin: 'KAWIN', pddk: SLTA, kerja: MRT, ibu: 'ZAINAB', jalan: 'DUSUN KUBU BATU', rt: 3, rw: 2, wire: { nikAsNumber: true, sexStyle: 'letter' } },
  { kec: 9, desa: 'PENENGAHAN', lahir: '2003-06-06', sex: 'L', serial: 14, kk: kk(9, '2021-03-08', 45), nama: 'FAJAR NUGROHO', tempat: 'PESAWARAN', gol: 'O', kawin: 'BELUM KAWIN', pddk: SLTA, kerja: PELAJAR, ibu: 'SRI MULYANI', jalan: 'DUSUN PENENGAHAN', rt: 1, rw: 1, wire: { dateFormat: 'yyyy-mm-dd', keyCase: 'lower' } },
  // Teluk Pandan
  { kec: 10, desa: 'HANAU BERAK', lahir: '1989-12-12', sex: 'P', serial: 6, kk: kk(10, '2016-06-06', 82), nama: 'MEGA SARI', tempat: 'TELUK BETUNG', gol: 'O-', kawin: 'CERAI HIDUP', pddk: SLTA, kerja: 'PEDAGANG', ibu: 'JUBAIDAH', jalan: 'DUSUN HANAU BERAK', rt: 2, rw: 2, wire: { maritalText: 'CERAI TERCATAT' } },
  { kec: 10, desa: 'SUKAJAYA LEMPASING', lahir: '1977-03-03', sex: 'L', serial: 9, kk: kk(10, '2011-10-10', 26), nama: 'HENDRA GUNAWAN', tempat: 'BANDAR LAMPUNG', gol: 'A', agama: 'BUDHA', kawin: 'KAWIN', pddk: S1, kerja: 'WIRASWASTA', ibu: 'LIE MEI HWA', jalan: 'JL. RAYA LEMPASING NO. 88', rt: 4, rw: 1, wire: { dateFormat: 'dd/mm/yyyy', misspelledKeys: true } },
  { kec: 10, desa: 'HURUN', lahir: '1966-01-01', sex: 'P', serial: 3, kk: kk(10, '2008-02-29', 11), nama: 'RAHMAWATI', tempat: 'PESAWARAN', gol: 'TIDAK TAHU', kawin: 'CERAI MATI', pddk: SD, kerja: MRT, ibu: 'SAODAH', jalan: 'DUSUN HURUN', rt: 1, rw: 1, status: 'meninggal', wire: { nikAsNumber: true } },
  // Way Ratai
  { kec: 11, desa: 'PONCOREJO', lahir: '1986-04-21', sex: 'L', serial: 7, kk: kk(11, '2014-01-13', 54), nama: 'BAMBANG SUSILO', tempat: 'PESAWARAN', gol: 'B', kawin: 'KAWIN', pddk: SLTA, kerja: 'SOPIR', ibu: 'SUMARNI', jalan: 'DUSUN PONCOREJO', rt: 6, rw: 2, wire: { keyCase: 'mixed', dateFormat: 'yyyy-mm-ddT00:00:00' } },
  { kec: 11, desa: 'BUNUT', lahir: '1993-10-17', sex: 'P', serial: 11, kk: kk(11, '2018-03-19', 107), nama: 'SRI RAHAYU', tempat: 'PESAWARAN', gol: 'A', kawin: 'KAWIN', pddk: SLTP, kerja: PETANI, ibu: 'TUMINAH', jalan: 'DUSUN BUNUT', rt: 3, rw: 1, wire: { withResponseCode: true, rtRwAsNumber: true } },
  { kec: 11, desa: 'CERINGIN ASRI', lahir: '1957-07-31', sex: 'L', serial: 2, kk: kk(11, '2006-11-06', 3), nama: 'KASMAN', tempat: 'KEBUMEN', gol: 'TIDAK TAHU', kawin: 'CERAI MATI', pddk: SD, kerja: PETANI, ibu: 'SARINEM', jalan: 'DUSUN CERINGIN ASRI', rt: 2, rw: 3, wire: { dateFormat: 'dd/mm/yyyy', sexStyle: 'title' } },
];

export const RESIDENTS: readonly SandboxResident[] = rows.map((row) => ({
  nik: row.nikOverride ?? nik(row.kec, row.lahir, row.sex, row.serial),
  noKk: row.kk,
  nama: row.nama,
  tempatLahir: row.tempat,
  tanggalLahir: row.lahir,
  jenisKelamin: row.sex === 'L' ? 'LAKI-LAKI' : 'PEREMPUAN',
  golonganDarah: row.gol,
  agama: row.agama ?? 'ISLAM',
  statusPerkawinan: row.kawin,
  pendidikan: row.pddk,
  pekerjaan: row.kerja,
  namaIbu: row.ibu,
  alamat: {
    jalan: row.jalan,
    rt: pad(row.rt, 3),
    rw: pad(row.rw, 3),
    kodeKecamatan: `18.09.${pad(row.kec, 2)}`,
    kelurahan: row.desa,
    kecamatan: KECAMATAN[pad(row.kec, 2)]!,
    kabupaten: 'PESAWARAN',
    provinsi: 'LAMPUNG',
  },
  status: row.status ?? 'aktif',
  wire: row.wire ?? {},
}));

export const findResident = (nikValue: string): SandboxResident | undefined => RESIDENTS.find((resident) => resident.nik === nikValue);
