// Discovery refuses a bad connector folder with a message naming the file and the field.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConnectors } from '../../src/cli/check.js';
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
    await expect(loadConnector(folder(broken))).rejects.toThrow('uji/manifest.yaml: invalid manifest:\n  /operations/cari/classification: must be one of: publik, terbatas, rahasia');
  });

  it('names a missing required field', async () => {
    await expect(loadConnector(folder(manifest(queryOperation).replace('owner: Diskominfo\n', '')))).rejects.toThrow('uji/manifest.yaml: invalid manifest:\n  /owner: missing');
  });

  it('refuses an id that is not the folder name', async () => {
    await expect(loadConnector(folder(manifest(queryOperation).replace('id: uji', 'id: lain')))).rejects.toThrow('/id: must equal the folder name "uji"');
  });

  it('refuses an operation whose canonical schema does not exist', async () => {
    await expect(loadConnector(folder(manifest(queryOperation).replace('output: pengaduan.v1', 'output: tidak-ada.v1')))).rejects.toThrow('/operations/cari/output: no canonical schema tidak-ada.v1');
  });

  it('refuses a manifest operation the mapping does not implement, and the reverse', async () => {
    const empty = `import { defineConnector } from '${sdk}';\nexport default defineConnector({});\n`;
    await expect(loadConnector(folder(manifest(queryOperation), empty))).rejects.toThrow(/mapping\.ts: queries\.cari: missing/);
    const extra = `import { defineConnector } from '${sdk}';\nexport default defineConnector({ queries: { cari: { request: () => ({ method: 'GET', path: '/' }), response: () => ({}) }, lain: { request: () => ({ method: 'GET', path: '/' }), response: () => ({}) } } });\n`;
    await expect(loadConnector(folder(manifest(queryOperation), extra))).rejects.toThrow(/\/operations\/lain: mapping\.ts defines queries\.lain but the manifest does not declare it/);
  });
});

describe('unclassified fields in a connector schema', () => {
  /** A folder whose query answers a schema of its own; `catatan` and `rincian.isi` lack x-classification when `classified` is false. */
  function withSchema(name: string, classified: boolean): string {
    const directory = folder(manifest(queryOperation.replace('output: pengaduan.v1', `output: ${name}.v1`)));
    mkdirSync(join(directory, 'schemas'));
    const level = classified ? { 'x-classification': 'terbatas' } : {};
    writeFileSync(join(directory, 'schemas', `${name}.v1.json`), JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `urn:penghubung:schema:${name}:v1`,
      type: 'object',
      additionalProperties: false,
      properties: {
        kode: { type: 'string', 'x-classification': 'publik' },
        catatan: { type: 'string', ...level },
        rincian: { type: 'object', 'x-classification': 'terbatas', additionalProperties: false, properties: { isi: { type: 'string', ...level } } },
      },
    }));
    return directory;
  }

  it('refuses the connector at discovery, naming the file and the JSON pointers', async () => {
    await expect(loadConnector(withSchema('uji-catatan', false))).rejects.toThrow(
      'uji/schemas/uji-catatan.v1.json: fields without x-classification (publik, terbatas or rahasia): #/properties/catatan, #/properties/rincian/properties/isi',
    );
  });

  it('fails `connector check` on it, with the same message', async () => {
    const lines: string[] = [];
    const summary = await checkConnectors([withSchema('uji-catatan-cek', false)], { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(summary.failed).toBeGreaterThan(0);
    const output = lines.join('\n');
    expect(output).toContain('✗ manifest is valid and mapping.ts implements exactly its operations');
    expect(output).toContain('uji-catatan-cek.v1.json: fields without x-classification (publik, terbatas or rahasia): #/properties/catatan, #/properties/rincian/properties/isi');
  });

  it('loads the same connector once every field is classified', async () => {
    const loaded = await loadConnector(withSchema('uji-catatan-lengkap', true));
    expect(loaded.manifest.operations.cari).toMatchObject({ output: 'uji-catatan-lengkap.v1' });
  });
});
