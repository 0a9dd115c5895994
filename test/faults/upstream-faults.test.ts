// Upstream faults, against one hub on the shared Kafka whose SIAK and SP4N-LAPOR! are the real
// simulators behind fault-injecting proxies (test/faults/fault-support.ts):
// - SIAK slow past its timeout (5000 ms in connectors/siak/manifest.yaml): the query answers
//   504 upstream-timeout within its deadline (deadlineMs, by default the timeout), not after
//   every retry timed out, and events posted meanwhile are acknowledged while it waits and all
//   reach Kafka;
// - LAPOR! flapping (503 on every other call): every follow-up is delivered, once;
// - garbage (HTML, truncated JSON, wrong shapes) from SIAK and LAPOR!: 502 upstream-bad-response,
//   nothing published, the hub stays healthy and the circuit closed; a garbled poll publishes
//   nothing and the next poll starts from the same cursor; a follow-up answered with garbage is
//   parked in the dead-letter topic with the reason, not lost and not delivered twice;
// - a maintenance page from SIAK and LAPOR!: an outage, 503 upstream-unavailable, retried
//   (the SDK's unreadableText), and its words repeated nowhere.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusRecord } from '../../src/bus/event-bus.js';
import { startSimulator as startLaporSimulator } from '../../connectors/lapor/simulator.js';
import { startSimulator as startSiakSimulator } from '../../connectors/siak/simulator.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import type { Hub } from '../../src/hub.js';
import { hubFetch } from '../support/auth.js';
import { startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { readTopicUntil } from '../support/kafka-reader.js';
import { postConcurrently } from '../support/load.js';
import { waitFor } from '../support/wait.js';
import { addComplaints, followUp, postEvents, recordedFollowUps, startUpstreamProxy, type UpstreamProxy } from './fault-support.js';

const NIK = '1809011704780001';
const SIAK_TIMEOUT_MS = 5000;
/** SIAK's manifest sets no deadlineMs: a call's deadline is its timeout. */
const SIAK_DEADLINE_MS = SIAK_TIMEOUT_MS;
const prefix = uniqueName('upstream').toLowerCase();

let hub: Hub;
let siak: Simulator;
let lapor: Simulator;
let siakProxy: UpstreamProxy;
let laporProxy: UpstreamProxy;
let trackingIds: string[];

beforeAll(async () => {
  siak = await startSiakSimulator({ host: '127.0.0.1', port: 0 });
  lapor = await startLaporSimulator({ host: '127.0.0.1', port: 0 });
  siakProxy = await startUpstreamProxy(siak.url, /^\/dukcapil\/get_json\/[^/]+\/CALL_NIK$/);
  laporProxy = await startUpstreamProxy(lapor.url, /^\/api\/(stream\/addstream|v2\/instansi\/[^/]+\/laporan\/?)$/);
  trackingIds = await addComplaints(lapor.url, '8300', 20);
  hub = await startTestHub(
    { bus: { topicPrefix: prefix }, connectors: { polling: false }, shutdown: { graceMs: 2000 } },
    { KAFKA_BROKERS: kafkaBrokers().join(','), SIAK_BASE_URL: siakProxy.url, LAPOR_BASE_URL: laporProxy.url },
  );
});

afterAll(async () => {
  await hub?.close();
  await Promise.allSettled([siakProxy?.close(), laporProxy?.close(), siak?.close(), lapor?.close()]);
  if (hub) rmSync(hub.config.dataDir, { recursive: true, force: true });
});

const lookUp = async (): Promise<{ status: number; code: unknown; ms: number }> => {
  const started = Date.now();
  const response = await hubFetch(`${hub.url}/v1/penduduk/${NIK}`);
  const body = (await response.json()) as { code?: unknown };
  return { status: response.status, code: body.code, ms: Date.now() - started };
};

const ready = async (): Promise<number> => (await fetch(`${hub.url}/health/ready`)).status;

describe('a slow upstream', () => {
  it('answers 504 upstream-timeout within its deadline, and keeps accepting events meanwhile', async () => {
    siakProxy.mode = { kind: 'slow', delayMs: SIAK_TIMEOUT_MS + 3000 };
    const callsBefore = siakProxy.calls;
    const query = lookUp();
    // While SIAK hangs on the lookup, the event path is untouched.
    await waitFor(() => siakProxy.calls > callsBefore, 5_000, 'the lookup at the slow SIAK');
    const load = postConcurrently({ url: () => hub.url, prefix: 'lambat', workers: 8, total: 300 });
    const answer = await query;
    // Events were acknowledged while the query waited for SIAK (the deadline is shorter than the
    // whole load on a busy machine, so not necessarily all of them).
    const acknowledgedMeanwhile = load.acknowledged.size;
    await load.done;
    siakProxy.mode = { kind: 'pass' };

    expect({ status: answer.status, code: answer.code }).toEqual({ status: 504, code: 'upstream-timeout' });
    // The retries an idempotent query may have fit in its deadline only when failures are fast:
    // here the one attempt uses it all (src/connectors/connector-runtime.ts). Before the deadline
    // existed this took three timeouts and the pauses between them (15–19 s).
    const attempts = siakProxy.calls - callsBefore;
    expect(attempts).toBe(1);
    expect(answer.ms).toBeGreaterThanOrEqual(SIAK_DEADLINE_MS - 100);
    expect(answer.ms).toBeLessThan(SIAK_DEADLINE_MS + 1000);
    console.log(`[upstream-faults] slow SIAK: 504 after ${answer.ms} ms (deadline ${SIAK_DEADLINE_MS} ms, ${attempts} attempt); ${acknowledgedMeanwhile} events acknowledged meanwhile`);

    expect(load.failures).toBe(0);
    expect(load.acknowledged.size).toBe(300);
    expect(acknowledgedMeanwhile).toBeGreaterThanOrEqual(20);
    const { ids } = await readTopicUntil(kafkaBrokers(), `${prefix}.uji`, load.acknowledged, 30_000);
    expect([...load.acknowledged].filter((id) => !ids.has(id))).toEqual([]);

    // One timeout does not reach the breaker's volume: the upstream answers again at once.
    const again = await lookUp();
    expect(again.status).toBe(200);
    expect(await ready()).toBe(200);
  }, 60_000);
});

describe('a flapping upstream', () => {
  it('delivers every follow-up exactly once when LAPOR! fails every other call', async () => {
    laporProxy.mode = { kind: 'flap' };
    const callsBefore = laporProxy.calls;
    const events = Array.from({ length: 40 }, (_, n) => followUp(`tl-kedip-${n}`, trackingIds[n % trackingIds.length]!));
    const started = Date.now();
    const posted = await postEvents(events, () => hub.url, 4);
    expect(posted.refused).toEqual([]);
    expect(posted.acknowledged.size).toBe(40);

    const recordedIds = async (): Promise<string[]> => (await recordedFollowUps(lapor.url)).map((f) => f.id ?? '').filter((id) => posted.acknowledged.has(id));
    let delivered = 0;
    await waitFor(async () => (delivered = (await recordedIds()).length) === 40, 75_000, () => `40 follow-ups at LAPOR! (${delivered} so far, ${laporProxy.calls - callsBefore} calls)`, 200);
    const elapsed = Date.now() - started;
    const calls = laporProxy.calls - callsBefore;
    // One more follow-up per complaint (same key: same partition and worker, after the others),
    // still flapping: once each is at LAPOR!, a late second delivery of any of the 40 would be too.
    const markers = trackingIds.map((trackingId, n) => followUp(`tl-kedip-penanda-${n}`, trackingId));
    expect((await postEvents(markers, () => hub.url, 4)).acknowledged.size).toBe(markers.length);
    await waitFor(async () => {
      const ids = new Set((await recordedFollowUps(lapor.url)).map((f) => f.id));
      return markers.every((marker) => ids.has(marker.id as string));
    }, 60_000, 'the follow-ups posted after them at LAPOR!', 200);
    laporProxy.mode = { kind: 'pass' };

    // The simulator holds each once, and each reached it once: a 503 never got through, so
    // nothing needed its dedupe.
    const recorded = await recordedIds();
    expect(recorded.length).toBe(40);
    expect(new Set(recorded).size).toBe(40);
    expect([...posted.acknowledged].filter((id) => laporProxy.forwarded.get(id)?.length !== 1)).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(79);
    console.log(`[upstream-faults] flapping LAPOR!: 40 follow-ups delivered once each in ${elapsed} ms, ${calls} calls (${calls - 40} answered 503)`);
    expect(await ready()).toBe(200);
  }, 150_000);
});

describe('an upstream answering garbage', () => {
  const garbage: { name: string; status: number; contentType: string; body: string }[] = [
    { name: 'an HTML login page', status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><body><h1>Silakan masuk</h1></body></html>' },
    { name: 'truncated JSON', status: 200, contentType: 'application/json', body: `{"content":[{"NIK":"${NIK}","NAMA_LGKP":"AHM` },
    { name: 'JSON of another shape', status: 200, contentType: 'application/json', body: `{"status":"ok","data":{"nik":"${NIK}"}}` },
    { name: 'a JSON array of numbers', status: 200, contentType: 'application/json', body: '[1,2,3]' },
    { name: 'a record without its fields', status: 200, contentType: 'application/json', body: `{"content":[{"NIK":"${NIK}"}]}` },
    { name: 'XML where JSON is spoken', status: 200, contentType: 'application/xml', body: '<response><status>ok</status></response>' },
    { name: 'an empty body', status: 200, contentType: 'application/json', body: '' },
    { name: 'JSON labelled as text', status: 200, contentType: 'text/plain', body: '{"content": "bukan daftar"}' },
  ];

  it('answers 502 upstream-bad-response for each, publishes nothing and stays healthy', async () => {
    const lastSeq = hub.outbox.lastSeq();
    const callsBefore = siakProxy.calls;
    const answers: Record<string, unknown>[] = [];
    for (const answer of garbage) {
      siakProxy.mode = { kind: 'garbage', status: answer.status, contentType: answer.contentType, body: answer.body };
      const result = await lookUp();
      answers.push({ name: answer.name, status: result.status, code: result.code });
    }
    siakProxy.mode = { kind: 'pass' };
    expect(answers).toEqual(garbage.map((answer) => ({ name: answer.name, status: 502, code: 'upstream-bad-response' })));
    // A bad answer is not retried (the upstream answered) and does not open the circuit.
    expect(siakProxy.calls - callsBefore).toBe(garbage.length);
    expect(hub.connectors.runtimes.find((r) => r.id === 'siak')!.circuit.state()).toBe('closed');
    expect((await lookUp()).status).toBe(200);
    expect(hub.outbox.lastSeq()).toBe(lastSeq);
    expect(await ready()).toBe(200);
  }, 30_000);

  it('publishes nothing from a garbled poll, and the next poll publishes each complaint once', async () => {
    const poller = hub.connectors.pollers.get('lapor:pengaduan-masuk')!;
    const lastSeq = hub.outbox.lastSeq();
    for (const answer of garbage) {
      laporProxy.mode = { kind: 'garbage', status: answer.status, contentType: answer.contentType, body: answer.body };
      await expect(poller.runOnce(), answer.name).rejects.toMatchObject({ code: 'upstream-bad-response' });
    }
    expect(hub.outbox.lastSeq()).toBe(lastSeq);

    laporProxy.mode = { kind: 'pass' };
    const first = await poller.runOnce();
    expect(first.published).toBeGreaterThanOrEqual(trackingIds.length);
    expect((await poller.runOnce()).published).toBe(0);
    const subjects = hub.outbox.read(lastSeq, 100_000, 'pengaduan.diterima').map((stored) => stored.event.subject);
    expect(subjects.length).toBe(first.published);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(await ready()).toBe(200);
  }, 30_000);

  it('parks a follow-up answered with garbage in the dead-letter topic with its reason, and delivers it nowhere', async () => {
    const parked: BusRecord[] = [];
    const subscription = await hub.bus.subscribe({ groupId: uniqueName('uji-dlq'), topic: `${prefix}.dlq.pengaduan.tindak-lanjut`, handler: async (record) => void parked.push(record) });
    try {
      laporProxy.mode = { kind: 'garbage', status: 200, contentType: 'text/html', body: '<html><body>Gateway portal: silakan login</body></html>' };
      const id = 'tl-sampah-1';
      const posted = await postEvents([followUp(id, trackingIds[0]!)], () => hub.url, 1);
      expect(posted.acknowledged.has(id)).toBe(true);
      await waitFor(() => parked.some((record) => record.event.id === id), 30_000, 'the follow-up in the dead-letter topic');
      const record = parked.find((r) => r.event.id === id)!;
      expect(record.headers['dlq-code']).toBe('upstream-bad-response');
      expect(record.headers['dlq-connector']).toBe('lapor');
      expect(record.headers['dlq-attempts']).toBe('1');
      // A second follow-up of the same complaint (same key, so after the first on one worker):
      // once it is parked, a second parking of the first would have happened.
      const after = 'tl-sampah-2';
      expect((await postEvents([followUp(after, trackingIds[0]!)], () => hub.url, 1)).acknowledged.has(after)).toBe(true);
      await waitFor(() => parked.some((r) => r.event.id === after), 30_000, 'the follow-up posted after it in the dead-letter topic');
      expect(parked.filter((r) => r.event.id === id)).toHaveLength(1);
      expect((await recordedFollowUps(lapor.url)).some((f) => f.id === id)).toBe(false);
      expect(await ready()).toBe(200);
    } finally {
      laporProxy.mode = { kind: 'pass' };
      await subscription.close();
    }
  }, 45_000);
});

// Last: an outage is retried and counts toward the circuit, which this leaves released.
describe('an upstream under maintenance', () => {
  const page = { kind: 'garbage' as const, status: 200, contentType: 'text/html; charset=utf-8', body: `<!DOCTYPE html><html><body><h1>Sistem sedang dalam pemeliharaan</h1><p>NIK ${NIK}</p></body></html>` };

  it('is an outage: SIAK answers 503 upstream-unavailable after retrying, LAPOR!\'s poll fails the same way, naming neither page', async () => {
    const callsBefore = siakProxy.calls;
    siakProxy.mode = page;
    laporProxy.mode = page;
    try {
      const answer = await hubFetch(`${hub.url}/v1/penduduk/${NIK}`);
      const problem = (await answer.json()) as { code?: string; detail?: string };
      expect([answer.status, problem.code]).toEqual([503, 'upstream-unavailable']);
      expect(JSON.stringify(problem)).not.toMatch(new RegExp(`pemeliharaan|${NIK}`));
      expect(siakProxy.calls - callsBefore).toBeGreaterThan(1);
      const failure = await hub.connectors.pollers.get('lapor:pengaduan-masuk')!.runOnce().then(() => undefined, (error: unknown) => error as { code?: string; message?: string });
      expect(failure?.code).toBe('upstream-unavailable');
      expect(failure?.message).not.toMatch(new RegExp(`pemeliharaan|${NIK}`));
    } finally {
      siakProxy.mode = { kind: 'pass' };
      laporProxy.mode = { kind: 'pass' };
      for (const runtime of hub.connectors.runtimes) runtime.circuit.force(null);
    }
    expect((await lookUp()).status).toBe(200);
  }, 60_000);
});
