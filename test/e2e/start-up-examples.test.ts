// Issue 16 must-show: every example the sandbox prints at start succeeds with the key it prints.
// The hub runs as `npm start` runs it (a child process on the default configuration: sandbox,
// the demo clients of config/clients.yaml, pollers on, embedded bus); the test reads the guide
// from its stderr, runs every printed curl line as an HTTP request at once (no waiting for
// lists to fill), and expects success, non-empty lists and answers masked to that key's client.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectPath } from '../../src/schemas.js';
import { parseCurl, runCurl } from '../support/curl.js';
import { printedExamples as examplesIn, startSandboxHub, type SandboxHub } from '../support/sandbox-hub.js';

let hub: SandboxHub | undefined;
let guide = '';

beforeAll(async () => {
  hub = await startSandboxHub();
  guide = hub.guide;
}, 90_000);
afterAll(async () => {
  await hub?.stop();
});

const printedKeys = (): Record<string, string> => hub!.keys;
const printedExamples = (): ReturnType<typeof examplesIn> => examplesIn(guide);

function manifestExamples(): string[] {
  const root = join(projectPath(), 'connectors');
  return readdirSync(root).filter((id) => existsSync(join(root, id, 'manifest.yaml'))).flatMap((id) => {
    const manifest = parseYaml(readFileSync(join(root, id, 'manifest.yaml'), 'utf8')) as { operations: Record<string, { example?: string }> };
    return Object.entries(manifest.operations).filter(([, operation]) => operation.example).map(([operation]) => `${id} ${operation}`);
  });
}

/** A name masked to initials (`S. M.`), as masking shows a name above clearance. */
const initials = /^([A-Z]\.)( [A-Z]\.)*$/;

it('prints an example for every manifest example, the catalogue and the OPD service, each with an app key that is not the operator key', () => {
  const keys = printedKeys();
  const examples = printedExamples();
  expect(Object.keys(keys)).toEqual(expect.arrayContaining(['operator-diskominfo', 'aplikasi-opd-demo', 'portal-publik', 'sp4n-lapor', 'sitampan', 'aplikasi-bkpsdm']));
  expect(examples.map((e) => e.label)).toEqual(expect.arrayContaining([...manifestExamples(), 'catalogue', 'layanan ekinerja', 'access requests to ekinerja']));
  for (const example of examples) {
    expect(example.role, example.label).toBe('app');
    expect(parseCurl(example.command).headers['x-api-key'], example.label).toBe(keys[example.clientId]);
  }
  const operatorKeys = Object.entries(keys).filter(([id]) => id.startsWith('operator-')).map(([, key]) => key);
  for (const key of operatorKeys) expect(guide.slice(guide.indexOf('\nExamples, '))).not.toContain(key);
});

it('says where each upstream simulator shows the requests it received, in its own process too', async () => {
  const simulators = Object.entries(hub!.simulators);
  expect(simulators.map(([id]) => id)).toEqual(expect.arrayContaining(['lapor', 'lpse', 'siak', 'sipd', 'sitampan']));
  for (const [id, url] of simulators) {
    expect(guide, id).toContain(`  ${id}: upstream simulator at ${url}\n    requests it received: curl ${url}/_simulator/requests\n`);
    const recorded = await fetch(`${url}/_simulator/requests`);
    expect(recorded.status, id).toBe(200);
    expect(Array.isArray(await recorded.json()), id).toBe(true);
  }
});

it('every printed example succeeds at once with the key it prints, lists are filled and answers are masked to that client', async () => {
  const failures: string[] = [];
  const answers = new Map<string, unknown>();
  for (const example of printedExamples()) {
    const answer = await runCurl(parseCurl(example.command));
    answers.set(example.label, answer.json);
    if (answer.status >= 300) failures.push(`${example.label} as ${example.clientId}: ${answer.status} ${answer.text.slice(0, 300)}`);
    const items = (answer.json as { items?: unknown[] } | undefined)?.items;
    if (items?.length === 0) failures.push(`${example.label} as ${example.clientId}: an empty list`);
    // Publik clients never see a NIK or a family card number (16 digits) in clear.
    if (example.clearance === 'publik' && /(?<!\d)\d{16}(?!\d)/.test(answer.text)) failures.push(`${example.label} as ${example.clientId}: a 16-digit number in clear`);
  }
  expect(failures).toEqual([]);

  // aplikasi-opd-demo (terbatas) sees the resident, but the rahasia fields masked.
  const resident = answers.get('siak cari-penduduk') as Record<string, unknown>;
  expect(resident).toMatchObject({ nik: '1809011704780001', nama_lengkap: 'AHMAD SUPRIYADI', golongan_darah: '••••' });
  expect(resident.nama_ibu).toMatch(initials);
  // portal-publik (publik) sees complaints with reporters as initials and phones partly hidden.
  const complaints = (answers.get('lapor daftar-pengaduan') as { items: { pelapor?: { nama?: string; telepon?: string } }[] }).items;
  const reporters = complaints.flatMap((complaint) => (complaint.pelapor ? [complaint.pelapor] : []));
  expect(reporters.length).toBeGreaterThan(0);
  for (const reporter of reporters) {
    if (reporter.nama !== undefined) expect(reporter.nama).toMatch(initials);
    if (reporter.telepon !== undefined) expect(reporter.telepon).toContain('•');
  }
}, 60_000);
