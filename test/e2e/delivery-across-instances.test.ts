// Two hubs on one Kafka (own data directories, one topic prefix, shared keys), as behind a load
// balancer. Webhook subscriptions live on the shared state: one made through A is listed by B
// and B joins its consumer groups at once; pausing through B stops A's consumers; with A gone,
// B delivers everything. Two events sharing an id from two sources reach the receiver as two,
// with distinct webhook-ids. Flow progress is shared: the hub that takes over a trigger's
// partition resumes the instance at its pending step (not from the start) and a completed
// trigger published again runs nothing. (A SIGKILLed hub: test/cluster/, child processes.)
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { topicForType, type CloudEvent } from '../../src/events/cloudevent.js';
import { webhookMessageId } from '../../src/events/event-key.js';
import type { StepRecord } from '../../src/flows/flow-store.js';
import type { Hub } from '../../src/hub.js';
import { hubFetch } from '../support/auth.js';
import { clusterSettings, postJson, sampleEvent, startTestHub } from '../support/hub.js';
import { kafkaBrokers, uniqueName } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const figures: Record<string, number> = {};
let admin: Admin;

beforeAll(async () => {
  admin = new Kafka({ clientId: 'delivery-observer', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  console.log(`[delivery-across-instances] measured: ${JSON.stringify(figures)}`);
});

/** Two hubs' configuration: one Kafka and prefix, and the keys every instance of a cluster shares. */
function clusterConfig(name: string): Parameters<typeof startTestHub>[0] {
  const shared = clusterSettings(uniqueName(name).replace(/\./g, '-'));
  return { ...shared, webhooks: { ...shared.webhooks, attempts: 6, backoffMs: 300, timeoutMs: 2000 } };
}

const membersOf = async (group: string): Promise<number> => (await admin.describeGroups([group])).groups[0]?.members.length ?? 0;

describe('webhook subscriptions across instances', () => {
  let a: Hub;
  let b: Hub;
  const receiver = new WebhookReceiver();
  /** The ids of the events starting with `prefix`, once per webhook-id (as an app that dedupes processes them). */
  const ids = (prefix: string): string[] => receiver.received.filter((delivery) => delivery.id.startsWith(prefix)).map((delivery) => delivery.id);

  beforeAll(async () => {
    const config = clusterConfig('webhooks');
    const started = Date.now();
    a = await startTestHub(config);
    b = await startTestHub(config);
    figures['two hubs started in (ms)'] = Date.now() - started;
    await receiver.start();
  }, 180_000);
  afterAll(async () => {
    await Promise.allSettled([a.close(), b.close()]);
    await receiver.stop();
  });

  it('lists a subscription made on A on B, delivers through both, follows a pause made on B, and goes on with A gone', async () => {
    const created = await hubFetch(`${a.url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['uji.dibuat'], url: receiver.url }) });
    expect(created.status).toBe(201);
    const madeAt = Date.now();
    const { subscription, secret } = (await created.json()) as { subscription: { id: string }; secret: string };
    receiver.secret = secret;
    const group = `${a.config.bus.topicPrefix}.webhook.${subscription.id}.${topicForType(a.config.bus.topicPrefix, 'uji.dibuat')}`;

    // B lists it, and runs a member of its group, without a restart.
    await waitFor(async () => ((await (await hubFetch(`${b.url}/v1/subscriptions`)).json()) as { subscriptions: { id: string }[] }).subscriptions.some((s) => s.id === subscription.id), 2000, 'the subscription listed by B within 2 s', 20);
    figures['subscription listed on B after (ms)'] = Date.now() - madeAt;
    await waitFor(async () => (await membersOf(group)) === 2, 30_000, 'A and B in the subscription\'s group', 250);
    figures['both instances in the group after (ms)'] = Date.now() - madeAt;

    // Posted through both: each event once.
    for (let i = 0; i < 20; i++) expect((await postJson(`${(i % 2 === 0 ? a : b).url}/v1/events`, sampleEvent(`lintas-${i}`, { subject: `kunci-${i % 5}` }))).status).toBe(202);
    await waitFor(() => ids('lintas-').length === 20, 30_000, () => `20 deliveries (got ${ids('lintas-').length})`, 100);
    expect(new Set(ids('lintas-')).size).toBe(20);
    expect(receiver.deliveries.every((delivery) => delivery.verified)).toBe(true);

    // Same id, two sources, one through each hub: two deliveries, two webhook-ids.
    const sources = ['/opd/diskominfo/uji', '/opd/dinkes/uji'];
    for (const [index, source] of sources.entries()) expect((await postJson(`${[a, b][index]!.url}/v1/events`, sampleEvent('lintas-sama', { source, subject: 'kunci-sama' }))).status).toBe(202);
    await waitFor(() => ids('lintas-sama').length === 2, 30_000, 'both events sharing an id');
    expect(sources.map((source) => receiver.received.find((delivery) => delivery.webhookId === webhookMessageId({ source, id: 'lintas-sama' }))?.source)).toEqual(sources);

    // Paused through B: A's consumer stops too. Resumed through A: what waited is delivered.
    expect((await hubFetch(`${b.url}/v1/subscriptions/${subscription.id}/pause`, { method: 'POST' })).status).toBe(200);
    await waitFor(async () => (await membersOf(group)) === 0, 30_000, 'no member left in the paused subscription\'s group', 250);
    expect(((await (await hubFetch(`${a.url}/v1/subscriptions/${subscription.id}`)).json()) as { status: string }).status).toBe('paused');
    for (let i = 0; i < 4; i++) expect((await postJson(`${a.url}/v1/events`, sampleEvent(`tertahan-${i}`, { subject: `kunci-${i}` }))).status).toBe(202);
    expect((await hubFetch(`${a.url}/v1/subscriptions/${subscription.id}/resume`, { method: 'POST' })).status).toBe(200);
    await waitFor(() => ids('tertahan-').length === 4, 30_000, 'the events held while paused');
    await waitFor(async () => (await membersOf(group)) === 2, 30_000, 'A and B back in the group', 250);

    // A goes away; B delivers everything posted to it.
    const closedAt = Date.now();
    await a.close();
    for (let i = 0; i < 20; i++) expect((await postJson(`${b.url}/v1/events`, sampleEvent(`sendiri-${i}`, { subject: `kunci-${i % 5}` }))).status).toBe(202);
    await waitFor(() => ids('sendiri-').length === 20, 30_000, () => `20 deliveries by B alone (got ${ids('sendiri-').length})`, 100);
    figures['all 20 delivered by B, from closing A (ms)'] = Date.now() - closedAt;
    figures['POSTs per distinct webhook-id'] = receiver.posts / receiver.received.length;
    expect((await hubFetch(`${b.url}/v1/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(async () => (await membersOf(group)) === 0, 30_000, 'no member left once deleted', 250);
  }, 180_000);
});

describe('flow progress across instances', () => {
  let hubs: Hub[];
  const reporter = RESIDENTS.find((r) => r.status === 'aktif' && r.nik.startsWith('18') && !r.wire.misspelledKeys)!;
  const simulator = (hub: Hub, id: string): string => hub.connectors.simulators.get(id)!.url;
  const siakFault = async (hub: Hub, failNext: number): Promise<void> => {
    const response = await fetch(`${simulator(hub, 'siak')}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/', kind: 'error', status: 503, failNext }) });
    expect(response.ok).toBe(true);
  };

  beforeAll(async () => {
    const config = clusterConfig('flows');
    hubs = [await startTestHub(config), await startTestHub(config)];
  }, 180_000);
  afterAll(async () => {
    await Promise.allSettled(hubs.map((hub) => hub.close()));
  });

  type Instance = { id: string; subject: string; status: string; finished_at: string | null; steps: StepRecord[] };
  const instanceOn = async (hub: Hub, subject: string): Promise<Instance | undefined> => {
    const { instances } = (await (await hubFetch(`${hub.url}/v1/flows/pengaduan-disposisi/instances`)).json()) as { instances: { id: string; subject: string }[] };
    const found = instances.find((i) => i.subject === subject);
    return found ? ((await (await hubFetch(`${hub.url}/v1/flows/pengaduan-disposisi/instances/${encodeURIComponent(found.id)}`)).json()) as Instance) : undefined;
  };

  it('resumes an instance at its pending step on the hub that takes over, and never runs a completed trigger again', async () => {
    const [first] = hubs as [Hub, Hub];
    // SIAK fails on both hubs, so the instance waits at its first step wherever it runs.
    for (const hub of hubs) await siakFault(hub, 100_000);
    const lapor = simulator(first, 'lapor');
    const created = (await (await fetch(`${lapor}/_simulator/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ judul: 'Lampu jalan padam', isi: 'Lampu jalan padam. Mohon segera ditangani.', kategori: 'Infrastruktur', pelapor: { nama: reporter.nama, nik: reporter.nik } }) })).json()) as { trackingId: string };
    const natives = JSON.parse((await (await fetch(`${lapor}/_simulator/complaints`)).text()).replace(/:\s*(\d{16,})/g, ':"$1"')) as Record<string, unknown>[];
    const native = natives.find((c) => String(c.tracking_id ?? c.trackingId ?? c.TrackingID) === created.trackingId)!;
    expect((await hubFetch(`${first.url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(native) })).status).toBe(202);
    const subject = `lapor-${created.trackingId}`;

    // The progress is the same on both hubs, whichever runs it.
    const attemptsOn = async (hub: Hub): Promise<number> => ((await instanceOn(hub, subject))?.steps[0]?.outcome === 'retrying' ? (await instanceOn(hub, subject))!.steps[0]!.attempts : 0);
    await waitFor(async () => (await attemptsOn(first)) >= 2, 60_000, 'the first step retrying', 250);
    for (const hub of hubs) await waitFor(async () => (await attemptsOn(hub)) >= 2, 2000, 'the progress on both hubs', 50);

    // The hub whose SIAK was called runs it; the other takes over once it is gone.
    const called = await Promise.all(hubs.map(async (hub) => ((await (await fetch(`${simulator(hub, 'siak')}/_simulator/requests`)).json()) as unknown[]).length));
    expect(called.filter((n) => n > 0)).toHaveLength(1);
    const owner = hubs[called.findIndex((n) => n > 0)]!;
    const survivor = hubs.find((hub) => hub !== owner)!;
    await siakFault(survivor, 0);
    const before = (await instanceOn(owner, subject))!;
    const closedAt = Date.now();
    await owner.close();

    let done: Instance | undefined;
    await waitFor(async () => (done = await instanceOn(survivor, subject))?.status === 'completed', 60_000, 'the instance completed by the survivor', 250);
    figures['flow completed by the survivor, from closing the owner (ms)'] = Date.now() - closedAt;
    // Resumed, not restarted: the first step kept its start and counted on from the owner's attempts.
    expect(done!.steps[0]).toMatchObject({ step: 'verifikasi-pelapor', outcome: 'done', started_at: before.steps[0]!.started_at });
    expect(done!.steps[0]!.attempts).toBeGreaterThan(before.steps[0]!.attempts);
    expect(done!.steps.map((s) => s.outcome)).toEqual(['done', 'done', 'done', 'done']);
    const letters = async (): Promise<unknown[]> => ((await (await fetch(`${simulator(survivor, 'sitampan')}/_simulator/naskah`)).json()) as { naskah: { id: string } }[]).filter((l) => JSON.stringify(l).includes(created.trackingId));
    await waitFor(async () => (await letters()).length === 1, 30_000, 'the letter at SITAMPAN');

    // The trigger published again (same source and id) runs nothing: the instance is completed.
    const prefix = survivor.config.bus.topicPrefix;
    const triggerTopic = topicForType(prefix, 'pengaduan.diterima');
    const { events } = (await (await hubFetch(`${survivor.url}/v1/events?type=pengaduan.diterima&limit=1000`)).json()) as { events: CloudEvent[] };
    const trigger = events.find((e) => e.subject === subject)!;
    expect(trigger).toBeDefined();
    await survivor.bus.publish([{ topic: triggerTopic, key: subject, event: trigger }]);
    await waitFor(async () => (await survivor.bus.lag(`${prefix}.flow.pengaduan-disposisi`, triggerTopic)) === 0, 30_000, 'the repeated trigger consumed', 250);
    expect(await instanceOn(survivor, subject)).toEqual(done);
    expect(await letters()).toHaveLength(1);
  }, 180_000);
});
