// The dashboard's OPD services panel, in Debian's Chromium against a real hub: a service an OPD
// registered and the access request waiting for its decision show up with no reload, and the
// request leaves the waiting list once the owner approves it.
import { expect, it } from 'vitest';
import { hubFetch, testKeys } from '../support/auth.js';
import { signedInDashboardPerFile } from '../support/dashboard-browser.js';
import { hubBeforeAll } from '../support/hub.js';

const consoleErrors: string[] = [];

const hub = hubBeforeAll({ connectors: { directory: 'test/fixtures/connectors', polling: false }, services: { allowedNetworks: ['10.20.0.0/16'] } });

const signedIn = signedInDashboardPerFile(hub, consoleErrors);

const post = async (path: string, body: unknown, key: string = testKeys.operator): Promise<Record<string, unknown>> => {
  const response = await hubFetch(`${hub().url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, key);
  expect(response.status, path).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
};

it('lists registered services and the access requests waiting for a decision', async () => {
  const page = await signedIn();
  await page.getByRole('heading', { name: 'Layanan OPD' }).waitFor();
  await page.locator('#service-rows', { hasText: 'Belum ada layanan OPD yang terdaftar.' }).waitFor();
  await page.locator('#access-request-rows', { hasText: 'Tidak ada permintaan akses yang menunggu.' }).waitFor();

  await post('/v1/services', { id: 'perizinan', title: 'Perizinan DPMPTSP', baseUrl: 'http://10.20.0.9', operations: [{ id: 'cariIzin', method: 'GET', path: '/izin/{nomor}' }, { id: 'ajukanIzin', method: 'POST', path: '/izin' }] });
  const request = await post('/v1/services/perizinan/access-requests', { operations: ['cariIzin'], purpose: 'Memeriksa izin usaha pemohon bantuan modal' });

  const row = page.locator('[data-testid="service-row"][data-service="perizinan"][data-state="active"]');
  await row.waitFor();
  expect(await row.textContent()).toContain('Perizinan DPMPTSP');
  expect(await row.locator('[data-testid="service-pending"]').textContent()).toBe('1');
  const waiting = page.locator('[data-testid="access-request-row"][data-service="perizinan"][data-client="uji-operator"]');
  await waiting.waitFor();
  expect(await waiting.textContent()).toContain('Memeriksa izin usaha pemohon bantuan modal');

  await post(`/v1/services/perizinan/access-requests/${request.id as string}/approve`, {});
  await waiting.waitFor({ state: 'detached' });
  await row.locator('[data-testid="service-pending"]', { hasText: '0' }).waitFor();
  // The icon is no 401 (the sign-in page names it and it is public).
  expect(consoleErrors).toEqual([]);
});
