// An invalid connector folder (issue 16 item 6): in sandbox the hub skips it with one error
// naming the file, the field (a JSON pointer) and the allowed values, and the other connectors
// start; with connectors.onInvalid: refuse (production's default) the hub does not start.
import { mkdtempSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubFetch } from '../support/auth.js';
import { connectorFromRecording, linkRecordingConnector, withUnknownClassification } from '../support/connector-folders.js';
import { hubBeforeAll, startTestHub } from '../support/hub.js';

// Inside the project (test/support/connector-folders.ts says why).
const root = mkdtempSync(projectPath('.tmp-invalid-connectors-'));
/** How the hub names files in it: relative to the project. */
const shown = relative(projectPath(), root);
const errors: { msg: string; connector?: string; file?: string; problems?: unknown[] }[] = [];

beforeAll(() => {
  linkRecordingConnector(root);
  // A copy whose first operation has a classification the schema does not allow.
  connectorFromRecording(root, 'uji-rusak', ['mapping.ts'], withUnknownClassification);
  // A folder with a valid manifest and no mapping.
  connectorFromRecording(root, 'uji-tanpa-mapping', []);
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
