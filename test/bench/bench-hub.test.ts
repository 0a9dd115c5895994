// The bench's hub (bench/servers/hub.ts, a child process) leaves nothing in the temporary
// directory once stopped: neither its data directory nor the `<dir>-keys/` a sandbox hub makes
// beside it (each `npm run bench` used to leave one such folder per hub started).
import { existsSync, readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { startChild } from '../../bench/lib/proc.js';

it('removes its data directory and the keys beside it when it stops', async () => {
  const hub = await startChild('hub.ts', [], { env: { BENCH_HUB: JSON.stringify({ bus: 'embedded' }) } });
  const dataDir = String(hub.ready.dataDir);
  expect(readdirSync(`${dataDir}-keys`)).toContain('state.key');
  expect((await fetch(`${String(hub.ready.url)}/health/ready`)).status).toBe(200);
  await hub.stop();
  expect(existsSync(dataDir)).toBe(false);
  expect(existsSync(`${dataDir}-keys`)).toBe(false);
});
