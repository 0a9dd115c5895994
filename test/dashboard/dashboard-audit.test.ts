// The dashboard left open does not fill the audit log: in Debian's Chromium, signed in as an
// operator and refreshing every second, its own reads become one signed summary row per operator
// per window (5 s here, 60 s by default: security.dashboardAuditWindowSeconds), and the chain
// still verifies. The icon is no 401 on the sign-in page or the dashboard.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Request } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import type { StoredAuditEntry } from '../../src/security/audit/index.js';
import { verifyAuditStore } from '../../src/security/audit/verify.js';
import { signedInDashboard } from '../support/dashboard-browser.js';
import { hubBeforeAll } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

const windowSeconds = 5;
const openSeconds = 16;
const consoleErrors: string[] = [];
const hub = hubBeforeAll({ connectors: { directory: 'test/fixtures/connectors' }, security: { dashboardAuditWindowSeconds: windowSeconds } });
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

it(`adds at most one audit row per operator per ${windowSeconds} s window for its own reads, and the chain verifies`, async () => {
  const opened = await signedInDashboard(hub().url, consoleErrors);
  browser = opened.browser;
  const page = opened.page;
  await page.getByTestId('connector-uji-rekaman').waitFor();
  // From here the page is open and refreshing. (Signing in loads it twice: reads the first load
  // had in flight are cut off by the second, and each is rightly an error row of its own.)
  const openedAt = Date.now();
  // Every refresh read sent from here is counted by the browser: what the summaries must add up
  // to. (A read sent earlier may be answered after openedAt yet folded into a window whose
  // summary row is older, so it is not counted.)
  let reads = 0;
  const inFlight = new Set<Request>();
  page.on('request', (request) => inFlight.add(request));
  page.on('requestfailed', (request) => inFlight.delete(request));
  page.on('requestfinished', (request) => {
    inFlight.delete(request);
    if (request.timing().startTime >= openedAt && request.method() === 'GET' && request.headers()['x-requested-by'] === 'penghubung-dashboard' && !request.url().includes('/health/')) reads += 1;
  });

  // The page refreshes every second for openSeconds; summaries appear once their window ends.
  const until = Date.now() + openSeconds * 1000;
  await waitFor(() => Date.now() >= until, openSeconds * 1000 + 1000, 'the dashboard to stay open');
  const summaryOnPage = page.locator('[data-testid="audit-row"][data-operation="dashboard:reads"]', { hasText: 'uji-operator' }).first();
  await summaryOnPage.waitFor({ timeout: 10_000 });
  expect(await summaryOnPage.textContent()).toMatch(/\d+ bacaan dasbor/);
  // Refreshing stops and the last reads are answered before the browser goes (a read cut off
  // by closing the browser would be a row of its own: status 0, an error). No timer fires once
  // unchecked; a refresh under way finishes and says so on <main aria-busy>, and every request
  // the page made has its answer.
  await page.locator('#auto-refresh').uncheck();
  await page.locator('main[aria-busy="false"]').waitFor({ timeout: 10_000 });
  await waitFor(() => inFlight.size === 0, 10_000, 'the dashboard\'s last reads to be answered');
  await browser.close();
  browser = undefined;
  const browserReads = reads;

  // Closing the hub writes the last open window (hubBeforeAll's close afterwards waits for this one).
  await hub().close();
  const rows = readRows(join(hub().config.dataDir, 'audit.db'));
  const mine = rows.filter((e) => e.client === 'uji-operator' && Date.parse(e.time) >= openedAt);
  // Nothing but summaries for the operator's session: no row per read.
  expect(mine.filter((e) => e.operation !== 'dashboard:reads').map((e) => `${e.method} ${e.route} ${e.status} ${e.operation}`)).toEqual([]);
  const perWindow = new Map<number, number>();
  for (const row of mine) {
    const window = Math.floor(Date.parse(row.time) / (windowSeconds * 1000));
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  expect(Math.max(...perWindow.values())).toBe(1);
  expect(mine.length).toBeGreaterThanOrEqual(Math.floor(openSeconds / windowSeconds));
  expect(mine.length).toBeLessThanOrEqual(Math.ceil((Date.now() - openedAt) / (windowSeconds * 1000)) + 1);
  // The summaries stand for every read the browser made, and more (the page and its files).
  const folded = mine.reduce((sum, e) => sum + (e.folded?.count ?? 0), 0);
  expect(browserReads).toBeGreaterThan(openSeconds * 4);
  expect(folded).toBeGreaterThanOrEqual(browserReads);
  // The page itself was loaded before openedAt, perhaps in a window whose summary is older.
  const summarised = new Set(rows.filter((e) => e.client === 'uji-operator' && e.folded).flatMap((e) => Object.keys(e.folded!.routes)));
  expect([...summarised]).toEqual(expect.arrayContaining(['GET /dashboard', 'GET /v1/connectors', 'GET /v1/dead-letters']));
  // A window's edge cuts a refresh anywhere, so no one summary need hold all its routes.
  const refreshRoutes = ['GET /v1/connectors', 'GET /v1/dead-letters', 'GET /v1/flows', 'GET /v1/audit/recent', 'GET /v1/subscriptions', 'GET /v1/services', 'GET /v1/access-requests'];
  expect(mine.flatMap((e) => Object.keys(e.folded!.routes))).toEqual(expect.arrayContaining(refreshRoutes));
  expect(verifyAuditStore(join(hub().config.dataDir, 'audit.db'))).toMatchObject({ ok: true });
  expect(consoleErrors).toEqual([]);
  console.log(`dashboard audit: ${browserReads} refresh reads in ${openSeconds} s folded into ${mine.length} summary rows (${[...perWindow.values()].join(',')} per ${windowSeconds} s window)`);
}, 90_000);

/** Every stored entry, read from the file once the hub has closed it. */
function readRows(file: string): StoredAuditEntry[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT seq, entry FROM entries ORDER BY seq').all() as { seq: number; entry: string }[]).map((r) => ({ seq: r.seq, ...(JSON.parse(r.entry) as Omit<StoredAuditEntry, 'seq'>) }));
  } finally {
    db.close();
  }
}
