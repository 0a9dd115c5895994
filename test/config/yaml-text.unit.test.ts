// The hub reads its YAML at start with js-yaml (src/yaml-text.ts, ≈ 70 ms of CPU less per start
// than the `yaml` package): it must read what `yaml` read, and refuse what it refused, on every
// YAML file of the project and on the scalars an environment variable may hold.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/schemas.js';
import { parseYaml } from '../../src/yaml-text.js';

const outcome = (read: () => unknown): { value: unknown } | { refused: true } => {
  try {
    return { value: read() };
  } catch {
    return { refused: true };
  }
};

describe('parseYaml', () => {
  it('reads every YAML file of the project as the yaml package does', () => {
    const files = ['redocly.yaml', ...['config', 'connectors', 'deploy', 'flows', 'test/fixtures'].flatMap((folder) =>
      (readdirSync(projectPath(folder), { recursive: true }) as string[]).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(folder, name)))];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(projectPath(file), 'utf8');
      expect({ file, ...outcome(() => parseYaml(text)) }).toEqual({ file, ...outcome(() => parse(text)) });
    }
  });

  it('reads environment-variable scalars and small documents as the yaml package does', () => {
    const texts = ['18555', 'true', 'True', 'false', '0.5', 'null', '~', '', '0x1F', '0o17', '017', '1e3', '-.inf', '.NaN', 'yes', 'off', "'8080'", '"x"', '[a, b]', '{a: 1}', '1_000', '2024-01-01', '12:30', '+12', '.5', 'localhost:9092', 'http://127.0.0.1:1/a', '9007199254740993', '1.5e-3', 'a: &x 1\nb: *x'];
    for (const text of texts) expect({ text, ...outcome(() => parseYaml(text)) }).toEqual({ text, ...outcome(() => parse(text)) });
  });

  it('refuses what the yaml package refuses: a duplicate key, a second document, tabs, broken flow', () => {
    for (const text of ['a: 1\na: 2', '---\na: 1\n---\nb: 2', 'a:\n\t- 1', 'http: [port: 1']) {
      expect(() => parse(text)).toThrow();
      expect(() => parseYaml(text)).toThrow();
    }
  });

  it('keeps the core schema: no merge keys, no timestamps, no binary', () => {
    expect(parseYaml('<<: {a: 1}')).toEqual({ '<<': { a: 1 } });
    expect(parseYaml('d: 2024-01-01T00:00:00Z')).toEqual({ d: '2024-01-01T00:00:00Z' });
    expect(() => parseYaml('!!binary aGk=')).toThrow();
  });
});
