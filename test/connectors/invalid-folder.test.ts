// An invalid connector folder (issue 16 item 6): in sandbox the hub skips it with one error
// naming the file, the field (a JSON pointer) and the allowed values, and the other connectors
// start; with connectors.onInvalid: refuse (production's default) the hub does not start.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';
import { hubBeforeAll, startTestHub } from '../support/hub.js';

const good = projectPath('test', 'fixtures', 'connectors', 'uji-rekaman');
// Inside the project, as the contract kit's tests do: the linked mapping.ts imports the SDK by a relative path.
const root = mkdtempSync(projectPath('.tmp-invalid-connectors-'));
/** How the hub names files in it: relative to the project. */
const shown = relative(projectPath(), root);
const errors: { msg: string; connector?: string; file?: string; problems?: unknown[] }[] = [];

beforeAll(() => {
  // The valid connector as a folder of links to its files (discovery lists folders, not links to them).
  mkdirSync(join(root, 'uji-rekaman'));
  for (const entry of readdirSync(good)) symlinkSync(join(good, entry), join(root, 'uji-rekaman', entry));
  // A copy whose first operation has a classification the schema does not allow.
  mkdirSync(join(root, 'uji-rusak'));
  const manifest = readFileSync(join(good, 'manifest.yaml'), 'utf8').replace('id: uji-rekaman', 'id: uji-rusak').replace('classification: publik', 'classification: umum');
  writeFileSync(join(root, 'uji-rusak', 'manifest.yaml'), manifest);
  symlinkSync(join(good, 'mapping.ts'), join(root, 'uji-rusak', 'mapping.ts'));
  // A folder with a valid manifest and no mapping.
  mkdirSync(join(root, 'uji-tanpa-mapping'));
  writeFileSync(join(root, 'uji-tanpa-mapping', 'manifest.yaml'), readFileSync(join(good, 'manifest.yaml'), 'utf8').replace('id: uji-rekaman', 'id: uji-tanpa-mapping'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
// The hub starts once the folders above exist; they are removed after it closes.
const hub = hubBeforeAll({ connectors: { directory: root } }, {}, pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line) as (typeof errors)[number]) }));

it('starts the valid connector and skips each invalid folder with one error naming file, field and allowed values', async () => {
  expect(hub().connectors.runtimes.map((runtime) => runtime.id)).toEqual(['uji-rekaman']);
  const catalogue = (await (await hubFetch(`${hub().url}/v1/catalog`)).json()) as { connectors: { id: string }[] };
  expect(catalogue.connectors.map((connector) => connector.id)).toEqual(['uji-rekaman']);

  const broken = errors.filter((record) => record.connector === 'uji-rusak');
  expect(broken).toHaveLength(1);
  expect(broken[0]!.msg).toBe(`connector uji-rusak skipped, the other connectors start: ${shown}/uji-rusak/manifest.yaml: invalid manifest:\n  /operations/rekaman-masuk/classification: must be one of: publik, terbatas, rahasia`);
  expect(broken[0]!.file).toBe(`${shown}/uji-rusak/manifest.yaml`);
  expect(broken[0]!.problems).toEqual([{ pointer: '/operations/rekaman-masuk/classification', message: 'must be one of: publik, terbatas, rahasia', allowed: ['publik', 'terbatas', 'rahasia'] }]);

  const unmapped = errors.filter((record) => record.connector === 'uji-tanpa-mapping');
  expect(unmapped).toHaveLength(1);
  expect(unmapped[0]!.msg).toContain(`${shown}/uji-tanpa-mapping/mapping.ts: missing`);
  expect(unmapped[0]!.file).toBe(`${shown}/uji-tanpa-mapping/mapping.ts`);
  expect(errors).toHaveLength(2);
});

it('refuses to start on the same folder with connectors.onInvalid: refuse', async () => {
  await expect(startTestHub({ connectors: { directory: root, onInvalid: 'refuse' } })).rejects.toThrow(`${shown}/uji-rusak/manifest.yaml: invalid manifest:\n  /operations/rekaman-masuk/classification: must be one of: publik, terbatas, rahasia`);
}, 60_000);
