// `penghubung connector check [<dir>...]`: the contract kit (src/connectors/contract-kit.ts)
// on connector folders, one line per case.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectPath } from '../schemas.js';
import { displayPath } from './scaffold.js';
import { UsageError } from './usage-error.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export interface CheckSummary {
  passed: number;
  failed: number;
}

/** Every connector folder under `root`, as discovery finds them (no . or _ prefix). */
export function connectorFolders(root = projectPath('connectors')): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('_'))
    .map((entry) => join(root, entry.name))
    .sort();
}

export async function checkConnectors(directories: string[], output: Output): Promise<CheckSummary> {
  const folders = directories.length > 0 ? directories.map((directory) => resolve(directory)) : connectorFolders();
  for (const folder of folders) {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${displayPath(folder)}: no such folder`);
  }
  if (folders.length === 0) throw new UsageError(`no connector folders under ${displayPath(projectPath('connectors'))}`);

  const { listContractCases } = await import('../connectors/contract-kit.js');
  const summary: CheckSummary = { passed: 0, failed: 0 };
  for (const folder of folders) {
    output.out(displayPath(folder));
    let cases: { name: string; run(): Promise<void> }[];
    try {
      cases = await listContractCases(folder);
    } catch (error) {
      failure(output, 'the contract cases could not be listed', error);
      summary.failed++;
      continue;
    }
    for (const contractCase of cases) {
      try {
        await contractCase.run();
        output.out(`  ✓ ${contractCase.name}`);
        summary.passed++;
      } catch (error) {
        failure(output, contractCase.name, error);
        summary.failed++;
      }
    }
  }
  output.out(`${summary.passed} passed, ${summary.failed} failed (${folders.length} connector${folders.length === 1 ? '' : 's'})`);
  return summary;
}

function failure(output: Output, name: string, error: unknown): void {
  output.out(`  ✗ ${name}`);
  const message = error instanceof Error ? error.message : String(error);
  for (const line of message.split('\n')) output.out(`      ${line}`);
}
