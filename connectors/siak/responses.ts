// Reading a Dukcapil answer, shared by every SIAK operation: the HTTP status, the envelope
// `{"content": [...], "lastPage": …}`, and the errors it carries with HTTP 200, either as
// `{"RESPONSE_CODE": "13", "RESPONSE": "…"}` or as free text `{"RESPON": "…"}`.
import { UpstreamError, nextMidnightWib, parseJson, unreadableText, type ErrorCode, type UpstreamResponse } from '../../src/connectors/sdk.js';
import { bad, isPlainObject, normaliseKeys, type NativeRecord } from './fields.js';

interface Refusal {
  code: ErrorCode;
  retryable?: boolean;
  /** The quota: retry after the next midnight WIB. */
  untilMidnight?: boolean;
}

/** RESPONSE_CODE → the catalogue code. `01` (found) is not a refusal and is not listed. */
export const responseCodes: Readonly<Record<string, Refusal & { meaning: string }>> = {
  '03': { code: 'upstream-credentials-rejected', meaning: 'login failed' },
  '04': { code: 'upstream-client-rejected', meaning: 'IP address rejected' },
  '05': { code: 'upstream-quota-exhausted', untilMidnight: true, meaning: 'daily quota reached' },
  // Not retried within the call: the window opens hours later, and every call counts against the quota.
  '06': { code: 'upstream-outside-hours', meaning: 'outside access hours' },
  '07': { code: 'upstream-request-rejected', meaning: 'incomplete parameters' },
  '08': { code: 'upstream-request-rejected', meaning: 'NIK cannot be processed' },
  '09': { code: 'upstream-credentials-rejected', meaning: 'empty credentials' },
  '10': { code: 'upstream-client-rejected', meaning: 'IP address rejected' },
  '11': { code: 'upstream-subject-deceased', meaning: 'found, but the person is deceased' },
  '12': { code: 'upstream-record-ambiguous', meaning: 'several records for this NIK' },
  '13': { code: 'upstream-record-not-found', meaning: 'not found' },
  '14': { code: 'upstream-record-inactive', meaning: 'record inactive' },
  '15': { code: 'upstream-record-not-found', meaning: 'not found, or the NIK is badly formed' },
  '16': { code: 'upstream-account-inactive', meaning: 'institution inactive' },
  '17': { code: 'upstream-account-inactive', meaning: 'user inactive' },
};

/**
 * Free-text `RESPON` messages by wording, first match wins. Order matters: "IP tidak terdaftar"
 * and "user tidak aktif" must not be read as a missing or inactive record.
 */
const wordings: readonly [RegExp, Refusal][] = [
  [/meninggal|wafat/, { code: 'upstream-subject-deceased' }],
  [/\bganda\b|duplikat|lebih dari (satu|1)|beberapa (data|record)/, { code: 'upstream-record-ambiguous' }],
  [/kuota|quota|melebihi batas|batas (akses|maksimal|maksimum|harian)|limit/, { code: 'upstream-quota-exhausted', untilMidnight: true }],
  [/jam (akses|layanan|operasional|kerja)|luar jam|waktu akses/, { code: 'upstream-outside-hours', retryable: true }],
  [/\bip\b|ip ?address|alamat ip/, { code: 'upstream-client-rejected' }],
  [/(lembaga|instansi|institusi|consumer|konsumen|user|pengguna|akun)\b.*\b(tidak aktif|non ?aktif|diblokir|blokir)/, { code: 'upstream-account-inactive' }],
  [/login|password|kata sandi|user ?_?id|username|\buser\b|otentikasi|autentikasi|kredensial|unauthori[sz]ed|akses ditolak/, { code: 'upstream-credentials-rejected' }],
  [/tidak aktif|non ?aktif/, { code: 'upstream-record-inactive' }],
  [/tidak ditemukan|not found|tidak terdaftar|belum terdaftar|tidak ada data|data kosong/, { code: 'upstream-record-not-found' }],
  [/parameter|tidak lengkap|tidak boleh kosong|wajib diisi|format|tidak valid|tidak dapat diproses|invalid/, { code: 'upstream-request-rejected' }],
];

/** `"Data Ditemukan"`, `"Sukses"`: a RESPON that reports success rather than a refusal. */
const foundWording = /^(data )?(di)?temukan|^sukses|^berhasil|^success|^ok$/;

function refuse(refusal: Refusal, detail: string, now: Date): UpstreamError {
  return new UpstreamError(refusal.code, detail, {
    retryable: refusal.retryable ?? false,
    ...(refusal.untilMidnight ? { retryAt: nextMidnightWib(now) } : {}),
  });
}

const message = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value).replace(/\s+/g, ' ').trim() : '');

/** Reads `RESPONSE_CODE` as two digits (`"13"`, `13`, `"013"` → `13`); undefined when absent. */
function responseCode(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = String(value).trim();
  if (!/^[0-9]{1,4}$/.test(raw)) throw bad(`RESPONSE_CODE "${raw}" is not a code`);
  return String(Number(raw)).padStart(2, '0');
}

const statusKeys = ['RESPONSE_CODE', 'RESPONSE', 'RESPON', 'RESPONSE_MESSAGE'];

/** What remains of an object once its status fields are taken off; undefined when nothing does. */
function remainder(item: NativeRecord): NativeRecord | undefined {
  const rest = Object.fromEntries(Object.entries(item).filter(([key]) => !statusKeys.includes(key)));
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** One element of `content`: a record (returned), a bare "found" marker (undefined), or a refusal (thrown). */
function readItem(item: NativeRecord, now: Date): NativeRecord | undefined {
  const code = responseCode(item.RESPONSE_CODE);
  const text = message(item.RESPONSE ?? item.RESPON ?? item.RESPONSE_MESSAGE);
  if (code !== undefined) {
    if (code === '01') return remainder(item);
    const refusal = responseCodes[code];
    if (!refusal) throw bad(`unknown RESPONSE_CODE ${code}${text ? `: ${text}` : ''}`);
    return failWith(refusal, `SIAK RESPONSE_CODE ${code} (${refusal.meaning})${text ? `: ${text}` : ''}`, now);
  }
  if ('RESPON' in item || 'RESPONSE' in item) {
    const lower = text.toLowerCase();
    // Refusals first: "Data ditemukan, status meninggal" is found *and* refused.
    const match = wordings.find(([pattern]) => pattern.test(lower));
    if (match) return failWith(match[1], `SIAK: ${text}`, now);
    if (foundWording.test(lower)) return remainder(item);
    throw bad(`SIAK answered a message the hub does not recognise: "${text}"`);
  }
  return item;
}

function failWith(refusal: Refusal, detail: string, now: Date): never {
  throw refuse(refusal, detail, now);
}

/** Non-2xx statuses: the HTTP layer failed before Dukcapil's own answer. */
function checkStatus(upstream: UpstreamResponse, now: Date): void {
  const { status } = upstream;
  if (status >= 200 && status < 300) return;
  if (status === 401 || status === 403) throw new UpstreamError('upstream-credentials-rejected', `SIAK answered HTTP ${status}`);
  if (status === 408 || status === 504) throw new UpstreamError('upstream-timeout', `SIAK answered HTTP ${status}`, { retryable: true });
  if (status === 429) {
    // A gateway's rate limit, not the daily quota: retry when it says, else soon.
    const after = Number(upstream.headers['retry-after']);
    const retryAt = Number.isFinite(after) && after >= 0 ? new Date(now.getTime() + after * 1000) : undefined;
    throw new UpstreamError('upstream-unavailable', 'SIAK answered HTTP 429 (too many requests)', { retryable: true, ...(retryAt ? { retryAt } : {}) });
  }
  if (status >= 500) throw new UpstreamError('upstream-unavailable', `SIAK answered HTTP ${status}`, { retryable: true });
  if (status === 400 || status === 422) throw new UpstreamError('upstream-request-rejected', `SIAK answered HTTP ${status}`);
  throw bad(`SIAK answered HTTP ${status}`);
}

/** The body as JSON: the runtime parses JSON, but a deployment labelling it text/html arrives as text. */
function json(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const trimmed = body.trim();
  if (!/^[[{]/.test(trimmed)) throw unreadableText(trimmed, 'SIAK', 'JSON');
  try {
    return parseJson(trimmed);
  } catch (error) {
    throw bad(`SIAK answered broken JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads an answer down to its records (keys upper-cased), or throws the UpstreamError the answer
 * means. An empty `content` means not found.
 */
export function readRecords(upstream: UpstreamResponse, now: Date): NativeRecord[] {
  checkStatus(upstream, now);
  const body = json(upstream.body);
  let content: unknown;
  if (Array.isArray(body)) content = body;
  else if (isPlainObject(body)) {
    const envelope = normaliseKeys(body);
    if ('CONTENT' in envelope) content = isPlainObject(envelope.CONTENT) ? [envelope.CONTENT] : envelope.CONTENT;
    else if (statusKeys.some((key) => key in envelope)) content = [body];
    else throw bad('SIAK answered an object without content');
  } else throw bad('SIAK answered neither an object nor an array');
  if (!Array.isArray(content)) throw bad('SIAK content is not an array');

  const records: NativeRecord[] = [];
  for (const item of content) {
    if (!isPlainObject(item)) throw bad('SIAK content holds something other than objects');
    const record = readItem(normaliseKeys(item), now);
    if (record) records.push(record);
  }
  if (records.length === 0) throw new UpstreamError('upstream-record-not-found', 'SIAK answered no record');
  return records;
}
