// Discovery refuses a bad connector folder with a message naming the file and the field.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConnector } from '../../src/connectors/discovery.js';
import { projectPath } from '../../src/schemas.js';

const sdk = projectPath('src', 'connectors', 'sdk.ts');

const manifest = (overrides: string): string => `
id: uji
name: Sistem Uji
owner: Diskominfo
version: 1.0.0
description: A connector for discovery tests
formats: [json]
quirks: []
upstream:
  baseUrlEnv: UJI_BASE_URL
  settings: {}
${overrides}`;

const queryOperation = `
operations:
  cari:
    kind: query
    summary: Look something up
    http: { method: GET, path: "/v1/uji/{kode}" }
    input: { type: object, properties: { kode: { type: string } } }
    output: pengaduan.v1
    classification: publik
    idempotent: true
`;

function folder(manifestText: string, mapping = `import { defineConnector } from '${sdk}';\nexport default defineConnector({ queries: { cari: { request: () => ({ method: 'GET', path: '/' }), response: () => ({}) } } });\n`): string {
  const directory = join(mkdtempSync(join(tmpdir(), 'penghubung-discovery-')), 'uji');
  mkdirSync(directory);
  writeFileSync(join(directory, 'manifest.yaml'), manifestText);
  writeFileSync(join(directory, 'mapping.ts'), mapping);
  return directory;
}

describe('loadConnector', () => {
  it('loads a folder whose manifest and mapping agree', async () => {
    const loaded = await loadConnector(folder(manifest(queryOperation)));
    expect(loaded.manifest.id).toBe('uji');
    expect(Object.keys(loaded.definition.queries ?? {})).toEqual(['cari']);
  });

  it('names the file and the field of an invalid manifest', async () => {
    const broken = manifest(queryOperation).replace('classification: publik', 'classification: umum');
    await expect(loadConnector(folder(broken))).rejects.toThrow(/uji\/manifest\.yaml: invalid manifest:\n {2}operations\.cari\.classification: must be equal to one of the allowed values/);
  });

  it('names a missing required field', async () => {
    await expect(loadConnector(folder(manifest(queryOperation).replace('owner: Diskominfo\n', '')))).rejects.toThrow(/manifest\.yaml: invalid manifest:\n {2}owner: must have required property 'owner'/);
  });

  it('refuses an id that is not the folder name', async () => {
    await expect(loadConnector(folder(manifest(queryOperation).replace('id: uji', 'id: lain')))).rejects.toThrow(/id: must equal the folder name "uji"/);
  });

  it('refuses an operation whose canonical schema does not exist', async () => {
    await expect(loadConnector(folder(manifest(queryOperation).replace('output: pengaduan.v1', 'output: tidak-ada.v1')))).rejects.toThrow(/operations\.cari\.output: no canonical schema tidak-ada\.v1/);
  });

  it('refuses a manifest operation the mapping does not implement, and the reverse', async () => {
    const empty = `import { defineConnector } from '${sdk}';\nexport default defineConnector({});\n`;
    await expect(loadConnector(folder(manifest(queryOperation), empty))).rejects.toThrow(/mapping\.ts: queries\.cari: missing/);
    const extra = `import { defineConnector } from '${sdk}';\nexport default defineConnector({ queries: { cari: { request: () => ({ method: 'GET', path: '/' }), response: () => ({}) }, lain: { request: () => ({ method: 'GET', path: '/' }), response: () => ({}) } } });\n`;
    await expect(loadConnector(folder(manifest(queryOperation), extra))).rejects.toThrow(/operations\.lain: mapping\.ts defines queries\.lain but the manifest does not declare it/);
  });
});
