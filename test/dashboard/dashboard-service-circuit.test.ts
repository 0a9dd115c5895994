// An OPD service on the operators' dashboard, in Debian's Chromium against a real hub and the
// example e-Kinerja on a real port: its card shows the circuit closed, open once the service goes
// down and calls fail, and closed again by itself once the service answers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callSimulator } from '../../src/connectors/sdk.js';
import { initialPegawai } from '../../src/services/sandbox/ekinerja-data.js';
import { ekinerjaServiceInput } from '../../src/services/sandbox/ekinerja-service.js';
import { startEkinerjaSimulator, type EkinerjaSimulator } from '../../src/services/sandbox/ekinerja-simulator.js';
import { hubFetch } from '../support/auth.js';
import { signedInDashboardPerFile } from '../support/dashboard-browser.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const consoleErrors: string[] = [];
let simulator: EkinerjaSimulator;

beforeAll(async () => {
  simulator = await startEkinerjaSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

const hub = hubBeforeAll({
  connectors: { directory: 'test/fixtures/connectors', polling: false },
  services: { allowLoopback: true, calls: { retries: 0, breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 1000, rollingWindowMs: 10_000 } } },
});

beforeAll(async () => {
  const response = await hubFetch(`${hub().url}/v1/services`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ekinerjaServiceInput(simulator.url)) });
  expect(response.status, await response.text()).toBe(201);
}, 60_000);
const signedIn = signedInDashboardPerFile(hub, consoleErrors);

// The operator holds every right, grants included.
const lookUp = async (): Promise<number> => (await hubFetch(`${hub().url}/v1/layanan/ekinerja/api/v1/pegawai/${initialPegawai[0]!.nip}`)).status;

it("shows a service's card with its circuit opening when it goes down and closing by itself when it returns", async () => {
  expect(await lookUp()).toBe(200);
  const page = await signedIn();
  const card = page.locator('[data-testid="connector-layanan:ekinerja"]');
  await card.and(page.locator('[data-circuit="closed"][data-state="up"]')).waitFor();
  expect(await card.textContent()).toContain('e-Kinerja BKPSDM (example)');

  await callSimulator(simulator.url, 'POST', '/_simulator/faults', { path: '/', kind: 'error', status: 503, failNext: 1000 });
  await waitFor(async () => (await lookUp()) === 503 && (await hubFetch(`${hub().url}/v1/connectors/layanan:ekinerja`).then((r) => r.json()) as { circuit: { state: string } }).circuit.state === 'open', 10_000, 'the circuit to open');
  await card.and(page.locator('[data-circuit="open"][data-state="down"]')).waitFor();

  await callSimulator(simulator.url, 'POST', '/_simulator/faults', { path: '/', failNext: 0 });
  await waitFor(async () => (await lookUp()) === 200, 10_000, 'the service to answer through the hub again');
  await card.and(page.locator('[data-circuit="closed"]')).waitFor();
  // The icon is no 401 (the sign-in page names it and it is public).
  expect(consoleErrors).toEqual([]);
});
