// The contract kit's import check: a connector imports the SDK and its own files, nothing else
// of the hub and no infrastructure package. Judged on a copy of a real connector (symbolic links,
// as `penghubung connector check` would see a folder elsewhere) with one extra file.
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listContractCases } from '../../src/connectors/contract-kit.js';
import { projectPath } from '../../src/schemas.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/**
 * siak's folder, linked file by file into a temporary one, plus files written there; `extra`
 * gets the path from that folder to a file of the project, for import specifiers.
 */
function siakWith(extra: (pathTo: (...path: string[]) => string) => Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'penghubung-imports-'));
  roots.push(root);
  for (const entry of readdirSync(projectPath('connectors', 'siak'))) symlinkSync(projectPath('connectors', 'siak', entry), join(root, entry));
  const pathTo = (...path: string[]): string => relative(root, projectPath(...path)).split('\\').join('/');
  for (const [file, text] of Object.entries(extra(pathTo))) writeFileSync(join(root, file), text);
  return root;
}

async function checkImports(directory: string): Promise<void> {
  const check = (await listContractCases(directory)).find((c) => c.name.startsWith('imports nothing of the hub but the SDK'));
  if (!check) throw new Error('the contract kit has no import check');
  await check.run();
}

describe('the contract kit import check', () => {
  it('passes the SDK and the folder’s own files', async () => {
    const root = siakWith((pathTo) => ({ 'extra.ts': `import { UpstreamError } from '${pathTo('src', 'connectors', 'sdk.js')}';\nimport { isPlainObject } from './fields.js';\nexport { UpstreamError, isPlainObject };\n` }));
    await expect(checkImports(root)).resolves.toBeUndefined();
  });

  it('refuses a module of the hub other than the SDK', async () => {
    const root = siakWith((pathTo) => ({ 'leak.ts': `import type { EventBus } from '${pathTo('src', 'bus', 'event-bus.js')}';\nexport type Bus = EventBus;\n` }));
    await expect(checkImports(root)).rejects.toThrow(/leak\.ts imports [./]*.*src\/bus\/event-bus\.js; a connector imports only the SDK/);
  });

  it('refuses another connector’s files', async () => {
    const root = siakWith((pathTo) => ({ 'borrow.ts': `export * from '${pathTo('connectors', 'lpse', 'fields.js')}';\n` }));
    await expect(checkImports(root)).rejects.toThrow(/borrow\.ts imports [./]*.*connectors\/lpse\/fields\.js; a connector imports only the SDK/);
  });

  it('refuses an infrastructure package', async () => {
    const root = siakWith(() => ({ 'direct.ts': `import axios from 'axios';\nexport default axios;\n` }));
    await expect(checkImports(root)).rejects.toThrow(/direct\.ts imports axios; the runtime provides infrastructure/);
  });
});
