// An example OPD application on a real port: the e-kinerja of a BKPSDM (civil servants'
// performance), the service the sandbox registers so the publish → request → approve → call
// flow is there on first start. It is an example, not an upstream: no public source describes
// an e-kinerja API, and none is claimed. It answers
// - GET  /api/v1/pegawai?unit_kerja=           the civil servants (JSON, {items, total})
// - GET  /api/v1/pegawai/{nip}                 one of them (404 when unknown)
// - GET  /api/v1/pegawai/{nip}/kinerja?tahun=  the year's performance score
// - POST /api/v1/sasaran-kinerja               submit a performance target (SKP): 201 with its id
// - POST /api/v1/kehadiran/rekap               XML in, XML out: a month's attendance of one NIP
// every one behind a static key in X-Api-Key (401 without it), and the simulator kit's control
// API under /_simulator (faults, requests, reset).
import { buildXml, parseXml, serveSimulator, type Request, type Response } from '../../connectors/simulator-sdk.js';
import { initialKehadiran, initialKinerja, initialPegawai, SANDBOX_API_KEY, type Pegawai } from './ekinerja-data.js';

export interface SasaranKinerja {
  id: string;
  nip: string;
  tahun: number;
  sasaran: string;
  indikator: string;
  target: number;
  satuan: string;
  status: 'diajukan';
  diajukan_pada: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');

/** The kit's simulator (with its request record) and the targets submitted so far. */
export type EkinerjaSimulator = Awaited<ReturnType<typeof serveSimulator>> & { sasaran(): SasaranKinerja[] };

export async function startEkinerjaSimulator(options: { host?: string; port?: number; apiKey?: string } = {}): Promise<EkinerjaSimulator> {
  const apiKey = options.apiKey ?? SANDBOX_API_KEY;
  let sasaran: SasaranKinerja[] = [];
  const byNip = (nip: string): Pegawai | undefined => initialPegawai.find((p) => p.nip === nip);
  const problem = (res: Response, status: number, message: string): void => {
    res.status(status).json({ status: status, message });
  };
  const simulator = await serveSimulator({
    name: 'e-kinerja (example OPD service)',
    errorInOk: (_req, res, message) => res.status(200).json({ status: 500, message }),
    reset: () => {
      sasaran = [];
    },
    routes(app) {
      app.use((req: Request, res: Response, next) => {
        if (req.headers['x-api-key'] !== apiKey) problem(res, 401, 'kunci API tidak valid');
        else next();
      });
      app.get('/api/v1/pegawai', (req, res) => {
        const unit = text(req.query.unit_kerja);
        const items = initialPegawai.filter((p) => unit === '' || p.unit_kerja === unit);
        res.json({ items, total: items.length });
      });
      app.get('/api/v1/pegawai/:nip', (req, res) => {
        const pegawai = byNip(req.params.nip);
        if (!pegawai) problem(res, 404, 'pegawai tidak ditemukan');
        else res.json(pegawai);
      });
      app.get('/api/v1/pegawai/:nip/kinerja', (req, res) => {
        const tahun = Number(text(req.query.tahun) || '2025');
        const kinerja = initialKinerja.find((k) => k.nip === req.params.nip && k.tahun === tahun);
        if (!kinerja) problem(res, 404, 'penilaian kinerja tidak ditemukan');
        else res.json(kinerja);
      });
      app.post('/api/v1/sasaran-kinerja', (req, res) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (!byNip(text(body.nip)) || typeof body.target !== 'number' || text(body.sasaran) === '') {
          problem(res, 422, 'nip, sasaran dan target wajib diisi');
          return;
        }
        const created: SasaranKinerja = {
          id: `SKP-${String(sasaran.length + 1).padStart(5, '0')}`,
          nip: text(body.nip),
          tahun: typeof body.tahun === 'number' ? body.tahun : 2026,
          sasaran: text(body.sasaran),
          indikator: text(body.indikator),
          target: body.target,
          satuan: text(body.satuan) || 'persen',
          status: 'diajukan',
          diajukan_pada: new Date().toISOString(),
        };
        sasaran.push(created);
        res.status(201).json(created);
      });
      app.post('/api/v1/kehadiran/rekap', (req, res) => {
        let permintaan: Record<string, unknown>;
        try {
          permintaan = (parseXml(typeof req.body === 'string' ? req.body : '').permintaan ?? {}) as Record<string, unknown>;
        } catch {
          res.status(400).type('application/xml').send(buildXml({ galat: { pesan: 'XML tidak valid' } }));
          return;
        }
        const rekap = initialKehadiran.find((k) => k.nip === text(permintaan.nip) && k.bulan === text(permintaan.bulan));
        if (!rekap) {
          res.status(404).type('application/xml').send(buildXml({ galat: { pesan: 'rekap tidak ditemukan' } }));
          return;
        }
        res.type('application/xml').send(buildXml({ rekap: { nip: rekap.nip, nama: byNip(rekap.nip)!.nama, bulan: rekap.bulan, hadir: rekap.hadir, izin: rekap.izin, alpa: rekap.alpa } }));
      });
      app.use((_req, res) => problem(res, 404, 'tidak ada'));
    },
  }, options);
  return { ...simulator, sasaran: () => sasaran.map((s) => ({ ...s })) };
}
