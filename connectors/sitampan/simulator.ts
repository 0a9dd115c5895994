// A stand-in for SITAMPAN on a real port, implementing the interface README.md specifies:
// - POST /api/v1/naskah   receives a letter from the hub (application/xml <naskah>, or its JSON
//        twin), checks the X-Api-Key header, and answers <hasil><status>berhasil</status><id>…</id></hasil>
//        (JSON {"hasil": {…}} to a JSON request). Errors: 401 kunci_tidak_valid; a letter that
//        does not follow the interface is refused with HTTP 200 and <status>gagal</status>
//        (data_tidak_valid), an error with HTTP 200 the hub must survive; another letter holding the nomor is
//        409 nomor_sudah_ada. The same id sent again is acknowledged, not recorded twice.
// - pushes letters to a hub, as SITAMPAN does when a letter is registered or disposed.
// Control API under /_simulator (see README.md): naskah, contoh and push, besides the simulator
// kit's faults, requests, stats and reset.
import { buildXml, parseJson, parseXml, serveSimulator, stringifyJson, type NextFunction, type Request, type Response, type Router, type StartSimulator } from '../../src/connectors/simulator-sdk.js';
import { lettersOf, mapLetter, nativeJson, nativeXml, type NaskahDinas, type NativeLetter } from './naskah.js';
import { SANDBOX_API_KEY, sandboxLetters } from './sandbox-data.js';

export interface RecordedLetter {
  id: string;
  nomor: string;
  format: 'xml' | 'json';
  receivedAt: string;
  /** The letter as the hub reads the interface (without sumber). */
  naskah: Omit<NaskahDinas, 'sumber'>;
  /** The request body as it arrived. */
  dokumen: string;
}

const NASKAH_PATH = '/api/v1/naskah';
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const mediaType = (req: Request): string => (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
const wantsJson = (req: Request): boolean => mediaType(req) === 'application/json';

interface Hasil {
  status: 'berhasil' | 'gagal';
  id?: string;
  kode?: string;
  pesan?: string;
}

function sendHasil(req: Request, res: Response, httpStatus: number, hasil: Hasil): void {
  if (wantsJson(req)) res.status(httpStatus).type('application/json').send(stringifyJson({ hasil }));
  else res.status(httpStatus).type('application/xml').send(buildXml({ hasil }));
}

/**
 * Pushes a letter to a hub as SITAMPAN does: body {hubUrl, format: xml|json, nomor?,
 * disposisi?, naskah?, headers?}. `nomor` picks a sample letter (default the first),
 * `disposisi` how many of its dispositions to include (default all: pushing the same letter
 * with one more is a new disposition), `naskah` a whole letter of your own in the interface's
 * terms, `headers` extra headers for the hub (its client credentials).
 */
async function push(req: Request, res: Response, samples: ReturnType<typeof sandboxLetters>): Promise<void> {
  const body = record(req.body);
  const hubUrl = typeof body.hubUrl === 'string' ? body.hubUrl.replace(/\/+$/, '') : '';
  const format = body.format === 'json' ? 'json' : body.format === 'xml' || body.format === undefined ? 'xml' : undefined;
  if (!/^https?:\/\/[^\s]+$/.test(hubUrl) || format === undefined) {
    res.status(400).json({ error: 'expected {hubUrl: "http://…", format: "xml" | "json", nomor?, disposisi?, naskah?, headers?}' });
    return;
  }
  let sample = samples[0]!;
  if (typeof body.nomor === 'string') {
    const found = samples.find((s) => s.letter.nomor === body.nomor);
    if (!found) {
      res.status(404).json({ error: `no sample letter ${body.nomor}; see GET /_simulator/contoh` });
      return;
    }
    sample = found;
  }
  const letter: NativeLetter = typeof body.naskah === 'object' && body.naskah !== null ? (body.naskah as NativeLetter) : structuredClone(sample.letter);
  if (body.disposisi !== undefined) {
    const count = Number(body.disposisi);
    if (!Number.isInteger(count) || count < 0) {
      res.status(400).json({ error: 'disposisi is the number of dispositions to include' });
      return;
    }
    letter.disposisi = (letter.disposisi ?? []).slice(0, count);
  }
  const dokumen = format === 'xml' ? buildXml(nativeXml(letter)) : stringifyJson(nativeJson(letter, sample.casing));
  const extra = Object.fromEntries(Object.entries(record(body.headers)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  let answer: globalThis.Response;
  try {
    answer = await fetch(`${hubUrl}/v1/connectors/sitampan/inbound`, {
      method: 'POST',
      headers: { ...extra, 'content-type': format === 'xml' ? 'application/xml' : 'application/json' },
      body: dokumen,
    });
  } catch (error) {
    res.status(502).json({ error: `the hub cannot be reached: ${(error as Error).message}` });
    return;
  }
  const text = await answer.text();
  let parsed: unknown = text;
  try {
    parsed = (answer.headers.get('content-type') ?? '').includes('json') ? parseJson(text) : text;
  } catch {
    // keep the text
  }
  res.status(200).type('application/json').send(stringifyJson({ status: answer.status, body: parsed, format, dokumen }));
}

export const startSimulator: StartSimulator = (options) => {
  let received: RecordedLetter[] = [];
  const samples = sandboxLetters();

  /** A letter from the hub, checked as SITAMPAN checks it. */
  const receive = (req: Request, res: Response): void => {
    if (req.get('x-api-key') !== SANDBOX_API_KEY) {
      sendHasil(req, res, 401, { status: 'gagal', kode: 'kunci_tidak_valid', pesan: 'API key tidak valid' });
      return;
    }
    const type = mediaType(req);
    if (!['application/xml', 'text/xml', 'application/json'].includes(type) || typeof req.body !== 'string') {
      sendHasil(req, res, 415, { status: 'gagal', kode: 'data_tidak_valid', pesan: 'Kirim application/xml atau application/json' });
      return;
    }
    let naskah: NaskahDinas;
    try {
      const document = type === 'application/json' ? parseJson(req.body) : parseXml(req.body);
      const letters = lettersOf(document);
      if (letters.length !== 1) throw new Error('satu permintaan memuat tepat satu <naskah>');
      naskah = mapLetter(letters[0], { settings: {}, options: {}, now: () => new Date() });
    } catch (error) {
      sendHasil(req, res, 200, { status: 'gagal', kode: 'data_tidak_valid', pesan: `Data naskah tidak valid: ${(error as Error).message}` });
      return;
    }
    const { sumber: _sumber, ...withoutSource } = naskah;
    const uuid = naskah.id.slice('sitampan-'.length);
    const same = received.find((r) => r.id === uuid);
    if (same) {
      sendHasil(req, res, 200, { status: 'berhasil', id: same.id, pesan: 'Naskah sudah diterima sebelumnya' });
      return;
    }
    const taken = received.find((r) => r.nomor === naskah.nomor);
    if (taken) {
      sendHasil(req, res, 409, { status: 'gagal', kode: 'nomor_sudah_ada', pesan: `Nomor ${naskah.nomor} sudah dipakai naskah ${taken.id}` });
      return;
    }
    received.push({ id: uuid, nomor: naskah.nomor, format: type === 'application/json' ? 'json' : 'xml', receivedAt: new Date().toISOString(), naskah: withoutSource, dokumen: req.body });
    sendHasil(req, res, 200, { status: 'berhasil', id: uuid });
  };

  return serveSimulator(
    {
      name: 'SITAMPAN',
      // Letters are read by the interface's own parsers, XML or JSON, as they arrived.
      body: 'text',
      // SITAMPAN's way of failing: HTTP 200 with <status>gagal</status>.
      errorInOk: (req, res, message) => sendHasil(req, res, 200, { status: 'gagal', kode: 'gangguan', pesan: message }),
      errorPage: (status) => `<html><head><title>${status}</title></head><body><h1>${status} Service Unavailable</h1></body></html>`,
      reset: () => {
        received = [];
      },
      control: (router: Router) => {
        router.get('/naskah', (_req, res) => {
          res.type('application/json').send(stringifyJson(received));
        });
        router.get('/contoh', (_req, res) => {
          res.type('application/json').send(stringifyJson(samples.map(({ letter, casing }) => ({ nomor: letter.nomor, id: letter.id, casing, disposisi: letter.disposisi.length, naskah: letter }))));
        });
        router.post('/push', (req, res) => push(req, res, samples));
      },
      routes: (app) => {
        app.post(NASKAH_PATH, receive);
        app.use((req: Request, res: Response) => {
          sendHasil(req, res, 404, { status: 'gagal', kode: 'tidak_ditemukan', pesan: 'Alamat tidak ditemukan' });
        });
        app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
          sendHasil(req, res, 400, { status: 'gagal', kode: 'data_tidak_valid', pesan: error.message });
        });
      },
    },
    options,
  );
};
