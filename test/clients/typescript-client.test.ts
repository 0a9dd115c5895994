// The typed TypeScript client (clients/typescript/): its types are what openapi-typescript makes
// of the hub's current /openapi.json (fails when the committed file is stale: run
// `npm run client:generate`), it compiles on its own tsconfig, and its example OPD app runs
// against a sandbox hub with an app's own key, seeing the resident masked to that app's clearance.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { clientTypes, clientTypesFile } from '../../tools/openapi/client-types.js';
import { testKeys } from '../support/auth.js';
import { hubBeforeAll } from '../support/hub.js';

const run = promisify(execFile);
const nik = '1809011704780001';

const hub = hubBeforeAll();

it('holds the types openapi-typescript makes of the current /openapi.json', async () => {
  const document = (await (await fetch(`${hub().url}/openapi.json`)).json()) as object;
  const expected = await clientTypes(document);
  // A plain equality would print 5,000 lines: say which line differs first, and what to run.
  const committed = readFileSync(clientTypesFile, 'utf8');
  const line = committed.split('\n').findIndex((text, index) => text !== expected.split('\n')[index]);
  expect(committed === expected, `clients/typescript/src/schema.d.ts is stale from line ${line + 1} (run npm run client:generate)`).toBe(true);
});

it('compiles, example app included', async () => {
  const compiled = await run(process.execPath, [projectPath('node_modules', 'typescript', 'bin', 'tsc'), '-p', projectPath('clients', 'typescript')]).catch((error: { stdout: string; code: number }) => error);
  expect(compiled.stdout).toBe('');
}, 120_000);

it('runs the example OPD app against the sandbox with an app’s own key, masked to its clearance', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', projectPath('clients', 'typescript', 'examples', 'opd-app.ts'), nik], {
    env: { ...process.env, PENGHUBUNG_URL: hub().url, PENGHUBUNG_API_KEY: testKeys.publik },
    timeout: 60_000,
  });
  const [resident, complaints] = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  // The app is cleared for publik: the NIK and the name come masked.
  expect(resident).toEqual({ penduduk: { nik: `${nik.slice(0, 4)}••••••••${nik.slice(12)}`, nama_lengkap: expect.stringMatching(/^([A-Z]\. ?)+$/), kecamatan: expect.any(String) } });
  expect(Array.isArray((complaints as { pengaduan: unknown }).pengaduan)).toBe(true);
}, 90_000);

it('exits non-zero with the hub’s problem code when the key is not accepted', async () => {
  const failed = await run(process.execPath, ['--import', 'tsx', projectPath('clients', 'typescript', 'examples', 'opd-app.ts'), nik], {
    env: { ...process.env, PENGHUBUNG_URL: hub().url, PENGHUBUNG_API_KEY: 'kunci-yang-tidak-ada' },
    timeout: 60_000,
  }).then(() => undefined, (error: { code: number; stderr: string }) => error);
  expect(failed?.code).toBe(1);
  expect(failed?.stderr).toContain('401 unauthenticated');
}, 90_000);
