// /openapi.json is worth generating clients from: Redocly CLI's recommended rules find no error
// in it; every operation has a summary, a description, the right it needs and examples (the
// connectors' from their fixtures), and the connectors' operations their classification;
// the public routes need no key, and the OpenID discovery document is public.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { hubBeforeAll } from '../support/hub.js';

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

// ajv-formats is CommonJS; its default export arrives wrapped under ESM (as in src/schemas.ts).
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

let document: { paths: Record<string, Record<string, Operation>> };
let directory: string;
const operations = (): [string, Operation][] => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation]));

const hub = hubBeforeAll();

beforeAll(async () => {
  document = (await (await fetch(`${hub().url}/openapi.json`)).json()) as typeof document;
  directory = mkdtempSync(join(tmpdir(), 'penghubung-redocly-'));
}, 60_000);

afterAll(async () => {
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
  // Every connector operation (tagged with its connector) has its classification.
  const connectors = new Set(['siak', 'lapor', 'sipd', 'lpse', 'sitampan']);
  for (const [route, operation] of operations().filter(([, o]) => o.tags?.some((tag) => connectors.has(tag)))) {
    expect(operation['x-classification'], route).toMatch(/^(publik|terbatas|rahasia)$/);
  }
  // The dispositions view, whose records the complaint flow makes (no connector fixture), takes its canonical schema's example.
  expect((byId.get('lapor.daftar-disposisi.list')!.responses['200']!.content!['application/json']!.example as { items: { naskah_id: string }[] }).items[0]!.naskah_id).toMatch(/^sitampan-/);
});

it('gives every operation an example: of its request body, of its success answer, or of its path when it answers no body', () => {
  const hasExample = (content: { example?: unknown; examples?: unknown }): boolean => content.example !== undefined || content.examples !== undefined;
  const missing: string[] = [];
  for (const [route, operation] of operations()) {
    for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
      // One example per body is enough where an operation takes several equivalent types.
      if (!hasExample(content) && !Object.values(operation.requestBody!.content).some(hasExample)) missing.push(`${route} request ${type}`);
    }
    const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
    for (const [status, response] of success) {
      for (const [type, content] of Object.entries(response.content ?? {})) if (!hasExample(content)) missing.push(`${route} ${status} ${type}`);
    }
    const answersBody = success.some(([, response]) => Object.keys(response.content ?? {}).length > 0);
    const parameterExample = (operation.parameters ?? []).some((p) => (p as { example?: unknown; examples?: unknown }).example !== undefined || (p as { examples?: unknown }).examples !== undefined);
    if (!answersBody && !operation.requestBody && !parameterExample) missing.push(`${route}: no example at all`);
  }
  expect(missing).toEqual([]);
  // Each example conforms to the schema it illustrates (checked here with ajv: Redocly's own check
  // misreads the verification answer's if/then). The hub's own formats (nik, …) are left to the
  // canonical schemas' tests.
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  const invalid: string[] = [];
  for (const [route, operation] of operations()) {
    const contents = [...Object.entries(operation.requestBody?.content ?? {}).map(([type, c]) => [`request ${type}`, c] as const), ...Object.entries(operation.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, c]) => [`${status} ${type}`, c] as const))];
    for (const [where, content] of contents) {
      const { schema, example } = content as { schema?: object; example?: unknown };
      if (example === undefined || !schema || where.includes('xml')) continue;
      const validate = ajv.compile({ ...schema, components: (document as unknown as { components: object }).components });
      if (!validate(example)) invalid.push(`${route} ${where}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  expect(invalid).toEqual([]);
  // And a right on each (the rule above): the two together are what the issue asks of every operation.
  expect(operations().filter(([, operation]) => !operation['x-penghubung-right']).map(([route]) => route)).toEqual([]);
});

it('declares the public routes without a security requirement, and the rest with one', async () => {
  const publicRoutes = operations().filter(([, operation]) => operation['x-penghubung-right'] === 'public').map(([route]) => route).sort();
  expect(publicRoutes).toEqual(['GET /.well-known/jwks.json', 'GET /.well-known/openid-configuration', 'GET /health/live', 'GET /health/ready', 'GET /openapi.json', 'POST /oauth/token']);
  for (const [route, operation] of operations()) {
    if (publicRoutes.includes(route)) expect(operation.security, route).toEqual([]);
    else expect(operation.security, route).toBeUndefined();
  }
  const discovery = await fetch(`${hub().url}/.well-known/openid-configuration`);
  expect(discovery.status).toBe(200);
  expect(await discovery.json()).toMatchObject({
    issuer: 'penghubung',
    token_endpoint: `${hub().url}/oauth/token`,
    jwks_uri: `${hub().url}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
  });
  const keys = (await (await fetch(`${hub().url}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
  expect(keys.keys.length).toBeGreaterThan(0);
});
