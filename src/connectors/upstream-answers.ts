// Reading an upstream's answer before its records: HTTP statuses that carry nothing usable,
// bodies left as text under a wrong content type, and errors inside HTTP 200 (`{"status":
// false, "message": …}`, `{"success": false}`, `{"status": "gagal"}`, `{"status_code": 401}`,
// `{"error": …}` without data), turned into the catalogue's UpstreamError by what they say.
import { parseJson } from '../events/json.js';
import { isDoc, pick, present, scalar, type Doc } from './fields.js';
import { UpstreamError } from './upstream-error.js';
import { parseXml } from './xml.js';
import { scrubContacts } from '../observability/redaction.js';

const ERROR_WORDS = /^(?:false|error|errors|fail|failed|failure|gagal|galat|invalid)$/i;
const DATA_KEYS = ['data', 'result', 'results', 'items', 'records', 'rows', 'content', 'hasil'];
const MESSAGE_KEYS = ['message', 'msg', 'pesan', 'error', 'errors', 'keterangan', 'description', 'deskripsi', 'responsedesc'];

const CREDENTIALS = /token|unauthori[sz]ed|unauthenticated|otentikasi|autentikasi|kredensial|credential|api.?key|kunci|sesi|session|login|akses ditolak|forbidden|kedaluwarsa|expired/i;
const BUSY = /maintenance|pemeliharaan|sibuk|busy|coba (?:lagi )?(?:beberapa saat|nanti)|try again|too many|terlalu banyak|gangguan/i;
const NOT_FOUND = /tidak ditemukan|not found|tidak terdaftar|tidak dikenal/i;
const REJECTED = /parameter|tidak valid|invalid|wajib|required|tidak sesuai|format/i;

/**
 * An upstream's message made safe to repeat in an error: phone numbers (with separators too) and
 * e-mail addresses scrubbed as in log lines, other runs of 8 or more digits (a NIK, a tracking
 * id) masked, one line, at most 160 characters.
 */
export function safeMessage(message: string): string {
  const line = scrubContacts(message.replace(/\s+/g, ' ').trim()).replace(/\d{8,}/g, (digits) => `[${digits.length} digits]`);
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** Throws for HTTP statuses that carry no usable answer: 5xx, 408 and 429 (retryable), 401/403, other 4xx, non-2xx. */
export function assertHttpOk(upstream: { status: number }, system: string): void {
  const { status } = upstream;
  if (status >= 500 || status === 429 || status === 408) throw new UpstreamError('upstream-unavailable', `${system} answered HTTP ${status}`, { retryable: true });
  if (status === 401 || status === 403) throw new UpstreamError('upstream-credentials-rejected', `${system} answered HTTP ${status}`);
  if (status >= 400) throw new UpstreamError('upstream-request-rejected', `${system} answered HTTP ${status}`);
  if (status < 200 || status >= 300) throw new UpstreamError('upstream-bad-response', `${system} answered HTTP ${status}`);
}

/**
 * A body the runtime left as text (upstreams often label JSON `text/html`): JSON (lossless) or
 * XML, decoded; a maintenance page is `upstream-unavailable`; other text `upstream-bad-response`.
 * Bodies already decoded pass through.
 */
export function decodeTextBody(native: unknown, system: string): unknown {
  if (typeof native !== 'string') return native;
  const body = native.trim();
  try {
    if (body.startsWith('{') || body.startsWith('[')) return parseJson(body);
    if (body.startsWith('<') && !/^<(?:!doctype\s+html|html)\b/i.test(body)) return parseXml(body);
  } catch (error) {
    throw new UpstreamError('upstream-bad-response', `${system} answered a body that does not decode: ${(error as Error).message}`);
  }
  throw unreadableText(body, system, 'JSON or XML');
}

/**
 * What a text answer a connector cannot read means: a maintenance page is an outage
 * (`upstream-unavailable`, retryable), other text a bad response. The text is not repeated: a
 * page may echo the name or NIK asked for, and the error reaches logs and answers.
 */
export function unreadableText(text: string, system: string, expected: string): UpstreamError {
  if (BUSY.test(text)) return new UpstreamError('upstream-unavailable', `${system} answered a maintenance page`, { retryable: true });
  return new UpstreamError('upstream-bad-response', `${system} answered text that is not ${expected}`);
}

/**
 * The upstream's message when `doc` is an error answer inside HTTP 200, else undefined: `status`
 * false or an error word, `success` false, a `status_code`/`code` of 400 or more without data,
 * or an `error` field without data.
 */
export function errorInside(doc: unknown): string | undefined {
  if (!isDoc(doc)) return undefined;
  const hasData = pick(doc, DATA_KEYS) !== undefined;
  const status = pick(doc, ['status']);
  const success = pick(doc, ['success', 'sukses']);
  const code = Number(scalar(pick(doc, ['statuscode', 'code'])));
  const error = pick(doc, ['error', 'errors']);
  const failed =
    status === false ||
    (typeof status === 'string' && ERROR_WORDS.test(status.trim())) ||
    success === false ||
    (typeof success === 'string' && ERROR_WORDS.test(success.trim())) ||
    (!hasData && Number.isInteger(code) && code >= 400 && code < 600) ||
    (!hasData && error !== undefined && error !== false && present(error) !== undefined && !/^(?:0|false|null)$/i.test(String(scalar(error))));
  return failed ? messageOf(doc) : undefined;
}

function messageOf(doc: Doc): string {
  const message = pick(doc, MESSAGE_KEYS);
  const text = present(message) ?? (isDoc(message) ? present(pick(message, MESSAGE_KEYS)) : undefined);
  return text === undefined || /^(?:true|false|error)$/i.test(text) ? 'no message' : safeMessage(text);
}

/**
 * The UpstreamError an upstream's error message means, by its words: credentials (token, sesi,
 * login, kunci…), busy (maintenance, sibuk, gangguan…, retryable), not found (`notFound: true`
 * for a lookup; a listing that finds nothing is usually an empty page, see errorInside's
 * caller), request rejected (parameter, tidak valid, wajib…), otherwise a bad response.
 */
export function refusalOf(message: string, system: string, options: { notFound?: boolean } = {}): UpstreamError {
  const said = safeMessage(message);
  if (CREDENTIALS.test(said)) return new UpstreamError('upstream-credentials-rejected', `${system} refused the hub's credentials: ${said}`);
  if (BUSY.test(said)) return new UpstreamError('upstream-unavailable', `${system} is unavailable: ${said}`, { retryable: true });
  if (options.notFound && NOT_FOUND.test(said)) return new UpstreamError('upstream-record-not-found', `${system} has no such record: ${said}`);
  if (REJECTED.test(said)) return new UpstreamError('upstream-request-rejected', `${system} refused the request: ${said}`);
  return new UpstreamError('upstream-bad-response', `${system} answered an error: ${said}`);
}

const NO_DATA = /tidak ditemukan|not found|data kosong|tidak ada data|belum ada data|no data|empty/i;

/**
 * Whether an error message only says there is nothing to list ("Data tidak ditemukan"): for a
 * listing that is an empty page, not a failure (a lookup uses `refusalOf(…, {notFound: true})`).
 */
export function saysNoData(message: string): boolean {
  return NO_DATA.test(message);
}

/** Throws the matching UpstreamError when `doc` is an error inside HTTP 200. */
export function assertNoErrorInside(doc: unknown, system: string, options: { notFound?: boolean } = {}): void {
  const message = errorInside(doc);
  if (message !== undefined) throw refusalOf(message, system, options);
}
