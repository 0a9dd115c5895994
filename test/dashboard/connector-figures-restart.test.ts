// A connector's figures survive a restart: the hub polls an upstream, stops, starts again on the
// same data directory, and the status API and the dashboard card show the same last success,
// calls, error rate and latency as before (kept on the state layer, not in process memory).
import type { Browser } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { hubFetch } from '../support/auth.js';
import { signedInDashboard } from '../support/dashboard-browser.js';
import { startTestHub } from '../support/hub.js';

interface Figures { last_success_at: string | null; calls_5m: number; error_rate_5m: number | null; latency_ms_5m: { p50: number; p95: number } | null }

const consoleErrors: string[] = [];
const connectors = { directory: 'test/fixtures/connectors', polling: false };
let hub: Hub | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

const figures = async (url: string): Promise<Figures> => {
  const { last_success_at, calls_5m, error_rate_5m, latency_ms_5m } = (await (await hubFetch(`${url}/v1/connectors/uji-rekaman`)).json()) as Figures;
  return { last_success_at, calls_5m, error_rate_5m, latency_ms_5m };
};

it('shows the same connector figures after the hub restarts', async () => {
  hub = await startTestHub({ connectors });
  const dataDir = hub.config.dataDir;
  expect(await figures(hub.url)).toEqual({ last_success_at: null, calls_5m: 0, error_rate_5m: null, latency_ms_5m: null });
  for (let i = 0; i < 2; i += 1) expect((await hubFetch(`${hub.url}/v1/connectors/uji-rekaman/operations/rekaman-masuk/poll`, { method: 'POST' })).status).toBe(200);
  const before = await figures(hub.url);
  expect(before.last_success_at).not.toBeNull();
  expect(before.calls_5m).toBeGreaterThanOrEqual(2);
  expect(before.error_rate_5m).toBe(0);

  await hub.close();
  hub = await startTestHub({ connectors, dataDir });
  expect(await figures(hub.url)).toEqual(before);

  const opened = await signedInDashboard(hub.url, consoleErrors);
  browser = opened.browser;
  const card = opened.page.getByTestId('last-success-uji-rekaman');
  await card.waitFor();
  expect(await card.textContent()).not.toContain('belum pernah');
  expect(await opened.page.getByTestId('error-rate-uji-rekaman').textContent()).toBe('0%');
  expect(consoleErrors).toEqual([]);
}, 90_000);
