// The contract suite: every folder under connectors/ is checked by the contract kit, fixture by
// fixture. A new connector folder is tested here with no new test code.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listContractCases } from '../../src/connectors/contract-kit.js';
import { projectPath } from '../../src/schemas.js';

const root = projectPath('connectors');
const folders = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('_')).map((entry) => entry.name);

it('finds the connector folders', () => {
  expect(folders).toEqual(expect.arrayContaining(['siak', 'lapor']));
});

for (const folder of folders) {
  const cases = await listContractCases(join(root, folder));
  describe(`connector ${folder}`, () => {
    for (const contractCase of cases) it(contractCase.name, () => contractCase.run());
  });
}
