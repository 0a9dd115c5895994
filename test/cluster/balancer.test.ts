// The cluster harness itself, and the balancer in front of it: nginx spreads requests round
// robin over three hubs; with one hub SIGKILLed every request still gets an answer (a refused
// connection is passed to the next hub, a POST too, since nothing was sent); the restarted hub
// takes requests again on its old port and data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFetch } from '../support/auth.js';
import { sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { clusterStartTimeoutMs, startTestCluster, type TestCluster } from './cluster-support.js';

let cluster: TestCluster;
const figures: Record<string, number> = {};

beforeAll(async () => {
  const started = Date.now();
  cluster = await startTestCluster({ label: 'balancer' });
  figures['three hubs and nginx ready after s'] = (Date.now() - started) / 1000;
}, clusterStartTimeoutMs);

afterAll(async () => {
  await cluster?.close();
  console.log(`[cluster balancer] measured: ${JSON.stringify(figures)}`);
});

async function answers(count: number, request: (n: number) => Promise<Response>): Promise<{ statuses: number[]; byHub: number[] }> {
  const statuses: number[] = [];
  const byHub = cluster.hubs.map(() => 0);
  for (let n = 0; n < count; n++) {
    const response = await request(n);
    await response.arrayBuffer();
    statuses.push(response.status);
    byHub[cluster.answeredBy(response)]! += 1;
  }
  return { statuses, byHub };
}

const post = (id: string): Promise<Response> => hubFetch(`${cluster.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(sampleEvent(id)) });

describe('three hubs behind nginx', () => {
  it('spreads requests round robin over every hub', async () => {
    const { statuses, byHub } = await answers(30, () => hubFetch(`${cluster.url}/v1/catalog`));
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(byHub).toEqual([10, 10, 10]);
  });

  it('answers every request while a hub is dead, and takes the restarted hub back', async () => {
    await cluster.kill(1);
    const reads = await answers(20, () => hubFetch(`${cluster.url}/v1/catalog`));
    expect(reads.statuses.filter((status) => status !== 200)).toEqual([]);
    expect(reads.byHub[1]).toBe(0);
    const writes = await answers(20, (n) => post(`balancer-${n}`));
    expect(writes.statuses.filter((status) => status !== 202)).toEqual([]);
    expect(writes.byHub[1]).toBe(0);

    const restarting = Date.now();
    await cluster.restart(1);
    figures['SIGKILLed hub ready again after s'] = (Date.now() - restarting) / 1000;
    // nginx leaves a failed hub out for fail_timeout (2 s), then tries it again.
    let byHub: number[] = [];
    await waitFor(async () => {
      byHub = (await answers(6, () => hubFetch(`${cluster.url}/v1/catalog`))).byHub;
      return byHub[1]! > 0;
    }, 15_000, () => `the restarted hub answering through nginx (last six requests by hub: ${byHub.join(', ')})`, 500);
  }, clusterStartTimeoutMs);
});
