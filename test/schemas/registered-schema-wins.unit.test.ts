// The compiled hub uses the build's generated validators only for the schema texts it registered:
// a connector folder outside the project may register its own copy of a project's $id first (and
// schemas/ may change after the build), and then that copy, which masking reads too, validates.
// The build's module is written as the build writes it (tools/validators.mjs) and stands in for
// dist/schemas/validators.js, which the sources do not load.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { builtValidators } from '../../src/built-validators.js';
import { generatedValidator } from '../../src/generated-validators.js';
import { canonicalSchema, compileSchema, projectPath, registerSchemaDirectory } from '../../src/schemas.js';
import { compileStartSchema, startSchemaPart } from '../../src/start-schemas.js';

const buildFolder = vi.hoisted(() => `.tmp-validators-registered-${process.pid}`);

vi.mock('../../src/built-validators.js', async () => {
  const { mkdirSync: mkdir, writeFileSync: write } = await import('node:fs');
  const { pathToFileURL } = await import('node:url');
  const { projectPath: inProject } = await import('../../src/project-path.js');
  const { validatorsSource } = await import('../../tools/validators.mjs');
  const vocabulary = await import('../../src/schema-vocabulary.js');
  const openApi = await import('../../src/services/openapi-json-schemas.js');
  mkdir(inProject(buildFolder), { recursive: true });
  const file = inProject(buildFolder, 'validators.js');
  write(file, validatorsSource({ vocabulary, openApi, formatsSpecifier: '../src/schema-formats.js' }));
  return { builtValidators: await import(pathToFileURL(file).href) };
});

const external = mkdtempSync(join(tmpdir(), 'penghubung-external-schemas-'));
afterAll(() => {
  rmSync(projectPath(buildFolder), { recursive: true, force: true });
  rmSync(external, { recursive: true, force: true });
});

const PENDUDUK = 'urn:penghubung:schema:penduduk:v1';

it('validates by the text registered under an $id, not by the build\'s validator of another text', () => {
  // A connector outside the project with its own penduduk.v1: the same $id, no required field.
  const changed = { ...(JSON.parse(readFileSync(projectPath('schemas', 'penduduk.v1.json'), 'utf8')) as Record<string, unknown>), required: [] };
  mkdirSync(join(external, 'schemas'));
  writeFileSync(join(external, 'schemas', 'penduduk.v1.json'), JSON.stringify(changed, null, 2));
  registerSchemaDirectory(join(external, 'schemas'));

  const build = builtValidators!.validators[PENDUDUK]!;
  expect(build({})).toBe(false);
  const { schema, validate } = canonicalSchema('penduduk.v1');
  expect(schema).toEqual(changed);
  expect(validate).not.toBe(build);
  expect(validate({})).toBe(true);
  expect(validate({ nik: 7 })).toBe(false);
});

it('uses the build\'s validators for the texts it was generated from', () => {
  expect(canonicalSchema('pengaduan.v1').validate).toBe(builtValidators!.validators['urn:penghubung:schema:pengaduan:v1']);
  expect(compileSchema('cloudevent.v1.json')).toBe(builtValidators!.validators['urn:penghubung:schema:cloudevent:v1']);
  expect(compileStartSchema('config.schema.json')).toBe(builtValidators!.validators['urn:penghubung:schema:config']);
  const query = 'urn:penghubung:schema:connector-manifest#/$defs/query';
  compileStartSchema('connector-manifest.schema.json');
  expect(startSchemaPart(query)).toBe(builtValidators!.validators[query]);
  // A part is the build's only while its whole schema's text is.
  expect(generatedValidator(query, () => 'another text')).toBeUndefined();
  expect(generatedValidator(query)).toBeUndefined();
});
