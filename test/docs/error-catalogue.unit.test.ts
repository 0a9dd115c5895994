// docs/ERRORS.md and src/errors/catalogue.ts list the same codes with the same statuses and titles.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { errorCatalogue } from '../../src/errors/catalogue.js';
import { projectPath } from '../../src/schemas.js';

it('documents every error code, and only those', () => {
  const rows = readFileSync(projectPath('docs', 'ERRORS.md'), 'utf8')
    .split('\n')
    .map((line) => /^\| `([a-z-]+)` \| (\d{3}) \| ([^|]+) \|/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ code: match[1]!, status: Number(match[2]), title: match[3]!.trim() }));
  const catalogue = Object.entries(errorCatalogue).map(([code, entry]) => ({ code, status: entry.status, title: entry.title }));
  expect(rows).toEqual(catalogue);
});
