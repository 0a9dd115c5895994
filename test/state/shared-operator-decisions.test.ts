// Operators' decisions hold on every instance: two hubs (and a third started later) on one Kafka
// with the control state there. A circuit forced on one is forced on the others within 2 s, and
// released the same way; a dead letter discarded on one shows discarded on the other, and its
// sender finds it under /v1/me/dead-letters on either.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { hubFetch } from '../support/auth.js';
import { postJson, startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const prefix = uniqueName('decisions').toLowerCase();
// One state key for all: the shared token-signing keys are sealed with it.
const stateKeyFile = join(mkdtempSync(join(tmpdir(), 'penghubung-decisions-keys-')), 'state.key');
const hubs: Hub[] = [];
const startHub = async (): Promise<Hub> => {
  const hub = await startTestHub({ bus: { topicPrefix: prefix }, connectors: { polling: false }, shutdown: { graceMs: 1000 }, security: { stateKeyFile } }, { KAFKA_BROKERS: kafkaBrokers().join(',') });
  hubs.push(hub);
  return hub;
};
let a: Hub;
let b: Hub;

beforeAll(async () => {
  a = await startHub();
  b = await startHub();
});
afterAll(async () => {
  await Promise.all(hubs.map((hub) => hub.close()));
});

interface Circuit { state: string; forced: string | null }
const circuitOf = async (hub: Hub): Promise<Circuit> => ((await (await hubFetch(`${hub.url}/v1/connectors/lapor`)).json()) as { circuit: Circuit }).circuit;
const force = (hub: Hub, state: 'open' | 'closed' | 'auto'): Promise<Response> =>
  hubFetch(`${hub.url}/v1/connectors/lapor/circuit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state, reason: 'uji keputusan bersama' }) });

describe('operators’ decisions across instances', () => {
  it('forces a circuit on every instance, also one started later, and releases it everywhere', async () => {
    expect((await force(a, 'open')).status).toBe(200);
    expect(await circuitOf(a)).toEqual({ state: 'open', forced: 'open' });
    let onB: Circuit | undefined;
    await waitFor(async () => (onB = await circuitOf(b)).forced === 'open', 2000, () => `B's circuit to be forced open (${JSON.stringify(onB)})`);
    expect(onB).toEqual({ state: 'open', forced: 'open' });

    expect((await force(b, 'auto')).status).toBe(200);
    let onA: Circuit | undefined;
    await waitFor(async () => (onA = await circuitOf(a)).forced === null, 2000, () => `A's circuit to be released (${JSON.stringify(onA)})`);
    expect(onA).toEqual({ state: 'closed', forced: null });

    expect((await force(a, 'closed')).status).toBe(200);
    const c = await startHub();
    // Loaded before the hub answers: no waiting.
    expect(await circuitOf(c)).toEqual({ state: 'closed', forced: 'closed' });
    expect((await force(c, 'auto')).status).toBe(200);
    await waitFor(async () => (await circuitOf(a)).forced === null && (await circuitOf(b)).forced === null, 2000, 'A and B to see the release made on C');
  });

  it('shows a dead letter discarded on one instance as discarded on the other', async () => {
    // Each hub runs its own SP4N-LAPOR! simulator; whichever delivers, the upstream refuses (the
    // hub started in the test before is a member of the delivery group too).
    for (const hub of hubs) {
      const simulator = hub.connectors.simulators.get('lapor')!.url;
      const answer = await fetch(`${simulator}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext: 1000, status: 503 }) });
      expect(answer.ok).toBe(true);
    }
    // Held closed, the circuit lets every attempt reach the failing upstream at once.
    expect((await force(a, 'closed')).status).toBe(200);
    const simulator = a.connectors.simulators.get('lapor')!.url;
    const complaints = (await (await fetch(`${simulator}/_simulator/complaints`)).json()) as Record<string, unknown>[];
    const trackingId = String(complaints[0]!.tracking_id ?? complaints[0]!.trackingId ?? complaints[0]!.TrackingID);
    const id = 'tl-bersama-1';
    const followUp = {
      specversion: '1.0', id, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: `lapor-${trackingId}`, datacontenttype: 'application/json',
      data: { id, pengaduan_id: `lapor-${trackingId}`, nomor_pelacakan: trackingId, isi: 'Tim sudah turun ke lokasi.', status_baru: 'diproses', tanggal: '2026-11-28T08:00:00+07:00', petugas: { nama: 'Petugas PUPR', instansi: 'Dinas PUPR Kabupaten Pesawaran' }, lampiran: [] },
    };
    expect((await postJson(`${a.url}/v1/events`, followUp)).status).toBe(202);

    interface Letter { id: string; event_id: string; status: string; resolution: string | null }
    const letterOn = async (hub: Hub): Promise<Letter | undefined> => ((await (await hubFetch(`${hub.url}/v1/dead-letters?connector=lapor`)).json()) as { dead_letters: Letter[] }).dead_letters.find((d) => d.event_id === id);
    // Every instance indexes every dead letter, whichever parked it.
    await waitFor(async () => (await letterOn(a))?.status === 'parked' && (await letterOn(b))?.status === 'parked', 60_000, 'the follow-up parked on both instances', 250);
    const letter = (await letterOn(a))!;
    // Its sender finds it under /v1/me/dead-letters on either instance, whichever it posted to.
    for (const hub of [a, b]) {
      const mine = (await (await hubFetch(`${hub.url}/v1/me/dead-letters`)).json()) as { items: { id: string; event_id: string; reason: string }[] };
      expect(mine.items.find((l) => l.event_id === id), hub.url).toMatchObject({ id: letter.id, reason: expect.stringMatching(/\S/) });
    }

    const discarded = await hubFetch(`${b.url}/v1/dead-letters/${encodeURIComponent(letter.id)}/discard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'sudah dijawab lewat telepon' }) });
    expect(discarded.status).toBe(200);
    expect(await discarded.json()).toMatchObject({ status: 'discarded', resolution: 'sudah dijawab lewat telepon' });
    await waitFor(async () => (await letterOn(a))?.status === 'discarded', 2000, 'A to show the letter discarded on B');
    expect(await letterOn(a)).toMatchObject({ status: 'discarded', resolution: 'sudah dijawab lewat telepon' });
    // Decided once, everywhere: replaying it on A now delivers nothing.
    const replay = (await (await hubFetch(`${a.url}/v1/dead-letters/${encodeURIComponent(letter.id)}/replay`, { method: 'POST' })).json()) as { outcome: string };
    expect(replay.outcome).toBe('already discarded');
    expect((await force(a, 'auto')).status).toBe(200);
  }, 90_000);
});
