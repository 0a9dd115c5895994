// Dead letters end to end: a follow-up LAPOR! keeps refusing is parked; operators list, inspect,
// replay (once is enough: replaying again delivers nothing more) and discard, through the API
// and the CLI.
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubBeforeAll, postJson } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch, testKeys } from '../support/auth.js';

let simulator: string;
let trackingId: string;

interface Summary { id: string; event_id: string; status: string; code: string; attempts: number; connector: string; operation: string; reason: string }

const hub = hubBeforeAll({ connectors: { polling: false } });

beforeAll(async () => {
  simulator = hub().connectors.simulators.get('lapor')!.url;
  const complaints = (await (await fetch(`${simulator}/_simulator/complaints`)).json()) as Record<string, unknown>[];
  trackingId = String(complaints[0]!.tracking_id ?? complaints[0]!.trackingId ?? complaints[0]!.TrackingID);
});

const fault = (failNext: number): Promise<Response> => fetch(`${simulator}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext, status: 503 }) });
const circuit = (state: 'closed' | 'auto'): Promise<Response> => hubFetch(`${hub().url}/v1/connectors/lapor/circuit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state, reason: 'uji surat mati' }) });
const followUp = (id: string): Record<string, unknown> => ({
  specversion: '1.0', id, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: `lapor-${trackingId}`, datacontenttype: 'application/json',
  data: { id, pengaduan_id: `lapor-${trackingId}`, nomor_pelacakan: trackingId, isi: 'Tim sudah turun ke lokasi.', status_baru: 'diproses', tanggal: '2026-11-28T08:00:00+07:00', petugas: { nama: 'Petugas PUPR', instansi: 'Dinas PUPR Kabupaten Pesawaran' }, lampiran: [] },
});
const parked = async (eventId: string): Promise<Summary | undefined> => ((await (await hubFetch(`${hub().url}/v1/dead-letters?connector=lapor&status=parked`)).json()) as { dead_letters: Summary[] }).dead_letters.find((d) => d.event_id === eventId);
const delivered = async (id: string): Promise<number> => ((await (await fetch(`${simulator}/_simulator/followups`)).json()) as { id?: string }[]).filter((f) => f.id === id).length;
// Asynchronous: the hub answering the CLI runs in this very process.
const cli = (...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['bin/penghubung.js', 'dead-letters', ...args, '--hub', hub().url], { cwd: projectPath(), encoding: 'utf8', timeout: 30_000, env: { ...process.env, PENGHUBUNG_API_KEY: testKeys.operator } }, (error, stdout, stderr) => {
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

describe('dead letters', () => {
  it('parks, lists, inspects and replays a follow-up exactly once', async () => {
    await fault(1000);
    expect((await postJson(`${hub().url}/v1/events`, followUp('tl-dlq-1'))).status).toBe(202);
    await waitFor(async () => (await parked('tl-dlq-1')) !== undefined, 45_000, 'the follow-up among parked dead letters', 250);
    const letter = (await parked('tl-dlq-1'))!;
    expect(letter).toMatchObject({ connector: 'lapor', operation: 'kirim-tindak-lanjut', code: 'upstream-unavailable', attempts: 5 });

    const inspected = (await (await hubFetch(`${hub().url}/v1/dead-letters/${encodeURIComponent(letter.id)}`)).json()) as { event: { id: string; data: { isi: string } }; headers: Record<string, string> };
    expect(inspected.event.id).toBe('tl-dlq-1');
    expect(inspected.event.data.isi).toBe('Tim sudah turun ke lokasi.');
    expect(inspected.headers['dlq-reason']).toBeTruthy();
    // An operator cleared only for publik sees the body masked, like any client.
    const helpdesk = (await (await hubFetch(`${hub().url}/v1/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'operator-helpdesk', name: 'Operator helpdesk', opd: 'Diskominfo', role: 'operator', clearance: 'publik', rights: [] }) })).json()) as { api_key: string };
    const masked = (await (await hubFetch(`${hub().url}/v1/dead-letters/${encodeURIComponent(letter.id)}`, {}, helpdesk.api_key)).json()) as { event: { id: string; data: { isi: string; petugas: { nama: string }; pengaduan_id: string } } };
    expect(masked.event.data).toMatchObject({ isi: '••••', petugas: { nama: 'P. P.' }, pengaduan_id: `lapor-${trackingId}` });
    expect(await (await hubFetch(`${hub().url}/metrics`)).text()).toMatch(/penghubung_dead_letters_parked\{connector="lapor",operation="kirim-tindak-lanjut"\} 1/);

    const listed = await cli('list', '--connector', 'lapor');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(letter.id);

    await fault(0);
    // Five failures opened LAPOR!'s circuit: replays are deferred until its probe succeeds.
    let replay = { outcome: '' };
    await waitFor(async () => {
      replay = (await (await hubFetch(`${hub().url}/v1/dead-letters/${encodeURIComponent(letter.id)}/replay`, { method: 'POST' })).json()) as { outcome: string };
      return !replay.outcome.startsWith('deferred');
    }, 30_000, 'the circuit to let the replay through', 1000);
    expect(replay.outcome).toBe('delivered');
    expect(await delivered('tl-dlq-1')).toBe(1);
    const again = await cli('replay', letter.id);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already replayed');
    expect(await delivered('tl-dlq-1')).toBe(1);
    const after = (await (await hubFetch(`${hub().url}/v1/dead-letters/${encodeURIComponent(letter.id)}`)).json()) as { status: string; resolution: string };
    expect(after).toMatchObject({ status: 'replayed', resolution: 'replayed; delivered' });
  }, 90_000);

  it('discards only with a reason, and replays many by connector', async () => {
    // Held closed, the circuit lets every attempt reach the failing upstream, so the follow-ups
    // use up their attempts at once instead of waiting out open-circuit pauses.
    await circuit('closed');
    await fault(1000);
    for (const id of ['tl-dlq-2', 'tl-dlq-3']) await postJson(`${hub().url}/v1/events`, followUp(id));
    await waitFor(async () => (await parked('tl-dlq-2')) !== undefined && (await parked('tl-dlq-3')) !== undefined, 60_000, 'two parked follow-ups', 250);
    const second = (await parked('tl-dlq-2'))!;

    const noReason = await cli('discard', second.id);
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toContain('--reason');
    const discarded = await cli('discard', second.id, '--reason', 'duplikat laporan, sudah dijawab lewat telepon');
    expect(discarded.status).toBe(0);
    expect(JSON.parse(discarded.stdout)).toMatchObject({ status: 'discarded', resolution: 'duplikat laporan, sudah dijawab lewat telepon' });

    await fault(0);
    await circuit('auto');
    let bulk = { replayed: [] as { outcome: string }[] };
    await waitFor(async () => {
      bulk = (await (await hubFetch(`${hub().url}/v1/dead-letters/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connector: 'lapor' }) })).json()) as typeof bulk;
      return bulk.replayed.every((r) => !r.outcome.startsWith('deferred'));
    }, 30_000, 'the circuit to let the bulk replay through', 1000);
    expect(bulk.replayed.map((r) => r.outcome)).toEqual(['delivered']);
    expect(await delivered('tl-dlq-3')).toBe(1);
    expect(await delivered('tl-dlq-2')).toBe(0);
    expect((await hubFetch(`${hub().url}/v1/dead-letters/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(422);
    const notADate = await hubFetch(`${hub().url}/v1/dead-letters/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: '\u0090\u00c0\u00c6v', ids: [] }) });
    expect(notADate.status).toBe(422);
    expect(await notADate.json()).toMatchObject({ code: 'request-invalid', errors: [{ pointer: '/to' }] });
    const badLimit = await hubFetch(`${hub().url}/v1/dead-letters/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connector: 'lapor', limit: 'many' }) });
    expect(await badLimit.json()).toMatchObject({ status: 422, code: 'request-invalid', errors: [{ pointer: '/limit' }] });
  }, 90_000);
});
