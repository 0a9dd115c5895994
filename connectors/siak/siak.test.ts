// The SIAK connector end to end against its simulator over real HTTP: mapping.request → fetch →
// simulator → mapping.response, plus the sandbox data's identifiers and a few pure readers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caughtAsync, compileSchema, nextMidnightWib, parseJson, simulatorUnderTest, UpstreamError, type ConnectorContext, type QueryHandler } from '../../src/connectors/sdk.js';
import { date, statusPerkawinan } from './fields.js';
import { readRecords } from './responses.js';
import definition, { type CariPendudukInput, type Penduduk, type VerifikasiPenduduk, type VerifikasiPendudukInput } from './mapping.js';
import { RESIDENTS, type SandboxResident } from './sandbox-data.js';
import { SANDBOX_ACCOUNT, similarity, startSiakSimulator } from './simulator.js';

const cari = definition.queries!['cari-penduduk'] as QueryHandler<CariPendudukInput, Penduduk>;
const verifikasi = definition.queries!['verifikasi-penduduk'] as QueryHandler<VerifikasiPendudukInput, VerifikasiPenduduk>;

const NOW = new Date('2026-11-28T01:00:00Z');
const settings: Record<'consumer' | 'userId' | 'password' | 'ipUser', string> = { ...SANDBOX_ACCOUNT };
const context = (overrides: Partial<typeof settings> = {}): ConnectorContext => ({ settings: { ...settings, ...overrides }, options: {}, now: () => NOW });
const simulator = simulatorUnderTest(() => startSiakSimulator({ quota: 1000 }), { beforeAll, afterAll, beforeEach });

async function control(path: string, body: unknown, status = 200): Promise<unknown> {
  const answer = await simulator.control('POST', path, body);
  expect(answer.status).toBe(status);
  return answer.body;
}

/** What the runtime does, minus resilience: build the request, send it, map the answer. */
async function call<I, O>(handler: QueryHandler<I, O>, input: I, ctx: ConnectorContext = context()): Promise<O> {
  return handler.response(await simulator.send(handler.request(input, ctx)), input, ctx);
}

const refusal = <I, O>(handler: QueryHandler<I, O>, input: I, ctx?: ConnectorContext): Promise<UpstreamError> => caughtAsync(() => call(handler, input, ctx));

function expectedPenduduk(resident: SandboxResident): Penduduk {
  return {
    nik: resident.nik,
    no_kk: resident.noKk,
    nama_lengkap: resident.nama,
    tempat_lahir: resident.tempatLahir,
    tanggal_lahir: resident.tanggalLahir,
    jenis_kelamin: resident.jenisKelamin,
    golongan_darah: resident.golonganDarah,
    agama: resident.agama,
    status_perkawinan: resident.statusPerkawinan,
    pendidikan_terakhir: resident.pendidikan,
    pekerjaan: resident.pekerjaan,
    nama_ibu: resident.namaIbu,
    alamat: {
      jalan: resident.alamat.jalan,
      rt: resident.alamat.rt,
      rw: resident.alamat.rw,
      kelurahan: resident.alamat.kelurahan,
      kecamatan: resident.alamat.kecamatan,
      kabupaten: resident.alamat.kabupaten,
      provinsi: resident.alamat.provinsi,
    },
    sumber: { sistem: 'SIAK', diambil_pada: NOW.toISOString() },
  };
}

const byStatus = (status: SandboxResident['status']): SandboxResident => RESIDENTS.find((resident) => resident.status === status)!;
const bigNikResident = RESIDENTS.find((resident) => resident.nik === '9271015501900001')!;

describe('cari-penduduk against the simulator', () => {
  const validPenduduk = compileSchema('penduduk.v1.json');

  it('finds every active resident, whatever quirks their record is written with', async () => {
    const active = RESIDENTS.filter((resident) => resident.status === 'aktif');
    expect(active.length).toBeGreaterThan(30);
    for (const resident of active) {
      const penduduk = await call(cari, { nik: resident.nik });
      expect(penduduk, resident.nama).toEqual(expectedPenduduk(resident));
      expect(validPenduduk(penduduk), JSON.stringify(validPenduduk.errors)).toBe(true);
    }
  });

  it('keeps all 16 digits of a NIK above 2^53 sent as a bare JSON number', async () => {
    const raw = await fetch(`${simulator.url}${cari.request({ nik: bigNikResident.nik }, context()).path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nik: bigNikResident.nik, user_id: settings.userId, password: settings.password, ip_user: settings.ipUser }),
    }).then((response) => response.text());
    expect(raw).toMatch(/"NIK":9271015501900001[,}]/);
    // What a naive JSON.parse would have made of it:
    expect(String((JSON.parse(raw) as { content: { NIK: number }[] }).content[0]!.NIK)).not.toBe('9271015501900001');

    const penduduk = await call(cari, { nik: '9271015501900001' });
    expect(penduduk.nik).toBe('9271015501900001');
    expect(penduduk.no_kk).toBe(bigNikResident.noKk);
  });

  it('answers a deceased resident with upstream-subject-deceased', async () => {
    const error = await refusal(cari, { nik: byStatus('meninggal').nik });
    expect(error.code).toBe('upstream-subject-deceased');
  });

  it('answers an inactive record and a NIK with several records with their own codes', async () => {
    expect((await refusal(cari, { nik: byStatus('nonaktif').nik })).code).toBe('upstream-record-inactive');
    expect((await refusal(cari, { nik: byStatus('ganda').nik })).code).toBe('upstream-record-ambiguous');
  });

  it('answers an unknown NIK (free-text RESPON) with upstream-record-not-found', async () => {
    expect((await refusal(cari, { nik: '1809015501990001' })).code).toBe('upstream-record-not-found');
  });

  it('stops at the daily quota and says when it resets (next midnight WIB)', async () => {
    await control('/_simulator/quota', { limit: 2, used: 0 });
    await call(cari, { nik: RESIDENTS[0]!.nik });
    await call(cari, { nik: RESIDENTS[1]!.nik });
    const error = await refusal(cari, { nik: RESIDENTS[0]!.nik });
    expect(error.code).toBe('upstream-quota-exhausted');
    expect(error.retryAt?.toISOString()).toBe('2026-11-28T17:00:00.000Z');
    expect(error.retryable).toBe(false);
    await control('/_simulator/quota', { used: 0 });
    await expect(call(cari, { nik: RESIDENTS[0]!.nik })).resolves.toMatchObject({ nik: RESIDENTS[0]!.nik });
  });

  it('reports refused credentials, an unregistered IP, and inactive accounts', async () => {
    expect((await refusal(cari, { nik: RESIDENTS[0]!.nik }, context({ password: 'salah' }))).code).toBe('upstream-credentials-rejected');
    expect((await refusal(cari, { nik: RESIDENTS[0]!.nik }, context({ userId: 'tidak-ada' }))).code).toBe('upstream-credentials-rejected');
    expect((await refusal(cari, { nik: RESIDENTS[0]!.nik }, context({ ipUser: '10.1.2.3' }))).code).toBe('upstream-client-rejected');
    expect((await refusal(cari, { nik: RESIDENTS[0]!.nik }, context({ userId: 'penghubung-nonaktif' }))).code).toBe('upstream-account-inactive');
    expect((await refusal(cari, { nik: RESIDENTS[0]!.nik }, context({ consumer: 'PESAWARAN-LAMA' }))).code).toBe('upstream-account-inactive');
  });

  it('reports access outside hours as not worth an immediate retry, and HTTP 5xx as unavailable', async () => {
    await control('/_simulator/access', { open: false });
    const outside = await refusal(cari, { nik: RESIDENTS[0]!.nik });
    expect(outside.code).toBe('upstream-outside-hours');
    expect(outside.retryable).toBe(false);
    await control('/_simulator/access', { open: true });

    await control('/_simulator/faults', { status: 503, failNext: 1 }, 201);
    const unavailable = await refusal(cari, { nik: RESIDENTS[0]!.nik });
    expect(unavailable.code).toBe('upstream-unavailable');
    expect(unavailable.retryable).toBe(true);
    await expect(call(cari, { nik: RESIDENTS[0]!.nik })).resolves.toMatchObject({ nik: RESIDENTS[0]!.nik });
  });

  it("fails with HTTP 200 in Dukcapil's own words when told to, and records what the connector sent", async () => {
    await control('/_simulator/faults', { status: 200, message: 'Kuota akses hari ini telah habis' }, 201);
    const error = await refusal(cari, { nik: RESIDENTS[0]!.nik });
    expect(error.code).toBe('upstream-quota-exhausted');
    const sent = simulator.running.requests!({ path: `/dukcapil/get_json/${SANDBOX_ACCOUNT.consumer}/CALL_NIK` });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', status: 200, fault: 'error' });
    expect(parseJson(sent[0]!.body)).toMatchObject({ nik: RESIDENTS[0]!.nik, ip_user: SANDBOX_ACCOUNT.ipUser });
  });

  it('lists the synthetic residents for demos', async () => {
    const list = (await fetch(`${simulator.url}/_simulator/residents`).then((response) => response.json())) as { nik: string; status: string }[];
    expect(list).toHaveLength(RESIDENTS.length);
    expect(list.map((item) => item.status)).toEqual(expect.arrayContaining(['aktif', 'meninggal', 'nonaktif', 'ganda']));
  });
});

describe('verifikasi-penduduk against the simulator', () => {
  const validHasil = compileSchema('verifikasi-penduduk.v1.json');
  const resident = RESIDENTS.find((item) => item.status === 'aktif' && item.jenisKelamin === 'PEREMPUAN')!;

  it('sends the elements asked, upper-case, TGL_LHR as dd-mm-yyyy, TRESHOLD as a string', () => {
    const request = verifikasi.request({ nik: resident.nik, tanggal_lahir: '1982-09-03', nama_ibu: 'X', ambang: 85 }, context());
    expect(request).toEqual({
      method: 'POST',
      path: '/dukcapil/get_json/PESAWARAN/CALL_VERIFY_BY_ELEMEN',
      body: { json: { USER_ID: settings.userId, PASSWORD: settings.password, IP_USER: settings.ipUser, TRESHOLD: '85', NIK: resident.nik, TGL_LHR: '03-09-1982', NAMA_LGKP_IBU: 'X' } },
    });
  });

  it('confirms matching elements without returning any record data', async () => {
    const input = {
      nik: resident.nik,
      nama_lengkap: resident.nama.toLowerCase(),
      tempat_lahir: resident.tempatLahir,
      tanggal_lahir: resident.tanggalLahir,
      jenis_kelamin: resident.jenisKelamin,
      alamat: resident.alamat.jalan,
    };
    const answer = await call(verifikasi, input);
    expect(answer).toEqual({
      nik: resident.nik,
      hasil: {
        nama_lengkap: { sesuai: true, skor: 100 },
        tempat_lahir: { sesuai: true, skor: 100 },
        tanggal_lahir: { sesuai: true },
        jenis_kelamin: { sesuai: true },
        alamat: { sesuai: true, skor: 100 },
      },
      sesuai_semua: true,
      sumber: { sistem: 'SIAK', diambil_pada: NOW.toISOString() },
    });
    expect(validHasil(answer), JSON.stringify(validHasil.errors)).toBe(true);
    expect(JSON.stringify(answer)).not.toContain(resident.namaIbu);
  });

  it('reports mismatches with their score, against the threshold asked', async () => {
    const misspelt = `${resident.nama.slice(0, -1)}X`;
    const score = similarity(misspelt, resident.nama);
    const answer = await call(verifikasi, { nik: resident.nik, nama_lengkap: misspelt, nama_ibu: 'NAMA LAIN SAMA SEKALI', tanggal_lahir: '1900-01-01', ambang: 100 });
    expect(answer.hasil).toEqual({
      nama_lengkap: { sesuai: false, skor: score },
      nama_ibu: { sesuai: false, skor: similarity('NAMA LAIN SAMA SEKALI', resident.namaIbu) },
      tanggal_lahir: { sesuai: false },
    });
    expect(answer.sesuai_semua).toBe(false);
    expect(validHasil(answer)).toBe(true);

    const lenient = await call(verifikasi, { nik: resident.nik, nama_lengkap: misspelt, ambang: score });
    expect(lenient.hasil.nama_lengkap).toEqual({ sesuai: true, skor: score });
  });

  it('maps refusals the same way as the lookup', async () => {
    expect((await refusal(verifikasi, { nik: byStatus('meninggal').nik, nama_lengkap: 'X' })).code).toBe('upstream-subject-deceased');
    expect((await refusal(verifikasi, { nik: '1809015501990001', nama_lengkap: 'X' })).code).toBe('upstream-record-not-found');
    expect((await refusal(verifikasi, { nik: resident.nik, nama_lengkap: 'X' }, context({ password: 'salah' }))).code).toBe('upstream-credentials-rejected');
  });

  it('works for the NIK above 2^53', async () => {
    const answer = await call(verifikasi, { nik: bigNikResident.nik, nama_lengkap: bigNikResident.nama });
    expect(answer).toMatchObject({ nik: '9271015501900001', hasil: { nama_lengkap: { sesuai: true, skor: 100 } }, sesuai_semua: true });
  });
});

describe('sandbox data', () => {
  it('holds about 40 residents with valid, unique NIKs and family card numbers', () => {
    expect(RESIDENTS.length).toBeGreaterThanOrEqual(38);
    expect(new Set(RESIDENTS.map((resident) => resident.nik)).size).toBe(RESIDENTS.length);
    const validNik = compileSchema('penduduk.v1.json');
    for (const resident of RESIDENTS) {
      expect(resident.nik, resident.nama).toMatch(/^[0-9]{16}$/);
      expect(resident.noKk, resident.nama).toMatch(/^1809(0[1-9]|1[01])[0-9]{10}$/);
      // The NIK tells the birth date and, through the +40, the sex.
      const dd = Number(resident.nik.slice(6, 8));
      const [y, m, d] = resident.tanggalLahir.split('-');
      expect(dd - (resident.jenisKelamin === 'PEREMPUAN' ? 40 : 0)).toBe(Number(d));
      expect(resident.nik.slice(8, 12)).toBe(`${m}${y!.slice(2)}`);
      if (resident.nik !== bigNikResident.nik) expect(resident.nik.slice(0, 6)).toBe(resident.alamat.kodeKecamatan.replace(/\./g, ''));
      expect(validNik(expectedPenduduk(resident)), `${resident.nama}: ${JSON.stringify(validNik.errors)}`).toBe(true);
    }
    expect(RESIDENTS.map((resident) => resident.status)).toEqual(expect.arrayContaining(['meninggal', 'nonaktif', 'ganda']));
  });
});

describe('readers', () => {
  it('reads an HTML page in place of JSON as an outage when it says maintenance, else a bad answer, repeating none of it', () => {
    const answer = (body: string) => ({ status: 200, headers: { 'content-type': 'text/html' }, body });
    const failure = (body: string): UpstreamError => {
      try {
        readRecords(answer(body), new Date());
      } catch (error) {
        if (error instanceof UpstreamError) return error;
      }
      throw new Error('an UpstreamError was expected');
    };
    const maintenance = failure('<!DOCTYPE html><html><body><h1>Sistem sedang dalam pemeliharaan</h1></body></html>');
    expect([maintenance.code, maintenance.retryable]).toEqual(['upstream-unavailable', true]);
    const echoed = failure(`<html><body>NIK ${RESIDENTS[0]!.nik} tidak dapat diproses</body></html>`);
    expect(echoed.code).toBe('upstream-bad-response');
    expect(echoed.message).not.toContain(RESIDENTS[0]!.nik);
  });

  it('computes the next midnight WIB', () => {
    expect(nextMidnightWib(new Date('2026-11-28T01:00:00Z')).toISOString()).toBe('2026-11-28T17:00:00.000Z');
    expect(nextMidnightWib(new Date('2026-11-28T16:59:59Z')).toISOString()).toBe('2026-11-28T17:00:00.000Z');
    expect(nextMidnightWib(new Date('2026-11-28T17:00:00Z')).toISOString()).toBe('2026-11-29T17:00:00.000Z');
  });

  it.each([
    ['15-01-1990', '1990-01-15'],
    ['1990-01-15', '1990-01-15'],
    ['15/01/1990', '1990-01-15'],
    ['5-1-1990', '1990-01-05'],
    ['1990-01-15T00:00:00', '1990-01-15'],
    ['1990-01-14T17:00:00.000Z', '1990-01-15'],
    ['1990-01-15T00:00:00+07:00', '1990-01-15'],
  ])('reads the date %s', (raw, iso) => {
    expect(date(raw, 'TGL_LHR')).toBe(iso);
  });

  it('refuses dates it cannot read', () => {
    for (const raw of ['29-02-1990', '1990/13/01', 'kemarin', '']) expect(() => date(raw, 'TGL_LHR')).toThrow(UpstreamError);
  });

  it.each([
    ['KAWIN', 'KAWIN'],
    ['Kawin Tercatat', 'KAWIN'],
    ['KAWIN BELUM TERCATAT', 'KAWIN'],
    ['BELUM KAWIN', 'BELUM KAWIN'],
    ['CERAI HIDUP', 'CERAI HIDUP'],
    ['Cerai Tercatat', 'CERAI HIDUP'],
    ['CERAI MATI', 'CERAI MATI'],
  ])('reads the marital status %s', (raw, status) => {
    expect(statusPerkawinan(raw, 'STATUS_KAWIN')).toBe(status);
  });
});
