// /metrics exposes exactly the metrics docs/METRICS.md lists, and counts what happened.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubBeforeAll, postJson, sampleEvent } from '../support/hub.js';
import { waitFor } from '../support/wait.js';
import { hubFetch } from '../support/auth.js';

const hub = hubBeforeAll();

const scrape = async (): Promise<string> => (await hubFetch(`${hub().url}/metrics`)).text();

it('exposes every metric named in docs/METRICS.md and no other', async () => {
  const exposed = [...(await scrape()).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]).sort();
  const documented = [...readFileSync(projectPath('docs', 'METRICS.md'), 'utf8').matchAll(/^\| `(penghubung_\w+)` \|/gm)].map((m) => m[1]).sort();
  expect(exposed).toEqual(documented);
});

it('counts accepted and published events, and not duplicates', async () => {
  await postJson(`${hub().url}/v1/events`, sampleEvent('metrik-1'));
  await postJson(`${hub().url}/v1/events`, sampleEvent('metrik-1'));
  await waitFor(async () => /penghubung_events_published_total\{type="uji.dibuat"\} 1\b/.test(await scrape()), 5000, 'the publish to be counted');
  const text = await scrape();
  expect(text).toMatch(/penghubung_events_accepted_total\{type="uji.dibuat"\} 1\b/);
  expect(text).toMatch(/penghubung_outbox_backlog 0\b/);
});
