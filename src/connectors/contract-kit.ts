// The contract kit: what every connector folder must satisfy, as a list of cases that throw on
// failure. test/connectors/contract.unit.test.ts runs them for every folder under connectors/, and
// `npx penghubung connector check` runs them from the command line, so a new connector folder
// is tested with no new test code.
//
// Fixtures live in fixtures/<operation>/<case>.native.(json|xml) with <case>.expected.json:
//   query     native = the upstream's answer;   expected {input, status?, canonical | error}
//   inbound   native = a pushed or polled doc;  expected {canonical: [entities], rejected?: [{index, reason}] | error}
// Every expected.json names in `source` the public source its shape follows (repository and
// path, or official document), or says `simulator: no public source; <why>`.
//   outbound  native = the request body sent;   expected {canonical: entity, request: {method, path}}
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ajv, projectPath, registerSchemas, schemaErrors } from '../schemas.js';
import { parseJson, stringifyJson } from '../events/json.js';
import { errorCatalogue } from '../errors/catalogue.js';
import { assertCanonical } from './canonical.js';
import { fieldDiff } from './field-diff.js';
import { mapDocument, setAsideInvalid } from './records.js';
import { loadConnector, type LoadedConnector } from './discovery.js';
import { parseXml } from './xml.js';
import { RecordRejected, UpstreamError, type ConnectorContext, type UpstreamResponse } from './sdk.js';

export interface ContractCase {
  name: string;
  run(): Promise<void>;
}

interface Expected {
  description?: string;
  source?: string;
  quirks?: string[];
  input?: Record<string, unknown>;
  status?: number;
  canonical?: unknown;
  /** Inbound: the records quarantined instead of mapped, in document order. */
  rejected?: { index: number; reason: string }[];
  error?: string;
  request?: { method: string; path: string };
}

interface Fixture {
  operation: string;
  name: string;
  nativeFile: string;
  expected: Expected;
}

/** The fixed clock fixtures are written against. */
export const fixtureNow = new Date('2026-11-28T01:00:00Z');

const forbiddenImports = ['kafkajs', 'opossum', 'prom-client', 'axios', 'better-sqlite3'];

export async function listContractCases(directory: string): Promise<ContractCase[]> {
  let loaded: LoadedConnector | undefined;
  const load = async (): Promise<LoadedConnector> => (loaded ??= await loadConnector(directory));
  const fixtures = readFixtures(directory);
  const cases: ContractCase[] = [
    { name: 'manifest is valid and mapping.ts implements exactly its operations', run: async () => void (await load()) },
    { name: 'imports nothing of the hub but the SDK, and no infrastructure (kafkajs, opossum, prom-client, axios, better-sqlite3)', run: async () => checkImports(directory) },
    { name: 'has a README.md', run: async () => void (existsSync(join(directory, 'README.md')) || fail('README.md is missing')) },
    {
      name: 'has fixtures for every mapped operation and every quirk it declares',
      run: async () => {
        const { manifest } = await load();
        for (const [operationId, operation] of Object.entries(manifest.operations)) {
          if (operation.kind !== 'view' && operation.kind !== 'command' && !fixtures.some((f) => f.operation === operationId)) fail(`no fixture in fixtures/${operationId}/`);
        }
        for (const quirk of manifest.quirks) {
          if (!fixtures.some((f) => f.expected.quirks?.includes(quirk))) fail(`the manifest lists quirk ${quirk} but no fixture shows it`);
        }
        for (const fixture of fixtures) {
          if (!(fixture.operation in manifest.operations)) fail(`fixtures/${fixture.operation}/ matches no operation`);
          for (const quirk of fixture.expected.quirks ?? []) if (!manifest.quirks.includes(quirk)) fail(`${fixture.name} shows quirk ${quirk}, which the manifest does not list`);
        }
      },
    },
  ];
  for (const fixture of fixtures) {
    cases.push({ name: `fixture ${fixture.operation}/${fixture.name}${fixture.expected.description ? `: ${fixture.expected.description}` : ''}`, run: async () => checkFixture(await load(), fixture) });
  }
  return cases;
}

function readFixtures(directory: string): Fixture[] {
  const root = join(directory, 'fixtures');
  if (!existsSync(root)) return [];
  const fixtures: Fixture[] = [];
  for (const operation of readdirSync(root).sort()) {
    const folder = join(root, operation);
    const files = readdirSync(folder);
    for (const nativeFile of files.filter((f) => /\.native\.(json|xml)$/.test(f)).sort()) {
      const name = nativeFile.replace(/\.native\.(json|xml)$/, '');
      const expectedFile = join(folder, `${name}.expected.json`);
      if (!existsSync(expectedFile)) throw new Error(`fixtures/${operation}/${nativeFile} has no ${name}.expected.json`);
      fixtures.push({ operation, name, nativeFile: join(folder, nativeFile), expected: parseJson(readFileSync(expectedFile, 'utf8')) as Expected });
    }
    for (const expectedFile of files.filter((f) => f.endsWith('.expected.json'))) {
      const name = expectedFile.slice(0, -'.expected.json'.length);
      if (!files.some((f) => f === `${name}.native.json` || f === `${name}.native.xml`)) throw new Error(`fixtures/${operation}/${expectedFile} has no native file`);
    }
  }
  return fixtures;
}

function decodeNative(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.xml') ? parseXml(text) : parseJson(text);
}

function contextOf(connector: LoadedConnector): ConnectorContext {
  const settings = Object.fromEntries(Object.entries(connector.manifest.upstream.settings).map(([name, setting]) => [name, setting.sandbox ?? `test-${name}`]));
  return { settings, options: connector.manifest.options ?? {}, now: () => new Date(fixtureNow) };
}

async function checkFixture(connector: LoadedConnector, fixture: Fixture): Promise<void> {
  const operation = connector.manifest.operations[fixture.operation];
  if (!operation) fail(`no operation ${fixture.operation}`);
  const { expected } = fixture;
  if (typeof expected.source !== 'string' || expected.source.trim() === '') fail('expected.json needs `source`: the public source this shape follows, or "simulator: no public source; <why>"');
  if ((expected.canonical === undefined) === (expected.error === undefined)) fail('expected.json needs exactly one of canonical and error');
  if (expected.error !== undefined && !(expected.error in errorCatalogue)) fail(`error ${expected.error} is not in the error catalogue`);
  const context = contextOf(connector);
  const native = decodeNative(fixture.nativeFile);

  if (operation.kind === 'query') {
    registerSchemas();
    const handler = connector.definition.queries![fixture.operation]!;
    const input = expected.input ?? fail('a query fixture needs input');
    const validateInput = ajv.compile(operation.input);
    if (!validateInput(input)) fail(`input does not conform to the operation's input schema: ${JSON.stringify(schemaErrors('', validateInput.errors))}`);
    handler.request(input, context);
    const response: UpstreamResponse = { status: expected.status ?? 200, headers: { 'content-type': fixture.nativeFile.endsWith('.xml') ? 'application/xml' : 'application/json' }, body: native };
    expectOutcome(() => handler.response(response, input, context), expected, (canonical) => assertCanonical(operation.output, canonical, 'upstream-bad-response'));
  } else if (operation.kind === 'inbound') {
    const handler = connector.definition.inbound![fixture.operation]!;
    if (expected.rejected !== undefined && expected.error !== undefined) fail('expected.json has rejected records and an error: a refused document rejects no single record');
    expectOutcome(() => {
      const document = setAsideInvalid(mapDocument(handler, native, context), operation.schema);
      const rejected = document.rejected.map(({ index, reason }) => ({ index, reason }));
      if (!isDeepStrictEqual(rejected, expected.rejected ?? [])) {
        // The detail is shown beside the diff: it says why, and is not compared.
        fail(`${fieldDiff('rejected records differ', expected.rejected ?? [], rejected)}\n  why each was rejected: ${JSON.stringify(document.rejected.map(({ index, detail }) => ({ index, detail })))}`);
      }
      return document.entities.map((e) => e.entity);
    }, expected, () => undefined);
  } else if (operation.kind === 'outbound') {
    const handler = connector.definition.outbound![fixture.operation]!;
    assertCanonical(operation.schema, expected.canonical, 'event-data-invalid');
    const request = handler.request(expected.canonical, context);
    if (expected.request && (request.method !== expected.request.method || request.path !== expected.request.path)) {
      fail(`request is ${request.method} ${request.path}, expected ${expected.request.method} ${expected.request.path}`);
    }
    const body = request.body;
    const sent = !body ? undefined : 'xml' in body ? parseXml(body.xml) : 'json' in body ? parseJson(stringifyJson(body.json)) : body.form;
    if (!isDeepStrictEqual(normalise(sent), normalise(native))) fail(fieldDiff(`request body differs from ${basename(fixture.nativeFile)}`, native, sent));
  } else {
    fail(`${operation.kind} operations have no fixtures: the runtime alone handles them`);
  }
}

function expectOutcome(act: () => unknown, expected: Expected, validate: (value: unknown) => void): void {
  let actual: unknown;
  try {
    actual = act();
  } catch (error) {
    if (expected.error === undefined) throw error;
    // A record rejected where the record is the whole answer is a bad response.
    if (error instanceof RecordRejected && expected.error === 'upstream-bad-response') return;
    if (!(error instanceof UpstreamError)) fail(`expected UpstreamError ${expected.error}, got ${(error as Error).message}`);
    if (error.code !== expected.error) fail(`expected error ${expected.error}, got ${error.code}: ${error.message}`);
    return;
  }
  if (expected.error !== undefined) fail(`expected error ${expected.error}, got a result: ${stringifyJson(actual)}`);
  if (!isDeepStrictEqual(normalise(actual), normalise(expected.canonical))) {
    fail(fieldDiff('mapped result differs from the expected canonical', expected.canonical, actual));
  }
  validate(actual);
}

/** LosslessNumbers compare by their digits; undefined fields are dropped, as JSON would. */
function normalise(value: unknown): unknown {
  return value === undefined ? undefined : parseJson(stringifyJson(value));
}

function checkImports(directory: string): void {
  const files = (readdirSync(directory, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.split(/[\\/]/).includes('node_modules'));
  for (const file of files) {
    const text = readFileSync(join(directory, file), 'utf8');
    for (const name of forbiddenImports) {
      if (new RegExp(`(from|import)\\s*\\(?\\s*['"]${name}(/[^'"]*)?['"]`).test(text)) fail(`${file} imports ${name}; the runtime provides infrastructure`);
    }
    checkOwnImports(directory, file, text);
  }
}

// The SDK, and its part for simulators (what the sandbox's simulator host loads).
const sdkModules = new Set([projectPath('src', 'connectors', 'sdk'), projectPath('src', 'connectors', 'simulator-sdk')]);
const pathSpecifier = /(?:from|import)\s*\(?\s*['"]((?:\.{1,2}\/|\/)[^'"]+)['"]/g;

/**
 * A connector imports the SDK and its own files, nothing else of the hub: the SDK is the one
 * surface the runtime keeps stable for connectors. Paths resolve from where the file really is,
 * so a folder of symbolic links (tests build those) is judged like the folder it points to.
 */
function checkOwnImports(directory: string, file: string, text: string): void {
  const real = realpathSync(join(directory, file));
  const roots = [realpathSync(directory), real.endsWith(sep + file) ? real.slice(0, -file.length - 1) : dirname(real)];
  for (const [, specifier] of text.matchAll(pathSpecifier)) {
    const target = resolve(dirname(real), specifier!).replace(/\.(js|ts)$/, '');
    if (sdkModules.has(target)) continue;
    if (roots.some((root) => { const inside = relative(root, target); return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside); })) continue;
    fail(`${file} imports ${specifier}; a connector imports only the SDK (src/connectors/sdk.ts, simulator-sdk.ts) and its own files`);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
