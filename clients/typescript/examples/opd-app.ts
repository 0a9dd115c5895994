// An example OPD application on the typed client: it looks a resident up through SIAK and lists
// the newest complaints from SP4N-LAPOR!, with its own key, so what it prints is masked to its
// clearance. Run it against the sandbox (npm start prints the keys):
//   PENGHUBUNG_URL=http://127.0.0.1:8080 PENGHUBUNG_API_KEY=phb_… npx tsx clients/typescript/examples/opd-app.ts 1809011704780001
import { createPenghubungClient, type Problem } from '../src/index.js';

const baseUrl = process.env.PENGHUBUNG_URL ?? 'http://127.0.0.1:8080';
const apiKey = process.env.PENGHUBUNG_API_KEY;
if (!apiKey) {
  console.error('set PENGHUBUNG_API_KEY to your application\'s API key');
  process.exit(2);
}
const nik = process.argv[2] ?? '1809011704780001';
const hub = createPenghubungClient({ baseUrl, apiKey });

function fail(what: string, problem: Problem): never {
  console.error(`${what}: ${problem.status} ${problem.code} — ${problem.detail ?? problem.title}`);
  process.exit(1);
}

const resident = await hub.GET('/v1/penduduk/{nik}', { params: { path: { nik } } });
if (resident.error) fail('resident lookup', resident.error as Problem);
// The compiler knows the canonical record: nama_lengkap, alamat.kecamatan, …
console.log(JSON.stringify({ penduduk: { nik: resident.data.nik, nama_lengkap: resident.data.nama_lengkap, kecamatan: resident.data.alamat?.kecamatan } }));

const complaints = await hub.GET('/v1/pengaduan', { params: { query: { limit: 3 } } });
if (complaints.error) fail('complaints', complaints.error as Problem);
console.log(JSON.stringify({ pengaduan: complaints.data.items.map((item) => ({ id: item.id, judul: item.judul, status: item.status })) }));
