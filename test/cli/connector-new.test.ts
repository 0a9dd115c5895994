// `penghubung connector new`: the scaffold has its placeholders filled, loads in the hub,
// passes the contract kit as it is, and its simulator and mapping agree. Bad usage exits 2.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { listContractCases } from '../../src/connectors/contract-kit.js';
import { loadConnector } from '../../src/connectors/discovery.js';
import { readManifest } from '../../src/connectors/manifest.js';
import { UpstreamError, type ConnectorContext, type Simulator } from '../../src/connectors/sdk.js';
import { UpstreamClient } from '../../src/connectors/upstream-client.js';
import { canonicalSchema, projectPath } from '../../src/schemas.js';

const cli = projectPath('bin', 'penghubung.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function penghubung(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd: projectPath(), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function filesUnder(root: string, under = ''): string[] {
  return readdirSync(join(root, under)).flatMap((name) => {
    const path = under ? `${under}/${name}` : name;
    return statSync(join(root, path)).isDirectory() ? filesUnder(root, path) : [path];
  });
}

const scratch: string[] = [];
const scratchDirectory = (parent = tmpdir(), prefix = 'penghubung-cli-'): string => {
  const directory = mkdtempSync(join(parent, prefix));
  scratch.push(directory);
  return directory;
};
afterAll(() => {
  for (const directory of scratch) rmSync(directory, { recursive: true, force: true });
});

describe('connector new, into a directory outside the project', () => {
  let parent: string;
  let directory: string;
  let run: Run;

  beforeAll(async () => {
    parent = scratchDirectory();
    directory = join(parent, 'sim-uji');
    run = await penghubung('connector', 'new', 'sim-uji', '--dir', parent, '--name', 'Sistem "Uji" O\'Brien: #1', '--owner', 'Dinas Komunikasi dan Informatika');
  });

  it('creates the connector folder and says what it created', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Created ${directory}/ (20 files)`);
    expect(run.stdout).toContain('npx penghubung connector check');
    expect(filesUnder(directory).sort()).toEqual([
      'README.md',
      'fixtures/cari-rekaman/ditemukan.expected.json',
      'fixtures/cari-rekaman/ditemukan.native.json',
      'fixtures/cari-rekaman/gangguan-503.expected.json',
      'fixtures/cari-rekaman/gangguan-503.native.json',
      'fixtures/cari-rekaman/tidak-ditemukan-404.expected.json',
      'fixtures/cari-rekaman/tidak-ditemukan-404.native.json',
      'fixtures/cari-rekaman/tidak-ditemukan-http-200.expected.json',
      'fixtures/cari-rekaman/tidak-ditemukan-http-200.native.json',
      'fixtures/rekaman-masuk/beberapa-rekaman.expected.json',
      'fixtures/rekaman-masuk/beberapa-rekaman.native.json',
      'fixtures/rekaman-masuk/satu-rekaman.expected.json',
      'fixtures/rekaman-masuk/satu-rekaman.native.json',
      'fixtures/rekaman-masuk/tanpa-nama.expected.json',
      'fixtures/rekaman-masuk/tanpa-nama.native.json',
      'manifest.yaml',
      'mapping.ts',
      // Outside an ESM package: without it mapping.ts would load as CommonJS with its own SDK.
      'package.json',
      'schemas/sim-uji-rekaman.v1.json',
      'simulator.ts',
    ]);
    expect(readdirSync(parent)).toEqual(['sim-uji']);
  });

  it('replaces every placeholder, in file names and contents', () => {
    for (const file of filesUnder(directory)) {
      expect(file).not.toMatch(/__[A-Z]+__|\.tmpl$/);
      expect(readFileSync(join(directory, file), 'utf8'), file).not.toMatch(/__[A-Z]+__/);
    }
  });

  it('writes a manifest valid against the manifest schema, with the id, name, owner and variables filled in', () => {
    const manifest = readManifest(join(directory, 'manifest.yaml'), 'manifest.yaml');
    expect(manifest).toMatchObject({
      id: 'sim-uji',
      name: 'Sistem "Uji" O\'Brien: #1',
      owner: 'Dinas Komunikasi dan Informatika',
      formats: ['json'],
      quirks: ['error-with-http-200'],
      upstream: { baseUrlEnv: 'SIM_UJI_BASE_URL', settings: { apiKey: { env: 'SIM_UJI_API_KEY', secret: true, sandbox: 'kunci-demo' } } },
    });
    expect(manifest.operations['cari-rekaman']).toMatchObject({
      kind: 'query',
      http: { method: 'GET', path: '/v1/sim-uji/rekaman/{kode}' },
      input: { type: 'object', required: ['kode'], properties: { kode: { type: 'string', pattern: expect.any(String) } } },
      output: 'sim-uji-rekaman.v1',
      classification: 'publik',
      idempotent: true,
      example: 'curl {hub}/v1/sim-uji/rekaman/A-001',
    });
    expect(manifest.operations['rekaman-masuk']).toMatchObject({
      kind: 'inbound',
      modes: ['push'],
      eventType: 'sim-uji.rekaman.diterima',
      schema: 'sim-uji-rekaman.v1',
      classification: 'publik',
    });
  });

  it('writes a canonical schema with its urn and x-classification on every property', () => {
    const schema = JSON.parse(readFileSync(join(directory, 'schemas', 'sim-uji-rekaman.v1.json'), 'utf8')) as Record<string, unknown>;
    expect(schema.$id).toBe('urn:penghubung:schema:sim-uji-rekaman:v1');
    const unclassified: string[] = [];
    const walk = (node: Record<string, unknown>, path: string): void => {
      for (const [name, property] of Object.entries((node.properties as Record<string, Record<string, unknown>> | undefined) ?? {})) {
        if (!['publik', 'terbatas', 'rahasia'].includes(property['x-classification'] as string)) unclassified.push(`${path}/${name}`);
        walk(property, `${path}/${name}`);
      }
    };
    walk(schema, '');
    expect(unclassified).toEqual([]);
    expect(Object.keys(schema.properties as object)).toEqual(['kode', 'nama', 'diperbarui_pada', 'sumber']);
  });

  it('imports only the SDK (the simulator its simulator part), by a path that resolves from the folder', () => {
    const sdk = (module: string): string => relative(directory, projectPath('src', 'connectors', module)).split('\\').join('/');
    for (const [file, module] of [['mapping.ts', 'sdk.js'], ['simulator.ts', 'simulator-sdk.js']] as const) {
      const source = readFileSync(join(directory, file), 'utf8');
      const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
      expect({ file, imports }).toEqual({ file, imports: [sdk(module)] });
    }
  });

  it('writes fixtures in the contract kit format', () => {
    const expected = JSON.parse(readFileSync(join(directory, 'fixtures', 'cari-rekaman', 'ditemukan.expected.json'), 'utf8')) as Record<string, unknown>;
    expect(expected).toMatchObject({ quirks: [], input: { kode: 'A-001' }, canonical: { kode: 'A-001', sumber: { sistem: 'SIM-UJI', diambil_pada: '2026-11-28T01:00:00.000Z' } } });
    const quirk = JSON.parse(readFileSync(join(directory, 'fixtures', 'cari-rekaman', 'tidak-ditemukan-http-200.expected.json'), 'utf8')) as Record<string, unknown>;
    expect(quirk).toMatchObject({ quirks: ['error-with-http-200'], status: 200, error: 'upstream-record-not-found' });
  });

  it('writes a README checklist naming the connector and its owner', () => {
    const readme = readFileSync(join(directory, 'README.md'), 'utf8');
    expect(readme).toContain('# Sistem "Uji" O\'Brien: #1 (`sim-uji`)');
    expect(readme).toContain('Owner: Dinas Komunikasi dan Informatika');
    expect(readme).toMatch(/- \[ \] \*\*Fixtures\*\*/);
    expect(readme).toMatch(/- \[ \] \*\*Simulator\*\*/);
  });

  it('loads with loadConnector: manifest, mapping and simulator agree', async () => {
    const connector = await loadConnector(directory);
    expect(connector.manifest.id).toBe('sim-uji');
    expect(Object.keys(connector.definition.queries ?? {})).toEqual(['cari-rekaman']);
    expect(Object.keys(connector.definition.inbound ?? {})).toEqual(['rekaman-masuk']);
    expect(typeof connector.startSimulator).toBe('function');
    expect(() => canonicalSchema('sim-uji-rekaman.v1')).not.toThrow();
  });

  it('passes every case of the contract kit', async () => {
    const cases = await listContractCases(directory);
    expect(cases.length).toBeGreaterThanOrEqual(11);
    const failures: string[] = [];
    for (const contractCase of cases) {
      await contractCase.run().catch((error: unknown) => failures.push(`${contractCase.name}: ${(error as Error).message}`));
    }
    expect(failures).toEqual([]);
  });

  describe('its simulator, called the way the runtime calls it', () => {
    let simulator: Simulator;
    let client: UpstreamClient;
    let lookUp: (kode: string, apiKey?: string) => Promise<unknown>;

    beforeAll(async () => {
      const connector = await loadConnector(directory);
      simulator = await connector.startSimulator!({ host: '127.0.0.1', port: 0 });
      client = new UpstreamClient({ baseUrl: simulator.url, timeoutMs: 5000, concurrency: 2 });
      const handler = connector.definition.queries!['cari-rekaman']!;
      lookUp = async (kode, apiKey = 'kunci-demo') => {
        const context: ConnectorContext = { settings: { apiKey }, options: {}, now: () => new Date('2026-11-28T01:00:00Z') };
        const input = { kode };
        return handler.response(await client.send(handler.request(input, context)), input, context);
      };
    });
    afterAll(async () => {
      await simulator?.close();
    });

    it('listens on 127.0.0.1 and answers a sample record, which maps to a valid canonical entity', async () => {
      expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const rekaman = await lookUp('A-002');
      expect(rekaman).toEqual({ kode: 'A-002', nama: 'Rekaman contoh kedua', diperbarui_pada: '2026-11-21T07:05:00.000Z', sumber: { sistem: 'SIM-UJI', diambil_pada: '2026-11-28T01:00:00.000Z' } });
      expect(canonicalSchema('sim-uji-rekaman.v1').validate(rekaman)).toBe(true);
    });

    it('reproduces the quirk it declares: not found with HTTP 200', async () => {
      await expect(lookUp('Z-404')).rejects.toSatisfy((error) => error instanceof UpstreamError && error.code === 'upstream-record-not-found');
    });

    it('checks the API key', async () => {
      await expect(lookUp('A-001', 'salah')).rejects.toSatisfy((error) => error instanceof UpstreamError && error.code === 'upstream-credentials-rejected');
    });
  });

  it('refuses to scaffold over an existing folder (exit 2) and leaves it untouched', async () => {
    const manifestBefore = readFileSync(join(directory, 'manifest.yaml'), 'utf8');
    const again = await penghubung('connector', 'new', 'sim-uji', '--dir', parent);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${directory} already exists`);
    expect(again.stdout).toBe('');
    expect(readFileSync(join(directory, 'manifest.yaml'), 'utf8')).toBe(manifestBefore);
    expect(readdirSync(parent)).toEqual(['sim-uji']);
  });
});

describe('connector new, inside the project', () => {
  it('imports the SDK as connectors/<id>/ would, with no package.json of its own', async () => {
    const parent = scratchDirectory(projectPath(), '.tmp-cli-test-');
    const run = await penghubung('connector', 'new', 'uji-dalam', '--dir', parent);
    expect(run.code).toBe(0);
    const directory = join(parent, 'uji-dalam');
    expect(readFileSync(join(directory, 'mapping.ts'), 'utf8')).toContain("from '../../src/connectors/sdk.js';");
    expect(readFileSync(join(directory, 'simulator.ts'), 'utf8')).toContain("from '../../src/connectors/simulator-sdk.js';");
    expect(existsSync(join(directory, 'package.json'))).toBe(false);
    const manifest = parseYaml(readFileSync(join(directory, 'manifest.yaml'), 'utf8')) as { name: string; owner: string };
    expect(manifest.name).toBe('UJI-DALAM');
    expect(manifest.owner).toMatch(/^TODO/);
  });
});

describe('bad usage exits 2 with a message', () => {
  it.each([
    ['an upper-case id', ['connector', 'new', 'Siak']],
    ['an id starting with a digit', ['connector', 'new', '1siak']],
    ['a one-letter id', ['connector', 'new', 'a']],
    ['an id with an underscore', ['connector', 'new', 'si_ak']],
    ['an id longer than 31 characters', ['connector', 'new', `a${'b'.repeat(31)}`]],
  ])('refuses %s and creates nothing', async (_case, args) => {
    const parent = scratchDirectory();
    const run = await penghubung(...args, '--dir', parent);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`invalid connector id "${args[2]}"`);
    expect(run.stderr).toContain('^[a-z][a-z0-9-]{1,30}$');
    expect(readdirSync(parent)).toEqual([]);
  });

  it.each([
    ['no id', ['connector', 'new'], 'connector new takes one <id>'],
    ['two ids', ['connector', 'new', 'aa', 'bb'], 'connector new takes one <id>, not 2'],
    ['an unknown option', ['connector', 'new', 'aa', '--frob'], "Unknown option '--frob'"],
    ['an empty name', ['connector', 'new', 'aa', '--name', ' '], '--name must not be empty'],
    ['an unknown command', ['deploy'], 'unknown command "deploy"'],
    ['an unknown connector subcommand', ['connector', 'remove', 'aa'], 'unknown connector subcommand "remove"'],
    ['no connector subcommand', ['connector'], 'connector needs a subcommand'],
    ['arguments to start', ['start', '--port', '9'], 'start takes no arguments'],
    ['a folder to check that does not exist', ['connector', 'check', 'connectors/tidak-ada'], 'connectors/tidak-ada: no such folder'],
  ])('%s', async (_case, args, message) => {
    const parent = scratchDirectory();
    const run = await penghubung(...args, ...(args[1] === 'new' ? ['--dir', parent] : []));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('penghubung help');
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('help and connector check', () => {
  it('prints the usage with help, --help and no command', async () => {
    for (const args of [['help'], ['--help'], [], ['connector', 'new', '--help']]) {
      const run = await penghubung(...args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('penghubung connector new <id> [--dir <connectors dir>]');
      expect(run.stdout).toContain('penghubung connector check [<dir>...]');
    }
  });

  it('checks a folder: ✓ per case and exit 0; ✗ with the reason and exit 1 once a fixture is wrong', async () => {
    const parent = scratchDirectory();
    expect((await penghubung('connector', 'new', 'cek-uji', '--dir', parent)).code).toBe(0);
    const directory = join(parent, 'cek-uji');

    const passing = await penghubung('connector', 'check', directory);
    expect(passing.stderr).toBe('');
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain('  ✓ manifest is valid and mapping.ts implements exactly its operations');
    expect(passing.stdout).toContain('  ✓ fixture cari-rekaman/tidak-ditemukan-http-200');
    expect(passing.stdout).not.toContain('✗');
    expect(passing.stdout).toMatch(/\d+ passed, 0 failed \(1 connector\)/);

    const file = join(directory, 'fixtures', 'cari-rekaman', 'ditemukan.expected.json');
    const expected = JSON.parse(readFileSync(file, 'utf8')) as { canonical: { nama: string; diperbarui_pada?: string; sumber: Record<string, unknown> } };
    expected.canonical.nama = 'Nama lain';
    delete expected.canonical.diperbarui_pada;
    expected.canonical.sumber.halaman = 2;
    writeFileSync(file, JSON.stringify(expected));
    const failing = await penghubung('connector', 'check', directory);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('  ✗ fixture cari-rekaman/ditemukan');
    // A field-level diff: each differing field by JSON pointer, expected then actual.
    const lines = failing.stdout.split('\n');
    const heading = lines.indexOf('      mapped result differs from the expected canonical (3 fields):');
    expect(heading).toBeGreaterThan(0);
    expect(lines.slice(heading + 1, heading + 4).sort()).toEqual([
      '        /diperbarui_pada: expected (absent), actual "2026-11-20T01:30:00.000Z"',
      '        /nama: expected "Nama lain", actual "Rekaman contoh pertama"',
      '        /sumber/halaman: expected 2, actual (absent)',
    ]);
    expect(failing.stdout).toMatch(/\d+ passed, 1 failed \(1 connector\)/);
  });
});
