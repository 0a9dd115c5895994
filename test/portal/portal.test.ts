// The developer portal in a real Chromium against a real hub with its sandbox simulators: the
// introduction at / and the console load from the hub alone (no request leaves 127.0.0.1, no CSP
// violation), a developer signs in with their own app's key (cleared for publik), runs the
// resident lookup from the console and sees the resident masked to that clearance.
// Chromium is Debian's /usr/bin/chromium driven by playwright-core; a missing browser fails the
// test (never skips it). A screenshot lands in output/portal.png.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { chromiumPage } from '../support/dashboard-browser.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const screenshot = projectPath('output', 'portal.png');
const nik = '1809011704780001';

let browser: Browser | undefined;

const hub = hubBeforeAll();

afterAll(async () => {
  await browser?.close();
});

it('serves the portal and the document without a key, and still asks one for the API', async () => {
  const home = await fetch(`${hub().url}/`);
  expect(home.status).toBe(200);
  expect(home.headers.get('content-type')).toMatch(/^text\/html/);
  expect(home.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  expect(await home.text()).toContain('Portal Pengembang');
  for (const path of ['/portal/api', '/portal/console.js', '/portal/swagger-ui/swagger-ui-bundle.js', '/portal/swagger-ui/swagger-ui.css', '/openapi.json']) {
    expect((await fetch(`${hub().url}${path}`)).status, path).toBe(200);
  }
  // Only the files the console loads, not the rest of node_modules/swagger-ui-dist.
  expect((await fetch(`${hub().url}/portal/swagger-ui/index.html`)).status).toBe(404);
  expect((await fetch(`${hub().url}/portal/swagger-ui/..%2F..%2Fpackage.json`)).status).toBe(404);
  expect((await fetch(`${hub().url}/v1/penduduk/${nik}`)).status).toBe(401);
  // Page loads hold no data and are not audited (anyone could fill the log with them); the
  // document and the refused call are.
  // The log is written in batches: once the refused call (the last request) is in it, so is all before it.
  let entries: { route: string; status: number }[] = [];
  await waitFor(async () => {
    entries = ((await (await hubFetch(`${hub().url}/v1/audit/recent?limit=200`)).json()) as { entries: typeof entries }).entries;
    return entries.some((entry) => entry.status === 401);
  }, 10_000, 'the refused lookup in the audit log');
  expect(entries.some((entry) => entry.route === '/openapi.json')).toBe(true);
  expect(entries.filter((entry) => entry.route === '/' || entry.route.startsWith('/portal/'))).toEqual([]);
});

it('lets a developer sign in with their own key and run the resident lookup, masked to their clearance', async () => {
  const consoleErrors: string[] = [];
  const opened = await chromiumPage(consoleErrors);
  browser = opened.browser;
  const page = opened.page;
  const origins = new Set<string>();
  page.on('request', (request) => void origins.add(new URL(request.url()).origin));

  // The introduction, Indonesian first, English on request.
  await page.goto(`${hub().url}/`);
  await page.getByRole('heading', { name: 'Selamat datang' }).waitFor();
  expect(await page.getByRole('heading', { name: 'Welcome' }).isVisible()).toBe(false);
  await page.getByTestId('language').click();
  await page.getByRole('heading', { name: 'Welcome' }).waitFor();
  await page.getByTestId('language').click();
  await page.getByRole('heading', { name: 'Selamat datang' }).waitFor();
  expect(await page.getByTestId('download-openapi').getAttribute('href')).toBe('/openapi.json');

  // The console: every operation of /openapi.json; the developer signs in with their app's key.
  await page.getByTestId('open-console').click();
  await page.waitForURL(`${hub().url}/portal/api`);
  const lookup = page.locator('.opblock-get', { has: page.locator('[data-path="/v1/penduduk/{nik}"]') });
  await lookup.waitFor({ timeout: 20_000 });
  await page.getByTestId('api-key').fill(testKeys.publik);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('signed-in').waitFor();

  await lookup.locator('.opblock-summary').first().click();
  await lookup.locator('input[placeholder="nik"]').fill(nik);
  await lookup.locator('button.execute').click();
  const answer = lookup.locator('.live-responses-table');
  await answer.locator('.response-col_status', { hasText: '200' }).waitFor({ timeout: 15_000 });
  const body = await answer.locator('.response-col_description pre').first().innerText();
  const resident = JSON.parse(body) as { nik: string; tanggal_lahir: string; alamat: { jalan: string } };
  // An app cleared for publik: the NIK shows its first and last four digits only.
  expect(resident.nik).toBe(`${nik.slice(0, 4)}••••••••${nik.slice(12)}`);
  expect(resident.tanggal_lahir).toBe('••••');
  expect(resident.alamat.jalan).toBe('••••');
  expect(body).not.toContain(nik);
  // The console sent the developer's key as the X-API-Key the document declares.
  expect(await lookup.locator('.curl-command').innerText()).toContain('X-API-Key');

  await lookup.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot, fullPage: false });
  expect(existsSync(screenshot)).toBe(true);
  expect([...origins]).toEqual([hub().url]);
  expect(consoleErrors).toEqual([]);
}, 90_000);
