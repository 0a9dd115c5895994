// A sandbox stand-in for the Dukcapil web service, on a real port: both methods at
// POST /dukcapil/get_json/:consumer/:method, credentials and client IP checked from the body,
// a daily quota per consumer, errors answered with HTTP 200 the way Dukcapil answers them, and
// the synthetic residents of sandbox-data.ts written with the quirks real deployments show.
// Control endpoints under /_simulator (the simulator kit's faults, requests, stats and reset,
// plus residents, quota and access hours) let demos and tests steer it.
import {
  LosslessNumber,
  parseJson,
  serveSimulator,
  stringifyJson,
  type ListenOptions,
  type NextFunction,
  type Request,
  type Response,
  type Router,
  type Simulator,
  type StartSimulator,
} from '../../src/connectors/simulator-sdk.js';
import { findResident, RESIDENTS, type SandboxResident } from './sandbox-data.js';

export interface SiakSimulatorOptions extends ListenOptions {
  /** Calls per consumer per day (WIB) before RESPONSE_CODE 05. Default 1000. */
  quota?: number;
  /** Values of ip_user that are accepted. Default 127.0.0.1. */
  allowedIps?: string[];
}

/** The sandbox account (the manifest's sandbox settings). */
export const SANDBOX_ACCOUNT = { consumer: 'PESAWARAN', userId: 'penghubung-demo', password: 'demo-rahasia', ipUser: '127.0.0.1' } as const;

/** Accounts the simulator knows: an inactive institution (16) and an inactive user (17) besides the sandbox one. */
const consumers: Record<string, { active: boolean; users: Record<string, { password: string; active: boolean }> }> = {
  [SANDBOX_ACCOUNT.consumer]: {
    active: true,
    users: {
      [SANDBOX_ACCOUNT.userId]: { password: SANDBOX_ACCOUNT.password, active: true },
      'penghubung-nonaktif': { password: SANDBOX_ACCOUNT.password, active: false },
    },
  },
  'PESAWARAN-LAMA': { active: false, users: { [SANDBOX_ACCOUNT.userId]: { password: SANDBOX_ACCOUNT.password, active: true } } },
};

const methods = new Set(['CALL_NIK', 'CALL_VERIFY_BY_ELEMEN']);

const messages: Record<string, string> = {
  '03': 'Login gagal, user id atau password salah',
  '04': 'IP Address tidak terdaftar',
  '05': 'Kuota akses hari ini telah habis',
  '06': 'Akses di luar jam layanan',
  '07': 'Parameter tidak lengkap',
  '08': 'NIK tidak dapat diproses',
  '09': 'User id dan password tidak boleh kosong',
  '10': 'IP User tidak sesuai',
  '11': 'Data ditemukan, status meninggal',
  '12': 'Data ganda, ditemukan lebih dari satu data',
  '13': 'Data tidak ditemukan',
  '14': 'Data tidak aktif',
  '15': 'Data tidak ditemukan atau format NIK salah',
  '16': 'Lembaga tidak aktif',
  '17': 'User tidak aktif',
};

/** Dukcapil's paging envelope around `content`. */
const envelope = (content: unknown[]) => ({
  content,
  lastPage: true,
  numberOfElements: content.length,
  sort: null,
  totalElements: content.length,
  firstPage: true,
  number: 0,
  size: content.length,
});

const send = (res: Response, status: number, body: unknown): void => {
  res.status(status).type('application/json').send(stringifyJson(body));
};

const code = (res: Response, responseCode: string): void => send(res, 200, envelope([{ RESPONSE_CODE: responseCode, RESPONSE: messages[responseCode] }]));

const wibDay = (now: Date): string => new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

function formatDate(iso: string, format: SandboxResident['wire']['dateFormat']): string {
  const [y, m, d] = iso.split('-');
  switch (format) {
    case 'yyyy-mm-dd':
      return iso;
    case 'dd/mm/yyyy':
      return `${d}/${m}/${y}`;
    case 'yyyy-mm-ddT00:00:00':
      return `${iso}T00:00:00`;
    default:
      return `${d}-${m}-${y}`;
  }
}

function sexWord(resident: SandboxResident): string {
  const style = resident.wire.sexStyle ?? 'upper';
  if (style === 'letter') return resident.jenisKelamin === 'LAKI-LAKI' ? 'L' : 'P';
  if (style === 'title') return resident.jenisKelamin === 'LAKI-LAKI' ? 'Laki-Laki' : 'Perempuan';
  return resident.jenisKelamin;
}

function recase(key: string, style: SandboxResident['wire']['keyCase']): string {
  if (style === 'lower') return key.toLowerCase();
  if (style === 'mixed') return key.split('_').map((word) => word.charAt(0) + word.slice(1).toLowerCase()).join('_');
  return key;
}

/** A resident as CALL_NIK writes it, quirks included. */
export function nativeRecord(resident: SandboxResident): Record<string, unknown> {
  const { wire } = resident;
  const id = (digits: string): unknown => (wire.nikAsNumber ? new LosslessNumber(digits) : digits);
  const rtRw = (value: string): unknown => (wire.rtRwAsNumber ? Number(value) : value);
  const kodeKecamatan = Number(resident.alamat.kodeKecamatan.slice(-2));
  const fields: [string, unknown][] = [
    ...(wire.withResponseCode ? ([['RESPONSE_CODE', '01'], ['RESPONSE', 'Data Ditemukan']] as [string, unknown][]) : []),
    ['NIK', id(resident.nik)],
    ['NO_KK', id(resident.noKk)],
    [wire.misspelledKeys ? 'NAMA_LENGKAP' : 'NAMA_LGKP', resident.nama],
    [wire.misspelledKeys ? 'TEMPAT_LAHIR' : 'TMPT_LHR', resident.tempatLahir],
    ['TGL_LHR', formatDate(resident.tanggalLahir, wire.dateFormat)],
    [wire.misspelledKeys ? 'JENIS_KELAMIN' : 'JENIS_KLMIN', sexWord(resident)],
    ['GOL_DARAH', resident.golonganDarah],
    ['AGAMA', resident.agama],
    ['STATUS_KAWIN', wire.maritalText ?? resident.statusPerkawinan],
    ['PDDK_AKH', resident.pendidikan],
    ['JENIS_PKRJN', resident.pekerjaan],
    ['NAMA_LGKP_IBU', resident.namaIbu],
    ['ALAMAT', resident.alamat.jalan],
    ['NO_RT', rtRw(resident.alamat.rt)],
    ['NO_RW', rtRw(resident.alamat.rw)],
    ['NO_PROP', 18],
    ['NO_KAB', 9],
    ['NO_KEC', kodeKecamatan],
    ['NO_KEL', 2000 + (RESIDENTS.indexOf(resident) % 20)],
    ['KEL_NAME', resident.alamat.kelurahan],
    ['KEC_NAME', resident.alamat.kecamatan],
    ['KAB_NAME', resident.alamat.kabupaten],
    ['PROP_NAME', resident.alamat.provinsi],
    ['EKTP_STATUS', Number(resident.tanggalLahir.slice(0, 4)) <= 2009 ? 'SUDAH REKAM' : 'BELUM REKAM'],
  ];
  return Object.fromEntries(fields.map(([key, value]) => [recase(key, wire.keyCase), value]));
}

/** Similarity 0-100 of two texts (Levenshtein distance over the longer length), case and spacing ignored. */
export function similarity(a: string, b: string): number {
  const x = a.replace(/\s+/g, ' ').trim().toUpperCase();
  const y = b.replace(/\s+/g, ' ').trim().toUpperCase();
  if (x === y) return 100;
  if (!x.length || !y.length) return 0;
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return Math.round(100 * (1 - previous[y.length]! / Math.max(x.length, y.length)));
}

const sexOf = (value: string): string | undefined => {
  const word = value.trim().toUpperCase();
  if (['L', 'LAKI-LAKI', 'LAKI LAKI', 'PRIA'].includes(word)) return 'LAKI-LAKI';
  if (['P', 'PEREMPUAN', 'WANITA'].includes(word)) return 'PEREMPUAN';
  return undefined;
};

/** CALL_VERIFY_BY_ELEMEN: each element sent is answered; fuzzy ones with a score against TRESHOLD. */
function verify(resident: SandboxResident, body: Record<string, unknown>, threshold: number): Record<string, string> {
  const answer: Record<string, string> = { NIK: 'Sesuai' };
  const fuzzy: [string, string][] = [
    ['NAMA_LGKP', resident.nama],
    ['TMPT_LHR', resident.tempatLahir],
    ['NAMA_LGKP_IBU', resident.namaIbu],
    ['ALAMAT', resident.alamat.jalan],
  ];
  for (const [key, registered] of fuzzy) {
    if (body[key] === undefined) continue;
    const score = similarity(String(body[key]), registered);
    answer[key] = `${score >= threshold ? 'Sesuai' : 'Tidak Sesuai'} (${score})`;
  }
  if (body.TGL_LHR !== undefined) answer.TGL_LHR = String(body.TGL_LHR).trim() === formatDate(resident.tanggalLahir, 'dd-mm-yyyy') ? 'Sesuai' : 'Tidak Sesuai';
  if (body.JENIS_KLMIN !== undefined) answer.JENIS_KLMIN = sexOf(String(body.JENIS_KLMIN)) === resident.jenisKelamin ? 'Sesuai' : 'Tidak Sesuai';
  return answer;
}

/** A NIK whose structure is wrong (bad region or date) although it has 16 digits. */
function malformedNik(nik: string): boolean {
  const day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  return nik.startsWith('00') || day === 0 || (day > 31 && day < 41) || day > 71 || month < 1 || month > 12 || nik.endsWith('0000');
}

/** The sandbox account's daily quota (per consumer, reset at midnight WIB) and the access hours. */
class Gate {
  limit: number;
  open = true;
  private used = new Map<string, number>();
  private day = wibDay(new Date());

  constructor(private readonly initialLimit: number) {
    this.limit = initialLimit;
  }

  /** Calls `consumer` made today (WIB). */
  usage(consumer: string): number {
    const today = wibDay(new Date());
    if (today !== this.day) {
      this.day = today;
      this.used.clear();
    }
    return this.used.get(consumer) ?? 0;
  }

  setUsage(consumer: string, used: number): void {
    this.usage(consumer);
    this.used.set(consumer, used);
  }

  /** Counts a call against the quota; false when the quota is used up. */
  admit(consumer: string): boolean {
    const used = this.usage(consumer);
    if (used >= this.limit) return false;
    this.used.set(consumer, used + 1);
    return true;
  }

  state(): { limit: number; used: number; day: string } {
    return { limit: this.limit, used: this.usage(SANDBOX_ACCOUNT.consumer), day: this.day };
  }

  reset(): void {
    this.limit = this.initialLimit;
    this.open = true;
    this.used.clear();
    this.day = wibDay(new Date());
  }
}

/** One call of a method: Dukcapil's checks in its order, then the record or the verification. */
function answerCall(gate: Gate, allowedIps: Set<string>, consumerName: string, method: string, text: string | undefined, res: Response): void {
  let parsed: unknown;
  try {
    parsed = parseJson(text?.trim() ? text : '{}');
  } catch {
    return send(res, 400, { RESPON: 'Format request tidak valid' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return code(res, '07');
  const body = Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key.toUpperCase(), value]));
  const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value).trim());

  const userId = str(body.USER_ID);
  const password = str(body.PASSWORD);
  if (!userId || !password) return code(res, '09');
  const consumer = consumers[consumerName];
  const user = consumer?.users[userId];
  if (!consumer || !user || user.password !== password) return code(res, '03');
  if (!consumer.active) return code(res, '16');
  if (!user.active) return code(res, '17');
  const ip = str(body.IP_USER);
  if (!ip) return code(res, '10');
  if (!allowedIps.has(ip)) return code(res, '04');
  if (!gate.open) return code(res, '06');
  if (!gate.admit(consumerName)) return code(res, '05');

  const nik = str(body.NIK);
  if (!nik) return code(res, '07');
  if (!/^[0-9]{16}$/.test(nik)) return code(res, '08');
  if (malformedNik(nik)) return code(res, '15');
  const resident = findResident(nik);
  if (!resident) {
    // The classic free-text form for CALL_NIK; the coded form for verification.
    return method === 'CALL_NIK' ? send(res, 200, envelope([{ RESPON: 'Data Tidak Ditemukan' }])) : code(res, '13');
  }
  if (resident.status === 'meninggal') return code(res, '11');
  if (resident.status === 'nonaktif') return code(res, '14');
  if (resident.status === 'ganda') return code(res, '12');

  if (method === 'CALL_NIK') return send(res, 200, envelope([nativeRecord(resident)]));
  const threshold = Number(str(body.TRESHOLD));
  if (str(body.TRESHOLD) === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 100) return code(res, '07');
  send(res, 200, envelope([verify(resident, body, threshold)]));
}

/** The residents for demos, and the quota and access hours to steer (under /_simulator). */
function controlRoutes(router: Router, gate: Gate): void {
  router.get('/residents', (_req, res) => {
    send(res, 200, RESIDENTS.map((resident) => ({
      nik: resident.nik,
      no_kk: resident.noKk,
      nama: resident.nama,
      jenis_kelamin: resident.jenisKelamin,
      kecamatan: resident.alamat.kecamatan,
      status: resident.status,
      wire: resident.wire,
    })));
  });
  router.get('/quota', (_req, res) => send(res, 200, gate.state()));
  router.post('/quota', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { limit?: unknown; used?: unknown; consumer?: unknown };
    const consumer = typeof body.consumer === 'string' ? body.consumer : SANDBOX_ACCOUNT.consumer;
    if (body.limit !== undefined && (!Number.isInteger(body.limit) || (body.limit as number) < 0)) return send(res, 400, { error: 'limit must be a non-negative integer' });
    if (body.used !== undefined && (!Number.isInteger(body.used) || (body.used as number) < 0)) return send(res, 400, { error: 'used must be a non-negative integer' });
    if (body.limit !== undefined) gate.limit = body.limit as number;
    if (body.used !== undefined) gate.setUsage(consumer, body.used as number);
    send(res, 200, gate.state());
  });
  router.post('/access', (req: Request, res: Response) => {
    const open = (req.body as { open?: unknown } | undefined)?.open;
    if (typeof open !== 'boolean') return send(res, 400, { error: 'open must be a boolean' });
    gate.open = open;
    send(res, 200, { open });
  });
}

/** Starts the simulator; startSimulator is the same with the options the runtime passes. */
export async function startSiakSimulator(options: SiakSimulatorOptions = {}): Promise<Simulator> {
  const gate = new Gate(options.quota ?? 1000);
  const allowedIps = new Set(options.allowedIps ?? [SANDBOX_ACCOUNT.ipUser]);
  return serveSimulator(
    {
      name: 'SIAK',
      // Dukcapil's JSON is read losslessly here, and malformed JSON answered in its own words.
      body: 'text',
      errorInOk: (_req, res, message) => send(res, 200, envelope([{ RESPON: message }])),
      defaultMessage: 'Sistem sedang sibuk, silakan coba beberapa saat lagi',
      reset: () => gate.reset(),
      control: (router) => controlRoutes(router, gate),
      routes: (app) => {
        app.post('/dukcapil/get_json/:consumer/:method', (req: Request, res: Response) => {
          const method = String(req.params.method);
          if (!methods.has(method)) return send(res, 404, { RESPON: `Method ${method} tidak dikenal` });
          answerCall(gate, allowedIps, String(req.params.consumer), method, req.body as string | undefined, res);
        });
        app.use((_req: Request, res: Response) => send(res, 404, { RESPON: 'Halaman tidak ditemukan' }));
        app.use((_error: Error, _req: Request, res: Response, _next: NextFunction) => send(res, 400, { RESPON: 'Format request tidak valid' }));
      },
    },
    options,
  );
}

export const startSimulator: StartSimulator = (options) => startSiakSimulator(options);
