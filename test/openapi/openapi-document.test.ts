// /openapi.json is worth generating clients from: Redocly CLI's recommended rules find no error
// in it; every operation has a summary, a description, the right it needs and, for the
// connectors' operations, the classification and examples taken from the connectors' fixtures;
// the public routes need no key, and the OpenID discovery document is public.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Hub } from '../../src/hub.js';
import { projectPath } from '../../src/schemas.js';
import { startTestHub } from '../support/hub.js';

interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; description?: string; in: string }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
  'x-penghubung-right'?: string;
  'x-classification'?: string;
  tags?: string[];
}

let hub: Hub;
let document: { paths: Record<string, Record<string, Operation>> };
let directory: string;
const operations = (): [string, Operation][] => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation]));

beforeAll(async () => {
  hub = await startTestHub();
  document = (await (await fetch(`${hub.url}/openapi.json`)).json()) as typeof document;
  directory = mkdtempSync(join(tmpdir(), 'penghubung-redocly-'));
}, 60_000);

afterAll(async () => {
  await hub?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

it('passes Redocly CLI’s recommended rules with no error', async () => {
  const file = join(directory, 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const cli = projectPath('node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  // Exit code 1 when it finds errors: the report on stdout says which.
  const run = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--format=json', `--config=${projectPath('redocly.yaml')}`], { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string }) => error);
  const report = JSON.parse(run.stdout) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
  const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
  expect(errors).toEqual([]);
  expect(report.totals.errors).toBe(0);
}, 60_000);

it('gives every operation a summary, a description and the right it needs', () => {
  for (const [route, operation] of operations()) {
    expect(operation.summary, route).toMatch(/\w{3}/);
    expect(operation.summary, route).not.toBe(operation.operationId);
    expect(operation.description, route).toMatch(/Public: no key needed\.|Needs the operator role\.|Any authenticated client; no right needed\.|Needs the right `[^`]+`\./);
    expect(operation['x-penghubung-right'], route).toMatch(/^(public|role:operator|role:any|[a-z*<>-]+(:[a-z0-9*<>.-]+)+( or [a-z:]+)?)$/);
  }
});

it('names the right and classification of the connectors’ operations, with examples from their fixtures', () => {
  const byId = new Map(operations().map(([, operation]) => [operation.operationId, operation]));
  const lookup = byId.get('siak.cari-penduduk')!;
  expect(lookup['x-penghubung-right']).toBe('siak:cari-penduduk');
  expect(lookup['x-classification']).toBe('terbatas');
  expect(lookup.description).toContain('Needs the right `siak:cari-penduduk`. Classification: terbatas');
  // The NIK asked and the resident answered come from one fixture.
  const asked = (lookup.parameters?.[0] as { name: string; example?: string }).example;
  expect(asked).toMatch(/^\d{16}$/);
  expect(lookup.responses['200']!.content!['application/json']!.example).toMatchObject({ nik: asked, nama_lengkap: expect.any(String) });
  // A view: its page and item examples are canonical records of its schema; its filters say what they do.
  const complaints = byId.get('lapor.daftar-pengaduan.list')!;
  expect((complaints.responses['200']!.content!['application/json']!.example as { items: unknown[] }).items).toHaveLength(1);
  expect(complaints.parameters?.find((p) => p.name === 'status')?.description).toContain('`status`');
  // A command: its request example; an inbound push: a native body.
  expect(byId.get('lapor.kirim-pengaduan')!.requestBody!.content['application/json']!.example).toMatchObject({ id: expect.any(String) });
  expect(byId.get('lapor.pengaduan-masuk')!.requestBody!.content['application/json']!.example).toBeDefined();
  expect(typeof byId.get('sitampan.naskah-masuk')!.requestBody!.content['application/xml']!.example).toBe('string');
  // Every connector operation (tagged with its connector) has its classification, and an example
  // but for the dispositions view, whose records the complaint flow makes (no connector fixture).
  const connectors = new Set(['siak', 'lapor', 'sipd', 'lpse', 'sitampan']);
  const withoutExample: string[] = [];
  for (const [route, operation] of operations().filter(([, o]) => o.tags?.some((tag) => connectors.has(tag)))) {
    expect(operation['x-classification'], route).toMatch(/^(publik|terbatas|rahasia)$/);
    const examples = [...Object.values(operation.requestBody?.content ?? {}), ...Object.values(operation.responses['200']?.content ?? {})].filter((c) => c.example !== undefined);
    if (examples.length === 0) withoutExample.push(route);
  }
  expect(withoutExample).toEqual(['GET /v1/disposisi-pengaduan', 'GET /v1/disposisi-pengaduan/{id}']);
});

it('declares the public routes without a security requirement, and the rest with one', async () => {
  const publicRoutes = operations().filter(([, operation]) => operation['x-penghubung-right'] === 'public').map(([route]) => route).sort();
  expect(publicRoutes).toEqual(['GET /.well-known/jwks.json', 'GET /.well-known/openid-configuration', 'GET /health/live', 'GET /health/ready', 'GET /openapi.json', 'POST /oauth/token']);
  for (const [route, operation] of operations()) {
    if (publicRoutes.includes(route)) expect(operation.security, route).toEqual([]);
    else expect(operation.security, route).toBeUndefined();
  }
  const discovery = await fetch(`${hub.url}/.well-known/openid-configuration`);
  expect(discovery.status).toBe(200);
  expect(await discovery.json()).toMatchObject({
    issuer: 'penghubung',
    token_endpoint: `${hub.url}/oauth/token`,
    jwks_uri: `${hub.url}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
  });
  const keys = (await (await fetch(`${hub.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
  expect(keys.keys.length).toBeGreaterThan(0);
});
