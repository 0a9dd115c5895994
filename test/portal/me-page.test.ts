// The portal's "Saya" (me) page in a real Chromium against a real hub: a developer signs in with
// their own app's key and sees who they are (id, clearance, rights, rate limit), what became of
// an event they published, their dead letters (none) and their webhook subscription, paused;
// another app's key shows none of it. Nothing is requested from another origin and the page
// raises no error under the portal's CSP. A screenshot lands in output/portal-saya.png.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubFetch, testKeys } from '../support/auth.js';
import { chromiumPage } from '../support/dashboard-browser.js';
import { hubBeforeAll, postJson, sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const screenshot = projectPath('output', 'portal-saya.png');
let browser: Browser | undefined;

const hub = hubBeforeAll();

afterAll(async () => {
  await browser?.close();
});

it('shows a developer, signed in with their own key, who they are and what became of what they sent', async () => {
  // The app cleared for terbatas publishes one event and subscribes a paused webhook.
  const sent = await postJson(`${hub().url}/v1/events`, sampleEvent('saya-1'), 'application/cloudevents+json', { 'x-api-key': testKeys.terbatas });
  expect(sent.status).toBe(202);
  const subscribed = await hubFetch(`${hub().url}/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ types: ['uji.dibuat'], url: 'http://127.0.0.1:9/saya' }) }, testKeys.terbatas);
  expect(subscribed.status).toBe(201);
  const subscription = ((await subscribed.json()) as { subscription: { id: string } }).subscription.id;
  expect((await hubFetch(`${hub().url}/v1/subscriptions/${subscription}/pause`, { method: 'POST' }, testKeys.terbatas)).status).toBe(200);
  await waitFor(async () => ((await (await hubFetch(`${hub().url}/v1/me/deliveries?status=published`, {}, testKeys.terbatas)).json()) as { items: unknown[] }).items.length === 1, 15_000, 'the event published', 100);

  const consoleErrors: string[] = [];
  const opened = await chromiumPage(consoleErrors);
  browser = opened.browser;
  const { page } = opened;
  const origins = new Set<string>();
  page.on('request', (request) => void origins.add(new URL(request.url()).origin));

  await page.goto(`${hub().url}/`);
  await page.getByTestId('open-me').click();
  await page.waitForURL(`${hub().url}/portal/saya`);
  await page.getByTestId('api-key').fill(testKeys.terbatas);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('me').waitFor();

  expect(await page.getByTestId('me-id').innerText()).toBe('uji-aplikasi-terbatas');
  expect(await page.getByTestId('me-clearance').innerText()).toBe('terbatas');
  expect(await page.getByTestId('me-rate-limit').innerText()).toMatch(/^\d+ \/ 1000000 per menit$/);
  expect(await page.getByTestId('me-rights').innerText()).toContain('siak:*');
  const delivery = page.getByTestId('me-deliveries').locator('tbody tr');
  expect(await delivery.count()).toBe(1);
  expect(await delivery.getByTestId('delivery-event').innerText()).toBe('saya-1');
  expect(await delivery.getByTestId('delivery-status').innerText()).toBe('published');
  expect(await page.getByTestId('me-dead-letters').locator('td.empty').innerText()).toBe('Tidak ada surat mati.');
  const subscriptionRow = page.getByTestId('me-subscriptions').locator('tbody tr');
  expect(await subscriptionRow.count()).toBe(1);
  expect(await subscriptionRow.getByTestId('subscription-state').innerText()).toBe('paused (paused by uji-aplikasi-terbatas)');
  await page.screenshot({ path: screenshot, fullPage: true });
  expect(existsSync(screenshot)).toBe(true);

  // Signed out, then in as another app: nothing of the first one's.
  await page.getByTestId('sign-out').click();
  await page.getByTestId('me').waitFor({ state: 'hidden' });
  await page.getByTestId('api-key').fill(testKeys.publik);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('me').waitFor();
  await page.getByTestId('me-id').filter({ hasText: 'uji-aplikasi-publik' }).waitFor();
  expect(await page.getByTestId('me-deliveries').locator('td.empty').innerText()).toBe('Belum ada event yang Anda kirim.');
  expect(await page.getByTestId('me-subscriptions').locator('td.empty').innerText()).toBe('Belum ada langganan.');

  // A key the hub does not know: the problem is shown, nothing else.
  await page.getByTestId('sign-out').click();
  await page.getByTestId('api-key').fill('kunci-salah');
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('me-error').waitFor();
  expect(await page.getByTestId('me-error').innerText()).toMatch(/401/);
  expect(await page.getByTestId('me').isHidden()).toBe(true);

  expect([...origins]).toEqual([hub().url]);
  // The refused key's 401 is the browser's own console line for a failed fetch; nothing else.
  expect(consoleErrors.filter((line) => !/status of 401/.test(line))).toEqual([]);
}, 90_000);
