// One key per operator, and signing out, in Debian's Chromium against a real hub: a second
// operator made through the admin API signs in with her own key, the page names her, the audit
// log names her for what she did (a poll now) and for the page's own reads; "Keluar" ends the
// session on the server and the browser forgets its cookie and storage.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hubFetch } from '../support/auth.js';
import { signedInDashboard } from '../support/dashboard-browser.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const consoleErrors: string[] = [];
let browser: Browser | undefined;
let secondKey: string;

const hub = hubBeforeAll({ connectors: { directory: 'test/fixtures/connectors', polling: false }, security: { dashboardAuditWindowSeconds: 1 } });

beforeAll(async () => {
  const created = await hubFetch(`${hub().url}/v1/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'uji-operator-rina', name: 'Rina Wulandari (uji)', opd: 'Diskominfo (uji)', role: 'operator', clearance: 'rahasia', rights: ['*'] }),
  });
  expect(created.status).toBe(201);
  secondKey = ((await created.json()) as { api_key: string }).api_key;
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

it('names the operator who signed in, in the page and the audit log, and signs her out on the server and in the browser', async () => {
  const opened = await signedInDashboard(hub().url, consoleErrors, { key: secondKey });
  browser = opened.browser;
  const page = opened.page;
  await page.getByTestId('operator').and(page.locator('[data-id="uji-operator-rina"]')).waitFor();
  expect(await page.getByTestId('operator').textContent()).toBe('Rina Wulandari (uji)');

  // What she does is hers in the audit log, and so is the summary of the page's own reads.
  await page.getByTestId('poll-now-uji-rekaman-rekaman-masuk').click();
  await page.getByTestId('notice').filter({ hasText: 'selesai' }).waitFor();
  await waitFor(() => hub().audit.recent(200).some((e) => e.client === 'uji-operator-rina' && e.method === 'POST' && e.route === '/v1/connectors/:id/operations/:operation/poll'), 10_000, 'her poll in the audit log');
  await waitFor(() => hub().audit.recent(200).some((e) => e.client === 'uji-operator-rina' && e.operation === 'dashboard:reads'), 10_000, "a summary of her page's reads in the audit log");
  // The first operator only made her client (with his key): nothing of the page is his.
  expect(hub().audit.recent(200).filter((e) => e.client === 'uji-operator').map((e) => `${e.method} ${e.route}`)).toEqual(['POST /v1/clients']);

  // Something the page's origin kept in storage, to see it forgotten at sign-out.
  await page.evaluate(() => window.localStorage.setItem('penghubung-uji', 'tersimpan'));
  const [cookie] = await page.context().cookies();
  expect(cookie?.name).toBe('penghubung_sesi');

  await page.getByTestId('logout').click();
  await page.waitForURL(`${hub().url}/dashboard/login`);
  expect(await page.context().cookies()).toEqual([]);
  expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
  // The session is over on the server too: whoever kept a copy of the cookie gets nothing.
  const replayed = await fetch(`${hub().url}/v1/connectors`, { headers: { cookie: `penghubung_sesi=${cookie!.value}` } });
  expect(replayed.status).toBe(401);
  await page.goto(`${hub().url}/dashboard`);
  expect(new URL(page.url()).pathname).toBe('/dashboard/login');
  await waitFor(() => hub().audit.recent(200).some((e) => e.client === 'uji-operator-rina' && e.method === 'POST' && e.route === '/dashboard/logout' && e.status === 303), 10_000, 'the sign-out in the audit log');
  // The icon needs no key, at either address a browser asks for it.
  for (const path of ['/dashboard/favicon.svg', '/favicon.ico']) {
    const icon = await fetch(`${hub().url}${path}`);
    expect({ path, status: icon.status, type: icon.headers.get('content-type') }).toEqual({ path, status: 200, type: 'image/svg+xml' });
  }
  expect(consoleErrors).toEqual([]);
}, 60_000);
