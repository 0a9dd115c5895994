// SITAMPAN ↔ canonical naskah-dinas.v1.
//
// SITAMPAN (Bagian Organisasi) has no published API: the hub defines the interface, in XML
// (`<naskah id="…">…</naskah>`) and its JSON twin, and README.md documents it for SITAMPAN's
// maintainers. naskah.ts reads and writes that interface; this file wires it to the operations:
// - naskah-masuk (inbound push): letters and their dispositions SITAMPAN pushes become
//   naskah-dinas.diterima, or naskah-dinas.disposisi.ditambahkan when a known letter comes back
//   with changed dispositions (the manifest's `changes`);
// - kirim-naskah (outbound): letters OPD applications create (naskah-dinas.dibuat, through the
//   buat-naskah command) are delivered to SITAMPAN as XML. Letters SITAMPAN pushed carry another
//   event type, so they never go back to it.
import {
  buildXml,
  decodeTextBody,
  defineConnector,
  isDoc,
  normaliseKey,
  UpstreamError,
  type Doc,
  type InboundHandler,
  type OutboundHandler,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../src/connectors/sdk.js';
import { lettersOf, mapLetter, nativeXml, toNative, type NaskahDinas } from './naskah.js';

export type { NaskahDinas, Disposisi, Lampiran, Penerima, Pengirim, Sifat, Urgensi } from './naskah.js';

/** Where SITAMPAN receives letters from the hub. */
export const NASKAH_PATH = '/api/v1/naskah';

// ─── inbound ─────────────────────────────────────────────────────────────────────────────────

const naskahMasuk: InboundHandler<NaskahDinas> = {
  // Letter by letter: one that breaks the interface is quarantined with its reason, the others go on.
  // A body the runtime left as text (a wrong Content-Type) is decoded here: the simulator, which
  // shares lettersOf, loads only the SDK's simulator part.
  records: (native) => lettersOf(decodeTextBody(native, 'SITAMPAN')),
  mapRecord: (record, context) => mapLetter(record, context),
  identify: (entity) => entity.id,
};

// ─── outbound ────────────────────────────────────────────────────────────────────────────────

/** A field of SITAMPAN's answer, whatever its casing. */
function field(doc: Doc, name: string): string | undefined {
  for (const [key, value] of Object.entries(doc)) {
    if (normaliseKey(key) !== name) continue;
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : isDoc(value) && typeof value['#text'] === 'string' ? value['#text'] : undefined;
    return text?.trim() || undefined;
  }
  return undefined;
}

/** `<hasil>…</hasil>`, `{"hasil": {…}}` or a bare `{"status": …}`; undefined when it is none of those. */
function answerOf(body: unknown): Doc | undefined {
  let document: unknown;
  try {
    document = decodeTextBody(body, 'SITAMPAN');
  } catch {
    return undefined;
  }
  if (!isDoc(document)) return undefined;
  const hasil = Object.entries(document).find(([key]) => normaliseKey(key) === 'hasil')?.[1];
  if (isDoc(hasil)) return hasil;
  return field(document, 'status') !== undefined ? document : undefined;
}

const SUCCESS = new Set(['berhasil', 'sukses', 'success', 'ok']);
const FAILURE = new Set(['gagal', 'error', 'failed', 'galat']);

/** The UpstreamError for a refusal, by the interface's error code, else by its words. */
function refusal(kode: string | undefined, pesan: string, status: number): UpstreamError {
  const detail = `SITAMPAN refused the letter (HTTP ${status}${kode ? `, ${kode}` : ''}): ${pesan}`;
  switch (kode?.toLowerCase()) {
    case 'kunci_tidak_valid':
      return new UpstreamError('upstream-credentials-rejected', detail);
    case 'gangguan':
      return new UpstreamError('upstream-unavailable', detail, { retryable: true });
    case 'data_tidak_valid':
    case 'nomor_sudah_ada':
      return new UpstreamError('upstream-request-rejected', detail);
    default:
      if (status === 401 || status === 403 || /api.?key|kunci|token|otentikasi|autentikasi|unauthori[sz]ed/i.test(pesan)) {
        return new UpstreamError('upstream-credentials-rejected', detail);
      }
      if (status >= 500 || status === 429 || status === 408) return new UpstreamError('upstream-unavailable', detail, { retryable: true });
      return new UpstreamError('upstream-request-rejected', detail);
  }
}

const kirimNaskah: OutboundHandler<NaskahDinas> = {
  request(entity, context): UpstreamRequest {
    const apiKey = context.settings.apiKey ?? '';
    if (!apiKey) throw new UpstreamError('upstream-credentials-rejected', 'SITAMPAN_API_KEY is not set');
    return {
      method: 'POST',
      path: NASKAH_PATH,
      // Lower-case names replace the runtime's defaults (text/xml, and an Accept preferring JSON).
      headers: { 'content-type': 'application/xml', accept: 'application/xml', 'X-Api-Key': apiKey },
      body: { xml: buildXml(nativeXml(toNative(entity))) },
    };
  },
  response(upstream: UpstreamResponse) {
    const { status } = upstream;
    const answer = answerOf(upstream.body);
    if (answer === undefined) {
      // No <hasil>: a proxy's or server's own page.
      if (status >= 500 || status === 429 || status === 408) throw new UpstreamError('upstream-unavailable', `SITAMPAN answered HTTP ${status}`, { retryable: true });
      if (status === 401 || status === 403) throw new UpstreamError('upstream-credentials-rejected', `SITAMPAN answered HTTP ${status}`);
      if (status >= 400) throw new UpstreamError('upstream-request-rejected', `SITAMPAN answered HTTP ${status}`);
      throw new UpstreamError('upstream-bad-response', `SITAMPAN answered HTTP ${status} without a <hasil>`);
    }
    const word = field(answer, 'status')?.toLowerCase();
    const kode = field(answer, 'kode');
    const pesan = field(answer, 'pesan') ?? field(answer, 'message') ?? 'no message';
    // An error may come with HTTP 200 (the quirk), or with 4xx/5xx.
    if (word !== undefined && FAILURE.has(word)) throw refusal(kode, pesan, status);
    if (status < 200 || status >= 300) throw refusal(kode, pesan, status);
    if (word === undefined || !SUCCESS.has(word)) throw new UpstreamError('upstream-bad-response', `SITAMPAN answered with status ${JSON.stringify(word ?? null)}`);
    const id = field(answer, 'id');
    return id === undefined ? {} : { upstreamId: id };
  },
};

export default defineConnector({
  inbound: { 'naskah-masuk': naskahMasuk },
  outbound: { 'kirim-naskah': kirimNaskah },
});
