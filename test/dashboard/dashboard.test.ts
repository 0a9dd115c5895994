// The operators' dashboard in a real Chromium against a real hub with its sandbox simulators:
// the SIAK card goes red when SIAK dies and the circuit opens, and green again with no operator
// action once SIAK is back (an OPD's ongoing lookups are the breaker's probe); a LAPOR! follow-up
// that keeps failing shows up as a dead letter, which the operator inspects and replays (it then
// reaches LAPOR!), and another is discarded with a reason.
// Chromium is Debian's /usr/bin/chromium driven by playwright-core; a missing browser fails the
// test (never skips it). A screenshot lands in output/dashboard.png.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { startSiakSimulator } from '../../connectors/siak/simulator.js';
import type { Simulator } from '../../src/connectors/sdk.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { chromiumPage } from '../support/dashboard-browser.js';
import { hubBeforeAll, postJson } from '../support/hub.js';
import { sleep, waitFor } from '../support/wait.js';

const screenshot = projectPath('output', 'dashboard.png');
const nik = '1809011704780001';

let browser: Browser | undefined;
let page: Page;
let restartedSiak: Simulator | undefined;
let lookups: { stop: () => Promise<number[]> } | undefined;
const consoleErrors: string[] = [];
const origins = new Set<string>();
const timings: string[] = [];

/**
 * Only SIAK and LAPOR!: a folder per connector whose files link to connectors/<id>/ (so a
 * half-written connector elsewhere cannot break this test's hub start). It sits in the project
 * root (gitignored) because the test runner resolves the connectors' `../../src/` imports from
 * the links' own location.
 */
function connectorSubset(ids: string[]): string {
  const root = mkdtempSync(projectPath('.tmp-dashboard-connectors-'));
  for (const id of ids) {
    mkdirSync(join(root, id));
    for (const entry of readdirSync(projectPath('connectors', id))) symlinkSync(projectPath('connectors', id, entry), join(root, id, entry));
  }
  return root;
}

const connectorsDir = connectorSubset(['siak', 'lapor']);
// Registered before the hub's own hooks, so it runs after the hub has closed (hooks run as a stack).
afterAll(async () => {
  await restartedSiak?.close();
  rmSync(connectorsDir, { recursive: true, force: true });
});
// The page's own reads are summed up in one audit row per 2 s here (60 s by default).
const hub = hubBeforeAll({ connectors: { directory: connectorsDir }, security: { dashboardAuditWindowSeconds: 2 } });

/** Debian's Chromium (a missing browser fails, never skips), every origin the page loads from noted. */
async function openDashboardBrowser(): Promise<Page> {
  const opened = await chromiumPage(consoleErrors, { width: 1366, height: 768 });
  browser = opened.browser;
  opened.page.on('request', (request) => void origins.add(new URL(request.url()).origin));
  return opened.page;
}

afterAll(async () => {
  await lookups?.stop();
  await browser?.close();
});

const card = (id: string, state: string): string => `[data-testid="connector-${id}"][data-state="${state}"]`;
const lookup = async (): Promise<number> => (await hubFetch(`${hub().url}/v1/penduduk/${nik}`)).status;

/** An OPD looking residents up through the hub, four times a second, until stopped. */
function residentLookups(): { stop: () => Promise<number[]> } {
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      statuses.push(await lookup().catch(() => 0));
      await sleep(250); // the pace of the load, not a wait for a state
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return statuses;
    },
  };
}

it('shows connector health, follows a SIAK outage and its recovery, and replays a dead letter', async () => {
  page = await openDashboardBrowser();
  const started = Date.now();
  const mark = (what: string): void => void timings.push(`${what} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const laporUrl = hub().connectors.simulators.get('lapor')!.url;
  const siak = hub().connectors.simulators.get('siak')!;
  const siakPort = Number(new URL(siak.url).port);

  // Two follow-ups for LAPOR! become dead letters while the SIAK part runs: one about a complaint
  // LAPOR! does not know (refused at once), then one LAPOR! keeps failing with 503 (five
  // attempts with backoff, ~10 s; LAPOR!'s circuit opens on the way).
  const complaints = (await (await fetch(`${laporUrl}/_simulator/complaints`)).json()) as { tracking_id?: unknown; trackingId?: unknown; TrackingID?: unknown }[];
  const trackingId = String(complaints[0]!.tracking_id ?? complaints[0]!.trackingId ?? complaints[0]!.TrackingID);
  const canonical = (JSON.parse(readFileSync(projectPath('connectors', 'lapor', 'fixtures', 'kirim-tindak-lanjut', 'diproses.expected.json'), 'utf8')) as { canonical: Record<string, unknown> }).canonical;
  const followUp = (id: string, complaint: string): Record<string, unknown> => ({
    specversion: '1.0', id, source: '/opd/dinas-pupr', type: 'pengaduan.tindak-lanjut.dibuat', subject: `lapor-${complaint}`, datacontenttype: 'application/json',
    data: { ...canonical, id, pengaduan_id: `lapor-${complaint}`, nomor_pelacakan: complaint },
  });
  const fault = (failNext: number): Promise<Response> => fetch(`${laporUrl}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/stream/addstream', failNext, status: 503 }) });
  const parked = async (eventId: string): Promise<boolean> => ((await (await hubFetch(`${hub().url}/v1/dead-letters?connector=lapor`)).json()) as { dead_letters: { event_id: string }[] }).dead_letters.some((d) => d.event_id === eventId);
  expect((await postJson(`${hub().url}/v1/events`, followUp('tl-dasbor-buang', '999999999'))).status).toBe(202);
  await waitFor(() => parked('tl-dasbor-buang'), 10_000, 'the follow-up to an unknown complaint in the dead letters');
  expect((await fault(1000)).status).toBe(201);
  expect((await postJson(`${hub().url}/v1/events`, followUp('tl-dasbor-putar', trackingId))).status).toBe(202);

  // The page is served under its CSP; a browser with no session is sent to sign in first, and
  // the operator signs in with an operator key (the session cookie then carries every call).
  const served = await hubFetch(`${hub().url}/dashboard`);
  expect(served.status).toBe(200);
  expect(served.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  await page.goto(`${hub().url}/dashboard`);
  expect(new URL(page.url()).pathname).toBe('/dashboard/login');
  await page.getByLabel('Kunci API operator').fill(testKeys.operator);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${hub().url}/dashboard`);
  expect(await page.title()).toContain('Penghubung');
  await page.getByRole('heading', { name: 'Status Konektor' }).waitFor();
  await page.getByRole('heading', { name: 'Surat Mati (Dead Letter)' }).waitFor();
  await page.waitForSelector(card('siak', 'up'), { timeout: 10_000 });
  await page.waitForSelector('[data-testid="connector-lapor"]');
  // The audit section lists the reads the page itself just made, as the operator, in one summary row.
  await page.locator('[data-testid="audit-row"][data-operation="dashboard:reads"]', { hasText: 'uji-operator' }).first().waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('outbox-backlog').textContent()).toMatch(/^\d+$/);
  expect(await lookup()).toBe(200);
  mark('SIAK green');

  // SIAK dies; the OPD's lookups fail until the circuit opens, and the card turns red.
  await siak.close();
  lookups = residentLookups();
  await page.waitForSelector(card('siak', 'down'), { timeout: 20_000 });
  expect(await page.getByTestId('circuit-siak').textContent()).toContain('Terbuka');
  expect(await page.getByTestId('last-failure-siak').textContent()).not.toContain('belum pernah');
  mark('SIAK red (circuit open)');
  mkdirSync(projectPath('output'), { recursive: true });
  await page.screenshot({ path: projectPath('output', 'dashboard-siak-down.png') });

  // SIAK comes back on the same port: after the breaker's reset timeout (10 s) a lookup probes
  // it, the circuit closes, and once successes bring the 5-minute error rate to 20% or less
  // (the status API's rule for "degraded") the card is green again, with no operator action.
  restartedSiak = await startSiakSimulator({ host: '127.0.0.1', port: siakPort });
  await page.waitForSelector(card('siak', 'up'), { timeout: 30_000 });
  const statuses = await lookups.stop();
  expect(statuses).toContain(503);
  expect(statuses.at(-1)).toBe(200);
  expect(await page.getByTestId('circuit-siak').textContent()).toContain('Tertutup');
  mark('SIAK green again');

  // The follow-ups are dead letters; inspect one: the event and why it failed.
  const row = (eventId: string): string => `[data-testid="dead-letter-row"][data-event-id="${eventId}"]`;
  await page.waitForSelector(row('tl-dasbor-putar'), { timeout: 30_000 });
  await page.waitForSelector(row('tl-dasbor-buang'), { timeout: 30_000 });
  mark('dead letters listed');
  const replayId = (await page.getAttribute(row('tl-dasbor-putar'), 'data-id'))!;
  const discardId = (await page.getAttribute(row('tl-dasbor-buang'), 'data-id'))!;
  expect(await page.getAttribute(row('tl-dasbor-putar'), 'data-status')).toBe('parked');
  await page.getByTestId(`inspect-${replayId}`).click();
  const dialog = page.getByTestId('inspect-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('[data-testid="inspect-event"]')?.textContent !== '');
  const shown = JSON.parse((await page.getByTestId('inspect-event').textContent())!) as { id: string; type: string; data: { id: string } };
  expect(shown).toMatchObject({ id: 'tl-dasbor-putar', type: 'pengaduan.tindak-lanjut.dibuat', data: { id: 'tl-dasbor-putar' } });
  expect(await page.getByTestId('inspect-reason').textContent()).toMatch(/503|unavailable|tidak|pemeliharaan/i);
  await dialog.getByRole('button', { name: 'Tutup' }).last().click();
  await dialog.waitFor({ state: 'hidden' });

  // LAPOR! is back; replay one (the button waits while LAPOR!'s circuit is still open).
  expect((await fault(0)).status).toBe(201);
  await page.getByTestId(`replay-${replayId}`).click({ timeout: 20_000 });
  await page.waitForSelector(`${row('tl-dasbor-putar')}[data-status="replayed"]`, { timeout: 15_000 });
  expect(await page.getByTestId(`status-${replayId}`).textContent()).toBe('Sudah diputar ulang');
  expect(await page.getByTestId('notice').textContent()).toContain('terkirim');
  const delivered = (await (await fetch(`${laporUrl}/_simulator/followups`)).json()) as { id?: string }[];
  expect(delivered.filter((f) => f.id === 'tl-dasbor-putar')).toHaveLength(1);
  mark('replayed and delivered');

  // Discard the other, with a reason: an empty one is refused by the form.
  await page.getByTestId(`discard-${discardId}`).click();
  await page.getByTestId('discard-dialog').waitFor({ state: 'visible' });
  await page.getByLabel('Alasan membuang').fill('ok');
  await page.getByTestId('discard-confirm').click();
  await page.waitForSelector('#discard-error:not([hidden])');
  await page.getByLabel('Alasan membuang').fill('Duplikat; tindak lanjut sudah dikirim manual oleh PUPR');
  await page.getByTestId('discard-confirm').click();
  await page.waitForSelector(`${row('tl-dasbor-buang')}[data-status="discarded"]`, { timeout: 10_000 });
  expect(await page.locator(row('tl-dasbor-buang')).textContent()).toContain('Duplikat; tindak lanjut sudah dikirim manual');
  expect((await (await hubFetch(`${hub().url}/v1/dead-letters/${encodeURIComponent(discardId)}`)).json())).toMatchObject({ status: 'discarded' });
  expect(((await (await fetch(`${laporUrl}/_simulator/followups`)).json()) as { id?: string }[]).some((f) => f.id === 'tl-dasbor-buang')).toBe(false);
  mark('discarded');

  // A paused webhook subscription shows in the "Langganan Webhook" panel at the next refresh.
  const subscribed = await hubFetch(`${hub().url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['uji.dibuat'], url: 'http://127.0.0.1:9/hook' }) });
  const subscriptionId = ((await subscribed.json()) as { subscription: { id: string } }).subscription.id;
  expect((await hubFetch(`${hub().url}/v1/subscriptions/${subscriptionId}/pause`, { method: 'POST' })).status).toBe(200);
  await page.locator('#refresh-now').click();
  const webhookRow = page.locator('[data-testid="webhook-row"][data-state="paused"]', { hasText: subscriptionId });
  await webhookRow.waitFor({ timeout: 10_000 });
  expect(await webhookRow.textContent()).toContain('dijeda');
  mark('paused webhook shown');

  // Every byte the page loaded came from the hub itself, and nothing broke the CSP.
  await waitFor(async () => (await page.locator('[data-testid="connector-siak"] svg polyline').count()) > 0, 10_000, 'a latency line in the SIAK card');
  expect([...origins]).toEqual([hub().url]);
  // The icon is no 401 (the sign-in page names it and it is public).
  expect(consoleErrors).toEqual([]);

  await page.screenshot({ path: screenshot, fullPage: true });
  expect(existsSync(screenshot)).toBe(true);
  console.log(`dashboard test: ${timings.join(', ')}; screenshot ${screenshot}`);
}, 120_000);
