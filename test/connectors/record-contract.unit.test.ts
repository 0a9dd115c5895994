// The per-record reading contract (docs/CONNECTORS.md): records + mapRecord, RecordRejected,
// schema-invalid entities set aside, and the contract kit's `rejected` and `source` checks.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listContractCases } from '../../src/connectors/contract-kit.js';
import { loadConnector } from '../../src/connectors/discovery.js';
import { upstreamPaths } from '../../src/connectors/manifest.js';
import { mapDocument, setAsideInvalid } from '../../src/connectors/records.js';
import { RecordRejected, defineConnector } from '../../src/connectors/sdk.js';
import { projectPath } from '../../src/schemas.js';

const folder = projectPath('test', 'fixtures', 'connectors', 'uji-rekaman');
const context = { settings: {}, options: {}, now: () => new Date('2026-11-28T01:00:00Z') };
const copies: string[] = [];

afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/** The test connector with its fixtures replaced by `fixtures` (case name → [native, expected]). */
function withFixtures(fixtures: Record<string, [unknown, unknown]>): string {
  const root = copyOf();
  for (const entry of readdirSync(folder)) if (entry !== 'fixtures') symlinkSync(join(folder, entry), join(root, entry));
  mkdirSync(join(root, 'fixtures', 'rekaman-masuk'), { recursive: true });
  for (const [name, [native, expected]] of Object.entries(fixtures)) {
    writeFileSync(join(root, 'fixtures', 'rekaman-masuk', `${name}.native.json`), JSON.stringify(native));
    writeFileSync(join(root, 'fixtures', 'rekaman-masuk', `${name}.expected.json`), JSON.stringify(expected));
  }
  return root;
}

/** An empty folder named like the connector (the manifest id must equal it). */
function copyOf(): string {
  const parent = mkdtempSync(projectPath('.tmp-record-contract-'));
  copies.push(parent);
  const root = join(parent, 'uji-rekaman');
  mkdirSync(root);
  return root;
}

async function failures(directory: string): Promise<string[]> {
  const messages: string[] = [];
  for (const contractCase of await listContractCases(directory)) {
    await contractCase.run().catch((error: unknown) => messages.push((error as Error).message));
  }
  return messages;
}

const good = { code: 'A-001', name: 'Satu', updated_at: '2026-11-20T08:30:00+07:00' };
const goodEntity = { kode: 'A-001', nama: 'Satu', diperbarui_pada: '2026-11-20T01:30:00.000Z' };

describe('reading a document record by record', () => {
  it('maps the good records and sets the bad ones aside with their reasons, in document order', async () => {
    const { definition } = await loadConnector(folder);
    const handler = definition.inbound!['rekaman-masuk']!;
    const mapped = setAsideInvalid(mapDocument(handler, { data: [good, { code: 'A 2', name: 'x', updated_at: '2026-11-20T08:30:00Z' }, { ...good, updated_at: 'besok' }, 7] }, context), 'uji-rekaman-rekaman.v1');
    expect(mapped.entities.map((e) => [e.index, e.entity])).toEqual([[0, goodEntity]]);
    expect(mapped.rejected.map((r) => [r.index, r.reason])).toEqual([[1, 'schema-invalid'], [2, 'date-invalid'], [3, 'layout-unknown']]);
    expect(mapped.rejected[0]!.detail).toMatch(/\/kode/);
    expect(mapped.rejected[1]!.record).toEqual({ ...good, updated_at: 'besok' });
  });

  it('quarantines any other error as mapping-error, without quoting it', () => {
    const handler = defineConnector({
      inbound: { x: { records: (native) => native as unknown[], mapRecord: (record) => { if (record === 2) throw new TypeError('3171234567890001 is bad'); return { n: record }; }, identify: () => '' } },
    }).inbound!.x!;
    const mapped = mapDocument(handler, [1, 2, 3], context);
    expect(mapped.entities.map((e) => e.entity)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(mapped.rejected).toEqual([{ index: 1, reason: 'mapping-error', detail: 'the mapping failed (TypeError)', record: 2 }]);
  });

  it("gives a per-record handler a whole-document map that fails on the first bad record", () => {
    const handler = defineConnector({
      inbound: { x: { records: (native) => native as unknown[], mapRecord: (record) => { if (record === 2) throw new RecordRejected('field-missing', 'no two'); return record === 3 ? [{ n: 3 }, { n: 33 }] : record === 4 ? undefined : { n: record }; }, identify: () => '' } },
    }).inbound!.x!;
    expect(handler.map([1, 3, 4], context)).toEqual([{ n: 1 }, { n: 3 }, { n: 33 }]);
    expect(() => handler.map([1, 2], context)).toThrow(RecordRejected);
  });
});

describe('the contract kit and rejected records', () => {
  it('passes the test connector, whose fixture lists rejected records', async () => {
    const names = (await listContractCases(folder)).map((c) => c.name);
    expect(names.filter((name) => name.startsWith('fixture '))).not.toHaveLength(0);
    expect(await failures(folder)).toEqual([]);
  });

  it('fails a fixture whose rejected records differ, naming the reason it got', async () => {
    const root = withFixtures({ mix: [{ data: [good, { ...good, updated_at: 'x' }] }, { source: 'simulator: test', canonical: [goodEntity], rejected: [{ index: 1, reason: 'layout-unknown' }] }] });
    const messages = await failures(root);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/rejected records differ[\s\S]*date-invalid/);
  });

  it('fails a fixture that rejects records it does not list', async () => {
    const root = withFixtures({ mix: [{ data: [good, { ...good, updated_at: 'x' }] }, { source: 'simulator: test', canonical: [goodEntity] }] });
    expect(await failures(root)).toEqual([expect.stringMatching(/rejected records differ/)]);
  });

  it('fails a fixture without a source', async () => {
    const root = withFixtures({ mix: [{ data: [good] }, { canonical: [goodEntity] }], blank: [{ data: [good] }, { source: ' ', canonical: [goodEntity] }] });
    expect(await failures(root)).toEqual([expect.stringMatching(/needs `source`/), expect.stringMatching(/needs `source`/)]);
  });
});

describe('manifest upstream paths', () => {
  it('reads bare strings as unverified and requires a note on unverified objects', async () => {
    const { manifest } = await loadConnector(folder);
    const paths = upstreamPaths(manifest);
    expect(paths.records).toMatchObject({ verified: true, sources: ['test/fixtures/connectors/uji-rekaman/simulator.ts'] });
    expect(paths.legacy).toMatchObject({ request: 'GET /legacy/records', verified: false });
    expect(paths.unconfirmed).toMatchObject({ verified: false, note: expect.stringMatching(/no public source/) });

    const root = copyOf();
    for (const entry of readdirSync(folder)) if (entry !== 'manifest.yaml') symlinkSync(join(folder, entry), join(root, entry));
    writeFileSync(join(root, 'manifest.yaml'), readFileSync(join(folder, 'manifest.yaml'), 'utf8').replace(/ {6}note: no public source[^\n]*\n/, ''));
    await expect(loadConnector(root)).rejects.toThrow(/\/upstream\/paths\/unconfirmed\/note: missing/);
  });
});
