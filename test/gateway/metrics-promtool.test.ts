// The real /metrics of a running hub passes Prometheus's own linter, `promtool check metrics`
// (Debian package prometheus; tools/pretest.sh installs it): no counter without `_total`, no
// gauge or histogram ending in `_total`; and no counter whose family is another metric's name.
import { execFileSync, spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { hubBeforeAll, postJson, sampleEvent } from '../support/hub.js';
import { hubFetch } from '../support/auth.js';

const hub = hubBeforeAll();

it('passes promtool check metrics', async () => {
  const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  // Loudly, not skipped: tools/pretest.sh installs it (apt-get install prometheus).
  if (promtool.error) throw new Error(`promtool is missing (${promtool.error.message}): install the Debian package prometheus, as tools/pretest.sh does`);
  // Some traffic first, so the labelled series exist too.
  expect((await postJson(`${hub().url}/v1/events`, sampleEvent('promtool-1'))).status).toBe(202);
  expect((await hubFetch(`${hub().url}/v1/catalog`)).status).toBe(200);
  const exposition = await (await hubFetch(`${hub().url}/metrics`)).text();
  expect(exposition).toContain('# TYPE penghubung_http_requests_total counter');
  const check = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
  expect(check.status).toBe(0);
  // What this promtool does not check: a counter's family (its name less `_total`, as OpenMetrics
  // exposes it) must not be another metric's name (the gauge penghubung_dead_letters did).
  const names = new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
  const counters = [...exposition.matchAll(/^# TYPE (\S+)_total counter$/gm)].map((match) => match[1]!);
  expect(counters.length).toBeGreaterThan(5);
  expect(counters.filter((family) => names.has(family))).toEqual([]);
  // And promtool does find what it is asked to: a gauge named like a counter fails.
  expect(() => execFileSync('promtool', ['check', 'metrics'], { input: '# HELP x_total x\n# TYPE x_total gauge\nx_total 1\n', stdio: 'pipe' })).toThrow();
}, 30_000);
