// What SIPD answers around its records: HTTP statuses, JSON labelled text/html, errors inside
// HTTP 200 (`{"status": false, "message": …}`), and the three envelopes its lists come in:
// `{data: {data: [...], recordsTotal}}` (SIPD-RI master tables), `{data: "<encoded>",
// recordsTotal}` (renja lists, base64 → reverse → base64 → reverse → JSON) and a bare array (the
// RKPD API). The envelope is read here; the records are mapped one by one elsewhere.
import { isDoc, normaliseKey, parseJson, pick, safeMessage, scalar, unreadableText, UpstreamError, type Doc, type UpstreamResponse } from '../../src/connectors/sdk.js';
import { decodeSipdPayload, PayloadDecodeError } from './codec.js';
import { bad, text } from './fields.js';

export function checkHttp(upstream: UpstreamResponse): void {
  const { status } = upstream;
  if (status >= 500 || status === 429 || status === 408) throw new UpstreamError('upstream-unavailable', `SIPD answered HTTP ${status}`, { retryable: true });
  if (status === 401 || status === 403) throw new UpstreamError('upstream-credentials-rejected', `SIPD answered HTTP ${status}`);
  if (status >= 400) throw new UpstreamError('upstream-request-rejected', `SIPD answered HTTP ${status}`);
  if (status < 200 || status >= 300) throw bad(`SIPD answered HTTP ${status}`);
}

/** A body the runtime left as text (SIPD often labels JSON text/html): JSON, or a refusal. */
function decodeBody(native: unknown): unknown {
  if (typeof native !== 'string') return native;
  const body = native.trim();
  if (body.startsWith('{') || body.startsWith('[')) {
    try {
      return parseJson(body);
    } catch (error) {
      throw bad(`SIPD answered JSON that does not parse: ${(error as Error).message}`);
    }
  }
  throw unreadableText(body, 'SIPD', 'JSON');
}

const BUSY = /maintenance|pemeliharaan|sibuk|busy|coba (lagi )?beberapa saat|try again|too many|terlalu banyak/i;
const CREDENTIALS = /token|unauthori[sz]ed|unauthenticated|tidak terautentikasi|sesi|session|login|akses ditolak|forbidden|kedaluwarsa|expired/i;
const NOTHING = /tidak ditemukan|not found|data kosong|tidak ada data|belum ada data/i;
const REJECTED = /tahun|parameter|tidak valid|invalid|wajib|required|jadwal|daerah|pemda|skpd/i;

/** `{status: false}`, `{status: "error"}`, `{success: false}` or an error status_code without data. */
function isErrorAnswer(doc: Doc): boolean {
  const status = pick(doc, ['status']);
  if (status === false || (typeof status === 'string' && /^(false|error|gagal|failed)$/i.test(status.trim()))) return true;
  if (pick(doc, ['success']) === false) return true;
  const code = Number(scalar(pick(doc, ['statuscode'])));
  return Number.isInteger(code) && code >= 400 && pick(doc, ['data']) === undefined;
}

function messageOf(doc: Doc): string {
  const message = pick(doc, ['message', 'msg', 'pesan', 'error', 'errors', 'keterangan']);
  // Scrubbed: an upstream's words may carry a name, a number or a contact, and errors reach logs.
  return safeMessage(text(message) ?? (message !== undefined ? JSON.stringify(message) : 'no message'));
}

/**
 * Reads an error answer and returns only when it says "no data": that is an empty page (an SKPD
 * without a budget yet is no failure of the scan). Anything else throws the matching UpstreamError.
 */
function assertNoData(doc: Doc): void {
  const message = messageOf(doc);
  if (CREDENTIALS.test(message)) throw new UpstreamError('upstream-credentials-rejected', `SIPD refused the token: ${message}`);
  if (NOTHING.test(message)) return;
  if (BUSY.test(message)) throw new UpstreamError('upstream-unavailable', `SIPD is busy: ${message}`, { retryable: true });
  if (REJECTED.test(message)) throw new UpstreamError('upstream-request-rejected', `SIPD refused the request: ${message}`);
  throw bad(`SIPD answered an error: ${message}`);
}

function totalOf(doc: Doc): number | undefined {
  const raw = text(pick(doc, ['recordstotal', 'recordsfiltered', 'total']));
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(raw)) throw bad(`SIPD sent a recordsTotal that is not a count: ${JSON.stringify(raw)}`);
  return Number(raw);
}

function decodedPayload(data: string): unknown {
  let json: string;
  try {
    json = decodeSipdPayload(data);
  } catch (error) {
    if (error instanceof PayloadDecodeError) throw bad(`SIPD's encoded payload does not decode: ${error.message}`);
    throw error;
  }
  try {
    return parseJson(json);
  } catch (error) {
    throw bad(`SIPD's encoded payload decodes to text that is not JSON: ${(error as Error).message}`);
  }
}

export interface List {
  rows: unknown[];
  /** recordsTotal when SIPD says. */
  total: number | undefined;
}

/** The records of any SIPD list answer, decoding the obfuscated payload; throws for an unreadable envelope. */
export function readList(native: unknown): List {
  const document = decodeBody(native);
  if (Array.isArray(document)) return { rows: document, total: document.length };
  if (!isDoc(document)) throw bad(`SIPD sent ${document === null ? 'null' : typeof document} instead of a list`);
  if (isErrorAnswer(document)) {
    assertNoData(document);
    return { rows: [], total: 0 };
  }
  const data = pick(document, ['data']);
  if (data === undefined || data === null) {
    if (Object.keys(document).some((key) => normaliseKey(key) === 'data')) return { rows: [], total: 0 };
    if (pick(document, ['message', 'msg', 'pesan']) !== undefined) {
      assertNoData(document);
      return { rows: [], total: 0 };
    }
    throw bad(`SIPD sent a document that is not a list (keys: ${Object.keys(document).slice(0, 8).join(', ') || 'none'})`);
  }
  const payload = typeof data === 'string' ? (data === '' ? [] : decodedPayload(data)) : data;
  if (Array.isArray(payload)) return { rows: payload, total: totalOf(document) };
  if (isDoc(payload)) {
    const rows = pick(payload, ['data', 'rows', 'items']) ?? [];
    if (!Array.isArray(rows)) throw bad('SIPD sent a list whose data.data is not a list');
    return { rows, total: totalOf(payload) ?? totalOf(document) };
  }
  throw bad('SIPD sent a data that is neither a list nor an encoded list');
}
