// Debian's Chromium signed in to a hub's dashboard as the operator (or another, by key; at a viewport), the page refreshing every
// second (so a test follows a change without waiting the default 3 s); console errors and page
// errors are collected into `consoleErrors` for the test to assert on.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { testKeys } from './auth.js';

const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A page in Debian's Chromium (Indonesian locale) whose console and page errors go to `consoleErrors`; a missing browser fails, never skips. */
export async function chromiumPage(consoleErrors: string[], viewport = { width: 1366, height: 900 }): Promise<{ browser: Browser; page: Page }> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: the browser tests drive Debian's Chromium. npm test's pretest (tools/pretest.sh) installs it when run as root; otherwise: sudo apt-get install chromium`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const page = await browser.newPage({ viewport, locale: 'id-ID' });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  return { browser, page };
}

export async function signedInDashboard(hubUrl: string, consoleErrors: string[], options: { key?: string; viewport?: { width: number; height: number } } = {}): Promise<{ browser: Browser; page: Page }> {
  const { browser, page } = await chromiumPage(consoleErrors, options.viewport);
  await page.goto(`${hubUrl}/dashboard`);
  await page.getByLabel('Kunci API operator').fill(options.key ?? testKeys.operator);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${hubUrl}/dashboard`);
  await page.goto(`${hubUrl}/dashboard?refresh=1`);
  return { browser, page };
}

/**
 * For the tests of one file: a function that opens `hub()`'s dashboard signed in as the operator
 * (signedInDashboard); every browser it opened is closed after the file, before the hub.
 */
export function signedInDashboardPerFile(hub: () => { url: string }, consoleErrors: string[]): () => Promise<Page> {
  const browsers: Browser[] = [];
  afterAll(async () => {
    await Promise.all(browsers.map((browser) => browser.close()));
  });
  return async () => {
    const { browser, page } = await signedInDashboard(hub().url, consoleErrors);
    browsers.push(browser);
    return page;
  };
}
