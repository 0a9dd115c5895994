// Examples for /openapi.json from the connectors' own fixtures (the contract kit checks every one
// against the mapping, so an example cannot drift from what the hub answers): per canonical
// schema the first canonical record a fixture maps to, per operation the first input and native
// body a fixture holds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectorManifest } from './manifest.js';

export interface ConnectorExamples {
  /** A canonical record of each schema (`pengaduan.v1` → one complaint). */
  bySchema: Map<string, unknown>;
  /** Per operation: the canonical input a query fixture sends. */
  inputs: Map<string, Record<string, unknown>>;
  /** Per inbound operation: a native body in each format it has (JSON parsed, XML as text). */
  natives: Map<string, { json?: unknown; xml?: string }>;
}

interface Expected {
  input?: Record<string, unknown>;
  canonical?: unknown;
}

export function fixtureExamples(manifest: ConnectorManifest, directory: string): ConnectorExamples {
  const examples: ConnectorExamples = { bySchema: new Map(), inputs: new Map(), natives: new Map() };
  const root = join(directory, 'fixtures');
  if (!existsSync(root)) return examples;
  for (const operationId of readdirSync(root).sort()) {
    const operation = manifest.operations[operationId];
    if (!operation) continue;
    const schema = operation.kind === 'query' ? operation.output : 'schema' in operation ? operation.schema : undefined;
    const folder = join(root, operationId);
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.expected.json')).sort()) {
      const expected = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Expected;
      const record = Array.isArray(expected.canonical) ? expected.canonical[0] : expected.canonical;
      if (record === undefined) continue;
      if (schema && !examples.bySchema.has(schema)) examples.bySchema.set(schema, record);
      if (expected.input && !examples.inputs.has(operationId)) examples.inputs.set(operationId, expected.input);
      const base = file.slice(0, -'.expected.json'.length);
      const natives = examples.natives.get(operationId) ?? {};
      const json = join(folder, `${base}.native.json`);
      const xml = join(folder, `${base}.native.xml`);
      if (natives.json === undefined && existsSync(json)) natives.json = JSON.parse(readFileSync(json, 'utf8'));
      if (natives.xml === undefined && existsSync(xml)) natives.xml = readFileSync(xml, 'utf8');
      examples.natives.set(operationId, natives);
    }
  }
  return examples;
}
