// No personal data in the logs: a real hub in sandbox mode, its whole log captured at trace level,
// runs resident lookups (found, gone, ambiguous, not found, malformed, unauthenticated,
// forbidden), verifications, every poller (LAPOR! complaints through the disposition flow,
// SITAMPAN letters), letters pushed in and created by an OPD. Then no NIK, NO_KK, name, phone
// number or e-mail address of the sandbox data may appear anywhere in what the hub wrote.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { initialComplaints } from '../../connectors/lapor/sandbox-data.js';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { sandboxLetters } from '../../connectors/sitampan/sandbox-data.js';
import { createLogger } from '../../src/observability/logger.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { hubBeforeAll, postJson } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString());
    done();
  },
});

const hub = hubBeforeAll({}, {}, createLogger('trace', capture));

/** Every identifier and name the sandbox upstreams hold. */
function personalData(): { niks: string[]; names: string[]; contacts: string[] } {
  const niks = new Set<string>();
  const names = new Set<string>();
  const contacts = new Set<string>();
  for (const resident of RESIDENTS) {
    niks.add(resident.nik).add(resident.noKk);
    names.add(resident.nama).add(resident.namaIbu);
  }
  for (const complaint of initialComplaints()) {
    if (complaint.pelapor?.nik) niks.add(complaint.pelapor.nik);
    if (complaint.pelapor?.nama) names.add(complaint.pelapor.nama);
    if (complaint.pelapor?.email) contacts.add(complaint.pelapor.email);
    if (complaint.pelapor?.telepon) contacts.add(complaint.pelapor.telepon);
  }
  for (const { letter } of sandboxLetters()) if (letter.pengirim?.nama) names.add(letter.pengirim.nama);
  return { niks: [...niks], names: [...names].filter((name) => name.trim().length >= 4), contacts: [...contacts] };
}

describe('the log of a hub doing its sandbox work', () => {
  it('holds no NIK, NO_KK or name of a resident, reporter or sender', async () => {
    const lookup = (path: string, key: string = testKeys.terbatas): Promise<Response> => hubFetch(`${hub().url}${path}`, {}, key);
    const statuses = new Set<number>();
    for (const resident of RESIDENTS) statuses.add((await lookup(`/v1/penduduk/${resident.nik}`)).status);
    for (const path of ['/v1/penduduk/1809015501900001', '/v1/penduduk/1809015513900001', `/v1/penduduk/${RESIDENTS[0]!.nik}?nama=${encodeURIComponent(RESIDENTS[0]!.nama)}`, `/v1/penduduk?nik=${RESIDENTS[1]!.nik}`, `/v1/kk/${RESIDENTS[1]!.noKk}`]) {
      statuses.add((await lookup(path)).status);
    }
    statuses.add((await lookup(`/v1/penduduk/${RESIDENTS[2]!.nik}`, testKeys.noRights)).status);
    statuses.add((await fetch(`${hub().url}/v1/penduduk/${RESIDENTS[3]!.nik}`)).status);
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 401, 403, 404, 409, 410, 422]));

    for (const resident of RESIDENTS.slice(0, 6)) {
      const answer = await postJson(`${hub().url}/v1/penduduk/verifikasi`, { nik: resident.nik, nama_lengkap: resident.nama, tanggal_lahir: resident.tanggalLahir }, 'application/json');
      expect([200, 404, 409, 410]).toContain(answer.status);
    }
    expect((await postJson(`${hub().url}/v1/penduduk/verifikasi`, { nik: RESIDENTS[0]!.nik, nama_lengkap: 7 }, 'application/json')).status).toBe(422);

    // Complaints come in through the LAPOR! poller and run the disposition flow (reporters checked at SIAK).
    for (const poller of hub().connectors.pollers.values()) await poller.runOnce();
    await waitFor(async () => {
      const { instances } = (await (await hubFetch(`${hub().url}/v1/flows/pengaduan-disposisi/instances`)).json()) as { instances: { status: string }[] };
      return instances.length > 0 && instances.every((i) => i.status !== 'running');
    }, 60_000, 'the disposition flows to settle');

    // Letters: pushed in by SITAMPAN, and created by an OPD.
    const sitampan = hub().connectors.simulators.get('sitampan')!.url;
    const pushed = await fetch(`${sitampan}/_simulator/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hubUrl: hub().url, headers: { 'x-api-key': testKeys.operator }, format: 'json', disposisi: 2 }) });
    expect(pushed.status).toBe(200);
    const letter = (JSON.parse(readFileSync(projectPath('connectors', 'sitampan', 'fixtures', 'kirim-naskah', 'undangan-dengan-lampiran.expected.json'), 'utf8')) as { canonical: Record<string, unknown> }).canonical;
    expect((await postJson(`${hub().url}/v1/naskah-dinas`, letter, 'application/json')).status).toBe(202);
    await waitFor(async () => ((await (await fetch(`${sitampan}/_simulator/naskah`)).json()) as { nomor: string }[]).some((n) => n.nomor === letter.nomor), 30_000, 'the created letter at SITAMPAN');

    // An operator signs in to the dashboard and out again: the session token is a credential.
    const login = await fetch(`${hub().url}/dashboard/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: testKeys.operator }), redirect: 'manual' });
    const session = /penghubung_sesi=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    expect((await fetch(`${hub().url}/dashboard`, { headers: { cookie: `penghubung_sesi=${session}` } })).status).toBe(200);
    expect((await fetch(`${hub().url}/dashboard/logout`, { method: 'POST', headers: { cookie: `penghubung_sesi=${session}` }, redirect: 'manual' })).status).toBe(303);

    const log = lines.join("");
    // The log is not empty: it has the requests, their problems and the flows.
    expect(log).toContain('"url":"/v1/penduduk/:nik"');
    expect(log).toMatch(/"statusCode":404/);
    expect(log).toContain('pengaduan-disposisi');
    const { niks, names, contacts } = personalData();
    expect(contacts.length).toBeGreaterThan(5);
    expect(contacts.filter((contact) => log.includes(contact))).toEqual([]);
    expect(niks.length).toBeGreaterThan(10);
    expect(names.length).toBeGreaterThan(10);
    const lower = log.toLowerCase();
    expect(niks.filter((nik) => log.includes(nik))).toEqual([]);
    expect(names.filter((name) => lower.includes(name.toLowerCase()))).toEqual([]);
    expect(log).not.toMatch(/(?<![0-9])[0-9]{16}(?![0-9])/);
    // No credential either: the session token, the API keys.
    for (const secret of [session, session.split('.')[2]!, testKeys.operator, testKeys.terbatas]) expect(log).not.toContain(secret);
    // Redaction keeps every line a JSON object.
    expect(lines.filter((line) => { try { JSON.parse(line); return false; } catch { return true; } })).toEqual([]);
  }, 120_000);
});
