// The dashboard's poll-now button, last poll outcome, unverified-path note and rejected-records
// panel, in Debian's Chromium against a real hub with the test connector uji-rekaman (whose
// listing holds unreadable records).
import { expect, it } from 'vitest';
import { signedInDashboardPerFile } from '../support/dashboard-browser.js';
import { hubBeforeAll } from '../support/hub.js';

const consoleErrors: string[] = [];

const hub = hubBeforeAll({ connectors: { directory: 'test/fixtures/connectors', polling: false } });

const signedIn = signedInDashboardPerFile(hub, consoleErrors);

it('polls an operation now from its card, shows the outcome, the rejected records and the unverified paths', async () => {
  const page = await signedIn();
  const poll = page.getByTestId('poll-uji-rekaman-rekaman-masuk');
  await poll.waitFor();
  expect(await page.getByTestId('poll-last-uji-rekaman-rekaman-masuk').textContent()).toBe('belum pernah ditarik');
  // One instance alone leads every poller.
  expect(await page.getByTestId('poll-leader-uji-rekaman-rekaman-masuk').textContent()).toBe(`ditarik oleh instans ini (${hub().cluster.instance.slice(0, 8)})`);
  expect(await page.getByTestId('unverified-uji-rekaman').textContent()).toBe('Jalur hulu belum terverifikasi: legacy, unconfirmed');
  await page.getByRole('heading', { name: 'Rekaman Ditolak' }).waitFor();
  await page.locator('#rejected-rows', { hasText: 'Tidak ada rekaman yang ditolak.' }).waitFor();

  await page.getByTestId('poll-now-uji-rekaman-rekaman-masuk').click();
  await page.getByTestId('notice').filter({ hasText: 'Tarik uji-rekaman/rekaman-masuk selesai: 5 rekaman dibaca, 3 terbit, 2 ditolak.' }).waitFor();
  await page.locator('[data-testid="rejected-row"][data-connector="uji-rekaman"][data-reason="date-invalid"]').waitFor();
  const rows = page.getByTestId('rejected-row');
  expect(await rows.count()).toBe(2);
  expect(await page.locator('[data-testid="rejected-row"][data-reason="date-invalid"]').textContent()).toContain('updated_at is not a date');
  expect(await page.locator('[data-testid="rejected-row"][data-reason="schema-invalid"]').textContent()).toContain('rekaman ke-2 halaman pertama');
  // The native record (it may hold personal data) is not on the page.
  expect(await page.locator('#rejected-rows').textContent()).not.toContain('kemarin');
  await page.getByTestId('poll-last-uji-rekaman-rekaman-masuk').filter({ hasText: '5 dibaca · 3 terbit · 0 tetap · 2 ditolak' }).waitFor();
  // The icon is no 401 (the sign-in page names it and it is public).
  expect(consoleErrors).toEqual([]);
}, 60_000);
