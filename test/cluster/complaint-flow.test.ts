// Must show (issue 14): the complaint flow with 25 complaints pushed through the balancer to
// three hubs gives exactly 25 dispositions and 25 letter commands, also when the instance
// running flows is SIGKILLed mid-way (it is restarted at the end, so what its outbox held is
// published too). Counted on the Kafka topics, where a flow run twice would show (before: 42
// dispositions and 42 letter commands for 25 complaints, hidden by SITAMPAN's dedupe).
import { Kafka, logLevel, AssignerProtocol } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { topicForType } from '../../src/events/cloudevent.js';
import { hubFetch } from '../support/auth.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';
import { readTopics } from './topic-records.js';

const COMPLAINTS = 25;
const reporter = RESIDENTS.find((r) => r.status === 'aktif' && r.nik.startsWith('18') && !r.wire.misspelledKeys)!;
let cluster: TestCluster;
let lapor = '';
const figures: Record<string, number | string> = {};

beforeAll(async () => {
  cluster = await startTestCluster({ label: 'flow' });
  lapor = cluster.upstreams.simulators.get('lapor')!.url;
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
  console.log(`[cluster complaint flow] measured: ${JSON.stringify(figures)}`);
});

/** A complaint LAPOR! knows, pushed to the hub through the balancer as LAPOR! would (retried on a 502 from a dying instance). */
async function pushComplaint(n: number): Promise<string> {
  const created = (await (await fetch(`${lapor}/_simulator/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ judul: `Pengaduan klaster ${n}`, isi: `Pengaduan klaster nomor ${n}. Mohon segera ditangani.`, kategori: n % 2 === 0 ? 'Infrastruktur' : 'Kesehatan', pelapor: { nama: reporter.nama, nik: reporter.nik } }) })).json()) as { trackingId: string };
  const natives = await (await fetch(`${lapor}/_simulator/complaints`)).text();
  const all = JSON.parse(natives.replace(/:\s*(\d{16,})/g, ':"$1"')) as Record<string, unknown>[];
  const native = all.find((c) => String(c.tracking_id ?? c.trackingId ?? c.TrackingID) === created.trackingId)!;
  for (let attempt = 0; ; attempt++) {
    const pushed = await hubFetch(`${cluster.url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(native) }).catch(() => undefined);
    if (pushed?.status === 202) return `lapor-${created.trackingId}`;
    if (attempt === 5) throw new Error(`complaint ${n} not accepted: ${pushed?.status}`);
  }
}

/** The hub (by index) holding most partitions of the flow's consumer group. */
async function flowRunner(): Promise<number> {
  const admin = new Kafka({ clientId: 'cluster-flow-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    let held = cluster.hubs.map(() => 0);
    let seen = '';
    await waitFor(async () => {
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(`${cluster.prefix}.flow.`));
      held = cluster.hubs.map(() => 0);
      const described = (await admin.describeGroups(groups)).groups;
      seen = described.map((group) => `${group.groupId}: ${group.state}, ${group.members.map((m) => m.clientId).join(' ')}`).join('; ') || 'no flow group';
      for (const group of described) {
        for (const member of group.members) {
          const index = Number(/penghubung-(\d+)/.exec(member.clientId)?.[1]) - 1;
          const assignment = member.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
          if (index >= 0 && assignment) held[index]! += Object.values(assignment.assignment).reduce((sum, partitions) => sum + partitions.length, 0);
        }
      }
      return held.some((count) => count > 0);
    }, 90_000, () => `a member of the flow consumer group with partitions (${seen})`, 250);
    return held.indexOf(Math.max(...held));
  } finally {
    await admin.disconnect();
  }
}

interface Counted {
  dispositions: number;
  dispositionIds: number;
  complaintsDisposed: number;
  letters: number;
  letterIds: number;
}

async function count(complaints: Set<string>): Promise<Counted> {
  const records = await readTopics([topicForType(cluster.prefix, 'pengaduan.didisposisikan'), topicForType(cluster.prefix, 'naskah-dinas.dibuat')]);
  const dispositions = records.filter((r) => r.event.type === 'pengaduan.didisposisikan' && complaints.has(String((r.event.data as { pengaduan_id?: unknown }).pengaduan_id)));
  const letterIdsOfComplaints = new Set(dispositions.map((r) => String((r.event.data as { naskah_id?: unknown }).naskah_id)));
  const letters = records.filter((r) => r.event.type === 'naskah-dinas.dibuat' && letterIdsOfComplaints.has(String((r.event.data as { id?: unknown }).id)));
  return {
    dispositions: dispositions.length,
    dispositionIds: new Set(dispositions.map((r) => String(r.event.id))).size,
    complaintsDisposed: new Set(dispositions.map((r) => String((r.event.data as { pengaduan_id?: unknown }).pengaduan_id))).size,
    letters: letters.length,
    letterIds: new Set(letters.map((r) => String(r.event.id))).size,
  };
}

describe('the complaint flow on three instances', () => {
  it('gives exactly 25 dispositions and 25 letter commands when the instance running flows is SIGKILLed mid-way', async () => {
    const victim = await flowRunner();
    const complaints = new Set<string>();
    let killedAt = 0;
    for (let n = 0; n < COMPLAINTS; n++) {
      if (n === 12) {
        killedAt = Date.now();
        await cluster.kill(victim);
      }
      complaints.add(await pushComplaint(n));
    }
    let counted: Counted | undefined;
    // The survivors take the dead instance's flow partitions over after the session timeout.
    await waitFor(async () => (counted = await count(complaints)).complaintsDisposed >= COMPLAINTS - 3, 90_000, () => `dispositions by the survivors (${JSON.stringify(counted)})`, 1000);
    figures['SIGKILL of the flow instance → survivors disposed complaints after s'] = (Date.now() - killedAt) / 1000;
    await cluster.restart(victim);
    await waitFor(async () => (counted = await count(complaints)).complaintsDisposed === COMPLAINTS && counted.letterIds === COMPLAINTS, 90_000, () => `25 complaints disposed with 25 letters (${JSON.stringify(counted)})`, 1000);
    expect(counted!.dispositionIds).toBe(COMPLAINTS);
    expect(counted!.letterIds).toBe(COMPLAINTS);
    figures['disposition records (25 complaints)'] = counted!.dispositions;
    figures['letter command records (25 complaints)'] = counted!.letters;
    figures['records published again after the takeover (same event id)'] = counted!.dispositions - counted!.dispositionIds + counted!.letters - counted!.letterIds;
  }, 300_000);
});
