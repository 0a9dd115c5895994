// YAML as the hub reads it at start (configuration and its environment variables, clients,
// connector manifests, flows): js-yaml with the YAML 1.2 core schema, the types the `yaml`
// package reads by default (no timestamps, merge keys or !!binary), an empty text read as null.
// js-yaml loads and parses a start's ≈ 37 KB of YAML in ≈ 30 ms of CPU, where `yaml` took
// ≈ 100 ms (fresh processes; test/config/yaml-text.unit.test.ts holds the two to the same answers).
import { CORE_SCHEMA, load } from 'js-yaml';

/** The document `text` holds; throws on text that is not YAML, a duplicate key, a second document. */
export function parseYaml(text: string): unknown {
  return load(text, { schema: CORE_SCHEMA }) ?? null;
}
