// Which file the hub imports for a connector's or flow's TypeScript: the source under tsx and
// vitest, the compiled twin in dist/ when the hub runs compiled, a .js beside it for a folder
// outside the project, and a clear refusal when there is none.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleFileFor } from '../../src/module-file.js';

let root: string;
let elsewhere: string;
const touch = (file: string): void => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, 'export default {};\n');
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'penghubung-project-'));
  elsewhere = mkdtempSync(join(tmpdir(), 'penghubung-elsewhere-'));
  touch(join(root, 'connectors', 'siak', 'mapping.ts'));
  touch(join(root, 'dist', 'connectors', 'siak', 'mapping.js'));
  touch(join(root, 'flows', 'baru', 'steps.ts'));
  touch(join(elsewhere, 'simpeg', 'mapping.ts'));
  touch(join(elsewhere, 'simpeg', 'mapping.js'));
  touch(join(elsewhere, 'hanya-ts', 'mapping.ts'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('moduleFileFor', () => {
  it('imports the TypeScript source when the hub runs its sources', () => {
    const source = join(root, 'connectors', 'siak', 'mapping.ts');
    expect(moduleFileFor(source, { compiled: false, root })).toBe(source);
  });

  it('imports the compiled twin under dist/ when the hub runs compiled', () => {
    expect(moduleFileFor(join(root, 'connectors', 'siak', 'mapping.ts'), { compiled: true, root })).toBe(join(root, 'dist', 'connectors', 'siak', 'mapping.js'));
  });

  it('imports the .js beside a folder outside the project', () => {
    expect(moduleFileFor(join(elsewhere, 'simpeg', 'mapping.ts'), { compiled: true, root })).toBe(join(elsewhere, 'simpeg', 'mapping.js'));
  });

  it('refuses, naming the file and the way out, when nothing compiled exists', () => {
    expect(() => moduleFileFor(join(root, 'flows', 'baru', 'steps.ts'), { compiled: true, root })).toThrow(/flows\/baru\/steps\.ts: the compiled hub runs JavaScript .*dist\/flows\/baru\/steps\.js.*npm run build/);
    expect(() => moduleFileFor(join(elsewhere, 'hanya-ts', 'mapping.ts'), { compiled: true, root })).toThrow(/hanya-ts\/mapping\.ts: the compiled hub runs JavaScript/);
  });
});
