// The dashboard's flows and subscriptions panels, and its layout at desktop and phone widths, in
// Debian's Chromium against a real hub with the sandbox simulators: a complaint from LAPOR! runs
// the complaint flow, which the operator opens to its instances and an instance to its steps; a
// subscription whose receiver is down shows failing, a paused one is resumed from the panel. At
// 1280 and 390 px wide nothing overflows sideways; screenshots go to test-results/ (gitignored).
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RESIDENTS } from '../../connectors/siak/sandbox-data.js';
import { projectPath } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';
import { signedInDashboard } from '../support/dashboard-browser.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const consoleErrors: string[] = [];
const artifacts = projectPath('test-results');
const reporter = RESIDENTS.find((r) => r.status === 'aktif' && r.nik.startsWith('18') && !r.wire.misspelledKeys)!;
const hub = hubBeforeAll({ webhooks: { attempts: 1, backoffMs: 100 } });
let browser: Browser | undefined;
let page: Page;
let complaintId: string;
let failingId: string;
let pausedId: string;

const subscribe = async (types: string[], url: string): Promise<string> => {
  const response = await hubFetch(`${hub().url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types, url }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { subscription: { id: string } }).subscription.id;
};

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  // A receiver nobody listens on (port 9, discard): its deliveries fail.
  failingId = await subscribe(['pengaduan.didisposisikan'], 'http://127.0.0.1:9/penerima-mati');
  pausedId = await subscribe(['uji.dibuat'], 'http://127.0.0.1:9/penerima-dijeda');
  expect((await hubFetch(`${hub().url}/v1/subscriptions/${pausedId}/pause`, { method: 'POST' })).status).toBe(200);

  // A complaint LAPOR! knows, pushed to the hub as LAPOR! would: the complaint flow runs.
  const lapor = hub().connectors.simulators.get('lapor')!.url;
  const created = (await (await fetch(`${lapor}/_simulator/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ judul: 'Lampu jalan padam di Gedong Tataan', isi: 'Lampu jalan padam sejak sepekan. Mohon segera ditangani.', kategori: 'Infrastruktur', pelapor: { nama: reporter.nama, nik: reporter.nik } }) })).json()) as { trackingId: string };
  const all = JSON.parse((await (await fetch(`${lapor}/_simulator/complaints`)).text()).replace(/:\s*(\d{16,})/g, ':"$1"')) as Record<string, unknown>[];
  const native = all.find((c) => String(c.tracking_id ?? c.trackingId ?? c.TrackingID) === created.trackingId)!;
  expect((await hubFetch(`${hub().url}/v1/connectors/lapor/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(native) })).status).toBe(202);
  complaintId = `lapor-${created.trackingId}`;
  await waitFor(async () => {
    const { instances } = (await (await hubFetch(`${hub().url}/v1/flows/pengaduan-disposisi/instances`)).json()) as { instances: { subject: string; status: string }[] };
    return instances.some((i) => i.subject === complaintId && i.status === 'completed');
  }, 30_000, 'the complaint flow to complete');

  const opened = await signedInDashboard(hub().url, consoleErrors, { viewport: { width: 1280, height: 900 } });
  browser = opened.browser;
  page = opened.page;
}, 90_000);
afterAll(async () => {
  await browser?.close();
});

it('opens a flow to its instances and an instance to its steps with their outcomes', async () => {
  await page.locator('[data-testid="flow-row"][data-flow="pengaduan-disposisi"][data-state="completed"]').first().waitFor();
  await page.getByRole('button', { name: 'Buka alur Disposisi pengaduan LAPOR!' }).first().click();
  const dialog = page.getByTestId('flow-dialog');
  await dialog.waitFor({ state: 'visible' });
  expect(await page.locator('#flow-heading').textContent()).toBe('Alur Disposisi pengaduan LAPOR!');
  const instance = dialog.locator('[data-testid="flow-instance-row"][data-state="completed"]', { hasText: complaintId });
  await instance.waitFor();
  await instance.getByRole('button', { name: 'Langkah' }).click();
  await dialog.locator('[data-testid="flow-step-row"]').first().waitFor();
  const steps = await dialog.locator('[data-testid="flow-step-row"]').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-step')}:${row.getAttribute('data-outcome')}`));
  expect(steps).toEqual(['verifikasi-pelapor:done', 'tentukan-opd:done', 'buat-naskah:done', 'umumkan-disposisi:done']);
  expect(await page.locator('#flow-steps-heading').textContent()).toBe(`Langkah ${complaintId} (selesai)`);
  // Outcomes only: the reporter's identity check result is not on the page.
  expect(await dialog.textContent()).not.toContain(reporter.nik);
  await dialog.getByRole('button', { name: 'Tutup' }).last().click();
  await dialog.waitFor({ state: 'hidden' });
}, 60_000);

it('shows a failing and a paused subscription, and resumes the paused one from the panel', async () => {
  await page.locator(`[data-testid="webhook-row"][data-id="${failingId}"][data-state="failing"]`).waitFor({ timeout: 20_000 });
  const paused = page.locator(`[data-testid="webhook-row"][data-id="${pausedId}"][data-state="paused"]`);
  await paused.waitFor();
  expect(await paused.textContent()).toContain('dijeda');
  // Only a paused subscription has the button.
  expect(await page.locator(`[data-testid="webhook-row"][data-id="${failingId}"] button`).count()).toBe(0);
  await page.getByTestId(`resume-${pausedId}`).click();
  await page.getByTestId('notice').filter({ hasText: `Langganan ${pausedId} dilanjutkan` }).waitFor();
  // Active and healthy again: it leaves the panel of those needing an operator.
  await paused.waitFor({ state: 'detached' });
  const health = (await (await hubFetch(`${hub().url}/v1/subscriptions/${pausedId}`)).json()) as { health: { state: string } };
  expect(health.health.state).toBe('active');
}, 60_000);

it('fits a desktop and a phone screen with no sideways scrolling', async () => {
  const overflow = (): Promise<{ scrollWidth: number; innerWidth: number }> => page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  await page.locator('[data-testid="connector-siak"]').waitFor();
  await page.locator('[data-testid="webhook-row"]').first().waitFor();
  const desktop = await overflow();
  expect(desktop.innerWidth).toBe(1280);
  expect(desktop.scrollWidth).toBeLessThanOrEqual(desktop.innerWidth);
  await page.screenshot({ path: `${artifacts}/dashboard-1280.png`, fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await waitFor(async () => (await overflow()).innerWidth === 390, 5000, 'the phone width');
  const phone = await overflow();
  expect(phone.scrollWidth).toBeLessThanOrEqual(phone.innerWidth);
  await page.screenshot({ path: `${artifacts}/dashboard-390.png`, fullPage: true });
  await page.screenshot({ path: `${artifacts}/dashboard-390-top.png` });
  await page.locator('#webhooks-heading').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${artifacts}/dashboard-390-tables.png` });
  // The flow dialog too.
  await page.getByRole('button', { name: 'Buka alur Disposisi pengaduan LAPOR!' }).first().click();
  await page.locator('[data-testid="flow-instance-row"]').first().getByRole('button', { name: 'Langkah' }).click();
  await page.locator('[data-testid="flow-step-row"]').first().waitFor();
  const dialog = await overflow();
  expect(dialog.scrollWidth).toBeLessThanOrEqual(dialog.innerWidth);
  await page.screenshot({ path: `${artifacts}/dashboard-390-flow.png` });
  expect(consoleErrors).toEqual([]);
}, 60_000);
